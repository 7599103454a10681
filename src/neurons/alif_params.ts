// The parameters of the adaptive LIF: its options and the one function that validates them.
import type { ResetMode } from "../backend/kernel_codes.js";
import { checkedNumber, ValueError } from "../errors.js";
import { builtinSurrogate, isCustomSurrogate, type NeuronSurrogate } from "./spike_function.js";

/** Options of the adaptive LIF. */
export interface AlifOptions {
  /** Membrane leak per step β ∈ [0, 1] (default 0.95). */
  beta?: number;
  /** Baseline threshold θ > 0 (default 1). */
  threshold?: number;
  /** Decay of the adaptation per step ρ ∈ [0, 1) (default e^(−1/τₐ) with τₐ = 200 steps). Give rho or tauAdapt. */
  rho?: number;
  /** Adaptation time constant τₐ in steps (ρ = e^(−1/τₐ)). */
  tauAdapt?: number;
  /** Adaptation strength γ ≥ 0: the threshold is θ + γ·a (default 1.8, Bellec et al.'s β). */
  gamma?: number;
  /** Input gain g (default 1; Bellec et al. use 1 − β). */
  inputGain?: number;
  /** "subtract" (default: by the threshold of the step, A[t]) or "zero". */
  reset?: Exclude<ResetMode, "none">;
  /** Zero reset only: gain of the input in the step after a spike (default 0). */
  refractoryGain?: number;
  /** Treat the reset as a constant in the backward pass (default false). The adaptation keeps its gradient. */
  detachReset?: boolean;
  /** Surrogate of H′ (default fast_sigmoid). */
  surrogate?: NeuronSurrogate;
  /** H(0) (default 0). */
  h0?: number;
}

/** Validated ALIF parameters. */
export interface AlifParams {
  readonly beta: number;
  readonly threshold: number;
  readonly rho: number;
  readonly gamma: number;
  readonly inputGain: number;
  readonly reset: Exclude<ResetMode, "none">;
  readonly refractoryGain: number;
  readonly detachReset: boolean;
  readonly surrogate: NeuronSurrogate;
  readonly h0: number;
}

/** Checks ALIF options once; a ValueError names the option. */
export function alifParams(o: AlifOptions, where = "ALIF"): AlifParams {
  if (o.rho !== undefined && o.tauAdapt !== undefined) throw new ValueError(`${where}: rho/tauAdapt`, "either rho or tauAdapt, not both", [o.rho, o.tauAdapt]);
  const tauAdapt = checkedNumber(`${where}: tauAdapt`, o.tauAdapt ?? 200, (t) => t > 0 && t <= 1e9, "a number of steps in (0, 1e9]");
  const reset = o.reset ?? "subtract";
  if (reset !== "subtract" && reset !== "zero") throw new ValueError(`${where}: reset`, "subtract | zero", reset);
  const surrogate = o.surrogate ?? "fast_sigmoid";
  if (!isCustomSurrogate(surrogate)) builtinSurrogate(surrogate);
  return {
    beta: checkedNumber(`${where}: beta`, o.beta ?? 0.95, (b) => b >= 0 && b <= 1, "a number in [0, 1]"),
    threshold: checkedNumber(`${where}: threshold`, o.threshold ?? 1, (t) => t > 0 && t <= 1e9, "a number in (0, 1e9]"),
    rho: o.rho === undefined ? Math.exp(-1 / tauAdapt) : checkedNumber(`${where}: rho`, o.rho, (r) => r >= 0 && r < 1, "a number in [0, 1)"),
    gamma: checkedNumber(`${where}: gamma`, o.gamma ?? 1.8, (g) => g >= 0 && g <= 1e9, "a number in [0, 1e9]"),
    inputGain: checkedNumber(`${where}: inputGain`, o.inputGain ?? 1, Number.isFinite, "a finite number"),
    reset,
    refractoryGain: checkedNumber(`${where}: refractoryGain`, o.refractoryGain ?? 0, Number.isFinite, "a finite number"),
    detachReset: o.detachReset ?? false,
    surrogate,
    h0: checkedNumber(`${where}: h0`, o.h0 ?? 0, (h) => h >= 0 && h <= 1, "a number in [0, 1]"),
  };
}
