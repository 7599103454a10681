// Exact event-driven simulation of LIF networks: no time step; membranes are integrated in closed form
// between events, and threshold crossings driven by the bias current are solved analytically.
import { LimitError, ValueError } from "../errors.js";
import { Rng } from "../random/rng.js";
import { SpikeTrain } from "../spiketrain/spike_train.js";
import { toleranceFloor } from "../spiketrain/lif_quantizer.js";
import { membraneAfter, timeToThreshold } from "../neurons/continuous_lif.js";
import { EventQueue } from "./event_queue.js";
import { checkNetworkSize, type NetworkSpec, poissonEvents } from "./network.js";
import { type NetworkStdp, PlasticSynapses } from "./stdp_network.js";

const INPUT = 0;
/** A bias-driven crossing, or the end of a refractory period with the membrane still at or above θ. */
const FIRE = 1;
const POISSON = 2;

/** Options of a simulation run. */
export interface SimulateOptions {
  /** Simulated time (s). */
  duration: number;
  /** Seed of the Poisson sources. */
  seed?: number;
  /** Membrane potentials to record: neurons × sorted times. */
  record?: { neurons: readonly number[]; times: readonly number[] };
  /**
   * Most events (inputs, Poisson arrivals, bias crossings) the run may process (default 100,000,000,
   * about a minute and a half). A run whose Poisson drive or bias current alone needs more is refused
   * before it starts; otherwise it stops with a LimitError when it passes the limit.
   */
  maxEvents?: number;
  /**
   * Most spikes at one instant (default 1,000,000 + 100·neurons). More means a loop of zero-delay
   * synapses among neurons without a refractory period that keeps firing without time advancing.
   */
  maxSpikesPerInstant?: number;
  /** Called about every 65,536 events with the simulated time reached and the events so far. */
  onProgress?: (time: number, events: number) => void;
  /**
   * Spike-timing-dependent plasticity of the synapses (all, or those listed), online: at each spike the
   * neuron's outgoing synapses are depressed and its incoming ones potentiated (docs/stdp.md). A spike
   * delivers the weight it had before its own update; the rule's timing is that of the spikes at the
   * neurons (delays do not shift it). The final weights are in the result's `weights`. Default: the
   * network file's `plasticity`.
   */
  stdp?: NetworkStdp;
}

/** Spike trains per neuron (weighted spikes for mod reset and bursts), recorded membranes, and counts. */
export interface SimulationResult {
  spikes: SpikeTrain[];
  /** Spikes counted with their amplitude (a burst of n spikes at one instant counts n). */
  totalSpikes: number;
  /** Mean firing rate (Hz) over all neurons. */
  meanRateHz: number;
  /** membrane[r][k]: neuron record.neurons[r] at record.times[k]. */
  membrane: number[][];
  /** Input events processed (external, Poisson and synaptic). */
  events: number;
  /** With `stdp`: the synapses' final weights, in the network's order. */
  weights?: Float64Array;
}

/**
 * Events that the Poisson drive and the bias current alone will cause in a run of `duration`: each
 * neuron's Poisson arrivals (rate · sources) and at most duration/(θ/I + refractory) bias-driven spikes
 * (dv/dt ≤ I while v ≥ 0, and each such spike takes θ away; none when the leak keeps Iτ ≤ θ).
 */
export function expectedDriveEvents(net: NetworkSpec, duration: number): number {
  const { count, tau, threshold, bias, refractory } = net.neurons;
  let events = poissonEvents(net, duration);
  if (bias > 0 && !(tau !== Infinity && bias * tau <= threshold)) events += (count * duration) / (threshold / bias + refractory);
  return events;
}

/**
 * dv/dt = −v/τ + I between events; an input of weight w adds w to v. Whenever a neuron that is not
 * refractory has v ≥ θ, it fires at once:
 * - reset "zero": one spike, v ← 0;
 * - reset "subtract": one spike, v ← v − θ; when v is still ≥ θ it fires again as soon as its refractory
 *   period ends. With a zero refractory period the repeats fall at the same instant: a burst of
 *   n = ⌊v/θ⌋ spikes, recorded as one spike of amplitude n and delivered as n·w (the limit dt → 0 of
 *   the time-stepped mode, which fires them on n consecutive steps);
 * - reset "mod": one weighted spike of n = ⌊v/θ⌋, v ← v − nθ.
 * After a spike the neuron is refractory for the refractory period r > 0: its membrane is held and inputs
 * arriving in [t_s, t_s + r] are ignored, the end included (within 4 ulps), which is the limit dt → 0
 * of the time-stepped mode, where a spike lags its input by one step (Brian2 holds the membrane too,
 * but adds synaptic inputs during refractoriness unless the model guards them). With r = 0 nothing is
 * ignored, except that under zero reset an input arriving at the instant of the neuron's spike is
 * absorbed by the reset (Brian2's step order, threshold → synaptic input → reset, in the limit dt → 0;
 * the subtract and mod resets keep it, as Brian2 does). A membrane already at or above θ at
 * t = 0 fires at t = 0. A spike reaches each target after that synapse's delay, scaled by the synaptic
 * weight (and by the spike's amplitude). Zero delays are instantaneous: a cascade of zero-delay spikes
 * runs at one instant, and a loop that never settles (excitatory zero-delay loops without a refractory
 * period) is stopped with a LimitError after `maxSpikesPerInstant`. Poisson sources are independent
 * exponential clocks (drawn as one superposed clock per group, each arrival going to one of its neurons
 * drawn uniformly). Events at equal times run in the order they were scheduled.
 */
export function simulateEvents(net: NetworkSpec, options: SimulateOptions): SimulationResult {
  const T = options.duration;
  if (!(Number.isFinite(T) && T > 0)) throw new ValueError("duration", "a finite number > 0", T);
  const maxEvents = options.maxEvents ?? 1e8;
  if (!(maxEvents >= 1)) throw new ValueError("maxEvents", "a number >= 1", maxEvents);
  checkNetworkSize(net);
  const { count: N, tau, threshold: theta, reset, refractory, bias } = net.neurons;
  const maxPerInstant = options.maxSpikesPerInstant ?? 1e6 + 100 * N;
  const drive = expectedDriveEvents(net, T);
  if (drive > maxEvents)
    throw new LimitError(
      "maxEvents",
      `the Poisson drive and bias current need about ${drive.toPrecision(3)} events in ${T} s, more than the limit of ${maxEvents}; shorten the duration or raise the limit (--max-events)`,
    );
  if (options.record) checkRecord(options.record, N);
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
  const entryOf = new Int32Array(net.synapses.pre.length);
  net.synapses.pre.forEach((p, s) => {
    const at = fill[p]++;
    entryOf[s] = at;
    outPost[at] = net.synapses.post[s];
    outW[at] = net.synapses.weight[s];
    outD[at] = net.synapses.delay[s];
  });
  const stdp = options.stdp ?? net.plasticity;
  const plastic = stdp ? new PlasticSynapses(stdp, N, outStart, outPost, entryOf, outW) : null;
  const q = new EventQueue();
  const rng = new Rng(options.seed ?? 0);
  const spikeT: number[][] = Array.from({ length: N }, () => []);
  const spikeA: number[][] = Array.from({ length: N }, () => []);
  let events = 0;
  let processed = 0;
  let instant = -Infinity;
  let spikesAtInstant = 0;

  /** Membrane of neuron i at time t ≥ tLast[i] (not stored); held while refractory. */
  const valueAt = (i: number, t: number): number => {
    const start = Math.max(tLast[i], refractoryUntil[i]);
    if (t <= start) return v[i];
    return membraneAfter(v[i], t - start, tau, bias);
  };
  const advance = (i: number, t: number) => {
    v[i] = valueAt(i, t);
    tLast[i] = t;
  };
  /** Schedules neuron i's next firing without input: at once (end of refractoriness) if v ≥ θ, else the bias crossing. */
  const scheduleFiring = (i: number) => {
    version[i]++;
    const start = Math.max(tLast[i], refractoryUntil[i]);
    const dt = timeToThreshold(v[i], theta, tau, bias);
    if (dt !== null && start + dt <= T) q.push(start + dt, FIRE, i, version[i]);
  };
  const spike = (i: number, t: number) => {
    const bursts = reset === "mod" || (reset === "subtract" && refractory === 0);
    const count = bursts ? Math.max(1, toleranceFloor(v[i] / theta)) : 1;
    if (!(count <= Number.MAX_SAFE_INTEGER))
      throw new LimitError("membrane", `neuron ${i} at t = ${t} s holds v = ${v[i]}, ${count} thresholds θ = ${theta}: more spikes than can be counted; check the weights and the threshold`);
    if (reset === "zero") v[i] = 0;
    else v[i] -= count * theta;
    if (t !== instant) {
      instant = t;
      spikesAtInstant = 0;
    }
    spikesAtInstant += count;
    if (spikesAtInstant > maxPerInstant)
      throw new LimitError(
        "maxSpikesPerInstant",
        `more than ${maxPerInstant} spikes at t = ${t} s without time advancing (last: neuron ${i}): a loop of zero-delay synapses among neurons without a refractory period keeps firing; give its synapses a delay or the neurons a refractory period > 0`,
      );
    const last = spikeT[i].length - 1;
    if (last >= 0 && spikeT[i][last] === t) spikeA[i][last] += count; // a second burst at the same instant
    else {
      spikeT[i].push(t);
      spikeA[i].push(count);
    }
    refractoryUntil[i] = t + refractory;
    tLast[i] = t;
    for (let s = outStart[i]; s < outStart[i + 1]; s++) {
      const at = t + outD[s];
      if (at <= T) q.push(at, INPUT, outPost[s], 0, outW[s] * count);
    }
    plastic?.spike(i, t, count, outW);
  };
  const deliver = (i: number, t: number, w: number) => {
    events++;
    // Refractory (the end included), or, under zero reset, absorbed by a reset at this same instant.
    const until = refractoryUntil[i];
    if ((refractory > 0 || reset === "zero") && until !== -Infinity && t <= until + 4 * Number.EPSILON * Math.abs(until)) return;
    advance(i, t);
    v[i] += w;
    if (!Number.isFinite(v[i])) throw new LimitError("membrane", `neuron ${i} overflowed to ${v[i]} at t = ${t} s (an input of ${w}); check the weights`);
    if (v[i] >= theta) spike(i, t);
    scheduleFiring(i);
  };

  for (const inp of net.inputs) inp.times.forEach((t, k) => t <= T && q.push(t, INPUT, inp.neuron, 0, inp.weights[k]));
  // Each group's sources on all its neurons superposed: one clock of rate rate·sources·neurons, whose
  // arrivals go to a neuron of the group drawn uniformly (the same process as a clock per neuron).
  const poissonRate = net.poisson.map((p) => p.rate * p.sources * p.neurons.length);
  poissonRate.forEach((rate, k) => rate > 0 && q.push(rng.exponential(rate), POISSON, k));
  for (let i = 0; i < N; i++) scheduleFiring(i);

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
  while (q.pop() && q.time <= T) {
    const t = q.time;
    if (++processed > maxEvents)
      throw new LimitError("maxEvents", `more than ${maxEvents} events by t = ${t} s of ${T} s; shorten the duration or raise the limit (--max-events)`);
    if ((processed & 0xffff) === 0) options.onProgress?.(t, processed);
    recordUntil(t);
    if (q.kind === INPUT) deliver(q.a, t, q.w);
    else if (q.kind === FIRE) {
      const i = q.a;
      if (q.b !== version[i]) continue;
      advance(i, t);
      if (v[i] < theta) v[i] = theta; // an analytic crossing: exactly at threshold, not a rounding below it
      spike(i, t);
      scheduleFiring(i);
    } else {
      const k = q.a;
      const p = net.poisson[k];
      const next = t + rng.exponential(poissonRate[k]);
      deliver(p.neurons[rng.int(p.neurons.length)], t, p.weight);
      if (next <= T) q.push(next, POISSON, k);
    }
  }
  recordUntil(Infinity);
  options.onProgress?.(T, processed);
  const spikes = spikeT.map((t, i) => SpikeTrain.from(t, spikeA[i]));
  const totalSpikes = spikeA.reduce((s, a) => s + a.reduce((x, y) => x + y, 0), 0);
  return { spikes, totalSpikes, meanRateHz: totalSpikes / N / T, membrane, events, ...(plastic ? { weights: plastic.networkOrder(outW) } : {}) };
}

/** Recording requests: neuron indices in range, times finite, ≥ 0 and sorted. */
function checkRecord(rec: NonNullable<SimulateOptions["record"]>, count: number): void {
  rec.neurons.forEach((i, k) => {
    if (!(Number.isInteger(i) && i >= 0 && i < count)) throw new ValueError(`record.neurons[${k}]`, `a neuron index in [0, ${count})`, i);
  });
  rec.times.forEach((t, k) => {
    if (!(Number.isFinite(t) && t >= 0)) throw new ValueError(`record.times[${k}]`, "a finite time >= 0", t);
    if (k > 0 && t < rec.times[k - 1]) throw new ValueError(`record.times[${k}]`, `times sorted ascending (after ${rec.times[k - 1]})`, t);
  });
}
