// The current-based LIF in continuous time (NIR's CubaLIF; snnkit's Synaptic layer on the continuous
// engines): impulses add to a synaptic current that decays with τ_s, and the current charges a membrane
// that decays with τ_m. Between impulses both are closed-form, so the threshold crossing is found exactly
// (event by event: runContinuousCuba) or checked on a grid of substeps (steppedContinuousCuba).
import { ValueError } from "../errors.js";
import { zeros } from "../tensor/creation.js";
import { add, ge, mul, sub, where } from "../tensor/ops/elementwise.js";
import { stack } from "../tensor/ops/shape_ops.js";
import type { Tensor } from "../tensor/tensor.js";
import { COARSE_NEURON, type ContinuousNeuron, type ContinuousRun, type FiringRule, gridFiring, type Impulses, substep } from "./continuous_lif.js";
import type { LIF } from "./lif_module.js";

/** A current-based neuron: the time constants (in steps) of its current and membrane, and the coupling c of dv/dt = −v/τ_m + c·i. */
export interface CubaConstants {
  tauSyn: number;
  tauMem: number;
  coupling: number;
}

/**
 * The current and membrane after `dt` without impulses: i(dt) = i·e^{−dt/τ_s} and
 * v(dt) = (v − A)·e^{−dt/τ_m} + A·e^{−dt/τ_s} with A = c·i·τ_m·τ_s/(τ_s − τ_m)
 * (v(dt) = (v + c·i·dt)·e^{−dt/τ} when τ_s = τ_m = τ).
 */
export function cubaAfter(v: number, i: number, dt: number, k: CubaConstants): { v: number; i: number } {
  const es = Math.exp(-dt / k.tauSyn);
  const em = Math.exp(-dt / k.tauMem);
  if (Math.abs(k.tauSyn - k.tauMem) < 1e-12 * k.tauMem) return { v: (v + k.coupling * i * dt) * em, i: i * es };
  const A = (k.coupling * i * k.tauMem * k.tauSyn) / (k.tauSyn - k.tauMem);
  return { v: (v - A) * em + A * es, i: i * es };
}

/**
 * The first time in (0, span] at which the membrane, from (v, i) below θ, reaches θ without impulses, or
 * null. v(t) is a sum of two exponentials, with at most one extremum: it reaches θ in the interval if it
 * does at the interval's end or at that extremum; the crossing is then found by bisection.
 */
function crossing(v: number, i: number, span: number, k: CubaConstants, theta: number): number | null {
  const at = (t: number) => cubaAfter(v, i, t, k).v;
  let hi: number | null = at(span) >= theta ? span : null;
  if (hi === null && i * k.coupling > 0) {
    // The extremum: v′(t) = 0.
    let peak: number;
    if (Math.abs(k.tauSyn - k.tauMem) < 1e-12 * k.tauMem) peak = k.tauMem - v / (k.coupling * i);
    else {
      const A = (k.coupling * i * k.tauMem * k.tauSyn) / (k.tauSyn - k.tauMem);
      const ratio = -((v - A) * k.tauSyn) / (A * k.tauMem);
      peak = ratio > 0 ? Math.log(ratio) / (1 / k.tauMem - 1 / k.tauSyn) : -1;
    }
    if (peak > 0 && peak < span && at(peak) >= theta) hi = peak;
  }
  if (hi === null) return null;
  let [lo, top] = [0, hi];
  for (let n = 0; n < 100 && top - lo > 1e-13 * Math.max(1, top); n++) {
    const mid: number = (lo + top) / 2;
    if (at(mid) >= theta) top = mid;
    else lo = mid;
  }
  return top;
}

/**
 * Runs one current-based neuron exactly on its impulses (sorted by time; each adds its weight to the
 * current) for `steps` steps. It fires where the membrane reaches θ, between impulses too (rule
 * "crossing"), or only at step ends ("step-end"); then it resets and is refractory as `neuron` says
 * (inputs still charge the current while the membrane is held). Returns its spikes and, when asked, the
 * membrane at every step end.
 */
export function runContinuousCuba(input: Impulses, k: CubaConstants, steps: number, sampleStepEnds: boolean, rule: FiringRule = "crossing", neuron: ContinuousNeuron = COARSE_NEURON): ContinuousRun {
  if (!(k.tauSyn > 0 && k.tauSyn < Infinity && k.tauMem > 0 && k.tauMem < Infinity)) throw new ValueError("time constants", "τ_s and τ_m in (0, ∞) steps", [k.tauSyn, k.tauMem]);
  const spikes: number[] = [];
  const ends = sampleStepEnds ? new Float64Array(steps) : null;
  let [v, i, last, blockedUntil] = [0, 0, 0, Number.NEGATIVE_INFINITY];
  const theta = neuron.threshold;
  const fire = (t: number) => {
    spikes.push(t);
    if (neuron.reset === "zero") v = 0;
    else if (neuron.reset === "subtract") v -= theta;
    blockedUntil = t + neuron.refractory;
  };
  /** Free evolution from `last` to t: spikes at crossings (rule "crossing"), step ends sampled (and under "step-end", fired at). */
  const advance = (t: number) => {
    while (last < t) {
      const nextEnd = Math.floor(last) + 1;
      const until = Math.min(t, nextEnd);
      if (last < blockedUntil) {
        // The membrane held while refractory; the current still decays.
        const free = Math.min(until, blockedUntil);
        i = cubaAfter(0, i, free - last, k).i;
        last = free;
        if (free === nextEnd && nextEnd <= steps && ends) ends[nextEnd - 1] = v;
        continue;
      }
      const cross = rule === "crossing" && v < theta ? crossing(v, i, until - last, k, theta) : null;
      if (cross !== null && cross > 0) {
        ({ v, i } = cubaAfter(v, i, cross, k));
        last += cross;
        fire(last);
        continue;
      }
      ({ v, i } = cubaAfter(v, i, until - last, k));
      last = until;
      if (until === nextEnd && nextEnd <= steps) {
        if (ends) ends[nextEnd - 1] = v;
        if (rule === "step-end" && v >= theta) fire(nextEnd - 2e-9);
      }
    }
  };
  for (let n = 0; n < input.t.length; ) {
    const t = input.t[n];
    let w = 0;
    for (; n < input.t.length && input.t[n] === t; n++) w += input.w[n];
    advance(Math.min(t, steps));
    i += w;
  }
  advance(steps);
  return { spikes, stepEnds: ends };
}

/**
 * Current-based neurons on a grid of k substeps per step, on the tensor engine (x: [n = T·k, B, ...]
 * inputs per substep, added to the current): each substep, the current and membrane evolve in closed form
 * over the substep, the substep's input joins the current, and v ≥ θ spikes, resets and holds for
 * refractory·k − 1 substeps (`neuron`). With `layer`'s surrogate (training) a spike is H(v − θ) forward
 * and σ′(v − θ) backward. Returns the spikes [n, B, ...] and the membrane at each step end [T, B, ...].
 */
export function steppedContinuousCuba(x: Tensor, c: CubaConstants, k: number, layer: LIF | null, neuron: ContinuousNeuron = COARSE_NEURON): { spikes: Tensor; ends: Tensor } {
  const n = x.shape[0];
  const h = 1 / k;
  const equal = Math.abs(c.tauSyn - c.tauMem) < 1e-12 * c.tauMem;
  const a = equal ? 0 : (c.coupling * c.tauMem * c.tauSyn) / (c.tauSyn - c.tauMem);
  /** (v, i) after dt in closed form (cubaAfter on tensors). */
  const evolve = (v: Tensor, i: Tensor, dt: number): Tensor => {
    const [es, em] = [Math.exp(-dt / c.tauSyn), Math.exp(-dt / c.tauMem)];
    return equal ? mul(add(v, mul(i, c.coupling * dt)), em) : add(mul(sub(v, mul(i, a)), em), mul(i, a * es));
  };
  const es = Math.exp(-h / c.tauSyn);
  const shape = x.shape.slice(1);
  const grid = gridFiring(shape, neuron, layer);
  const blocked = Math.max(0, Math.round(neuron.refractory * k) - 1);
  let v = zeros(shape);
  let i = zeros(shape);
  let r = zeros(shape);
  const spikes: Tensor[] = [];
  const ends: Tensor[] = [];
  for (let s = 0; s < n; s++) {
    const open = grid.open(r);
    // v(h) = (v − A·i)·e^{−h/τm} + A·i·e^{−h/τs} (or (v + c·i·h)·e^{−h/τ}); held while refractory.
    v = where(ge(r, 0.5), v, evolve(v, i, h));
    i = add(mul(i, es), substep(x, s));
    const fires = mul(grid.spike(v), open);
    spikes.push(fires);
    v = grid.reset(v, fires);
    // The membrane at the step's end, half a substep after the last impulse.
    if (s % k === k - 1) ends.push(where(ge(r, 0.5), v, evolve(v, i, h / 2)));
    r = grid.hold(r, fires, blocked);
  }
  return { spikes: stack(spikes), ends: stack(ends) };
}
