// LIF and IF neuron layers: thin modules over the functional `lif` (lif.ts), holding validated
// parameters and the learnable β and θ.
import type { ResetMode } from "../backend/kernel_codes.js";
import { full } from "../tensor/creation.js";
import type { Tensor } from "../tensor/tensor.js";
import type { ConventionRules, LifConvention } from "./conventions.js";
import { lif } from "./lif.js";
import { type LifOptions, type LifParams, lifParams } from "./lif_params.js";
import { type NeuronRun, type NeuronState, SpikingNeuron, stepOf } from "./neuron.js";
import type { NeuronSurrogate } from "./spike_function.js";

/** Options of a LIF layer: the LIF options (one type for the functional `lif` and the modules). */
export type LIFOptions = LifOptions;

/**
 * Leaky integrate-and-fire layer (snnTorch's Leaky):
 *   m[t] = β·m[t−1] + I[t] − θ·s[t−1]   (reset subtract; zero: (β·m[t−1] + I[t])(1 − s[t−1]))
 *   s[t] = H(m[t] − θ)
 * `convention` selects snnTorch's or Norse's variant of the step (see `LifConvention`). The layer runs
 * the functional `lif` with its validated parameters and, when learned, its β and θ tensors.
 */
export class LIF extends SpikingNeuron {
  /** The validated parameters the layer runs. */
  readonly params: LifParams;
  /** Learnable β (when learnBeta), else null. */
  readonly betaParam: Tensor | null;
  /** Learnable θ (when learnThreshold), else null. */
  readonly thresholdParam: Tensor | null;

  constructor(options: LifOptions = {}, defaultBeta = 0.95) {
    super();
    this.params = lifParams(options, "LIF", defaultBeta);
    const shape = options.size ? [...options.size] : [1];
    this.betaParam = options.learnBeta ? this.addParameter("beta", full(shape, this.params.beta)) : null;
    this.thresholdParam = options.learnThreshold ? this.addParameter("threshold", full(shape, this.params.threshold)) : null;
  }

  get beta(): number {
    return this.params.beta;
  }
  get threshold(): number {
    return this.params.threshold;
  }
  get reset(): ResetMode {
    return this.params.reset;
  }
  get detachReset(): boolean {
    return this.params.detachReset;
  }
  get surrogate(): NeuronSurrogate {
    return this.params.surrogate;
  }
  get h0(): number {
    return this.params.h0;
  }
  get convention(): LifConvention {
    return this.params.convention;
  }
  get rules(): ConventionRules {
    return this.params.rules;
  }

  run(x: Tensor, initial: NeuronState | null = null): NeuronRun {
    const r = lif(x, this.params, { mem: initial?.mem ?? null }, { beta: this.betaParam, threshold: this.thresholdParam });
    return { ...r, final: { mem: stepOf(r.membrane, x.shape[0] - 1) } };
  }
}

/** Integrate-and-fire layer: a LIF without leak (β = 1). */
export class IF extends LIF {
  constructor(options: Omit<LifOptions, "beta" | "tau" | "learnBeta"> = {}) {
    super({ ...options, beta: 1 });
  }
}
