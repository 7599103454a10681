// The `snnkit` command line.
import { Command, Option } from "commander";
import { formatKernelBench, runKernelBench } from "../../bench/kernels.js";
import { formatWorkloads, runBrianAnchor, runTorchAnchor, runW5, runWorkloads } from "../../bench/workloads.js";
import type { BackendName } from "../backend/backend.js";
import { setThreads } from "../backend/registry.js";
import { installNodeKernelThreads } from "../node/kernel_workers.js";
import { registerAnalyzeCommands } from "./analyze_command.js";
import { positiveIntFlag } from "./flags.js";
import { registerSimulateCommand } from "./simulate_command.js";
import { registerTemCommands } from "./tem_command.js";
import { registerTrainCommands } from "./train_command.js";

installNodeKernelThreads();

const program = new Command();
program
  .name("snnkit")
  .description("Spiking neural networks in TypeScript")
  .version("0.1.0")
  .option("--threads <n>", "kernel threads of the wasm backend (default: SNNKIT_THREADS or the number of cores, at most 8)", positiveIntFlag("--threads"))
  .hook("preAction", () => {
    const { threads } = program.opts<{ threads?: number }>();
    if (threads !== undefined) setThreads(threads);
  });

registerTrainCommands(program);
registerTemCommands(program);
registerAnalyzeCommands(program);
registerSimulateCommand(program);

program
  .command("bench")
  .description(
    "measure the kernels (GEMM, fused LIF, spike-sparse) and the anchor workloads W1, W2, W4; --anchor runs PyTorch beside them",
  )
  .addOption(
    new Option("--backend <name>", "backend(s) for the kernel benchmarks").choices(["all", "wasm", "js"]).default("all"),
  )
  .option("--quick", "fewer repetitions", false)
  .option("--kernels-only", "skip the network workloads", false)
  .option("--anchor", "also run ../shared/anchors/torch_snn.py best (needs python3-torch) and print ratios", false)
  .option("--anchors-dir <dir>", "where torch_snn.py lives", "../shared/anchors")
  .option("--json", "print one JSON object instead of tables", false)
  .action((opts: { backend: string; quick: boolean; kernelsOnly: boolean; anchor: boolean; anchorsDir: string; json: boolean }) => {
    const backends: BackendName[] = opts.backend === "all" ? ["wasm", "js"] : [opts.backend as BackendName];
    const kernels = runKernelBench(backends, opts.quick);
    const iters = opts.quick ? 5 : 15;
    const workloads = opts.kernelsOnly ? null : runWorkloads(iters);
    const anchor = workloads && opts.anchor ? runTorchAnchor(opts.anchorsDir, iters) : null;
    const w5 = opts.kernelsOnly ? null : runW5(opts.quick ? 1 : 3);
    const brian = w5 && opts.anchor ? runBrianAnchor(opts.anchorsDir) : null;
    if (opts.json) {
      console.log(JSON.stringify({ ...kernels, ...workloads, ...w5, ...(anchor ? { pytorch: anchor } : {}), ...(brian ? { brian2: brian } : {}) }));
      return;
    }
    console.log(formatKernelBench(kernels));
    if (workloads) console.log(`\n${formatWorkloads(workloads, anchor)}`);
    if (w5)
      console.log(
        `\nW5 (10k LIF, 2M synapses, 1 s, dt 0.1 ms, time-stepped): ${w5.w5_s.toFixed(2)} s, ${w5.w5_mean_rate_hz.toFixed(2)} Hz` +
          (brian ? `; Brian2 ${brian.brian2} C++ standalone, 1 thread: ${brian.wall_s} s, ${brian.mean_rate_hz} Hz (ratio ${(w5.w5_s / brian.wall_s).toFixed(2)}×)` : ""),
      );
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  console.error(`snnkit: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
