// The noisy LIF of Ma, Yan & Tang (2023), with the defaults read from the paper (docs/noisy-snns.md): a LIF layer
// with membrane noise (lif_module.ts), β = 0.5, θ = 1, subtract reset and Gaussian noise of σ = 0.3; and
// the authors' own neuron (their NILIF code) as one option.
import { ValueError } from "../errors.js";
import { LIF } from "./lif_module.js";
import type { LifOptions } from "./lif_params.js";
import type { NoiseOptions } from "./membrane_noise.js";

/** Which noisy LIF: ours (escape noise, subtract reset) or the authors' NILIF. */
export const NOISY_LIF_VARIANTS = ["snnkit", "nilif"] as const;
/** A noisy LIF variant. */
export type NoisyLIFVariant = (typeof NOISY_LIF_VARIANTS)[number];

/** Options of a noisy LIF layer: a LIF's, with the noise defaulting to gaussian:0.3, and the variant. */
export type NoisyLIFOptions = LifOptions & NoiseOptions & {
  /**
   * "snnkit" (default): the options as given. "nilif": the authors' NILIF update (their models/NILIF.py),
   *   u[t] = u[t−1]·(1 − o[t−1])/τ + x[t] − η[t],   o[t] ~ Bernoulli(F_ε(u[t] − θ)),
   * with τ = 2 (β = 0.5), input gain 1, a hard reset that keeps the next step's input (zero reset with
   * refractory gain 1, the reset in the gradient as their code has it), and both noise draws ("both"
   * injection: η carried in the membrane, ε at the threshold). Their code's constructor defaults to
   * σ = 0.4; `noise` sets it (default gaussian:0.3 here too).
   */
  variant?: NoisyLIFVariant;
};

/** The options the NILIF variant fixes; giving one of them with variant "nilif" is an error. */
const NILIF_FIXED = ["beta", "tau", "reset", "inputGain", "refractoryGain", "convention", "detachReset", "injection", "h0"] as const;

/**
 * Noisy LIF layer (NSNN): the LIF recurrence (default β = 0.5, θ = 1, subtract reset) with spikes
 *   s[t] = H(m[t] + ε[t] − θ),  ε[t] drawn afresh for every neuron and step,
 * so P(s[t] = 1) = F_ε(m[t] − θ) for the symmetric noise families. The backward pass is noise-driven
 * learning: ∂s/∂m := f_ε(m − θ) = dE[s]/dm. As the scale → 0 the layer is the deterministic LIF. The
 * authors' NILIF (u ← u/τ + x with diffusive noise and a hard reset) is `{ variant: "nilif" }`.
 * Its state carries the last spikes: a drawn spike cannot be recomputed from the membrane.
 */
export class NoisyLIF extends LIF {
  override readonly kind: string = "NoisyLIF";
  /** The variant the layer follows. */
  readonly variant: NoisyLIFVariant;

  constructor(options: NoisyLIFOptions = {}) {
    const { variant = "snnkit", ...rest } = options;
    if (!NOISY_LIF_VARIANTS.includes(variant)) throw new ValueError("NoisyLIF: variant", NOISY_LIF_VARIANTS.join(" or "), variant);
    if (variant === "nilif") {
      const clash = NILIF_FIXED.find((k) => rest[k] !== undefined);
      if (clash) throw new ValueError(`NoisyLIF: ${clash}`, `nothing with variant "nilif", which fixes ${NILIF_FIXED.join(", ")}`, rest[clash]);
    }
    const fixed: LifOptions & NoiseOptions = variant === "nilif" ? { beta: 0.5, reset: "zero", refractoryGain: 1, injection: "both" } : {};
    super({ ...rest, ...fixed, noise: rest.noise ?? "gaussian:0.3" }, 0.5, "NoisyLIF");
    this.variant = variant;
  }
}
