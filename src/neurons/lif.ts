// The functional LIF: validated parameters in, spikes and membranes out; it chooses the fused kernel or
// the composed per-step path. The LIF modules (LIF, IF, CoarseLIF, Synaptic, RecurrentLIF) call it.
import { clamp, mul, sub } from "../tensor/ops/elementwise.js";
import type { Tensor } from "../tensor/tensor.js";
import { lifComposed } from "./lif_composed.js";
import { lifFused, type LifResult } from "./lif_op.js";
import { isLifParams, type LifOptions, type LifParams, lifParams } from "./lif_params.js";
import { isCustomSurrogate } from "./spike_function.js";

/** The state a LIF recurrence starts from: the membrane of one step (default zeros) and the spikes of that step (default H(mem − θ)). */
export interface LifState {
  mem?: Tensor | null;
  spk?: Tensor | null;
  /** Given spikes take the surrogate gradient σ′(mem − θ), as if they were H(mem − θ) (spikes a noisy layer drew); default: constants. */
  spkSurrogate?: boolean;
}

/** Learnable β and θ (tensors broadcast against one step), replacing the numbers of the parameters. */
export interface LifLearned {
  beta?: Tensor | null;
  threshold?: Tensor | null;
}

/**
 * Runs T steps of LIF neurons on currents [T, ...] from `state`:
 *   m[t] = β·m[t−1] + g·I[t] − θ·s[t−1]                          reset "subtract" (default)
 *   m[t] = (β·m[t−1] + g·I[t])·(1 − s[t−1]) + s[t−1]·g_r·I[t]    reset "zero"
 *   m[t] = β·m[t−1] + g·I[t]                                     reset "none"
 *   s[t] = H(m[t] + ε[t] − θ)
 * with membrane noise ε [T, ...] when `noise` is given (noisy neurons: they fire with probability
 * F_ε(m − θ); the backward pass takes the surrogate, which should be the noise density), else ε = 0.
 * `options` are checked once by lifParams (or passed already validated). The fused kernel runs one call
 * forward and one backward; learnable β or θ, or a user surrogate, take the composed per-step path, which
 * computes the same recurrence with differentiable ops. Under the Norse convention the membrane returned
 * is the one after the reset of the same step.
 */
export function lif(input: Tensor, options: LifOptions | LifParams = {}, state: LifState | null = null, learned: LifLearned = {}, noise: Tensor | null = null): LifResult {
  const p = isLifParams(options) ? options : lifParams(options);
  const mem0 = state?.mem ?? null;
  const spk0 = state?.spk ?? null;
  let r: LifResult;
  if (learned.beta || learned.threshold || isCustomSurrogate(p.surrogate)) {
    r = lifComposed(input, {
      beta: learned.beta ? clamp(learned.beta, 0, 1) : p.beta,
      threshold: learned.threshold ?? p.threshold,
      reset: p.reset,
      detachReset: p.detachReset,
      surrogate: p.surrogate,
      h0: p.h0,
      inputGain: p.inputGain,
      refractoryGain: p.refractoryGain,
      mem0,
      spk0,
      spk0Surrogate: state?.spkSurrogate ?? false,
      noise,
    });
  } else r = lifFused(input, p, { mem0, spk0, noise, spk0Surrogate: state?.spkSurrogate ?? false });
  // Norse returns the membrane after the reset of the same step; from it the zero-reset recurrence (with
  // the input kept) continues unchanged, since H(m − θ) = 0 after a reset.
  if (p.rules.membraneAfterReset) r = { spikes: r.spikes, membrane: mul(r.membrane, sub(1, r.spikes)) };
  return r;
}
