// `snnkit stdp window` and `stdp digits`: registration of the STDP window measurement and the unsupervised digits (docs/stdp.md).
import type { Command } from "commander";
import { stdpDigitsJob } from "../tasks/sim/stdp_digits_job.js";
import { stdpWindowJob } from "../tasks/sim/stdp_window_job.js";
import { registerJob } from "./commands.js";
import type { CliRun } from "./exit_codes.js";

/** Registers `snnkit stdp`. */
export function registerStdpCommands(program: Command, run: CliRun): void {
  const stdp = program.command("stdp").description("spike-timing-dependent plasticity: pair and triplet rules (docs/stdp.md)");
  registerJob(stdp, run, stdpWindowJob, { out: "runs/stdp-window" });
  registerJob(stdp, run, stdpDigitsJob, { out: "runs/stdp-digits" });
}
