// `snnkit simulate`: registration of the simulation job and its printer.
import type { Command } from "commander";
import { simulateJob } from "../tasks/sim/simulate_job.js";
import { registerJob } from "./commands.js";
import type { CliRun } from "./exit_codes.js";

/** Registers `snnkit simulate`. */
export function registerSimulateCommand(program: Command, run: CliRun): void {
  registerJob(program, run, simulateJob, {
    name: "simulate",
    description: "simulate a LIF network file exactly (event-driven): spike trains, raster plot, rate summary",
    out: "runs/simulate",
    print(r, json, c) {
      if (json) return console.log(JSON.stringify({ ...r, neurons: undefined }));
      console.log(`${r.neurons} neurons, ${c.duration} s: ${r.spikes} spikes, mean rate ${r.mean_rate_hz.toFixed(2)} Hz, ${r.events} input events, ${r.seconds.toFixed(2)} s wall`);
      for (const [k, v] of Object.entries(r.files)) console.log(`${k}: ${v}`);
    },
  });
}
