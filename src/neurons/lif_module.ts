// LIF and IF neuron layers over the fused kernel (or the composed path when β/θ learn or the surrogate is custom).
import type { ResetMode } from "../backend/kernel_codes.js";
import { ResetCode } from "../backend/kernel_codes.js";
import { checkedNumber, ValueError } from "../errors.js";
import { full } from "../tensor/creation.js";
import { clamp, mul, sub } from "../tensor/ops/elementwise.js";
import type { Tensor } from "../tensor/tensor.js";
import { type ConventionRules, conventionRules, type LifConvention } from "./conventions.js";
import { lifComposed } from "./lif_composed.js";
import { lif } from "./lif_op.js";
import { type NeuronRun, type NeuronState, SpikingNeuron, stepOf } from "./neuron.js";
import { builtinSurrogate, isCustomSurrogate, type NeuronSurrogate } from "./spike_function.js";

/** Options of a LIF layer. */
export interface LIFOptions {
  /** Leak per step β ∈ [0, 1] (default 0.95). */
  beta?: number;
  /** Membrane time constant in steps; sets β = e^{−1/τ} (give beta or tau, not both). */
  tau?: number;
  /** Threshold θ > 0 (default 1). */
  threshold?: number;
  /** "subtract" (default), "zero" or "none". */
  reset?: ResetMode;
  /** Treat the reset as a constant in the backward pass (default false). */
  detachReset?: boolean;
  /** Surrogate: a name, { name, param }, or a user pair { forward?, derivative } (default "fast_sigmoid", slope 25). */
  surrogate?: NeuronSurrogate;
  /** H(0): value of the spike function exactly at threshold (default 0). */
  h0?: number;
  /** Learn β (clamped to [0, 1]); one per neuron when `size` is given, else one for the layer. */
  learnBeta?: boolean;
  /** Learn θ; one per neuron when `size` is given, else one for the layer. */
  learnThreshold?: boolean;
  /** Feature shape of one step (without T and B), for per-neuron learnable β and θ. */
  size?: readonly number[];
  /**
   * Whose LIF step to follow: "snnkit" (default), "snntorch-0.7", "snntorch" (≥ 0.8) or "norse"
   * (table in `conventions.ts` and the README). It fixes how the zero reset treats the input, whether
   * the reset is detached, which membrane is returned, the discretisation and the default surrogate.
   */
  convention?: LifConvention;
}

/** β from the options: beta, or from tau (e^{−1/τ}; 1 − 1/τ under an Euler convention such as Norse's). */
function resolveBeta(options: LIFOptions, fallback: number, euler: boolean): number {
  if (options.beta !== undefined && options.tau !== undefined)
    throw new ValueError("LIF: beta/tau", "either beta or tau, not both", [options.beta, options.tau]);
  if (options.tau !== undefined) {
    if (euler) return 1 - 1 / checkedNumber("LIF: tau", options.tau, (t) => t >= 1, "a number >= 1 (steps; β = 1 − 1/τ)");
    return Math.exp(-1 / checkedNumber("LIF: tau", options.tau, (t) => t > 0 && t <= 1e12, "a number in (0, 1e12] (steps)"));
  }
  return checkedNumber("LIF: beta", options.beta ?? fallback, (b) => b >= 0 && b <= 1, "a number in [0, 1]");
}

/**
 * Leaky integrate-and-fire layer (snnTorch's Leaky):
 *   m[t] = β·m[t−1] + I[t] − θ·s[t−1]   (reset subtract; zero: (β·m[t−1] + I[t])(1 − s[t−1]))
 *   s[t] = H(m[t] − θ)
 * Runs the fused kernel (one call for all T steps forward, one for BPTT) unless β or θ learn or the
 * surrogate is a user pair; then the composed per-step path computes the same recurrence.
 * `convention` selects snnTorch's or Norse's variant of the step (see `LifConvention`).
 */
export class LIF extends SpikingNeuron {
  readonly beta: number;
  readonly threshold: number;
  readonly reset: ResetMode;
  readonly detachReset: boolean;
  readonly surrogate: NeuronSurrogate;
  readonly h0: number;
  /** Learnable β (when learnBeta), else null. */
  readonly betaParam: Tensor | null;
  /** Learnable θ (when learnThreshold), else null. */
  readonly thresholdParam: Tensor | null;

  /** The convention the layer follows and what it fixes. */
  readonly convention: LifConvention;
  readonly rules: ConventionRules;

  constructor(options: LIFOptions = {}, defaultBeta = 0.95) {
    super();
    this.convention = options.convention ?? "snnkit";
    this.rules = conventionRules(this.convention, "LIF");
    const rules = this.rules;
    this.beta = resolveBeta(options, rules.euler ? 0.9 : defaultBeta, rules.euler);
    this.threshold = checkedNumber("LIF: threshold", options.threshold ?? 1, (t) => t > 0 && t < 1e30, "a number in (0, 1e30)");
    this.reset = options.reset ?? rules.reset ?? "subtract";
    if (!Object.hasOwn(ResetCode, this.reset)) throw new ValueError("LIF: reset", `"subtract", "zero" or "none"`, this.reset);
    if (rules.reset && this.reset !== rules.reset)
      throw new ValueError("LIF: reset", `"${rules.reset}" under the ${this.convention} convention`, this.reset);
    if (rules.detachReset !== null && options.detachReset !== undefined && options.detachReset !== rules.detachReset)
      throw new ValueError("LIF: detachReset", `${rules.detachReset} under the ${this.convention} convention`, options.detachReset);
    if (rules.euler && options.learnBeta) throw new ValueError("LIF: learnBeta", `false under the ${this.convention} convention (its input gain is 1 − β)`, true);
    this.detachReset = rules.detachReset ?? options.detachReset ?? false;
    this.surrogate = options.surrogate ?? rules.surrogate;
    if (!isCustomSurrogate(this.surrogate)) builtinSurrogate(this.surrogate);
    this.h0 = checkedNumber("LIF: h0", options.h0 ?? 0, (h) => h >= 0 && h <= 1, "a number in [0, 1]");
    const shape = options.size ? [...options.size] : [1];
    this.betaParam = options.learnBeta ? this.addParameter("beta", full(shape, this.beta)) : null;
    this.thresholdParam = options.learnThreshold ? this.addParameter("threshold", full(shape, this.threshold)) : null;
  }

  /** Input gain g and refractory gain g_r of the recurrence (1 and 0 for the plain LIF). */
  protected gains(): { inputGain: number; refractoryGain: number } {
    const inputGain = this.rules.euler ? 1 - this.beta : 1;
    return { inputGain, refractoryGain: this.rules.keepInputAfterSpike ? inputGain : 0 };
  }

  run(x: Tensor, initial: NeuronState | null = null): NeuronRun {
    const mem0 = initial?.mem ?? null;
    const surrogate = this.surrogate;
    let r: { spikes: Tensor; membrane: Tensor };
    if (this.betaParam || this.thresholdParam || isCustomSurrogate(surrogate)) {
      r = lifComposed(x, {
        beta: this.betaParam ? clamp(this.betaParam, 0, 1) : this.beta,
        threshold: this.thresholdParam ?? this.threshold,
        reset: this.reset,
        detachReset: this.detachReset,
        surrogate,
        h0: this.h0,
        mem0,
        ...this.gains(),
      });
    } else {
      const s = builtinSurrogate(surrogate);
      r = lif(x, {
        beta: this.beta,
        threshold: this.threshold,
        reset: this.reset,
        detachReset: this.detachReset,
        surrogate: s.name,
        surrogateParam: s.param,
        h0: this.h0,
        mem0,
        ...this.gains(),
      });
    }
    // Norse returns the membrane after the reset of the same step; from it the zero-reset recurrence
    // (with the input kept) continues unchanged, since H(m − θ) = 0 after a reset.
    if (this.rules.membraneAfterReset) r = { spikes: r.spikes, membrane: mul(r.membrane, sub(1, r.spikes)) };
    return { ...r, final: { mem: stepOf(r.membrane, x.shape[0] - 1) } };
  }
}

/** Integrate-and-fire layer: a LIF without leak (β = 1). */
export class IF extends LIF {
  constructor(options: Omit<LIFOptions, "beta" | "tau" | "learnBeta"> = {}) {
    super({ ...options, beta: 1 });
  }
}
