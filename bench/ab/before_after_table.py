# The tables of bench/ab/before_after.sh's rounds (/tmp/ab): medians and ranges, before and after.
import json,statistics as st
keys=[("gemm1024_gflops","wasm","GEMM 1024³, 1 thread (GFLOP/s)",1),("gemm1024_gflops","wasm×2","GEMM 1024³, 2 threads (GFLOP/s)",1),("lif_ns_per_neuron_step","wasm","fused LIF fwd+bwd (ns/neuron-step)",-1),("w1_ms",None,"W1 (ms)",-1),("w2_ms",None,"W2 (ms)",-1),("w4_b1_t1000_ms",None,"W4 batch 1 (ms)",-1),("w4_b128_t25_ms",None,"W4 batch 128 (ms)",-1),("w5_s",None,"W5 time-stepped (s)",-1),("dsn_us_per_sample",None,"DSN spiking step (µs/sample)",-1),("relu_mlp_us_per_sample",None,"DSN ReLU step (µs/sample)",-1)]
import glob,sys
runs=sorted({int(p.split("-")[-1][:-5]) for p in glob.glob("/tmp/ab/bench-after-*.json")})
def bench(side,r): return json.load(open(f"/tmp/ab/bench-{side}-{r}.json"))
rows=[]
def fmt(v): return f"{v:.3g}"
print(f"| measure | before, {len(runs)} rounds: median (range) | after | after / before |")
print("|---|---|---|---|")
for k,sub,label,_ in keys:
    vals={s:[(bench(s,r)[k][sub] if sub else bench(s,r)[k]) for r in runs] for s in ["before","after"]}
    mo,mn=st.median(vals["before"]),st.median(vals["after"])
    print(f"| {label} | {fmt(mo)} ({fmt(min(vals['before']))}–{fmt(max(vals['before']))}) | {fmt(mn)} ({fmt(min(vals['after']))}–{fmt(max(vals['after']))}) | {mn/mo:.3f} |")
def js(name,side,r):
    return json.load(open(f"/tmp/ab/{name}-{side}-{r}.json"))
for name,label,get in [("train","train, MLP of LIF, T = 4, 4,000 images, 1 epoch (s)",lambda d:d["seconds"]),("lenet","train, default LeNet, 1,500 images, 1 epoch (s)",lambda d:d["seconds"]),("dsn","dsn train, 2,000 samples, 1 epoch (s)",lambda d:d["seconds"]),("transfer","transfer, event engine, 100 images (s)",lambda d:d["seconds"]),("tstep","transfer, stepped engine, 100 images (s)",lambda d:d["seconds"])]:
    vals={s:[get(js(name,s,r)) for r in runs] for s in ["before","after"]}
    mo,mn=st.median(vals["before"]),st.median(vals["after"])
    print(f"| {label} | {fmt(mo)} ({fmt(min(vals['before']))}–{fmt(max(vals['before']))}) | {fmt(mn)} ({fmt(min(vals['after']))}–{fmt(max(vals['after']))}) | {mn/mo:.3f} |")
acc={s:[js("train",s,r)["test_accuracy"] for r in runs]+[js("lenet",s,r)["test_accuracy"] for r in runs]+[js("dsn",s,r)["test_error"] for r in runs] for s in ["before","after"]}
print("\nresults equal in every round:", acc["before"]==acc["after"])

wall={}
for line in open("/tmp/ab/wall.txt"):
    side,_,t=line.split(); wall.setdefault(side,[]).append(float(t))
print("wall clock, train with --checkpoint-every 5:", {k:(round(st.median(v),2),round(min(v),2),round(max(v),2)) for k,v in wall.items()})
print(open("/tmp/ab/same.txt").read())
