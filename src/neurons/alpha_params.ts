// The parameters of the alpha neuron: its options and the one function that validates them.
import type { ResetMode } from "../backend/kernel_codes.js";
import { checkedNumber, ValueError } from "../errors.js";
import { builtinSurrogate, isCustomSurrogate, type NeuronSurrogate } from "./spike_function.js";

/** Options of the alpha neuron. */
export interface AlphaOptions {
  /** Decay of the excitatory current per step α ∈ (0, 1), α > β (default 0.9). */
  alpha?: number;
  /** Decay of the inhibitory current per step β ∈ (0, 1) (default 0.8). */
  beta?: number;
  /** Threshold θ > 0 (default 1). */
  threshold?: number;
  /** "subtract" (default) or "zero", as snnTorch's Alpha resets. */
  reset?: Exclude<ResetMode, "none">;
  /** Treat the reset as a constant in the backward pass (default true: snnTorch detaches its reset signal). */
  detachReset?: boolean;
  /** Surrogate of H′ (default fast_sigmoid). */
  surrogate?: NeuronSurrogate;
}

/** Validated parameters, with τ_α = ln α / (ln β − ln α) + 1. */
export interface AlphaParams {
  readonly alpha: number;
  readonly beta: number;
  readonly tauAlpha: number;
  readonly threshold: number;
  readonly reset: Exclude<ResetMode, "none">;
  readonly detachReset: boolean;
  readonly surrogate: NeuronSurrogate;
}

/** Checks alpha-neuron options once; a ValueError names the option. */
export function alphaParams(o: AlphaOptions, where = "Alpha"): AlphaParams {
  const alpha = checkedNumber(`${where}: alpha`, o.alpha ?? 0.9, (a) => a > 0 && a < 1, "a number in (0, 1)");
  const beta = checkedNumber(`${where}: beta`, o.beta ?? 0.8, (b) => b > 0 && b < 1, "a number in (0, 1)");
  if (!(alpha > beta)) throw new ValueError(`${where}: alpha/beta`, "alpha > beta (the excitatory current outlasts the inhibitory one)", [alpha, beta]);
  const reset = o.reset ?? "subtract";
  if (reset !== "subtract" && reset !== "zero") throw new ValueError(`${where}: reset`, "subtract | zero", reset);
  const surrogate = o.surrogate ?? "fast_sigmoid";
  if (!isCustomSurrogate(surrogate)) builtinSurrogate(surrogate);
  return {
    alpha,
    beta,
    tauAlpha: Math.log(alpha) / (Math.log(beta) - Math.log(alpha)) + 1,
    threshold: checkedNumber(`${where}: threshold`, o.threshold ?? 1, (t) => t > 0 && t <= 1e9, "a number in (0, 1e9]"),
    reset,
    detachReset: o.detachReset ?? true,
    surrogate,
  };
}
