// `snnkit simulate`: a LIF network file simulated exactly (event-driven) or on a time grid; spike trains,
// a raster, a rate summary and recorded membranes written through the run's store.
import { z } from "zod";
import { DataError, ValueError } from "../../errors.js";
import { finiteNumber as number, integerIn as integer, parseSettings } from "../../io/validate.js";
import { linePlot, rasterPlot } from "../../plot/svg.js";
import { MAX_SEED } from "../../random/rng.js";
import { simulateEvents } from "../../sim/event_sim.js";
import { type NetworkSpec, parseNetwork } from "../../sim/network.js";
import { simulateStepped } from "../../sim/stepped_sim.js";
import { SpikeTrain } from "../../spiketrain/spike_train.js";
import type { Job } from "../run/job.js";
import { withDefaults } from "../run/settings.js";
import type { RunStore } from "../run/store.js";

const simulateSchema = z.strictObject({
  network: z.string().min(1).describe("network JSON file (its format: docs/simulation.md)"),
  duration: number("a number in (0, 1e12]", (x) => x > 0 && x <= 1e12).describe("simulated time in seconds"),
  dt: number("a number in (0, 1e12]", (x) => x > 0 && x <= 1e12).describe("time-stepped mode with this step (s) instead of the exact event-driven simulation").optional(),
  seed: integer(0, MAX_SEED).describe("seed of the Poisson sources"),
  maxEvents: integer(1, 1e12).describe("most events (or, with --dt, Poisson events) the run may process").optional(),
  record: z.array(integer(0, 2 ** 31)).max(10, "at most 10 neurons").describe("record the membranes of these neurons (e.g. 0,5,7; at most 10; event-driven mode)").optional(),
  recordPoints: integer(2, 100_000).describe("membrane samples over the duration"),
});
/** What `snnkit simulate` runs. */
export type SimulateConfig = z.output<typeof simulateSchema>;

/** What a simulation found, and the files it wrote. */
export interface SimulateResult {
  neurons: number;
  spikes: number;
  mean_rate_hz: number;
  seconds: number;
  events: number;
  mode: string;
  /** With plasticity in the network file: the plastic synapses' mean weight before and after. */
  plasticity?: { synapses: number; mean_weight_before: number; mean_weight_after: number };
  files: Record<string, string>;
}

const defaults: Partial<SimulateConfig> = { seed: 0, recordPoints: 1000 };

/** The network of a file, read through the store; DataError names the file. */
function readNetwork(store: RunStore, path: string): NetworkSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(store.readExternal(path)));
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(path, `cannot read the network file (${(e as Error).message})`);
  }
  return parseNetwork(raw, path);
}

/** Writes the raster (500 time bins, at most 200 neurons) and the sorted rates. */
function writeSpikePlots(store: RunStore, c: SimulateConfig, count: number, spikes: readonly SpikeTrain[]): void {
  const bins = 500;
  const shown = Math.min(count, 200);
  const grid = new Uint8Array(bins * shown);
  spikes.slice(0, shown).forEach((s, i) => s.times.forEach((t) => (grid[Math.min(bins - 1, Math.floor((t / c.duration) * bins)) * shown + i] = 1)));
  store.write("raster.svg", rasterPlot([{ label: `neurons 0–${shown - 1}`, steps: bins, neurons: shown, spikes: grid }], { title: `${c.network}, ${c.duration} s`, timeLabel: "time (s)", timeScale: c.duration / bins }));
  const rates = spikes.map((s) => s.length / c.duration).sort((a, b) => a - b);
  store.write("rates.svg", linePlot([{ label: "firing rate (sorted)", x: rates.map((_, i) => i), y: rates }], { title: "firing rates", xLabel: "neuron (sorted by rate)", yLabel: "Hz" }));
}

/** Simulates a network file for `duration` seconds, exactly (event-driven) or with step `dt`. */
export const simulateJob: Job<SimulateConfig, SimulateResult> = {
  name: "simulate",
  description: "simulate a LIF network file exactly (event-driven, or time-stepped with --dt): spike trains, raster plot, rate summary",
  schema: simulateSchema,
  defaults,
  configure(fields) {
    const c = parseSettings(simulateSchema, withDefaults(defaults, fields));
    if (c.record && c.dt) throw new ValueError("--record", "the event-driven mode (without --dt)", `--dt ${c.dt}`);
    return c;
  },
  run(c, { store }, hooks) {
    const net = readNetwork(store, c.network);
    const record = c.record && { neurons: c.record, times: Array.from({ length: c.recordPoints }, (_, k) => (k * c.duration) / (c.recordPoints - 1)) };
    const t0 = performance.now();
    const onProgress = (time: number) => hooks.progress?.(`simulate: ${c.duration} s of network time`, time, c.duration);
    let r: { spikes: SpikeTrain[]; totalSpikes: number; meanRateHz: number; events: number; membrane?: number[][]; weights?: Float64Array };
    if (c.dt) {
      const st = simulateStepped(net, { duration: c.duration, dt: c.dt, seed: c.seed, maxEvents: c.maxEvents, onProgress });
      r = { spikes: st.spikeTimes.map((t, i) => SpikeTrain.from(t, st.spikeAmplitudes[i])), totalSpikes: st.totalSpikes, meanRateHz: st.meanRateHz, events: st.synapticEvents + st.externalEvents, weights: st.weights };
    } else r = simulateEvents(net, { duration: c.duration, seed: c.seed, maxEvents: c.maxEvents, onProgress, record });
    const seconds = (performance.now() - t0) / 1000;
    if (record && r.membrane) {
      const membrane = r.membrane;
      store.write("membrane.json", `${JSON.stringify({ times: record.times, neurons: record.neurons, membrane })}\n`);
      const traces = record.neurons.map((n, k) => ({ label: `neuron ${n}`, x: record.times, y: membrane[k], markers: false }));
      const threshold = { label: "threshold θ", x: [0, c.duration], y: [net.neurons.threshold, net.neurons.threshold], markers: false };
      store.write("membrane.svg", linePlot([...traces, threshold], { title: `membranes, ${c.network}`, xLabel: "time (s)", yLabel: "membrane v (threshold units)" }));
    }
    store.write("spikes.json", `${JSON.stringify(r.spikes.map((s) => ({ times: [...s.times], amplitudes: [...s.amplitudes] })))}\n`);
    writeSpikePlots(store, c, net.neurons.count, r.spikes);
    const files: Record<string, string> = { spikes: store.where("spikes.json"), raster: store.where("raster.svg"), rates: store.where("rates.svg") };
    if (record && r.membrane) Object.assign(files, { membrane: store.where("membrane.json"), membrane_plot: store.where("membrane.svg") });
    let plasticity: SimulateResult["plasticity"];
    if (net.plasticity && r.weights) {
      // The final weights of every synapse (network order), and the plastic ones' mean before and after.
      store.write("weights.json", `${JSON.stringify([...r.weights])}\n`);
      files.weights = store.where("weights.json");
      const plastic = net.plasticity.synapses ?? net.synapses.weight.map((_, k) => k);
      const mean = (w: ArrayLike<number>) => plastic.reduce((sum, k) => sum + w[k], 0) / Math.max(1, plastic.length);
      plasticity = { synapses: plastic.length, mean_weight_before: mean(net.synapses.weight), mean_weight_after: mean(r.weights) };
    }
    return { neurons: net.neurons.count, spikes: r.totalSpikes, mean_rate_hz: r.meanRateHz, seconds, events: r.events, mode: c.dt ? `stepped, dt ${c.dt}` : "event-driven", ...(plasticity ? { plasticity } : {}), files };
  },
  summary: (r, c) =>
    [
      `${r.neurons} neurons, ${c.duration} s: ${r.spikes} spikes, mean rate ${r.mean_rate_hz.toFixed(2)} Hz, ${r.events} input events, ${r.seconds.toFixed(2)} s wall`,
      ...(r.plasticity ? [`STDP on ${r.plasticity.synapses} synapses: mean weight ${r.plasticity.mean_weight_before.toPrecision(4)} → ${r.plasticity.mean_weight_after.toPrecision(4)}`] : []),
      ...Object.entries(r.files).map(([k, v]) => `${k}: ${v}`),
    ].join("\n"),
};
