// `snnkit nir inspect | run | export`: NIR files (the Neuromorphic Intermediate Representation; docs/nir.md).
import type { Command } from "commander";
import { inspectJob } from "../tasks/nir/inspect_job.js";
import { nirRunJob } from "../tasks/nir/run_job.js";
import { nirExportJob } from "../tasks/train/predict_job.js";
import { registerJob } from "./commands.js";
import type { CliRun } from "./exit_codes.js";

/** Registers `snnkit nir`. */
export function registerNirCommands(program: Command, run: CliRun): void {
  const nir = program.command("nir").description("NIR files: the Neuromorphic Intermediate Representation that snnTorch, Norse, Sinabs, Rockpool and Lava exchange");
  registerJob(nir, run, inspectJob, { argument: "file" });
  registerJob(nir, run, nirRunJob, { argument: "file" });
  registerJob(nir, run, nirExportJob);
}
