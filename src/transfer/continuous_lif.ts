// The continuous-time LIF that a coarse-scale LIF network transfers to (Yanguas-Gil 2020, our reading in
// docs/transfer.md). Time is measured in coarse steps (one step = one absolute refractory period Δ): the
// membrane decays as v·e^{−t/τ} between inputs, an input of weight w adds w at once, the neuron fires
// when v reaches the threshold 1, resets to 0 and ignores its inputs for one step.
import { ValueError } from "../errors.js";
import type { Rng } from "../random/rng.js";

/** How a coarse step's input mass x arrives within the step: k impulses x/k, evenly spaced or at uniform random times. */
export const SPREADS = ["even", "uniform"] as const;
/** An input spreading rule. */
export type Spread = (typeof SPREADS)[number];

/** Impulses of one unit: times (non-decreasing) and weights. */
export interface Impulses {
  t: number[];
  w: number[];
}

/**
 * The impulses of per-step masses x[0..T) spread within each step [s, s + 1): k impulses x[s]/k at
 * s + (i + ½)/k ("even") or at s + U_i, sorted ("uniform").
 */
export function spreadSteps(x: ArrayLike<number>, k: number, spread: Spread, rng: Rng | null): Impulses {
  const out: Impulses = { t: [], w: [] };
  const times = new Float64Array(k);
  for (let s = 0; s < x.length; s++) {
    if (x[s] === 0) continue;
    if (spread === "even") for (let i = 0; i < k; i++) times[i] = s + (i + 0.5) / k;
    else {
      if (!rng) throw new ValueError("spread", "a generator for uniform times", "none");
      for (let i = 0; i < k; i++) times[i] = s + rng.uniform();
      times.sort();
    }
    for (let i = 0; i < k; i++) {
      out.t.push(times[i]);
      out.w.push(x[s] / k);
    }
  }
  return out;
}

/** Merges two impulse lists by time (ties: the first list's impulse first). */
export function mergeImpulses(a: Impulses, b: Impulses): Impulses {
  const out: Impulses = { t: [], w: [] };
  let [i, j] = [0, 0];
  while (i < a.t.length || j < b.t.length) {
    if (j >= b.t.length || (i < a.t.length && a.t[i] <= b.t[j])) {
      out.t.push(a.t[i]);
      out.w.push(a.w[i++]);
    } else {
      out.t.push(b.t[j]);
      out.w.push(b.w[j++]);
    }
  }
  return out;
}

/** The state of a continuous-time LIF neuron: its membrane after the last impulse it took, that impulse's time, and the end of its refractory period. */
export interface ContinuousState {
  v: number;
  last: number;
  refractoryUntil: number;
}

/**
 * Times closer than this (in steps) count as equal: an impulse at the end of a refractory period, computed
 * as spike time + 1 by one sum and as the impulse's time by another, may differ in the last bit.
 */
const SAME_TIME = 1e-9;

/** Whether the neuron ignores inputs at time t (its refractory period has not ended). */
function refractoryAt(s: ContinuousState, t: number): boolean {
  return t < s.refractoryUntil - SAME_TIME;
}

/** A neuron at rest at time 0. */
export function restingState(): ContinuousState {
  return { v: 0, last: 0, refractoryUntil: Number.NEGATIVE_INFINITY };
}

/** An impulse (t, w) taken without a threshold check: ignored while refractory, else v decays to t and adds w; returns whether it was taken. */
function integrate(s: ContinuousState, t: number, w: number, tau: number): boolean {
  if (refractoryAt(s, t)) return false;
  s.v = s.v * Math.exp(-(t - s.last) / tau) + w;
  s.last = t;
  return true;
}

/**
 * One impulse (t, w) into a neuron that fires at the threshold crossing: ignored while refractory, else v
 * decays to t and adds w; returns whether it fired (then v = 0 and it is refractory until t + 1).
 */
export function receiveImpulse(s: ContinuousState, t: number, w: number, tau: number): boolean {
  if (!integrate(s, t, w, tau) || s.v < 1) return false;
  s.v = 0;
  s.refractoryUntil = t + 1;
  return true;
}

/**
 * When a neuron fires: "crossing", the continuous LIF, as soon as v ≥ 1; "step-end", the coarse model's
 * rule on the exactly integrated membrane, only if v ≥ 1 at the end of a step (a diagnostic: it separates
 * what the threshold rule costs from what the integration costs).
 */
export const FIRING_RULES = ["crossing", "step-end"] as const;
/** A firing rule. */
export type FiringRule = (typeof FIRING_RULES)[number];

/** A continuous-time LIF neuron's spikes, and its membrane sampled at the step ends when asked. */
export interface ContinuousRun {
  spikes: number[];
  /** v at t = 1, 2, ..., T (the impulses at those instants not yet added), or null. */
  stepEnds: Float64Array | null;
}

/**
 * Runs one neuron exactly on its impulses (sorted by time) for `steps` steps: between impulses v decays by
 * e^{−Δt/τ}; an impulse adds its weight unless the neuron is refractory (impulses at the same instant add
 * together before the threshold is checked); when v ≥ 1 (at once, or with
 * rule "step-end" only at a step's end) it spikes, v ← 0, and it is refractory for one step (impulses at
 * exactly its end count again). A "step-end" spike is placed just before the step's end, in that step.
 */
export function runContinuousLif(input: Impulses, tau: number, steps: number, sampleStepEnds: boolean, rule: FiringRule = "crossing"): ContinuousRun {
  if (!(tau > 0)) throw new ValueError("tau", "a number > 0", tau);
  if (!FIRING_RULES.includes(rule)) throw new ValueError("firing rule", FIRING_RULES.join(" or "), rule);
  const spikes: number[] = [];
  const ends = sampleStepEnds ? new Float64Array(steps) : null;
  const st = restingState();
  let nextEnd = 1;
  const membraneAt = (t: number) => (refractoryAt(st, t) ? 0 : st.v * Math.exp(-(t - st.last) / tau));
  /** Step ends up to time t: sample the membrane, and under "step-end" fire there. */
  const passEnds = (t: number) => {
    while (nextEnd <= steps && nextEnd <= t) {
      const end = nextEnd++;
      const vEnd = membraneAt(end);
      if (rule === "step-end" && vEnd >= 1) {
        const at = end - 2 * SAME_TIME;
        spikes.push(at);
        st.v = 0;
        st.last = end;
        st.refractoryUntil = at + 1;
      }
      // The membrane before any reset, as the coarse model reads it.
      if (ends) ends[end - 1] = vEnd;
    }
  };
  for (let n = 0; n < input.t.length; ) {
    const t = input.t[n];
    // Impulses at the same instant arrive together: their sum, then the threshold.
    let w = 0;
    for (; n < input.t.length && input.t[n] === t; n++) w += input.w[n];
    passEnds(t);
    if (rule === "crossing") {
      if (receiveImpulse(st, t, w, tau)) spikes.push(t);
    } else integrate(st, t, w, tau);
  }
  passEnds(steps);
  return { spikes, stepEnds: ends };
}
