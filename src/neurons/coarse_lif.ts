// The coarse-scale LIF of Yanguas-Gil (2020): one step is one absolute refractory period (docs/surrogate-training.md).
import type { NeuronSurrogate } from "./spike_function.js";
import { checkedNumber } from "../errors.js";
import { LIF } from "./lif_module.js";
import type { NoiseOptions } from "./membrane_noise.js";

/** The coarse-scale constants for leak time constant τ (in steps). */
export interface CoarseConstants {
  /** Leak over one step: a = e^{−1/τ}. */
  a: number;
  /** Expected weight of inputs arriving uniformly within a step: b = τ(1 − a). */
  b: number;
  /** Expected weight of inputs arriving after the refractory period in a step with a spike: c = τ(1 − b). */
  c: number;
}

/** a = e^{−1/τ}, b = τ(1 − a), c = τ(1 − b); τ = 4 gives (0.7788, 0.8848, 0.4608); τ → ∞ gives (1, 1, ½). */
export function coarseConstants(tau: number): CoarseConstants {
  checkedNumber("coarseConstants: tau", tau, (t) => t > 0, "a number > 0");
  // Written so that large τ keeps its digits. With x = 1/τ: 1 − a = −expm1(−x), b = (1 − a)/x, and
  // c = τ(1 − b) = (x + expm1(−x))/x², which cancels for small x: there its Taylor series
  // 1/2 − x/6 + x²/24 − x³/120 + x⁴/720 (truncation below 2e-15 for x < 0.01).
  const x = 1 / tau;
  const oneMinusA = -Math.expm1(-x);
  const b = oneMinusA / x;
  const c = x < 0.01 ? 0.5 - x / 6 + (x * x) / 24 - (x * x * x) / 120 + (x * x * x * x) / 720 : (x + Math.expm1(-x)) / (x * x);
  return { a: 1 - oneMinusA, b, c };
}

/** Options of the coarse-scale LIF layer (with `noise`: a noisy coarse LIF, trained with the noise density). */
export interface CoarseLIFOptions extends NoiseOptions {
  /** Leak time constant in steps (default 4). */
  tau?: number;
  /** Threshold (default 1). */
  threshold?: number;
  /** H(0) (default 0.5, as in the authors' code). */
  h0?: number;
  /** Surrogate (default { name: "sigmoid", param: 5 }: β σ(βz)(1 − σ(βz)) with β = 5). */
  surrogate?: NeuronSurrogate;
  /** Detach the reset in the backward pass (default false). */
  detachReset?: boolean;
  /**
   * Analog-input variant for a first layer fed with pixel values:
   * v′ = (1 − s)(a·v + (b/c)·1.1x) + s·1.1x (default false).
   */
  analogInput?: boolean;
}

/**
 * Coarse-scale LIF:
 *   v′ = (1 − s)(a·v + b·x) + s·c·x,   s′ = H(v′ − θ)
 * After a spike the neuron is refractory for the step, and only inputs arriving after the refractory
 * period count, with expected weight c. Runs on the fused LIF kernel (zero reset with β = a, input gain
 * b, refractory gain c).
 */
export class CoarseLIF extends LIF {
  override readonly kind: string = "CoarseLIF";
  /** Leak time constant in steps. */
  readonly tau: number;
  readonly constants: CoarseConstants;
  readonly analogInput: boolean;

  constructor(options: CoarseLIFOptions = {}) {
    const constants = coarseConstants(options.tau ?? 4);
    super({
      beta: constants.a,
      threshold: options.threshold ?? 1,
      reset: "zero",
      detachReset: options.detachReset ?? false,
      surrogate: options.noise === undefined ? (options.surrogate ?? { name: "sigmoid", param: 5 }) : options.surrogate,
      h0: options.h0 ?? 0.5,
      // Analog-input variant: v′ = (1 − s)(a·v + (b/c)·1.1x) + s·1.1x.
      inputGain: options.analogInput ? (1.1 * constants.b) / constants.c : constants.b,
      refractoryGain: options.analogInput ? 1.1 : constants.c,
      noise: options.noise,
      rng: options.rng,
      seed: options.seed,
      evalMode: options.evalMode,
    }, 0.95, "CoarseLIF");
    this.tau = options.tau ?? 4;
    this.constants = constants;
    this.analogInput = options.analogInput ?? false;
  }
}
