// The `snnkit` program: its commands, and one run of it from an argument list to an exit code.
import { Command, CommanderError } from "commander";
import { getBackendName, setThreads } from "../backend/registry.js";
import { nativeStatus } from "../node/native_addon.js";
import { SnnkitError } from "../errors.js";
import { registerAnalyzeCommands } from "./analyze_command.js";
import { registerControlCommand } from "./control_command.js";
import { registerDsnCommands } from "./dsn_command.js";
import { type CliRun, EXIT } from "./exit_codes.js";
import { intFlag } from "./flags.js";
import { registerDataCommands } from "./data_command.js";
import { registerNirCommands } from "./nir_command.js";
import { registerRobustnessCommand } from "./robustness_command.js";
import { registerSimulateCommand } from "./simulate_command.js";
import { registerStdpCommands } from "./stdp_command.js";
import { registerSweepCommands } from "./sweep_command.js";
import { registerTemCommands } from "./tem_command.js";
import { registerTrainCommands } from "./train_command.js";
import { registerTransferCommand } from "./transfer_command.js";
import { MODEL_PRESETS } from "../tasks/train/models.js";

/** The `snnkit` command with every subcommand; errors throw instead of exiting (exitOverride). */
function buildProgram(run: CliRun): Command {
  const program = new Command();
  program
    .name("snnkit")
    .description("Spiking neural networks in TypeScript")
    .version(`0.1.0 (backend ${getBackendName()}; ${nativeStatus()})`)
    .exitOverride()
    // Commander repeats a refused value in its message: a long one (a list of 10⁵ numbers) is cut.
    .configureOutput({ outputError: (text, write) => write(text.replace(/argument '([^']{80})[^']+'/g, "argument '$1…'")) })
    .option("--threads <n>", "kernel threads of the wasm backend (default: SNNKIT_THREADS or the number of cores, at most 8)", intFlag("--threads", 1, 256))
    .hook("preAction", () => {
      const { threads } = program.opts<{ threads?: number }>();
      if (threads !== undefined) setThreads(threads);
    });
  registerTrainCommands(program, run);
  registerTemCommands(program, run);
  registerSweepCommands(program, run);
  registerAnalyzeCommands(program, run);
  registerSimulateCommand(program, run);
  registerStdpCommands(program, run);
  registerDsnCommands(program, run);
  registerRobustnessCommand(program, run);
  registerControlCommand(program, run);
  registerTransferCommand(program, run);
  registerNirCommands(program, run);
  registerDataCommands(program, run);
  return program;
}

/** Whether e is an error of the operating system about a file or resource (it names the path). */
function isSystemError(e: unknown): e is Error & { code: string } {
  return e instanceof Error && typeof (e as { code?: unknown }).code === "string" && "syscall" in e;
}

/** `snnkit train --model` without a name (at the end, or before another flag): list the presets. */
function asksForModelList(args: readonly string[]): boolean {
  const i = args.indexOf("--model");
  return args[0] === "train" && i >= 0 && (i === args.length - 1 || args[i + 1].startsWith("-"));
}

/**
 * Runs `snnkit` on the arguments after the program name and returns the exit code (EXIT). Typed errors
 * print `snnkit: <message>`; commander prints usage errors itself; anything else is a bug and prints its
 * stack under "internal error".
 */
export async function runCli(args: readonly string[]): Promise<number> {
  const run: CliRun = { exitCode: EXIT.ok };
  if (asksForModelList(args)) {
    for (const [name, what] of Object.entries(MODEL_PRESETS)) console.log(`${name.padEnd(13)} ${what}`);
    return EXIT.ok;
  }
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
