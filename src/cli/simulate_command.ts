// `snnkit simulate`: registration of the simulation job.
import type { Command } from "commander";
import { simulateJob } from "../tasks/sim/simulate_job.js";
import { registerJob } from "./commands.js";
import type { CliRun } from "./exit_codes.js";

/** Registers `snnkit simulate`. */
export function registerSimulateCommand(program: Command, run: CliRun): void {
  registerJob(program, run, simulateJob, { out: "runs/simulate" });
}
