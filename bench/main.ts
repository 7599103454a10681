// The benchmarks of a source checkout: `npm run bench -- [options]` measures the kernels and the anchor
// workloads and prints tables (or one JSON object). Not part of the published package: the anchors it
// compares against (PyTorch, Brian2 scripts) live beside the checkout.
import { Command, Option } from "commander";
import type { BackendName } from "../src/backend/backend.js";
import { setThreads } from "../src/backend/registry.js";
import { intFlag } from "../src/cli/flags.js";
import { nativeAddon } from "../src/backend/native.js";
import { installNodeKernelThreads } from "../src/node/kernel_workers.js";
import { installNodeNativeAddon, nativeStatus } from "../src/node/native_addon.js";
import { formatDsnBench, runDsnBench } from "./dsn.js";
import { formatKernelBench, median, runKernelBench } from "./kernels.js";
import { machineInfo } from "./machine.js";
import { formatRounds, type RoundsResult, runAnchoredRounds } from "./rounds.js";
import { formatWorkloads, runW5, runW5Exact, runWorkloads } from "./workloads.js";

interface BenchOptions {
  backend: "all" | BackendName;
  quick: boolean;
  kernelsOnly: boolean;
  anchor: boolean;
  anchorsDir: string;
  rounds: number;
  json: boolean;
  threads?: number;
}

installNodeKernelThreads();
installNodeNativeAddon();

const program = new Command()
  .name("npm run bench --")
  .description("measure the kernels (GEMM, fused LIF, spike products) and the workloads W1, W2, W4, W5 and the Deep Spiking Networks step; --anchor runs PyTorch and Brian2 beside them")
  .addOption(new Option("--backend <name>", "backend(s) for the kernel benchmarks (all: wasm, native where its addon is built, and js)").choices(["all", "wasm", "native", "js"]).default("all"))
  .option("--threads <n>", "kernel threads of the wasm backend (default: SNNKIT_THREADS or the number of cores, at most 8)", intFlag("--threads", 1, 256))
  .option("--quick", "fewer repetitions", false)
  .option("--kernels-only", "skip the network workloads", false)
  .option("--anchor", "alternate rounds of our workloads (each in its own process) with the reference scripts from --anchors-dir (PyTorch, Brian2, numpy's OpenBLAS); print each workload's ratios, their spread, and both sides' peak memory", false)
  .option("--anchors-dir <dir>", "directory of the reference scripts", "../shared/anchors")
  .option("--rounds <n>", "alternating rounds with --anchor", intFlag("--rounds", 1, 100), 3)
  .option("--json", "print one JSON object instead of tables", false)
  .action((opts: BenchOptions) => {
    if (opts.threads !== undefined) setThreads(opts.threads);
    const backends: BackendName[] = opts.backend === "all" ? ["wasm", ...(nativeAddon() ? (["native"] as const) : []), "js"] : [opts.backend];
    console.error(`bench: ${nativeStatus()}`);
    const kernels = runKernelBench(backends, opts.quick);
    const iters = opts.quick ? 5 : 15;
    if (opts.anchor && !opts.kernelsOnly) {
      // Our side runs on the backend named, or on the fastest there is (native where its addon is built).
      const ours: BackendName = opts.backend === "all" ? (nativeAddon() ? "native" : "wasm") : opts.backend;
      const r = runAnchoredRounds(opts.rounds, iters, opts.anchorsDir, ours);
      if (opts.json) console.log(JSON.stringify({ ...kernels, ...roundsJson(r), machine: r.machine, backend: r.backend, rounds: r.rounds, versions: r.versions, ratios: r.rows }));
      else console.log(`${formatKernelBench(kernels)}\n\n${formatRounds(r)}`);
      return;
    }
    const workloads = opts.kernelsOnly ? null : runWorkloads(iters);
    const w5 = opts.kernelsOnly ? null : runW5(opts.quick ? 1 : 3);
    const w5Exact = opts.kernelsOnly ? null : runW5Exact(opts.quick ? 1 : 3);
    const dsn = opts.kernelsOnly ? null : runDsnBench(opts.quick ? 500 : 2000, opts.quick ? 3 : 5, null);
    if (opts.json) {
      console.log(JSON.stringify({ ...kernels, ...workloads, ...w5, ...w5Exact, ...dsn, machine: machineInfo() }));
      return;
    }
    console.log(formatKernelBench(kernels));
    if (workloads) console.log(`\n${formatWorkloads(workloads, null)}`);
    if (w5) console.log(`\nW5 (10k LIF, 2M synapses, 1 s, dt 0.1 ms, time-stepped): ${w5.w5_s.toFixed(2)} s, ${w5.w5_mean_rate_hz.toFixed(2)} Hz`);
    if (w5Exact) console.log(`W5 on the exact event-driven simulator (no time step): ${w5Exact.w5_exact_s.toFixed(2)} s, ${w5Exact.w5_exact_mean_rate_hz.toFixed(2)} Hz`);
    if (dsn) console.log(`\n${formatDsnBench(dsn)}`);
  });

/** The keys `--json` printed before the rounds: our medians over the rounds, and the anchors' under `pytorch` and `brian2`. */
function roundsJson(r: RoundsResult): Record<string, unknown> {
  const med = (v: number[] | undefined) => (v && v.length > 0 ? median(v) : undefined);
  const ours = (k: string) => med(r.rows[k]?.ours);
  const anchor = (k: string) => med(r.rows[k]?.anchor);
  const out: Record<string, unknown> = {};
  for (const k of ["w1_ms", "w2_ms", "w4_b1_t1000_ms", "w4_b128_t25_ms", "w5_s", "w5_exact_s", "dsn_us_per_sample", "relu_mlp_us_per_sample"]) out[k] = ours(k);
  out.pytorch = { w1_ms: anchor("w1_ms"), w2_ms: anchor("w2_ms"), w4_b1_t1000_ms: anchor("w4_b1_t1000_ms"), w4_b128_t25_ms: anchor("w4_b128_t25_ms"), torch: r.versions.torch };
  out.brian2 = { wall_s: anchor("w5_s"), brian2: r.versions.brian2 };
  out.pytorch_mlp_us_per_sample = anchor("dsn_us_per_sample");
  return out;
}

program.parse(process.argv);
