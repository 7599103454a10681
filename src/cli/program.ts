// The `snnkit` program: its commands, and one run of it from an argument list to an exit code.
import { Command, CommanderError, Option } from "commander";
import { formatKernelBench, runKernelBench } from "../../bench/kernels.js";
import { formatWorkloads, runBrianAnchor, runTorchAnchor, runW5, runWorkloads } from "../../bench/workloads.js";
import type { BackendName } from "../backend/backend.js";
import { setThreads } from "../backend/registry.js";
import { SnnkitError } from "../errors.js";
import { registerAnalyzeCommands } from "./analyze_command.js";
import { type CliRun, EXIT } from "./exit_codes.js";
import { intFlag } from "./flags.js";
import { registerSimulateCommand } from "./simulate_command.js";
import { registerTemCommands } from "./tem_command.js";
import { registerTrainCommands } from "./train_command.js";

/** The `snnkit` command with every subcommand; errors throw instead of exiting (exitOverride). */
function buildProgram(run: CliRun): Command {
  const program = new Command();
  program
    .name("snnkit")
    .description("Spiking neural networks in TypeScript")
    .version("0.1.0")
    .exitOverride()
    .option("--threads <n>", "kernel threads of the wasm backend (default: SNNKIT_THREADS or the number of cores, at most 8)", intFlag("--threads", 1, 256))
    .hook("preAction", () => {
      const { threads } = program.opts<{ threads?: number }>();
      if (threads !== undefined) setThreads(threads);
    });
  registerTrainCommands(program, run);
  registerTemCommands(program);
  registerAnalyzeCommands(program);
  registerSimulateCommand(program);
  program
    .command("bench")
    .description("measure the kernels (GEMM, fused LIF, spike-sparse) and the anchor workloads W1, W2, W4; --anchor runs PyTorch beside them")
    .addOption(new Option("--backend <name>", "backend(s) for the kernel benchmarks").choices(["all", "wasm", "js"]).default("all"))
    .option("--quick", "fewer repetitions", false)
    .option("--kernels-only", "skip the network workloads", false)
    .option("--anchor", "also run the reference scripts torch_snn.py (PyTorch) and brian2_w5.py (Brian2) from --anchors-dir and print ratios", false)
    .option("--anchors-dir <dir>", "directory of the reference scripts (a checkout of the project keeps them beside it)", "../shared/anchors")
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
  return program;
}

/** Whether e is an error of the operating system about a file or resource (it names the path). */
function isSystemError(e: unknown): e is Error & { code: string } {
  return e instanceof Error && typeof (e as { code?: unknown }).code === "string" && "syscall" in e;
}

/**
 * Runs `snnkit` on the arguments after the program name and returns the exit code (EXIT). Typed errors
 * print `snnkit: <message>`; commander prints usage errors itself; anything else is a bug and prints its
 * stack under "internal error".
 */
export async function runCli(args: readonly string[]): Promise<number> {
  const run: CliRun = { exitCode: EXIT.ok };
  try {
    await buildProgram(run).parseAsync([...args], { from: "user" });
    return run.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof SnnkitError || isSystemError(e)) {
      console.error(`snnkit: ${e.message}`);
      return EXIT.error;
    }
    console.error(`snnkit: internal error (a bug; please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return EXIT.internal;
  }
}
