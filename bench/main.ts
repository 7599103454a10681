// The benchmarks of a source checkout: `npm run bench -- [options]` measures the kernels and the anchor
// workloads and prints tables (or one JSON object). Not part of the published package: the anchors it
// compares against (PyTorch, Brian2 scripts) live beside the checkout.
import { Command, Option } from "commander";
import type { BackendName } from "../src/backend/backend.js";
import { setThreads } from "../src/backend/registry.js";
import { intFlag } from "../src/cli/flags.js";
import { installNodeKernelThreads } from "../src/node/kernel_workers.js";
import { formatDsnBench, runDsnBench } from "./dsn.js";
import { formatKernelBench, runKernelBench } from "./kernels.js";
import { formatWorkloads, runBrianAnchor, runTorchAnchor, runW5, runWorkloads } from "./workloads.js";

interface BenchOptions {
  backend: "all" | BackendName;
  quick: boolean;
  kernelsOnly: boolean;
  anchor: boolean;
  anchorsDir: string;
  json: boolean;
  threads?: number;
}

installNodeKernelThreads();

const program = new Command()
  .name("npm run bench --")
  .description("measure the kernels (GEMM, fused LIF, spike products) and the workloads W1, W2, W4, W5 and the Deep Spiking Networks step; --anchor runs PyTorch and Brian2 beside them")
  .addOption(new Option("--backend <name>", "backend(s) for the kernel benchmarks").choices(["all", "wasm", "js"]).default("all"))
  .option("--threads <n>", "kernel threads of the wasm backend (default: SNNKIT_THREADS or the number of cores, at most 8)", intFlag("--threads", 1, 256))
  .option("--quick", "fewer repetitions", false)
  .option("--kernels-only", "skip the network workloads", false)
  .option("--anchor", "also run the reference scripts torch_snn.py (PyTorch) and brian2_w5.py (Brian2) from --anchors-dir and print ratios", false)
  .option("--anchors-dir <dir>", "directory of the reference scripts", "../shared/anchors")
  .option("--json", "print one JSON object instead of tables", false)
  .action((opts: BenchOptions) => {
    if (opts.threads !== undefined) setThreads(opts.threads);
    const backends: BackendName[] = opts.backend === "all" ? ["wasm", "js"] : [opts.backend];
    const kernels = runKernelBench(backends, opts.quick);
    const iters = opts.quick ? 5 : 15;
    const workloads = opts.kernelsOnly ? null : runWorkloads(iters);
    const anchor = workloads && opts.anchor ? runTorchAnchor(opts.anchorsDir, iters) : null;
    const w5 = opts.kernelsOnly ? null : runW5(opts.quick ? 1 : 3);
    const brian = w5 && opts.anchor ? runBrianAnchor(opts.anchorsDir) : null;
    const dsn = opts.kernelsOnly ? null : runDsnBench(opts.quick ? 500 : 2000, opts.quick ? 3 : 5, opts.anchor ? opts.anchorsDir : null);
    if (opts.json) {
      console.log(JSON.stringify({ ...kernels, ...workloads, ...w5, ...dsn, ...(anchor ? { pytorch: anchor } : {}), ...(brian ? { brian2: brian } : {}) }));
      return;
    }
    console.log(formatKernelBench(kernels));
    if (workloads) console.log(`\n${formatWorkloads(workloads, anchor)}`);
    if (w5)
      console.log(
        `\nW5 (10k LIF, 2M synapses, 1 s, dt 0.1 ms, time-stepped): ${w5.w5_s.toFixed(2)} s, ${w5.w5_mean_rate_hz.toFixed(2)} Hz` +
          (brian ? `; Brian2 ${brian.brian2} C++ standalone, 1 thread: ${brian.wall_s} s, ${brian.mean_rate_hz} Hz (ratio ${(w5.w5_s / brian.wall_s).toFixed(2)}×)` : ""),
      );
    if (dsn) console.log(`\n${formatDsnBench(dsn)}`);
  });

program.parse(process.argv);
