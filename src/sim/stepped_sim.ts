// Time-stepped simulation of large LIF networks (the W5 workload): exact decay per step, Brian2's step order.
import { LimitError, ValueError } from "../errors.js";
import { Rng } from "../random/rng.js";
import { type NetworkStdp, PlasticSynapses } from "./stdp_network.js";
import { checkNetworkSize, type NetworkSpec, poissonEvents } from "./network.js";
import { biasDrive, decayFactor } from "../neurons/continuous_lif.js";

/** Options of the time-stepped simulator. */
export interface SteppedOptions {
  duration: number;
  /** Time step (s). */
  dt: number;
  seed?: number;
  /** Most neuron updates (steps × neurons) the run may take (default 100,000,000,000, a few minutes). */
  maxNeuronSteps?: number;
  /** Most Poisson input events the run may draw (default 1,000,000,000). */
  maxEvents?: number;
  /** Most memory (bytes) for the delay ring buffer, (longest delay in steps + 1) × neurons × 9 (default 1 GiB). */
  maxBufferBytes?: number;
  /** Called about every 1,000 steps with the simulated time reached. */
  onProgress?: (time: number, steps: number) => void;
  /**
   * STDP of the synapses (all, or those listed), at the step times of the spikes (docs/stdp.md). Within a
   * step, every spiking neuron's presynaptic side goes first (its outgoing synapses depressed), then every
   * postsynaptic side (incoming synapses potentiated): a pre- and a postsynaptic spike in one step count as
   * pre before post. A spike delivers the weight its synapse had before. Final weights: the result's
   * `weights`. Default: the network file's `plasticity`.
   */
  stdp?: NetworkStdp;
}

/** Spike times and amplitudes per neuron (step times), totals (spikes counted with their amplitudes), and the input events delivered. */
export interface SteppedResult {
  spikeTimes: Float64Array[];
  /** Amplitude of each spike: ⌊v/θ⌋ under mod reset, else 1. */
  spikeAmplitudes: Float64Array[];
  totalSpikes: number;
  meanRateHz: number;
  synapticEvents: number;
  externalEvents: number;
  /** With `stdp`: the synapses' final weights, in the network's order. */
  weights?: Float64Array;
}

/**
 * Per step (Brian2's order): v ← v·e^{−dt/τ} + Iτ(1 − e^{−dt/τ}) (exact for constant I); neurons with
 * v ≥ θ spike; their spikes and the inputs due this step are added (synaptic delays rounded to whole
 * steps, a zero delay reaching the target's threshold at the next step; Poisson sources superposed into
 * one process of rate Σ rate·sources, each event landing on a uniformly chosen target: the same law as
 * independent sources; each step's event count is one Poisson draw); then spiking neurons reset (zero: v ← 0; subtract: v ← v − θ; mod:
 * v ← v − ⌊v/θ⌋θ) and are refractory for n_r = round(refractory/dt) steps: held, inputs ignored, and
 * at the last of them (Brian2's `timestep(t − lastspike) ≥ timestep(refractory)`) the held membrane is
 * tested against θ again. A membrane left at or above θ by a subtract reset therefore fires again at
 * the end of the refractory period, or at the next step without one: as dt → 0 these spikes converge
 * to the event-driven mode's (a burst at one instant when the refractory period is zero).
 */
export function simulateStepped(net: NetworkSpec, options: SteppedOptions): SteppedResult {
  const { duration, dt } = options;
  if (!(Number.isFinite(duration) && duration > 0)) throw new ValueError("duration", "a finite number > 0", duration);
  if (!(Number.isFinite(dt) && dt > 0 && dt <= duration)) throw new ValueError("dt", "a finite number in (0, duration]", dt);
  checkNetworkSize(net);
  const { count: N, tau, threshold: theta, reset, refractory, bias } = net.neurons;
  const steps = Math.round(duration / dt);
  const maxNeuronSteps = options.maxNeuronSteps ?? 1e11;
  if (steps * N > maxNeuronSteps)
    throw new LimitError(
      "maxNeuronSteps",
      `${steps.toPrecision(3)} steps of ${dt} s × ${N} neurons = ${(steps * N).toPrecision(3)} neuron updates, more than the limit of ${maxNeuronSteps}; use a larger dt or a shorter duration`,
    );
  const drawn = poissonEvents(net, duration);
  const maxEvents = options.maxEvents ?? 1e9;
  if (drawn > maxEvents)
    throw new LimitError("maxEvents", `the Poisson drive needs about ${drawn.toPrecision(3)} events, more than the limit of ${maxEvents}; shorten the duration or raise the limit`);
  const decay = decayFactor(dt, tau);
  const drive = biasDrive(dt, tau, bias);
  const refSteps = Math.round(refractory / dt);
  if (refSteps > steps + 1) throw new ValueError("neurons.refractory", `at most the duration (${duration} s)`, refractory);
  const v = Float64Array.from({ length: N }, (_, i) => net.neurons.v0?.[i] ?? 0);
  const refLeft = new Int32Array(N);
  // Outgoing synapses (CSR) with delays in steps; a ring buffer of pending input per neuron.
  const M = net.synapses.pre.length;
  const start = new Int32Array(N + 1);
  for (const p of net.synapses.pre) start[p + 1]++;
  for (let i = 0; i < N; i++) start[i + 1] += start[i];
  const fill = start.slice(0, N);
  const post = new Int32Array(M);
  const weight = new Float64Array(M);
  const delaySteps = new Int32Array(M);
  // Delays in steps; those past the end of the run never arrive and share the slot of steps + 1.
  const delayStepsOf = (delay: number) => Math.min(Math.round(delay / dt), steps + 1);
  let longest = 0;
  for (const d of net.synapses.delay) longest = Math.max(longest, d);
  const maxDelay = delayStepsOf(longest);
  const maxBufferBytes = options.maxBufferBytes ?? 2 ** 30;
  if ((maxDelay + 1) * N * 9 > maxBufferBytes)
    throw new LimitError(
      "maxBufferBytes",
      `the longest synaptic delay spans ${maxDelay} steps of ${dt} s; its ring buffer for ${N} neurons needs ${((maxDelay + 1) * N * 9).toPrecision(3)} bytes, more than ${maxBufferBytes}; use a larger dt`,
    );
  const entryOf = new Int32Array(M);
  for (let s = 0; s < M; s++) {
    const at = fill[net.synapses.pre[s]]++;
    entryOf[s] = at;
    post[at] = net.synapses.post[s];
    weight[at] = net.synapses.weight[s];
    delaySteps[at] = delayStepsOf(net.synapses.delay[s]);
  }
  const stdp = options.stdp ?? net.plasticity;
  const plastic = stdp ? new PlasticSynapses(stdp, N, start, post, entryOf, weight) : null;
  const ringSize = maxDelay + 1;
  const ring = Array.from({ length: ringSize }, () => new Float64Array(N));
  // Neurons with pending input per slot, so a step touches only them (W5: ~4k of 10k per step).
  const touched = Array.from({ length: ringSize }, () => new Uint8Array(N));
  const pending: number[][] = Array.from({ length: ringSize }, () => []);
  const addInput = (slotIndex: number, j: number, w: number) => {
    ring[slotIndex][j] += w;
    if (touched[slotIndex][j] === 0) {
      touched[slotIndex][j] = 1;
      pending[slotIndex].push(j);
    }
  };
  const refractoryList: number[] = [];
  // External inputs: spike-train inputs by step, and the superposed Poisson process.
  const external = new Map<number, { neuron: number; w: number }[]>();
  for (const inp of net.inputs)
    inp.times.forEach((t, k) => {
      const step = Math.round(t / dt);
      if (step < steps) external.set(step, [...(external.get(step) ?? []), { neuron: inp.neuron, w: inp.weights[k] }]);
    });
  const rng = new Rng(options.seed ?? 0);
  const sources = net.poisson.map((p) => ({ targets: Int32Array.from(p.neurons), weight: p.weight, rate: p.rate * p.sources * p.neurons.length }));
  const totalRate = sources.reduce((s, p) => s + p.rate, 0);
  // The Poisson drive, drawn in bulk: each step's event count is one Poisson draw (mean totalRate·dt), and
  // each event picks its source and target uniformly; all of a step's events are inputs of that step.
  const perStep = totalRate * dt;
  const spikeTimes: number[][] = Array.from({ length: N }, () => []);
  const spikeAmplitudes: number[][] = Array.from({ length: N }, () => []);
  const spiking: number[] = [];
  const count = new Float64Array(N); // spikes of neuron i this step (⌊v/θ⌋ under mod reset)
  let synapticEvents = 0;
  let externalEvents = 0;
  for (let n = 0; n < steps; n++) {
    const t = n * dt;
    spiking.length = 0;
    for (let i = 0; i < N; i++) {
      if (refLeft[i] > 0) continue;
      v[i] = v[i] * decay + drive;
      if (v[i] >= theta) spiking.push(i);
    }
    // Refractory countdown (only neurons that are refractory); at its last step the held membrane is tested.
    let keep = 0;
    for (const i of refractoryList)
      if (--refLeft[i] > 0) refractoryList[keep++] = i;
      else if (v[i] >= theta) spiking.push(i);
    refractoryList.length = keep;
    const cur = n % ringSize;
    const slot = ring[cur];
    const curMark = touched[cur];
    const curList = pending[cur];
    for (const i of spiking) {
      const c = reset === "mod" ? Math.max(1, Math.floor(v[i] / theta)) : 1;
      count[i] = c;
      spikeTimes[i].push(t);
      spikeAmplitudes[i].push(c);
      for (let s = start[i]; s < start[i + 1]; s++) addInput((n + delaySteps[s]) % ringSize, post[s], c * weight[s]);
      synapticEvents += start[i + 1] - start[i];
    }
    if (plastic) {
      for (const i of spiking) plastic.preSpike(i, t, count[i], weight);
      for (const i of spiking) plastic.postSpike(i, t, count[i], weight);
    }
    const due = external.get(n);
    if (due) for (const e of due) addInput(cur, e.neuron, e.w);
    const tEnd = t + dt;
    const events = perStep > 0 ? rng.poisson(perStep) : 0;
    for (let e = 0; e < events; e++) {
      let k = 0;
      if (sources.length > 1) {
        let u = rng.uniform() * totalRate;
        while (k < sources.length - 1 && u >= sources[k].rate) u -= sources[k++].rate;
      }
      const src = sources[k];
      const j = src.targets[Math.floor(rng.uniform() * src.targets.length)];
      // Straight onto the membrane: this step's inputs are applied now anyway (a refractory neuron ignores them).
      if (refLeft[j] === 0) v[j] += src.weight;
    }
    externalEvents += events;
    for (const j of curList) {
      if (refLeft[j] === 0) v[j] += slot[j];
      slot[j] = 0;
      curMark[j] = 0;
    }
    curList.length = 0;
    for (const i of spiking) {
      if (reset === "zero") v[i] = 0;
      else v[i] -= count[i] * theta;
      if (refSteps > 0) {
        refLeft[i] = refSteps;
        refractoryList.push(i);
      }
    }
    if (options.onProgress && n % 1000 === 999) options.onProgress(tEnd, n + 1);
  }
  const totalSpikes = spikeAmplitudes.reduce((s, a) => s + a.reduce((x, y) => x + y, 0), 0);
  return {
    spikeTimes: spikeTimes.map((t) => Float64Array.from(t)),
    spikeAmplitudes: spikeAmplitudes.map((a) => Float64Array.from(a)),
    totalSpikes,
    meanRateHz: totalSpikes / N / duration,
    synapticEvents,
    externalEvents,
    ...(plastic ? { weights: plastic.networkOrder(weight) } : {}),
  };
}
