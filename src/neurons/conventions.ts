// Reset and discretisation conventions of the LIF family: snnkit's own and those of snnTorch and Norse.
import type { ResetMode } from "../backend/kernel_codes.js";
import { ValueError } from "../errors.js";
import type { NeuronSurrogate } from "./spike_function.js";

/**
 * Whose LIF step a layer follows (u: the membrane before reset, g: input gain):
 *
 * | convention       | zero reset                               | reset in the graph | membrane returned | surrogate default |
 * |------------------|------------------------------------------|--------------------|-------------------|-------------------|
 * | "snnkit"         | u = (βu′ + gI)(1 − s′)                    | yes (detachReset)  | u                 | fast_sigmoid(25)  |
 * | "snntorch-0.7"   | u = (βu′ + I)(1 − s′)                     | detached           | u                 | atan(2)           |
 * | "snntorch"       | u = βu′(1 − s′) + I      (snnTorch ≥ 0.8) | detached           | u                 | atan(2)           |
 * | "norse"          | u = βm′ + (1 − β)I, m = u(1 − H(u − θ))   | yes                | m (after reset)   | fast_sigmoid(100) |
 *
 * (′: the previous step; s′ = H(u′ − θ).) Subtract reset is u = βu′ + gI − θs′ in every convention but
 * Norse, which only resets to a value. snnTorch ≥ 0.8 keeps the input of the step after a spike; ≤ 0.7
 * drops it. Norse resets within the firing step and integrates by forward Euler (β = 1 − dt/τ, input
 * gain dt/τ; its SuperSpike surrogate is fast_sigmoid with k = 100); its spikes equal snnTorch ≥ 0.8's
 * with the same β and gain, and it returns the membrane after the reset.
 */
export type LifConvention = "snnkit" | "snntorch-0.7" | "snntorch" | "norse";

/** What a convention fixes in the LIF recurrence. */
export interface ConventionRules {
  /** Reset mode forced by the convention (Norse: zero), or null to take the layer's. */
  reset: ResetMode | null;
  /** The reset term is detached from the graph (null: the layer's detachReset decides). */
  detachReset: boolean | null;
  /** Refractory gain as a multiple of the input gain (1: the input of the step after a spike is kept). */
  keepInputAfterSpike: boolean;
  /** The membrane returned (and carried as state) is the one after the reset of the same step. */
  membraneAfterReset: boolean;
  /** Euler discretisation: β = 1 − 1/τ and input gain 1 − β, instead of β = e^{−1/τ} and gain 1. */
  euler: boolean;
  /** Surrogate used when the layer names none. */
  surrogate: NeuronSurrogate;
}

const RULES: Record<LifConvention, ConventionRules> = {
  snnkit: { reset: null, detachReset: null, keepInputAfterSpike: false, membraneAfterReset: false, euler: false, surrogate: "fast_sigmoid" },
  "snntorch-0.7": { reset: null, detachReset: true, keepInputAfterSpike: false, membraneAfterReset: false, euler: false, surrogate: { name: "atan", param: 2 } },
  snntorch: { reset: null, detachReset: true, keepInputAfterSpike: true, membraneAfterReset: false, euler: false, surrogate: { name: "atan", param: 2 } },
  norse: { reset: "zero", detachReset: false, keepInputAfterSpike: true, membraneAfterReset: true, euler: true, surrogate: { name: "fast_sigmoid", param: 100 } },
};

/** The rules of a convention; a ValueError names the argument for an unknown one. */
export function conventionRules(convention: string, where: string): ConventionRules {
  if (!Object.hasOwn(RULES, convention))
    throw new ValueError(`${where}: convention`, `"snnkit", "snntorch-0.7", "snntorch" or "norse"`, convention);
  return RULES[convention as LifConvention];
}
