// `snnkit data inspect`: event files (N-MNIST, DVS Gesture; docs/events.md).
import type { Command } from "commander";
import { dataInspectJob } from "../tasks/events/data_inspect_job.js";
import { registerJob } from "./commands.js";
import type { CliRun } from "./exit_codes.js";

/** Registers `snnkit data`. */
export function registerDataCommands(program: Command, run: CliRun): void {
  const data = program.command("data").description("neuromorphic event files: N-MNIST samples, DVS Gesture recordings (AEDAT 3.1)");
  registerJob(data, run, dataInspectJob, { argument: "file" });
}
