// `snnkit simulate`: run a network file with the exact event-driven simulator.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { DataError, ValueError } from "../errors.js";
import { linePlot, rasterPlot } from "../plot/svg.js";
import { type SimulationResult, simulateEvents } from "../sim/event_sim.js";
import { simulateStepped } from "../sim/stepped_sim.js";
import { SpikeTrain } from "../spiketrain/spike_train.js";
import { parseNetwork } from "../sim/network.js";
import { intFlag, numberList, pathFlag, positiveFlag, seedFlag } from "./flags.js";
import { stderrProgress } from "./progress.js";

/** Registers `snnkit simulate`. */
export function registerSimulateCommand(program: Command): void {
  program
    .command("simulate")
    .description("simulate a LIF network file exactly (event-driven): spike trains, raster plot, rate summary")
    .requiredOption("--network <file>", "network JSON file (schema in the README)", pathFlag("--network"))
    .requiredOption("--duration <s>", "simulated time in seconds", positiveFlag("--duration"))
    .option("--out <dir>", "output directory", pathFlag("--out"), "runs/simulate")
    .option("--dt <s>", "time-stepped mode with this step (s) instead of the exact event-driven simulation", positiveFlag("--dt"))
    .option("--seed <n>", "seed of the Poisson sources", seedFlag(), 0)
    .option("--max-events <n>", "most events (or, with --dt, Poisson events) the run may process", intFlag("--max-events", 1, 1e12))
    .option("--record <neurons>", "record the membranes of these neurons (e.g. 0,5,7; at most 10; event-driven mode)", numberList("--record", (n) => Number.isInteger(n) && n >= 0, "a neuron index"))
    .option("--record-points <n>", "membrane samples over the duration", intFlag("--record-points", 2, 100_000), 1000)
    .option("--json", "print one JSON object", false)
    .action((f: { network: string; duration: number; dt?: number; out: string; seed: number; maxEvents?: number; record?: number[]; recordPoints: number; json: boolean }) => {
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(f.network, "utf8"));
      } catch (e) {
        throw new DataError(f.network, `cannot read the network file (${(e as Error).message})`);
      }
      const net = parseNetwork(raw, f.network);
      if (f.record && f.dt) throw new ValueError("--record", "the event-driven mode (without --dt)", `--dt ${f.dt}`);
      if (f.record && f.record.length > 10) throw new ValueError("--record", "at most 10 neurons", f.record.length);
      const record = f.record && { neurons: f.record, times: Array.from({ length: f.recordPoints }, (_, k) => (k * f.duration) / (f.recordPoints - 1)) };
      const t0 = performance.now();
      const progress = stderrProgress(`simulate: ${f.duration} s of network time`);
      const onProgress = (time: number) => progress(time, f.duration);
      const r = f.dt
        ? (() => {
            const st = simulateStepped(net, { duration: f.duration, dt: f.dt, seed: f.seed, maxEvents: f.maxEvents, onProgress });
            const spikes = st.spikeTimes.map((t, i) => SpikeTrain.from(t, st.spikeAmplitudes[i]));
            return { spikes, totalSpikes: st.totalSpikes, meanRateHz: st.meanRateHz, events: st.synapticEvents + st.externalEvents };
          })()
        : simulateEvents(net, { duration: f.duration, seed: f.seed, maxEvents: f.maxEvents, onProgress, record });
      const seconds = (performance.now() - t0) / 1000;
      const dir = resolve(f.out);
      mkdirSync(dir, { recursive: true });
      const files: Record<string, string> = { spikes: join(dir, "spikes.json"), raster: join(dir, "raster.svg"), rates: join(dir, "rates.svg") };
      const recorded = record && !f.dt ? (r as SimulationResult).membrane : null;
      if (record && recorded) {
        files.membrane = join(dir, "membrane.json");
        files.membrane_plot = join(dir, "membrane.svg");
        writeFileSync(files.membrane, `${JSON.stringify({ times: record.times, neurons: record.neurons, membrane: recorded })}\n`);
        const traces = record.neurons.map((n, k) => ({ label: `neuron ${n}`, x: record.times, y: recorded[k], markers: false }));
        const threshold = { label: "threshold θ", x: [0, f.duration], y: [net.neurons.threshold, net.neurons.threshold], markers: false };
        writeFileSync(files.membrane_plot, linePlot([...traces, threshold], { title: `membranes, ${f.network}`, xLabel: "time (s)", yLabel: "membrane v (threshold units)" }));
      }
      writeFileSync(files.spikes, `${JSON.stringify(r.spikes.map((s) => ({ times: [...s.times], amplitudes: [...s.amplitudes] })))}\n`);
      // Raster on a grid of 500 time bins (at most 200 neurons shown).
      const bins = 500;
      const shown = Math.min(net.neurons.count, 200);
      const grid = new Uint8Array(bins * shown);
      r.spikes.slice(0, shown).forEach((s, i) => s.times.forEach((t) => (grid[Math.min(bins - 1, Math.floor((t / f.duration) * bins)) * shown + i] = 1)));
      writeFileSync(files.raster, rasterPlot([{ label: `neurons 0–${shown - 1}`, steps: bins, neurons: shown, spikes: grid }], { title: `${f.network}, ${f.duration} s`, timeLabel: "time (s)", timeScale: f.duration / bins }));
      const rates = r.spikes.map((s) => s.length / f.duration).sort((a, b) => a - b);
      writeFileSync(files.rates, linePlot([{ label: "firing rate (sorted)", x: rates.map((_, i) => i), y: rates }], { title: "firing rates", xLabel: "neuron (sorted by rate)", yLabel: "Hz" }));
      const out = { spikes: r.totalSpikes, mean_rate_hz: r.meanRateHz, seconds, events: r.events, mode: f.dt ? `stepped, dt ${f.dt}` : "event-driven", files };
      if (f.json) {
        console.log(JSON.stringify(out));
        return;
      }
      console.log(`${net.neurons.count} neurons, ${f.duration} s: ${r.totalSpikes} spikes, mean rate ${r.meanRateHz.toFixed(2)} Hz, ${r.events} input events, ${seconds.toFixed(2)} s wall`);
      for (const [k, v] of Object.entries(files)) console.log(`${k}: ${v}`);
    });
}
