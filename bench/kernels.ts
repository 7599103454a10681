// Kernel benchmarks of issue #2: GEMM GFLOP/s, fused LIF ns per neuron-step, spike-sparse vs dense.
// Times are medians over repetitions after a warm-up run (the machines are shared and noisy). Kernels
// run on one thread; the wasm GEMMs also on the default number of kernel threads.
import type { Backend, BackendName } from "../src/backend/backend.js";
import type { LifKernelParams } from "../src/backend/kernels/lif.js";
import type { Storage } from "../src/backend/storage.js";
import type { NativeBackend } from "../src/backend/native.js";
import { backendByName, getThreads, setThreads } from "../src/backend/registry.js";
import { Rng } from "../src/random/rng.js";

/**
 * Results of the kernel benchmarks (the `npm run bench -- --json` object). GEMM rows are keyed by backend,
 * `wasm` on one thread and `wasm×n` on the n kernel threads of the default setting.
 */
export interface KernelBenchResult {
  gemm1024_gflops: Record<string, number>;
  gemm_w1_gflops: Record<string, number>;
  lif_ns_per_neuron_step: Partial<Record<BackendName, number>>;
  /** Dense GEMM time / spike-sparse time on the wasm backend (one thread), [3200×784]·[784×1000], by spike density. */
  sparse_speedup: Record<string, number>;
  /** Kernel threads of the wasm backend in the workloads. */
  threads: number;
}

/** The median of `v` (the upper middle value for an even count). */
export const median = (v: readonly number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/** Wall times of fn in milliseconds over `reps` runs after `warmup` unmeasured runs, sorted ascending. */
export function sortedTimesMs(fn: () => void, reps: number, warmup = 1): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

/** Median wall time of fn in milliseconds over `reps` runs, after one warm-up run. */
function medianMs(fn: () => void, reps: number): number {
  const times = sortedTimesMs(fn, reps);
  return times[Math.floor(times.length / 2)];
}

function filled(backend: Backend, length: number, seed: number, draw: (rng: Rng) => number): Storage {
  const s = backend.alloc("float32", length);
  const rng = new Rng(seed);
  const v = s.f32();
  for (let i = 0; i < length; i++) v[i] = draw(rng);
  return s;
}

/** GFLOP/s of `backend`'s GEMM C[M,N] = A[M,K]·B[K,N] on normal random matrices (median of `reps`). */
export function gemmGflops(backend: Backend, M: number, N: number, K: number, reps: number): number {
  const a = filled(backend, M * K, 1, (r) => r.normal());
  const b = filled(backend, K * N, 2, (r) => r.normal());
  const c = backend.alloc("float32", M * N);
  const ms = medianMs(() => backend.gemm({ a, b, c, M, N, K }), reps);
  for (const s of [a, b, c]) s.free();
  return (2 * M * N * K) / (ms * 1e6);
}

function lifNs(backend: Backend, reps: number): number {
  const T = 25;
  const P = 128 * 1000;
  const p: LifKernelParams = {
    T,
    P,
    beta: 0.95,
    threshold: 1,
    reset: "subtract",
    h0: 0,
    inputGain: 1,
    refractoryGain: 0,
    detachReset: true,
    surrogate: "fast_sigmoid",
    surrogateParam: 25,
  };
  const input = filled(backend, T * P, 3, (r) => 0.3 * r.normal() + 0.1);
  const [mem, spk, g, dIn] = [0, 1, 2, 3].map(() => backend.alloc("float32", T * P));
  backend.fill(g, 1);
  const ms = medianMs(() => {
    const start = { mem0: null, spk0: null, noise: null };
    backend.lifForward(input, start, mem, spk, p);
    backend.lifBackward(input, start, mem, spk, g, null, dIn, null, p);
  }, reps);
  for (const s of [input, mem, spk, g, dIn]) s.free();
  return (ms * 1e6) / (T * P);
}

function sparseSpeedup(backend: Backend, density: number, reps: number): number {
  const [M, K, N] = [3200, 784, 1000];
  const s = filled(backend, M * K, 4, (r) => (r.uniform() < density ? 1 : 0));
  const w = filled(backend, K * N, 5, (r) => r.normal());
  const out = backend.alloc("float32", M * N);
  const dense = medianMs(() => backend.gemm({ a: s, b: w, c: out, M, N, K }), reps);
  const sparse = medianMs(() => backend.spmm(s, w, out, M, K, N), reps);
  for (const x of [s, w, out]) x.free();
  return dense / sparse;
}

/**
 * Runs the kernel benchmarks on the given backends (`quick` uses fewer repetitions): everything on one
 * thread, and the wasm GEMMs again on the kernel threads when there are several.
 */
export function runKernelBench(backends: readonly BackendName[], quick = false): KernelBenchResult {
  const reps = quick ? 3 : 7;
  const threads = getThreads();
  const result: KernelBenchResult = {
    gemm1024_gflops: {},
    gemm_w1_gflops: {},
    lif_ns_per_neuron_step: {},
    sparse_speedup: {},
    threads,
  };
  setThreads(1);
  try {
    for (const name of backends) {
      const b = backendByName(name);
      const slow = name === "js";
      result.gemm1024_gflops[name] = gemmGflops(b, 1024, 1024, 1024, slow ? 1 : reps);
      result.gemm_w1_gflops[name] = gemmGflops(b, 128, 1000, 784, slow ? 3 : reps);
      result.lif_ns_per_neuron_step[name] = lifNs(b, slow ? 3 : reps);
    }
    if (backends.includes("wasm"))
      for (const d of [0.05, 0.2, 0.5])
        result.sparse_speedup[String(d)] = sparseSpeedup(backendByName("wasm"), d, quick ? 2 : 3);
    if (threads > 1) {
      setThreads(threads);
      for (const name of backends.filter((n) => n !== "js")) {
        const b = backendByName(name);
        result.gemm1024_gflops[`${name}×${threads}`] = gemmGflops(b, 1024, 1024, 1024, reps);
        result.gemm_w1_gflops[`${name}×${threads}`] = gemmGflops(b, 128, 1000, 784, reps);
      }
    }
    // Each GEMM path of the native backend (its own kernels and OpenBLAS), one thread each.
    if (backends.includes("native")) {
      const native = backendByName("native") as NativeBackend;
      const before = native.gemmPath();
      setThreads(1);
      for (const path of ["blas", "avx512", "avx2", "portable"] as const) {
        if (path === "blas" && native.features.blas === null) continue;
        if (path === "avx512" && !native.features.avx512) continue;
        if (path === "avx2" && !native.features.avx2) continue;
        native.setGemmPath(path);
        result.gemm1024_gflops[`native ${path}`] = gemmGflops(native, 1024, 1024, 1024, path === "portable" ? 2 : reps);
      }
      native.setGemmPath(before);
    }
  } finally {
    setThreads(threads);
  }
  return result;
}

/** The results as a plain-text table. */
export function formatKernelBench(r: KernelBenchResult): string {
  const rows: string[][] = [["metric", "backend / density", "value", "target"]];
  for (const [name, v] of Object.entries(r.gemm1024_gflops))
    rows.push(["GEMM 1024³ (GFLOP/s)", name, v.toFixed(2), name === "wasm" ? ">= 40 (1 thread)" : name === "native" ? ">= 150 (1 thread)" : ""]);
  for (const [name, v] of Object.entries(r.gemm_w1_gflops))
    rows.push(["GEMM 128×784·784×1000 (GFLOP/s)", name, v.toFixed(2), ""]);
  for (const [name, v] of Object.entries(r.lif_ns_per_neuron_step))
    rows.push(["LIF fwd+bwd (ns/neuron-step)", name, v.toFixed(2), name === "wasm" ? "<= 3" : ""]);
  for (const [d, v] of Object.entries(r.sparse_speedup))
    rows.push([
      "sparse speedup vs dense (×)",
      `${Number(d) * 100} %`,
      v.toFixed(2),
      d === "0.2" ? "> 1" : "",
    ]);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows.map((row) => row.map((cell, c) => cell.padEnd(widths[c])).join("  ")).join("\n");
}
