// `snnkit transfer`: registration of the transfer job and its printer.
import type { Command } from "commander";
import { transferJob } from "../tasks/transfer/transfer_job.js";
import { registerJob } from "./commands.js";
import type { CliRun } from "./exit_codes.js";

/** Registers `snnkit transfer`. */
export function registerTransferCommand(program: Command, run: CliRun): void {
  registerJob(program, run, transferJob, {
    name: "transfer",
    description: "run a trained coarse-LIF network (snnkit train) with continuous-time LIF neurons and compare its accuracy and spikes with the coarse network's",
    print(r, json) {
      if (json) return console.log(JSON.stringify({ ...r, split: undefined }));
      console.log(`${r.images} ${r.split} images, ${r.engine} engine, T = ${r.steps}, ${r.substeps} ${r.spread} impulses per step of analog input, firing at ${r.fire === "crossing" ? "the threshold crossing" : "step ends"}`);
      console.log(`  coarse network:      accuracy ${(100 * r.coarse.accuracy).toFixed(2)} %, spikes per image by layer ${r.coarse.spikesPerImage.map((v) => v.toFixed(1)).join(" / ")}`);
      console.log(`  continuous network:  accuracy ${(100 * r.continuous.accuracy).toFixed(2)} %, spikes per image by layer ${r.continuous.spikesPerImage.map((v) => v.toFixed(1)).join(" / ")}`);
    },
  });
}
