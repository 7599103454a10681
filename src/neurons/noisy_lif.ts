// The noisy LIF of Ma, Yan & Tang (2023), with the defaults SPECS §5 reads from the paper: a LIF layer
// with membrane noise (lif_module.ts), β = 0.5, θ = 1, subtract reset and Gaussian noise of σ = 0.3.
import { LIF, type LIFOptions } from "./lif_module.js";

/** Options of a noisy LIF layer: a LIF's, with the noise defaulting to gaussian:0.3. */
export type NoisyLIFOptions = LIFOptions;

/**
 * Noisy LIF layer (NSNN): the LIF recurrence (default β = 0.5, θ = 1, subtract reset) with spikes
 *   s[t] = H(m[t] + ε[t] − θ),  ε[t] drawn afresh for every neuron and step,
 * so P(s[t] = 1) = F_ε(m[t] − θ) for the symmetric noise families. The backward pass is noise-driven
 * learning: ∂s/∂m := f_ε(m − θ) = dE[s]/dm. As the scale → 0 the layer is the deterministic LIF. The
 * authors' NILIF (decay u/τ with τ = 2, hard reset after the spike) is { convention: "norse", tau: 2 }.
 * Its state carries the last spikes: a drawn spike cannot be recomputed from the membrane.
 */
export class NoisyLIF extends LIF {
  constructor(options: NoisyLIFOptions = {}) {
    super({ ...options, noise: options.noise ?? "gaussian:0.3" }, 0.5, "NoisyLIF");
  }
}
