// `snnkit tem one-layer | two-layer | sweep`: registrations of the TEM jobs (Adam 2022; docs/time-encoding.md).
import type { Command } from "commander";
import { oneLayerJob, temSweepJob, twoLayerJob } from "../tasks/tem/tem_jobs.js";
import { registerJob } from "./commands.js";
import type { CliRun } from "./exit_codes.js";

/** Registers `snnkit tem`. */
export function registerTemCommands(program: Command, run: CliRun): void {
  const tem = program.command("tem").description("time-encoding machines: train spiking layers from spike times (Adam 2022)");
  registerJob(tem, run, oneLayerJob);
  registerJob(tem, run, temSweepJob, { out: "runs/tem-sweep" });
  registerJob(tem, run, twoLayerJob);
}
