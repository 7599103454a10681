// The network workloads W1, W2 and W4 of ../shared/anchors, on snnkit's engine (wasm backend), and the
// side-by-side comparison with the PyTorch anchor script run in the same sitting.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { setBackend } from "../src/backend/registry.js";
import { median, sortedTimesMs } from "./kernels.js";
import { bernoulli, rand } from "../src/tensor/creation.js";
import { noGrad, tidy } from "../src/tensor/engine.js";
import { Rng } from "../src/random/rng.js";
import { Conv2d } from "../src/nn/conv2d.js";
import { Flatten } from "../src/nn/flatten.js";
import { Linear } from "../src/nn/linear.js";
import { MaxPool2d } from "../src/nn/pool.js";
import { Sequential } from "../src/nn/sequential.js";
import { ceCountLoss } from "../src/nn/spike_losses.js";
import { LIF } from "../src/neurons/lif_module.js";
import { simulateEvents } from "../src/sim/event_sim.js";
import type { NetworkSpec } from "../src/sim/network.js";
import { simulateStepped } from "../src/sim/stepped_sim.js";
import { w5Network } from "../src/tasks/sim/w5_network.js";
import { Adam } from "../src/optim/adam.js";
import type { Tensor } from "../src/tensor/tensor.js";

/** Median milliseconds of our workloads (the `npm run bench` keys of issue #3). */
export interface WorkloadResult {
  w1_ms: number;
  w2_ms: number;
  w4_b1_t1000_ms: number;
  w4_b128_t25_ms: number;
}

/** The anchors' LIF: β = 0.95, θ = 1, subtract reset with detached reset, fast sigmoid slope 25. */
const anchorLif = () => new LIF({ beta: 0.95, threshold: 1, reset: "subtract", detachReset: true, surrogate: { name: "fast_sigmoid", param: 25 } });

/** Median and minimum of fn's wall time over `iters` runs after 3 warm-up runs (as torch_snn.py). */
function timed(fn: () => void, iters: number): { median: number; min: number } {
  const ts = sortedTimesMs(fn, iters, 3);
  return { median: ts[Math.floor(ts.length / 2)], min: ts[0] };
}

function labels(n: number, rng: Rng): number[] {
  return Array.from({ length: n }, () => rng.int(10));
}

function trainStep(opt: Adam, forward: () => Tensor, y: number[]): () => void {
  return () =>
    tidy(() => {
      opt.zeroGrad();
      ceCountLoss(forward(), y).backward();
      opt.step();
    });
}

/** W1 network: 784 → 1000 → LIF → 10 → LIF (Linear runs once over all T·B rows). */
function denseNet(rng: Rng): Sequential {
  return new Sequential(new Linear(784, 1000, { rng }), anchorLif(), new Linear(1000, 10, { rng }), anchorLif());
}

/** W1: a training step of the dense network on Bernoulli(0.3) spikes [25, 128, 784]; CE on output spike counts; Adam(1e-3). */
function w1(iters: number): number {
  const data = new Rng(0);
  const x = bernoulli(0.3, [25, 128, 784], { rng: data });
  const y = labels(128, data);
  const net = denseNet(new Rng(1));
  const t = timed(trainStep(new Adam(net.parameters(), { lr: 1e-3 }), () => net.forward(x), y), iters);
  x.dispose();
  net.dispose();
  return t.median;
}

/** W2: a training step of the conv network on U[0,1) images [64, 1, 28, 28] as a constant current for T = 4 (the first conv runs once). */
function w2(iters: number): number {
  const data = new Rng(0);
  bernoulli(0.3, [25, 128, 784], { rng: data }).dispose(); // the data stream as W1 leaves it (as torch_snn.py draws)
  labels(128, data);
  const x = rand([64, 1, 28, 28], { rng: data });
  const y = labels(64, data);
  const rng = new Rng(1);
  const net = new Sequential(
    new Conv2d(1, 12, 5, { rng }),
    new MaxPool2d(2),
    anchorLif(),
    new Conv2d(12, 64, 5, { rng }),
    new MaxPool2d(2),
    anchorLif(),
    new Flatten(),
    new Linear(1024, 10, { rng }),
    anchorLif(),
  );
  const t = timed(trainStep(new Adam(net.parameters(), { lr: 1e-3 }), () => net.run(x, { steps: 4 }).output, y), iters);
  x.dispose();
  net.dispose();
  return t.median;
}

/** W4: W1's network without gradients on `steps` × `batch` Bernoulli(0.3) spikes (batch 1 × T = 1000, or batch 128 × T = 25). */
function w4(steps: number, batch: number, iters: number): number {
  const x = bernoulli(0.3, [steps, batch, 784], { rng: new Rng(0) });
  const net = denseNet(new Rng(1)).eval();
  const t = timed(() => tidy(() => noGrad(() => void net.forward(x))), iters);
  x.dispose();
  net.dispose();
  return t.median;
}

/** Each workload of the PyTorch anchor: its key and how to measure its median (ms) with `iters` timed iterations. */
export const WORKLOADS: Record<keyof WorkloadResult, (iters: number) => number> = {
  w1_ms: w1,
  w2_ms: w2,
  w4_b1_t1000_ms: (iters) => w4(1000, 1, Math.max(5, Math.round(iters / 1.5))),
  w4_b128_t25_ms: (iters) => w4(25, 128, iters),
};

/** Runs W1, W2 and W4 on the wasm backend; `iters` timed iterations each (W4 batch 1: a third fewer). */
export function runWorkloads(iters = 15): WorkloadResult {
  setBackend("wasm");
  return { w1_ms: w1(iters), w2_ms: w2(iters), w4_b1_t1000_ms: WORKLOADS.w4_b1_t1000_ms(iters), w4_b128_t25_ms: WORKLOADS.w4_b128_t25_ms(iters) };
}

/** The anchor's best medians (ms) from `torch_snn.py best`, by our key. */
/** Where a best median came from: torch_snn.py's job, and its OpenMP and OpenBLAS settings. */
export interface AnchorSource {
  job: string;
  omp_wait_policy: string;
  openblas_env: string;
}

export type AnchorResult = Partial<Record<keyof WorkloadResult, number>> & { torch?: string; from?: Partial<Record<keyof WorkloadResult, AnchorSource>> };

/**
 * Runs `python3 torch_snn.py best` from the shared anchors (needs Debian's python3-torch) and returns
 * its best medians; null when the script or PyTorch is missing (the reason goes to stderr).
 */
export function runTorchAnchor(anchorsDir = resolve("../shared/anchors"), iters = 15): AnchorResult | null {
  const script = resolve(anchorsDir, "torch_snn.py");
  if (!existsSync(script)) {
    console.error(`bench: ${script} not found; skipping the PyTorch anchor`);
    return null;
  }
  const r = spawnSync("/usr/bin/python3", [script, "best", "--iters", String(iters)], { encoding: "utf8", timeout: 1_800_000 });
  if (r.status !== 0) {
    console.error(`bench: the PyTorch anchor failed (${(r.stderr || r.error?.message || "").trim().split("\n").pop()}); install python3-torch`);
    return null;
  }
  const keys: Record<string, keyof WorkloadResult> = { W1_best: "w1_ms", W2_best: "w2_ms", W4_b1_best: "w4_b1_t1000_ms", W4_b128_best: "w4_b128_t25_ms" };
  const out: AnchorResult = {};
  for (const line of r.stdout.split("\n")) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { workload: string; median_ms: number; torch: string; from: string; omp_wait_policy: string; openblas_env: string };
    const k = keys[row.workload];
    if (k) {
      out[k] = row.median_ms;
      out.torch = row.torch;
      // The job that measured it: W1 or W1_allT → w1/w1_allT, W4_b1_T1000(_allT) and W4_b128_T25(_allT) → w4(_allT).
      const job = row.from.replace(/^W4_b\d+_T\d+/, "W4").toLowerCase().replace("_allt", "_allT");
      out.from = { ...out.from, [k]: { job, omp_wait_policy: row.omp_wait_policy, openblas_env: row.openblas_env } };
    }
  }
  return out;
}

/** Issue #3's targets: our time / PyTorch's best time on the wasm backend. */
const WORKLOAD_TARGETS: Partial<Record<keyof WorkloadResult, number>> = { w1_ms: 1.0, w2_ms: 1.5, w4_b1_t1000_ms: 0.25 };

/** A table of our medians beside the anchor's, with ratios and targets. */
export function formatWorkloads(ours: WorkloadResult, anchor: AnchorResult | null): string {
  const rows = (Object.keys(ours) as (keyof WorkloadResult)[]).map((k) => {
    const a = anchor?.[k];
    const ratio = a ? ours[k] / a : NaN;
    const target = WORKLOAD_TARGETS[k];
    return [
      k,
      ours[k].toFixed(1),
      a ? a.toFixed(1) : "—",
      Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : "—",
      target ? `≤ ${target}×` : "—",
    ];
  });
  const head = ["workload", "snnkit wasm (ms)", `PyTorch best (ms)${anchor?.torch ? ` ${anchor.torch}` : ""}`, "ratio", "target"];
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all.map((r) => r.map((c, i) => c.padEnd(widths[i])).join("  ")).join("\n");
}

/** W5 (10k LIF, 2M synapses, 1 s at dt 0.1 ms) on the time-stepped simulator: median wall seconds of `runs`. */
export function runW5(runs = 3): { w5_s: number; w5_mean_rate_hz: number } {
  const r = timeW5(runs, (net, seed) => simulateStepped(net, { duration: 1, dt: 1e-4, seed }));
  return { w5_s: r.seconds, w5_mean_rate_hz: r.rate };
}

/** W5's network on the exact event-driven simulator (no time step): median wall seconds of `runs`. */
export function runW5Exact(runs = 3): { w5_exact_s: number; w5_exact_mean_rate_hz: number } {
  const r = timeW5(runs, (net, seed) => simulateEvents(net, { duration: 1, seed }));
  return { w5_exact_s: r.seconds, w5_exact_mean_rate_hz: r.rate };
}

/** The median wall seconds of `runs` 1-s simulations of W5's network by `simulate` (seeds 0, 1, ...), and the last run's mean rate. */
function timeW5(runs: number, simulate: (net: NetworkSpec, seed: number) => { meanRateHz: number }): { seconds: number; rate: number } {
  const net = w5Network();
  const walls: number[] = [];
  let rate = 0;
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    rate = simulate(net, k).meanRateHz;
    walls.push((performance.now() - t0) / 1000);
  }
  return { seconds: median(walls), rate };
}

/** Runs `brian2_w5.py cpp_standalone 1` (needs python3-brian); null when it cannot run. */
export function runBrianAnchor(anchorsDir = resolve("../shared/anchors")): { wall_s: number; mean_rate_hz: number; brian2: string } | null {
  const script = resolve(anchorsDir, "brian2_w5.py");
  if (!existsSync(script)) return null;
  const r = spawnSync("/usr/bin/python3", [script, "cpp_standalone", "1"], { encoding: "utf8", timeout: 1_200_000, cwd: anchorsDir });
  if (r.status !== 0) {
    console.error(`bench: the Brian2 anchor failed (${(r.stderr || "").trim().split("\n").pop()}); install python3-brian`);
    return null;
  }
  const line = r.stdout.trim().split("\n").pop() ?? "{}";
  return JSON.parse(line);
}
