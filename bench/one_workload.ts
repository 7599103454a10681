// One workload of `npm run bench -- --anchor`, in a process of its own (so that its peak memory is its
// own): `node --import tsx bench/one_workload.ts NAME [--iters N] [--backend wasm|native]`. Prints one JSON line: the workload's
// values (its bench keys), the process's peak resident memory and the wasm backend's linear memory.
import type { BackendName } from "../src/backend/backend.js";
import { backendByName, getBackendName, getThreads, setBackend, setThreads } from "../src/backend/registry.js";
import { installNodeKernelThreads } from "../src/node/kernel_workers.js";
import { installNodeNativeAddon } from "../src/node/native_addon.js";
import { runDsnBench } from "./dsn.js";
import { gemmGflops } from "./kernels.js";
import { runW5, runW5Exact, WORKLOADS } from "./workloads.js";

/** What one child measures: the workloads run in a process of their own, by name. */
export const CHILD_WORKLOADS = ["w1_ms", "w2_ms", "w4_b1_t1000_ms", "w4_b128_t25_ms", "w5_s", "w5_exact_s", "dsn", "gemm"] as const;
type ChildWorkload = (typeof CHILD_WORKLOADS)[number];

/** A child's report. */
export interface ChildReport {
  values: Record<string, number>;
  /** Peak resident memory of the process (MB). */
  max_rss_mb: number;
  /** Linear memory of the wasm backend at the end (MB): its heap, which RSS includes. */
  wasm_heap_mb: number;
  backend: string;
  threads: number;
}

function measure(name: ChildWorkload, iters: number): Record<string, number> {
  if (name === "w5_s") {
    const r = runW5(1);
    return { w5_s: r.w5_s, w5_mean_rate_hz: r.w5_mean_rate_hz };
  }
  if (name === "w5_exact_s") return runW5Exact(1);
  if (name === "dsn") {
    const r = runDsnBench(1000, 1, null);
    return { dsn_us_per_sample: r.dsn_us_per_sample, relu_mlp_us_per_sample: r.relu_mlp_us_per_sample };
  }
  if (name === "gemm") {
    // GEMM 1024³ on one kernel thread: the per-thread rate.
    setThreads(1);
    return { gemm_1024_gflops_per_thread: gemmGflops(backendByName(getBackendName()), 1024, 1024, 1024, Math.max(5, iters)) };
  }
  return { [name]: WORKLOADS[name](iters) };
}

if (process.argv[1]?.endsWith("one_workload.ts")) {
  installNodeKernelThreads();
  installNodeNativeAddon();
  const backendAt = process.argv.indexOf("--backend");
  if (backendAt > 0) setBackend(process.argv[backendAt + 1] as BackendName);
  const name = process.argv[2] as ChildWorkload;
  if (!CHILD_WORKLOADS.includes(name)) throw new Error(`one_workload: unknown workload ${name} (${CHILD_WORKLOADS.join(", ")})`);
  const at = process.argv.indexOf("--iters");
  const iters = at > 0 ? Number(process.argv[at + 1]) : 15;
  const values = measure(name, iters);
  const report: ChildReport = {
    values,
    max_rss_mb: process.resourceUsage().maxRSS / 1024,
    wasm_heap_mb: backendByName("wasm").bytesReserved() / 2 ** 20,
    backend: getBackendName(),
    threads: getThreads(),
  };
  console.log(JSON.stringify(report));
  process.exit(0);
}
