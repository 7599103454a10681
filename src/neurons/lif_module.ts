// LIF and IF neuron layers over the fused kernel (or the composed path when β/θ learn or the surrogate is custom).
import type { ResetMode } from "../backend/kernel_codes.js";
import { ResetCode } from "../backend/kernel_codes.js";
import { checkedNumber, ValueError } from "../errors.js";
import { full } from "../tensor/creation.js";
import { clamp } from "../tensor/ops/elementwise.js";
import type { Tensor } from "../tensor/tensor.js";
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
}

/** β from the options: beta, or e^{−1/τ} from tau. */
function resolveBeta(options: LIFOptions, fallback: number): number {
  if (options.beta !== undefined && options.tau !== undefined)
    throw new ValueError("LIF: beta/tau", "either beta or tau, not both", [options.beta, options.tau]);
  if (options.tau !== undefined)
    return Math.exp(-1 / checkedNumber("LIF: tau", options.tau, (t) => t > 0, "a number > 0"));
  return checkedNumber("LIF: beta", options.beta ?? fallback, (b) => b >= 0 && b <= 1, "a number in [0, 1]");
}

/**
 * Leaky integrate-and-fire layer (snnTorch's Leaky):
 *   m[t] = β·m[t−1] + I[t] − θ·s[t−1]   (reset subtract; zero: (β·m[t−1] + I[t])(1 − s[t−1]))
 *   s[t] = H(m[t] − θ)
 * Runs the fused kernel (one call for all T steps forward, one for BPTT) unless β or θ learn or the
 * surrogate is a user pair; then the composed per-step path computes the same recurrence.
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

  constructor(options: LIFOptions = {}, defaultBeta = 0.95) {
    super();
    this.beta = resolveBeta(options, defaultBeta);
    this.threshold = checkedNumber("LIF: threshold", options.threshold ?? 1, (t) => t > 0, "a number > 0");
    this.reset = options.reset ?? "subtract";
    if (!Object.hasOwn(ResetCode, this.reset)) throw new ValueError("LIF: reset", `"subtract", "zero" or "none"`, this.reset);
    this.detachReset = options.detachReset ?? false;
    this.surrogate = options.surrogate ?? "fast_sigmoid";
    if (!isCustomSurrogate(this.surrogate)) builtinSurrogate(this.surrogate);
    this.h0 = checkedNumber("LIF: h0", options.h0 ?? 0, (h) => h >= 0 && h <= 1, "a number in [0, 1]");
    const shape = options.size ? [...options.size] : [1];
    this.betaParam = options.learnBeta ? this.addParameter("beta", full(shape, this.beta)) : null;
    this.thresholdParam = options.learnThreshold ? this.addParameter("threshold", full(shape, this.threshold)) : null;
  }

  /** Input gain g and refractory gain g_r of the recurrence (1 and 0 for the plain LIF). */
  protected gains(): { inputGain: number; refractoryGain: number } {
    return { inputGain: 1, refractoryGain: 0 };
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
    return { ...r, final: { mem: stepOf(r.membrane, x.shape[0] - 1) } };
  }
}

/** Integrate-and-fire layer: a LIF without leak (β = 1). */
export class IF extends LIF {
  constructor(options: Omit<LIFOptions, "beta" | "tau" | "learnBeta"> = {}) {
    super({ ...options, beta: 1 });
  }
}
