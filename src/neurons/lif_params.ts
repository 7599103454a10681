// The parameters of the LIF family: one options type for the functional `lif` and every LIF module, and
// the one function that validates it.
import type { ResetMode } from "../backend/kernel_codes.js";
import { ResetCode } from "../backend/kernel_codes.js";
import { checkedNumber, ValueError } from "../errors.js";
import { type ConventionRules, conventionRules, type LifConvention } from "./conventions.js";
import { resolveSurrogate, type SurrogateSpec } from "../surrogate/surrogate.js";
import { builtinSurrogate, type CustomSurrogate, isCustomSurrogate, type NeuronSurrogate } from "./spike_function.js";

/** Options of a LIF recurrence, for `lif(...)` and the modules (LIF, IF, Synaptic, RecurrentLIF). */
export interface LifOptions {
  /** Leak per step β ∈ [0, 1] (default 0.95; 0.9 under the Norse convention). */
  beta?: number;
  /** Membrane time constant in steps; sets β = e^{−1/τ} (1 − 1/τ under Norse's Euler step). Give beta or tau. */
  tau?: number;
  /** Threshold θ > 0 (default 1). */
  threshold?: number;
  /** "subtract" (default), "zero" or "none". */
  reset?: ResetMode;
  /** Treat the reset as a constant in the backward pass (default false; fixed by some conventions). */
  detachReset?: boolean;
  /** Surrogate: a name, { name, param }, or a user pair { forward?, derivative } (default per convention). */
  surrogate?: NeuronSurrogate;
  /** Parameter of a surrogate given by name (default per surrogate). */
  surrogateParam?: number;
  /** H(0): value of the spike function exactly at threshold (default 0). */
  h0?: number;
  /** Input gain g: the membrane adds g·I[t] (default 1; 1 − β under the Norse convention). */
  inputGain?: number;
  /** Zero reset only: gain of the input in the step after a spike (default 0, or g where the convention keeps the input). */
  refractoryGain?: number;
  /** Whose LIF step to follow: "snnkit" (default), "snntorch-0.7", "snntorch" (≥ 0.8) or "norse". */
  convention?: LifConvention;
  /** Modules: learn β (clamped to [0, 1]); one per neuron when `size` is given, else one for the layer. */
  learnBeta?: boolean;
  /** Modules: learn θ; one per neuron when `size` is given, else one for the layer. */
  learnThreshold?: boolean;
  /** Modules: feature shape of one step (without T and B), for per-neuron learnable β and θ. */
  size?: readonly number[];
}

/** Validated LIF parameters: what `lif` runs. Made by lifParams only. */
export interface LifParams {
  readonly kind: "lif-params";
  readonly beta: number;
  readonly threshold: number;
  readonly reset: ResetMode;
  readonly detachReset: boolean;
  /** A built-in surrogate, resolved to { name, param }, or a user pair. */
  readonly surrogate: SurrogateSpec | CustomSurrogate;
  readonly h0: number;
  readonly inputGain: number;
  readonly refractoryGain: number;
  readonly convention: LifConvention;
  readonly rules: ConventionRules;
}

/** Whether a value is validated parameters rather than options. */
export function isLifParams(p: LifOptions | LifParams): p is LifParams {
  return (p as LifParams).kind === "lif-params";
}

/**
 * Checks LIF options once and resolves their defaults and the convention's rules; a ValueError names the
 * option (prefixed by `where`) and what it expects.
 */
export function lifParams(options: LifOptions, where = "lif", defaultBeta = 0.95): LifParams {
  const convention = options.convention ?? "snnkit";
  const rules = conventionRules(convention, where);
  if (options.beta !== undefined && options.tau !== undefined)
    throw new ValueError(`${where}: beta/tau`, "either beta or tau, not both", [options.beta, options.tau]);
  let beta: number;
  if (options.tau === undefined) beta = checkedNumber(`${where}: beta`, options.beta ?? (rules.euler ? 0.9 : defaultBeta), (b) => b >= 0 && b <= 1, "a number in [0, 1]");
  else if (rules.euler) beta = 1 - 1 / checkedNumber(`${where}: tau`, options.tau, (t) => t >= 1, "a number >= 1 (steps; β = 1 − 1/τ)");
  else beta = Math.exp(-1 / checkedNumber(`${where}: tau`, options.tau, (t) => t > 0 && t <= 1e12, "a number in (0, 1e12] (steps)"));
  const threshold = checkedNumber(`${where}: threshold`, options.threshold ?? 1, (t) => t > 0, "a finite number > 0");
  const reset = options.reset ?? rules.reset ?? "subtract";
  if (!Object.hasOwn(ResetCode, reset)) throw new ValueError(`${where}: reset`, `"subtract", "zero" or "none"`, reset);
  if (rules.reset && reset !== rules.reset) throw new ValueError(`${where}: reset`, `"${rules.reset}" under the ${convention} convention`, reset);
  if (rules.detachReset !== null && options.detachReset !== undefined && options.detachReset !== rules.detachReset)
    throw new ValueError(`${where}: detachReset`, `${rules.detachReset} under the ${convention} convention`, options.detachReset);
  if (rules.euler && options.learnBeta) throw new ValueError(`${where}: learnBeta`, `false under the ${convention} convention (its input gain is 1 − β)`, true);
  const named = options.surrogate ?? rules.surrogate;
  let surrogate: SurrogateSpec | CustomSurrogate;
  if (isCustomSurrogate(named)) surrogate = named;
  else if (typeof named === "string") surrogate = resolveSurrogate(named, options.surrogateParam);
  else surrogate = builtinSurrogate(named);
  const inputGain = checkedNumber(`${where}: inputGain`, options.inputGain ?? (rules.euler ? 1 - beta : 1), Number.isFinite, "a finite number");
  const refractoryGain = checkedNumber(
    `${where}: refractoryGain`,
    options.refractoryGain ?? (rules.keepInputAfterSpike ? inputGain : 0),
    Number.isFinite,
    "a finite number",
  );
  return {
    kind: "lif-params",
    beta,
    threshold,
    reset,
    detachReset: rules.detachReset ?? options.detachReset ?? false,
    surrogate,
    h0: checkedNumber(`${where}: h0`, options.h0 ?? 0, (h) => h >= 0 && h <= 1, "a number in [0, 1]"),
    inputGain,
    refractoryGain,
    convention,
    rules,
  };
}
