// `snnkit stdp window`: registration of the STDP window measurement (docs/stdp.md).
import type { Command } from "commander";
import { stdpWindowJob } from "../tasks/sim/stdp_window_job.js";
import { registerJob } from "./commands.js";
import type { CliRun } from "./exit_codes.js";

/** Registers `snnkit stdp`. */
export function registerStdpCommands(program: Command, run: CliRun): void {
  const stdp = program.command("stdp").description("spike-timing-dependent plasticity: pair and triplet rules (docs/stdp.md)");
  registerJob(stdp, run, stdpWindowJob, { out: "runs/stdp-window" });
}
