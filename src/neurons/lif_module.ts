// LIF and IF neuron layers: thin modules over the functional `lif` (lif.ts), holding validated
// parameters and the learnable β and θ.
import type { ResetMode } from "../backend/kernel_codes.js";
import { ValueError } from "../errors.js";
import { full, zeros } from "../tensor/creation.js";
import type { Tensor } from "../tensor/tensor.js";
import type { ConventionRules, LifConvention } from "./conventions.js";
import { lif } from "./lif.js";
import { type LifOptions, type LifParams, lifParams } from "./lif_params.js";
import type { MembraneNoise } from "../surrogate/noise.js";
import { type NoiseOptions, NoiseSource } from "./membrane_noise.js";
import { type NeuronRun, type NeuronState, SpikingNeuron, stepOf } from "./neuron.js";
import type { NeuronSurrogate } from "./spike_function.js";

/** Options of a LIF layer: the LIF options (one type for the functional `lif` and the modules), and membrane noise. */
/**
 * Leaky integrate-and-fire layer (snnTorch's Leaky):
 *   m[t] = β·m[t−1] + I[t] − θ·s[t−1]   (reset subtract; zero: (β·m[t−1] + I[t])(1 − s[t−1]))
 *   s[t] = H(m[t] − θ)
 * `convention` selects snnTorch's or Norse's variant of the step (see `LifConvention`). The layer runs
 * the functional `lif` with its validated parameters and, when learned, its β and θ tensors.
 * With `noise` it is a noisy LIF (Ma, Yan & Tang 2023): s[t] = H(m[t] + ε[t] − θ) with ε drawn afresh per
 * neuron and step, so it fires with probability F_ε(m − θ); its gradient is the noise density f_ε(m − θ)
 * (noise-driven learning; no `surrogate`), and its state carries the drawn spikes. `injection` puts the
 * noise into the input current instead, or in both places (NOISE_INJECTIONS). See NoisyLIF.
 */
export class LIF extends SpikingNeuron {
  override readonly kind: string = "LIF";
  /** The validated parameters the layer runs. */
  readonly params: LifParams;
  /** Learnable β (when learnBeta), else null. */
  readonly betaParam: Tensor | null;
  /** Learnable θ (when learnThreshold), else null. */
  readonly thresholdParam: Tensor | null;

  /** The membrane noise of a noisy layer (null: deterministic). */
  readonly noiseSource: NoiseSource | null;
  /** A noisy layer's parameters in "expected" evaluation mode (spike function F_ε, gradient f_ε). */
  private readonly expectedParams: LifParams | null;

  constructor(options: LifOptions & NoiseOptions = {}, defaultBeta = 0.95, where = "LIF") {
    super();
    const { noise, rng, seed, evalMode, injection, ...lifOptions } = options;
    if (noise === undefined) {
      if (rng !== undefined || seed !== undefined || evalMode !== undefined || injection !== undefined)
        throw new ValueError(`${where}: rng/seed/evalMode/injection`, "only with noise", "no noise");
      this.noiseSource = null;
      this.expectedParams = null;
      this.params = lifParams(lifOptions, where, defaultBeta);
    } else {
      if (lifOptions.surrogate !== undefined) throw new ValueError(`${where}: surrogate`, "none with noise (the gradient is the noise density)", "a surrogate");
      this.noiseSource = new NoiseSource({ noise, rng, seed, evalMode, injection }, where);
      this.params = lifParams({ ...lifOptions, surrogate: this.noiseSource.density() }, where, defaultBeta);
      this.expectedParams = lifParams({ ...lifOptions, surrogate: this.noiseSource.expected() }, where, defaultBeta);
    }
    const shape = options.size ? [...options.size] : [1];
    this.betaParam = options.learnBeta ? this.addParameter("beta", full(shape, this.params.beta)) : null;
    this.thresholdParam = options.learnThreshold ? this.addParameter("threshold", full(shape, this.params.threshold)) : null;
  }

  /** The membrane noise of a noisy layer, or null. */
  get noise(): MembraneNoise | null {
    return this.noiseSource?.noise ?? null;
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
    const learned = { beta: this.betaParam, threshold: this.thresholdParam };
    const last = x.shape[0] - 1;
    const source = this.noiseSource;
    if (!source) {
      const r = lif(x, this.params, { mem: initial?.mem ?? null, spk: initial?.spk ?? null }, learned);
      // A membrane returned after its reset (Norse) owes no reset to the next step: its s[−1] is 0, a
      // constant (H(m − θ) of a reset membrane is 0 too, but its surrogate gradient would count the reset twice).
      if (this.rules.membraneAfterReset) return { ...r, final: { mem: stepOf(r.membrane, last), spk: zeros(x.shape.slice(1), { backend: x.backend }) } };
      return { ...r, final: { mem: stepOf(r.membrane, last) } };
    }
    // From rest no spike precedes step 0 (in expected mode H(−θ) would become F_ε(−θ) > 0). Spikes carried
    // from a previous run are the ones drawn there, with their surrogate gradient (so runs in chunks are exact).
    const state = { mem: initial?.mem ?? null, spk: initial?.spk ?? zeros(x.shape.slice(1), { backend: x.backend }), spkSurrogate: initial?.spk !== undefined };
    let r;
    if (!this.training && source.evalMode === "expected") r = lif(x, this.expectedParams!, state, learned);
    else {
      const current = source.withCurrentNoise(x);
      r = lif(current, this.params, state, learned, source.escapeNoise(x));
    }
    return { ...r, final: { mem: stepOf(r.membrane, last), spk: stepOf(r.spikes, last) } };
  }
}

/** Integrate-and-fire layer: a LIF without leak (β = 1). */
export class IF extends LIF {
  override readonly kind: string = "IF";
  constructor(options: Omit<LifOptions & NoiseOptions, "beta" | "tau" | "learnBeta"> = {}) {
    super({ ...options, beta: 1 }, 1, "IF");
  }
}
