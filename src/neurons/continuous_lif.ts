// The continuous-time LIF, once: its closed-form membrane between inputs (used by the simulators of
// src/sim), and the neuron a coarse-scale LIF network transfers to (Yanguas-Gil 2020, our reading in
// docs/transfer.md) with its two implementations, exact event by event (runContinuousLif) and on a grid of
// substeps with the tensor engine (steppedContinuousLif). In the transfer, time is measured in coarse steps
// (one step = one absolute refractory period Δ): the membrane decays as v·e^{−t/τ} between inputs, an
// input of weight w adds w at once, the neuron fires when v reaches the threshold 1, resets to 0 and
// ignores its inputs for one step. Other LIF layers (a LIF imported from NIR) run the same neuron with
// their own threshold, reset and no refractory period (ContinuousNeuron).
import { ValueError } from "../errors.js";
import { full, zeros } from "../tensor/creation.js";
import { add, ge, maximum, mul, sub, where } from "../tensor/ops/elementwise.js";
import { detach, reshape, slice, stack } from "../tensor/ops/shape_ops.js";
import type { Tensor } from "../tensor/tensor.js";
import type { LIF } from "./lif_module.js";
import { spikeFunction } from "./spike_function.js";

/** Impulses into one neuron: times (non-decreasing) and weights. */
export interface Impulses {
  t: number[];
  w: number[];
}

/**
 * The membrane after `dt` of free evolution dv/dt = (v∞ − v)/τ with v∞ = I·τ (I a bias current, 0 by
 * default): v∞ + (v − v∞)·e^{−dt/τ}; for τ = ∞ (a perfect integrator) v + I·dt.
 */
export function membraneAfter(v: number, dt: number, tau: number, bias = 0): number {
  if (tau === Infinity) return v + bias * dt;
  const vInf = bias * tau;
  return vInf + (v - vInf) * Math.exp(-dt / tau);
}

/** The factor e^{−dt/τ} by which a membrane without bias decays over dt (1 for τ = ∞). */
export const decayFactor = (dt: number, tau: number): number => (tau === Infinity ? 1 : Math.exp(-dt / tau));

/** What a bias current I adds to a membrane over dt: I·τ·(1 − e^{−dt/τ}) (I·dt for τ = ∞), so v(t + dt) = v·e^{−dt/τ} + this. */
export const biasDrive = (dt: number, tau: number, bias: number): number => (tau === Infinity ? bias * dt : bias * tau * (1 - decayFactor(dt, tau)));

/**
 * How long a membrane at v0 < θ takes to reach θ under its bias current I alone (membraneAfter solved for
 * dt): (θ − v0)/I for τ = ∞, τ·ln((v∞ − v0)/(v∞ − θ)) otherwise; null when it never does (I ≤ 0, or
 * v∞ = Iτ ≤ θ).
 */
export function timeToThreshold(v0: number, theta: number, tau: number, bias: number): number | null {
  if (v0 >= theta) return 0;
  if (bias <= 0) return null;
  if (tau === Infinity) return (theta - v0) / bias;
  const vInf = bias * tau;
  return vInf > theta ? tau * Math.log((vInf - v0) / (vInf - theta)) : null;
}

/**
 * What a continuous-time LIF neuron does at its threshold: fire when v ≥ θ, then reset ("zero": v ← 0;
 * "subtract": v ← v − θ; "none": v is kept) and ignore its inputs for `refractory` steps.
 */
export interface ContinuousNeuron {
  threshold: number;
  refractory: number;
  reset: "zero" | "subtract" | "none";
}

/** The coarse-scale LIF's neuron in continuous time: θ = 1, reset to 0, refractory for one step. */
export const COARSE_NEURON: ContinuousNeuron = { threshold: 1, refractory: 1, reset: "zero" };

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
  s.v = membraneAfter(s.v, t - s.last, tau) + w;
  s.last = t;
  return true;
}

/** A spike at time t: the reset, and the refractory period from t. */
function fire(s: ContinuousState, t: number, neuron: ContinuousNeuron): void {
  if (neuron.reset === "zero") s.v = 0;
  else if (neuron.reset === "subtract") s.v -= neuron.threshold;
  s.refractoryUntil = t + neuron.refractory;
}

/**
 * One impulse (t, w) into a neuron that fires at the threshold crossing: ignored while refractory, else v
 * decays to t and adds w; returns whether it fired (then it resets and is refractory, as `neuron` says:
 * by default v = 0 and refractory until t + 1). One spike per impulse.
 */
export function receiveImpulse(s: ContinuousState, t: number, w: number, tau: number, neuron: ContinuousNeuron = COARSE_NEURON): boolean {
  if (!integrate(s, t, w, tau) || s.v < neuron.threshold) return false;
  fire(s, t, neuron);
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
 * e^{−Δt/τ} (τ = ∞: it keeps); an impulse adds its weight unless the neuron is refractory (impulses at the
 * same instant add together before the threshold is checked); when v ≥ θ (at once, or with rule
 * "step-end" only at a step's end) it spikes, resets and is refractory (`neuron`; by default the coarse
 * LIF's v ← 0 and one step, impulses at exactly its end counting again). A "step-end" spike is placed just
 * before the step's end, in that step.
 */
export function runContinuousLif(input: Impulses, tau: number, steps: number, sampleStepEnds: boolean, rule: FiringRule = "crossing", neuron: ContinuousNeuron = COARSE_NEURON): ContinuousRun {
  if (!(tau > 0)) throw new ValueError("tau", "a number > 0", tau);
  if (!(neuron.threshold > 0) || !(neuron.refractory >= 0)) throw new ValueError("neuron", "a threshold > 0 and a refractory period >= 0", neuron);
  if (!FIRING_RULES.includes(rule)) throw new ValueError("firing rule", FIRING_RULES.join(" or "), rule);
  const spikes: number[] = [];
  const ends = sampleStepEnds ? new Float64Array(steps) : null;
  const st = restingState();
  let nextEnd = 1;
  const membraneAt = (t: number) => (refractoryAt(st, t) ? 0 : membraneAfter(st.v, t - st.last, tau));
  /** Step ends up to time t: sample the membrane, and under "step-end" fire there. */
  const passEnds = (t: number) => {
    while (nextEnd <= steps && nextEnd <= t) {
      const end = nextEnd++;
      const vEnd = membraneAt(end);
      if (rule === "step-end" && vEnd >= neuron.threshold) {
        const at = end - 2 * SAME_TIME;
        spikes.push(at);
        st.v = vEnd;
        st.last = end;
        fire(st, at, neuron);
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
      if (receiveImpulse(st, t, w, tau, neuron)) spikes.push(t);
    } else integrate(st, t, w, tau);
  }
  passEnds(steps);
  return { spikes, stepEnds: ends };
}

/** The i-th of n substeps of a [n, B, ...] tensor. */
export const substep = (x: Tensor, i: number): Tensor => reshape(slice(x, x.shape.map((_, d) => (d === 0 ? i : 0)), [1, ...x.shape.slice(1).map(() => -1)]), x.shape.slice(1));

/** How neurons of a feature shape fire on the grid of the stepped engine (gridFiring). */
export interface GridFiring {
  /** 1 where a neuron takes inputs (not refractory), else 0. */
  open(r: Tensor): Tensor;
  /** Spikes of a membrane u where u ≥ θ: the indicator, or with a layer (training) its surrogate spike function with H(0) = 1. */
  spike(u: Tensor): Tensor;
  /** The membrane after the reset of the neurons that fired (zero, subtract or none; detached where the layer detaches it). */
  reset(v: Tensor, fires: Tensor): Tensor;
  /** The refractory counters one substep on, with `blocked` substeps for each neuron that fired. */
  hold(r: Tensor, fires: Tensor, blocked: number): Tensor;
}

/** The firing of `neuron`s of a feature shape on the grid, trained through `layer`'s surrogate when given. */
export function gridFiring(shape: readonly number[], neuron: ContinuousNeuron, layer: LIF | null): GridFiring {
  const one = full(shape, 1);
  const none = zeros(shape);
  const theta = neuron.threshold;
  return {
    open: (r) => where(ge(r, 0.5), none, one),
    spike: (u) => (layer ? spikeFunction(sub(u, theta), layer.params.surrogate, 1) : where(ge(u, theta), one, none)),
    reset(v, fires) {
      const f = layer?.params.detachReset ? detach(fires) : fires;
      if (neuron.reset === "zero") return mul(v, sub(1, f));
      return neuron.reset === "subtract" ? sub(v, mul(f, theta)) : v;
    },
    hold: (r, fires, blocked) => add(maximum(sub(r, 1), 0), mul(detach(fires), blocked)),
  };
}

/**
 * Continuous-time LIF neurons on a grid of k substeps per step, on the tensor engine (x: [n = T·k, B, ...]
 * inputs per substep): at each substep the membrane decays by e^{−dt/τ} and takes the
 * substep's input, unless refractory; v ≥ θ (at once, or with "step-end" only at a step's last substep)
 * spikes, resets and ignores the next refractory·k − 1 substeps (`neuron`; by default θ = 1, v ← 0, one
 * step). Returns the spikes [n, B, ...] and the membrane at each step end [T, B, ...], as the event engine
 * samples it. With `layer`'s surrogate (training), a spike is H(v − θ) with H(0) = 1 forward and the layer's
 * σ′(v − θ) backward, and the reset passes gradients unless the layer detaches it; without it (evaluation)
 * the spikes are plain indicators.
 */
export function steppedContinuousLif(x: Tensor, tau: number, k: number, rule: FiringRule, layer: LIF | null, neuron: ContinuousNeuron = COARSE_NEURON): { spikes: Tensor; ends: Tensor } {
  const n = x.shape[0];
  const decay = decayFactor(1 / k, tau);
  const half = decayFactor(1 / (2 * k), tau);
  const shape = x.shape.slice(1);
  const grid = gridFiring(shape, neuron, layer);
  const none = zeros(shape);
  /** Substeps a spike blocks after its own (a spike at a step's end under "step-end" also blocks the rest of its step). */
  const blocked = Math.max(0, Math.round(neuron.refractory * k) - 1 + (rule === "step-end" && neuron.refractory > 0 ? 1 : 0));
  let v = zeros(shape);
  let r = zeros(shape);
  const spikes: Tensor[] = [];
  const ends: Tensor[] = [];
  for (let i = 0; i < n; i++) {
    const open = grid.open(r);
    v = mul(add(mul(v, decay), substep(x, i)), open);
    const last = i % k === k - 1;
    // "step-end" checks the membrane at the step's end, half a substep after the last impulse.
    const fires = rule === "crossing" ? mul(grid.spike(v), open) : last ? mul(grid.spike(mul(v, half)), open) : none;
    // The step-end membrane: under "crossing" after a reset at that substep (the event engine resets at the
    // crossing), under "step-end" before it (the coarse model's reading).
    if (last && rule === "step-end") ends.push(mul(v, half));
    spikes.push(fires);
    v = grid.reset(v, fires);
    if (last && rule === "crossing") ends.push(mul(v, half));
    r = grid.hold(r, fires, blocked);
  }
  return { spikes: stack(spikes), ends: stack(ends) };
}
