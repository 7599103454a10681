// Spike-timing-dependent plasticity with traces, online: pair-based STDP (Song, Miller & Abbott 2000) and
// triplet STDP (Pfister & Gerstner 2006). A synapse keeps exponentially decaying traces of its pre- and
// postsynaptic spikes, advanced in closed form from spike to spike, so the rule is exact in continuous time
// and runs in the event-driven simulator and on any time grid alike.
import { ValueError } from "../errors.js";

/** How traces count spikes: every earlier spike ("all": x ← x + 1) or the latest only ("nearest": x ← 1). */
export type StdpInteraction = "all" | "nearest";

/**
 * An STDP rule. Times are in seconds. Pair terms: a presynaptic spike depresses by A₂⁻·o₁, a postsynaptic
 * spike potentiates by A₂⁺·r₁ (r₁ decays with τ₊, o₁ with τ₋). Triplet terms (zero for the pair rule): the
 * depression gains A₃⁻·o₁·r₂ and the potentiation A₃⁺·r₁·o₂, with r₂ (τₓ) and o₂ (τ_y) read just before the
 * spike's own jump. Additive updates add these; multiplicative ones scale potentiation by (w_max − w) and
 * depression by (w − w_min). Weights stay in [w_min, w_max].
 */
export interface StdpRule {
  aPlus: number;
  aMinus: number;
  tauPlus: number;
  tauMinus: number;
  /** Triplet amplitudes A₃⁺, A₃⁻ (0 and 0: the pair rule) and the triplet traces' time constants. */
  a3Plus: number;
  a3Minus: number;
  tauX: number;
  tauY: number;
  wMin: number;
  wMax: number;
  update: "additive" | "multiplicative";
  interaction: StdpInteraction;
}

/** Pair-based STDP as Song, Miller & Abbott (2000) set it: A₊ = 0.005, A₋ = 1.05·A₊, τ± = 20 ms, all-to-all, additive, weights in [0, 1]. */
export const PAIR_STDP: StdpRule = { aPlus: 0.005, aMinus: 0.00525, tauPlus: 0.02, tauMinus: 0.02, a3Plus: 0, a3Minus: 0, tauX: 0.1, tauY: 0.1, wMin: 0, wMax: 1, update: "additive", interaction: "all" };

/**
 * Triplet STDP with Pfister & Gerstner's (2006) visual-cortex fit of the nearest-spike model (the values
 * NESTML's stdp_triplet_nn takes): τ₊ = 16.8 ms, τ₋ = 33.7 ms, τₓ = 101 ms, τ_y = 125 ms, A₂⁺ = 7.5·10⁻¹⁰,
 * A₃⁺ = 9.3·10⁻³, A₂⁻ = 7·10⁻³, A₃⁻ = 2.3·10⁻⁴.
 */
export const TRIPLET_STDP: StdpRule = {
  aPlus: 7.5e-10,
  aMinus: 7e-3,
  tauPlus: 0.0168,
  tauMinus: 0.0337,
  a3Plus: 9.3e-3,
  a3Minus: 2.3e-4,
  tauX: 0.101,
  tauY: 0.125,
  wMin: 0,
  wMax: 1,
  update: "additive",
  interaction: "nearest",
};

/** Checks a rule's fields: amplitudes finite and ≥ 0, time constants finite and > 0, w_min < w_max. */
export function checkStdpRule(rule: StdpRule): StdpRule {
  for (const k of ["aPlus", "aMinus", "a3Plus", "a3Minus"] as const)
    if (!(Number.isFinite(rule[k]) && rule[k] >= 0)) throw new ValueError(`stdp.${k}`, "a finite number >= 0", rule[k]);
  for (const k of ["tauPlus", "tauMinus", "tauX", "tauY"] as const)
    if (!(Number.isFinite(rule[k]) && rule[k] > 0)) throw new ValueError(`stdp.${k}`, "a finite time > 0 (s)", rule[k]);
  if (!(Number.isFinite(rule.wMin) && Number.isFinite(rule.wMax) && rule.wMin < rule.wMax)) throw new ValueError("stdp.wMax", `a finite number above wMin (${rule.wMin})`, rule.wMax);
  if (rule.update !== "additive" && rule.update !== "multiplicative") throw new ValueError("stdp.update", '"additive" or "multiplicative"', rule.update);
  if (rule.interaction !== "all" && rule.interaction !== "nearest") throw new ValueError("stdp.interaction", '"all" or "nearest"', rule.interaction);
  return rule;
}

/** One plastic synapse: its weight and its four traces, at the time of the last spike it saw. */
export class StdpSynapse {
  private r1 = 0;
  private r2 = 0;
  private o1 = 0;
  private o2 = 0;
  private last = Number.NEGATIVE_INFINITY;
  weight: number;

  constructor(
    private readonly rule: StdpRule,
    weight: number,
  ) {
    checkStdpRule(rule);
    if (!(weight >= rule.wMin && weight <= rule.wMax)) throw new ValueError("weight", `a number in [${rule.wMin}, ${rule.wMax}]`, weight);
    this.weight = weight;
  }

  /** A presynaptic spike at t (s; not before the last spike seen): depression, then the presynaptic traces jump. */
  pre(t: number): void {
    this.advance(t);
    this.weight = depress(this.rule, this.weight, this.o1, this.r2, 1);
    this.r1 = jump(this.rule, this.r1, 1);
    this.r2 = jump(this.rule, this.r2, 1);
  }

  /** A postsynaptic spike at t (s; not before the last spike seen): potentiation, then the postsynaptic traces jump. */
  post(t: number): void {
    this.advance(t);
    this.weight = potentiate(this.rule, this.weight, this.r1, this.o2, 1);
    this.o1 = jump(this.rule, this.o1, 1);
    this.o2 = jump(this.rule, this.o2, 1);
  }

  /** Decays the traces from the last spike to t: x(t) = x·e^{−(t − t_last)/τ}. */
  private advance(t: number): void {
    if (!(Number.isFinite(t) && t >= this.last)) throw new ValueError("spike time", `a finite time not before the last spike (${this.last} s)`, t);
    if (this.last !== Number.NEGATIVE_INFINITY) {
      const dt = t - this.last;
      const { rule } = this;
      this.r1 *= Math.exp(-dt / rule.tauPlus);
      this.r2 *= Math.exp(-dt / rule.tauX);
      this.o1 *= Math.exp(-dt / rule.tauMinus);
      this.o2 *= Math.exp(-dt / rule.tauY);
    }
    this.last = t;
  }

}

/** w after n presynaptic spikes at one instant, the postsynaptic traces being o₁ and the triplet trace r₂ (read before the jump). */
export function depress(rule: StdpRule, w: number, o1: number, r2: number, n: number): number {
  const d = o1 * (rule.aMinus + rule.a3Minus * r2);
  const next = rule.update === "multiplicative" ? (n === 1 ? w - d * (w - rule.wMin) : rule.wMin + (w - rule.wMin) * (1 - d) ** n) : w - n * d;
  return Math.min(rule.wMax, Math.max(rule.wMin, next));
}

/** w after n postsynaptic spikes at one instant, the presynaptic trace being r₁ and the triplet trace o₂ (read before the jump). */
export function potentiate(rule: StdpRule, w: number, r1: number, o2: number, n: number): number {
  const p = r1 * (rule.aPlus + rule.a3Plus * o2);
  const next = rule.update === "multiplicative" ? (n === 1 ? w + p * (rule.wMax - w) : rule.wMax - (rule.wMax - w) * (1 - p) ** n) : w + n * p;
  return Math.min(rule.wMax, Math.max(rule.wMin, next));
}

/** A trace after n spikes at one instant: x + n (all-to-all) or 1 (nearest spike). */
export function jump(rule: StdpRule, x: number, n: number): number {
  return rule.interaction === "all" ? x + n : 1;
}

/**
 * Runs a synapse over a pre- and a postsynaptic spike train (each sorted), spike by spike in time order;
 * at equal times the presynaptic spike goes first (so Δt = 0 potentiates, as in Brian2's step order).
 * Returns the final weight.
 */
export function applyStdp(synapse: StdpSynapse, preTimes: ArrayLike<number>, postTimes: ArrayLike<number>): number {
  for (const [name, times] of [["pre spike times", preTimes], ["post spike times", postTimes]] as const)
    for (let k = 1; k < times.length; k++)
      if (!(times[k] >= times[k - 1])) throw new ValueError(`${name}[${k}]`, `times sorted ascending (after ${times[k - 1]})`, times[k]);
  let i = 0;
  let j = 0;
  while (i < preTimes.length || j < postTimes.length) {
    if (j >= postTimes.length || (i < preTimes.length && preTimes[i] <= postTimes[j])) synapse.pre(preTimes[i++]);
    else synapse.post(postTimes[j++]);
  }
  return synapse.weight;
}
