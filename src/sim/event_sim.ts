// Exact event-driven simulation of LIF networks: no time step; membranes are integrated in closed form
// between events, and threshold crossings driven by the bias current are solved analytically.
import { ValueError } from "../errors.js";
import { Rng } from "../random/rng.js";
import { SpikeTrain } from "../spiketrain/spike_train.js";
import { toleranceFloor } from "../spiketrain/lif_quantizer.js";
import { EventQueue } from "./event_queue.js";
import type { NetworkSpec } from "./network.js";

const INPUT = 0;
const CROSS = 1;
const POISSON = 2;

/** Options of a simulation run. */
export interface SimulateOptions {
  /** Simulated time (s). */
  duration: number;
  /** Seed of the Poisson sources. */
  seed?: number;
  /** Membrane potentials to record: neurons × sorted times. */
  record?: { neurons: readonly number[]; times: readonly number[] };
}

/** Spike trains per neuron (weighted spikes for mod reset), recorded membranes, and counts. */
export interface SimulationResult {
  spikes: SpikeTrain[];
  totalSpikes: number;
  /** Mean firing rate (Hz) over all neurons. */
  meanRateHz: number;
  /** membrane[r][k]: neuron record.neurons[r] at record.times[k]. */
  membrane: number[][];
  /** Input events processed (external, Poisson and synaptic). */
  events: number;
}

/**
 * dv/dt = −v/τ + I between events; an input of weight w adds w to v; when v ≥ θ the neuron spikes
 * (reset subtract: v − θ; zero: 0; mod: one weighted spike of ⌊v/θ⌋, v − ⌊v/θ⌋θ), is refractory (held,
 * inputs ignored) for the refractory period, and its spike reaches each target after the synapse's delay,
 * scaled by the synaptic weight (and by the spike's amplitude under mod reset). Poisson sources are
 * independent exponential clocks. Events at equal times run in the order they were scheduled.
 */
export function simulateEvents(net: NetworkSpec, options: SimulateOptions): SimulationResult {
  const T = options.duration;
  if (!(Number.isFinite(T) && T > 0)) throw new ValueError("duration", "a finite number > 0", T);
  const { count: N, tau, threshold: theta, reset, refractory, bias } = net.neurons;
  const v = Float64Array.from({ length: N }, (_, i) => net.neurons.v0?.[i] ?? 0);
  const tLast = new Float64Array(N);
  const refractoryUntil = new Float64Array(N).fill(-Infinity);
  const version = new Int32Array(N);
  // Outgoing synapses as CSR.
  const outStart = new Int32Array(N + 1);
  for (const p of net.synapses.pre) outStart[p + 1]++;
  for (let i = 0; i < N; i++) outStart[i + 1] += outStart[i];
  const fill = outStart.slice(0, N);
  const outPost = new Int32Array(net.synapses.pre.length);
  const outW = new Float64Array(net.synapses.pre.length);
  const outD = new Float64Array(net.synapses.pre.length);
  net.synapses.pre.forEach((p, s) => {
    const at = fill[p]++;
    outPost[at] = net.synapses.post[s];
    outW[at] = net.synapses.weight[s];
    outD[at] = net.synapses.delay[s];
  });
  const q = new EventQueue();
  const rng = new Rng(options.seed ?? 0);
  const spikeT: number[][] = Array.from({ length: N }, () => []);
  const spikeA: number[][] = Array.from({ length: N }, () => []);
  let events = 0;

  /** Membrane of neuron i at time t ≥ tLast[i] (not stored). */
  const valueAt = (i: number, t: number): number => {
    const start = Math.max(tLast[i], refractoryUntil[i]);
    if (t <= start) return v[i];
    const dt = t - start;
    if (tau === Infinity) return v[i] + bias * dt;
    const vInf = bias * tau;
    return vInf + (v[i] - vInf) * Math.exp(-dt / tau);
  };
  const advance = (i: number, t: number) => {
    v[i] = valueAt(i, t);
    tLast[i] = t;
  };
  const scheduleCrossing = (i: number) => {
    version[i]++;
    if (bias <= 0) return;
    const start = Math.max(tLast[i], refractoryUntil[i]);
    const v0 = v[i];
    if (v0 >= theta) return;
    let dt: number;
    if (tau === Infinity) dt = (theta - v0) / bias;
    else {
      const vInf = bias * tau;
      if (!(vInf > theta)) return;
      dt = tau * Math.log((vInf - v0) / (vInf - theta));
    }
    if (start + dt <= T) q.push(start + dt, CROSS, i, version[i]);
  };
  const spike = (i: number, t: number) => {
    const count = reset === "mod" ? Math.max(1, toleranceFloor(v[i] / theta)) : 1;
    if (reset === "zero") v[i] = 0;
    else v[i] -= count * theta;
    spikeT[i].push(t);
    spikeA[i].push(reset === "mod" ? count : 1);
    refractoryUntil[i] = t + refractory;
    tLast[i] = t;
    for (let s = outStart[i]; s < outStart[i + 1]; s++) {
      const at = t + outD[s];
      if (at <= T) q.push(at, INPUT, outPost[s], 0, outW[s] * (reset === "mod" ? count : 1));
    }
  };
  const deliver = (i: number, t: number, w: number) => {
    events++;
    if (t < refractoryUntil[i]) return;
    advance(i, t);
    v[i] += w;
    if (v[i] >= theta) spike(i, t);
    scheduleCrossing(i);
  };

  for (const inp of net.inputs) inp.times.forEach((t, k) => t <= T && q.push(t, INPUT, inp.neuron, 0, inp.weights[k]));
  net.poisson.forEach((p, k) => {
    const rate = p.rate * p.sources;
    if (rate > 0) for (const j of p.neurons) q.push(rng.exponential(rate), POISSON, k, j, p.weight);
  });
  for (let i = 0; i < N; i++) scheduleCrossing(i);

  const rec = options.record;
  const membrane: number[][] = rec ? rec.neurons.map(() => []) : [];
  let nextRecord = 0;
  const recordUntil = (t: number) => {
    if (!rec) return;
    while (nextRecord < rec.times.length && rec.times[nextRecord] < t) {
      const tr = rec.times[nextRecord++];
      rec.neurons.forEach((i, r) => membrane[r].push(valueAt(i, tr)));
    }
  };
  for (let e = q.pop(); e && e.time <= T; e = q.pop()) {
    recordUntil(e.time);
    if (e.kind === INPUT) deliver(e.a, e.time, e.w);
    else if (e.kind === CROSS) {
      if (e.b !== version[e.a]) continue;
      advance(e.a, e.time);
      v[e.a] = theta; // exactly at threshold (no rounding below it)
      spike(e.a, e.time);
      scheduleCrossing(e.a);
    } else {
      const p = net.poisson[e.a];
      deliver(e.b, e.time, e.w);
      const next = e.time + rng.exponential(p.rate * p.sources);
      if (next <= T) q.push(next, POISSON, e.a, e.b, e.w);
    }
  }
  recordUntil(Infinity);
  const spikes = spikeT.map((t, i) => SpikeTrain.from(t, spikeA[i]));
  const totalSpikes = spikeT.reduce((s, t) => s + t.length, 0);
  return { spikes, totalSpikes, meanRateHz: totalSpikes / N / T, membrane, events };
}
