// `snnkit analyze quantize | bounds | resonance | distance`: registrations of the spike-train jobs (Moser &
// Lunglmayr 2024; docs/spike-trains.md).
import type { Command } from "commander";
import { boundsJob, quantizeJob, resonanceJob } from "../tasks/spiketrain/analyze_jobs.js";
import { distanceJob } from "../tasks/spiketrain/distance_job.js";
import { registerJob } from "./commands.js";
import type { CliRun } from "./exit_codes.js";

/** Registers `snnkit analyze`. */
export function registerAnalyzeCommands(program: Command, run: CliRun): void {
  const analyze = program.command("analyze").description("LIF neurons as spike-train quantizers in the Alexiewicz norm (Moser & Lunglmayr 2024)");
  registerJob(analyze, run, quantizeJob);
  registerJob(analyze, run, boundsJob);
  registerJob(analyze, run, resonanceJob, { out: "runs/resonance" });
  registerJob(analyze, run, distanceJob);
}
