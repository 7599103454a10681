// `snnkit tem one-layer | two-layer | sweep`: registrations of the TEM jobs (Adam 2022; docs/time-encoding.md) and their printers.
import type { Command } from "commander";
import { oneLayerJob, temSweepJob, twoLayerJob } from "../tasks/tem/tem_jobs.js";
import { registerJob } from "./commands.js";
import type { CliRun } from "./exit_codes.js";

/** Registers `snnkit tem`. */
export function registerTemCommands(program: Command, run: CliRun): void {
  const tem = program.command("tem").description("time-encoding machines: train spiking layers from spike times (Adam 2022)");
  registerJob(tem, run, oneLayerJob, {
    name: "one-layer",
    description: "draw a random layer of TEM neurons, encode random bandlimited inputs, recover W by least squares",
    print(r, json, c) {
      if (json) return console.log(JSON.stringify(r));
      console.log(`${c.inputs} → ${c.outputs} TEM layer, ${c.examples} examples of duration ${c.exposure}: ${r.spikes} output spikes`);
      console.log(`rank per output neuron: ${r.rank.join(", ")} of ${c.inputs}${r.determined ? "" : "  (UNDER-DETERMINED: W is not identifiable from these spikes)"}`);
      console.log(`‖W_learned − W_true‖_F = ${r.error.toExponential(3)}; largest interval residual ${r.residual.toExponential(2)}`);
    },
  });
  registerJob(tem, run, temSweepJob, {
    name: "sweep",
    description: "the experiments of Adam 2022: one-layer error vs examples × exposure and vs jitter; two-layer median errors vs exposure (JSON + SVG)",
    out: "runs/tem-sweep",
    print(r, json) {
      if (json) return console.log(JSON.stringify(r));
      for (const p of [...(r.one_layer?.examples ?? []), ...(r.one_layer?.jitter ?? [])])
        console.log(`one layer: examples ${p.examples}, exposure ${p.exposure}, jitter ${p.jitter}: error ${p.error.toExponential(2)}${p.determined ? "" : " (under-determined)"}`);
      for (const row of r.two_layer ?? [])
        console.log(`two layers: exposure ${row.exposure}: median error W1 ${row.median_error_w1.toExponential(2)}, W2 ${row.median_error_w2.toExponential(2)}; exact in ${row.exact}/${row.trials}`);
      for (const [k, v] of Object.entries(r.files)) console.log(`${k}: ${v}`);
    },
  });
  registerJob(tem, run, twoLayerJob, {
    name: "two-layer",
    description: "draw a random 2-layer TEM network, recover hidden spikes and both weight matrices from output spikes",
    print(r, json, c) {
      if (json) return console.log(JSON.stringify(r));
      console.log(`${c.inputs} → ${c.hidden} → ${c.outputs}, ${c.examples} examples, exposure ${c.exposure}: ${r.hidden_spikes} hidden and ${r.spikes} output spikes`);
      console.log(`error W1 ${r.error_w1.toExponential(3)}, W2 ${r.error_w2.toExponential(3)} (best permutation); hidden spike times within ${r.time_error.toExponential(2)}`);
    },
  });
}
