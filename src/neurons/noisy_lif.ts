// The noisy LIF of Ma, Yan & Tang (2023), and noise-driven learning: a LIF whose spikes are drawn with
// probability F_ε(u − θ), trained with the noise density f_ε as the spike's gradient.
import { ValueError } from "../errors.js";
import { defaultRng, Rng } from "../random/rng.js";
import { type MembraneNoise, membraneNoise, noiseCdf, noiseDensity, noiseSurrogate, parseNoise, sampleNoise } from "../surrogate/noise.js";
import { zeros } from "../tensor/creation.js";
import { allocTensor } from "../tensor/op_util.js";
import type { Tensor } from "../tensor/tensor.js";
import { lif } from "./lif.js";
import { type LifOptions, type LifParams, lifParams } from "./lif_params.js";
import { type NeuronRun, type NeuronState, SpikingNeuron, stepOf } from "./neuron.js";

/**
 * What a noisy layer computes in evaluation mode (after `.eval()`): "sample" draws spikes as in training
 * (binary spikes, what the network is; average k passes for an ensemble), "expected" replaces each spike by
 * its probability F_ε(u − θ) (a deterministic rate network, not a spiking one).
 */
export const NOISY_EVAL_MODES = ["sample", "expected"] as const;
/** An evaluation mode of a noisy layer. */
export type NoisyEvalMode = (typeof NOISY_EVAL_MODES)[number];

/** Options of a noisy LIF layer: the LIF's (its surrogate is the noise density) and the noise. */
export interface NoisyLIFOptions extends Omit<LifOptions, "surrogate" | "surrogateParam" | "learnBeta" | "learnThreshold" | "size"> {
  /** Membrane noise: { family, scale } or "family:scale" (default gaussian:0.3). */
  noise?: MembraneNoise | string;
  /** Generator of the noise draws (default: Rng(seed), or the global generator without a seed). */
  rng?: Rng;
  /** Seed of the layer's own generator. */
  seed?: number;
  /** Evaluation mode (default "sample"). */
  evalMode?: NoisyEvalMode;
}

/**
 * Noisy LIF layer (NSNN): the LIF recurrence (default β = 0.5, θ = 1, subtract reset) with spikes
 *   s[t] = H(m[t] + ε[t] − θ),  ε[t] drawn afresh for every neuron and step,
 * so P(s[t] = 1) = F_ε(m[t] − θ) for the symmetric noise families. The backward pass is noise-driven
 * learning: ∂s/∂m := f_ε(m − θ) = dE[s]/dm. As the scale → 0 the layer is the deterministic LIF. The
 * authors' NILIF (decay u/τ with τ = 2, hard reset after the spike) is { convention: "norse", tau: 2 }.
 * Its state carries the last spikes: a drawn spike cannot be recomputed from the membrane.
 */
export class NoisyLIF extends SpikingNeuron {
  readonly noise: MembraneNoise;
  /** The sampling layer's parameters (surrogate: the noise density). */
  readonly params: LifParams;
  /** The parameters of evaluation in "expected" mode (spike function F_ε, gradient f_ε). */
  private readonly expectedParams: LifParams;
  readonly rng: Rng;
  evalMode: NoisyEvalMode;

  constructor(options: NoisyLIFOptions = {}) {
    super();
    const given = options as NoisyLIFOptions & { surrogate?: unknown; learnBeta?: unknown; learnThreshold?: unknown };
    if (given.surrogate !== undefined) throw new ValueError("NoisyLIF: surrogate", "none: the gradient is the density of the noise", "a surrogate");
    if (given.learnBeta || given.learnThreshold) throw new ValueError("NoisyLIF: learnBeta/learnThreshold", "false (not supported by noisy layers)", true);
    const noise = options.noise ?? "gaussian:0.3";
    this.noise = typeof noise === "string" ? parseNoise(noise, "NoisyLIF: noise") : membraneNoise(noise.family, noise.scale, "NoisyLIF: noise");
    const lifOptions: LifOptions = { beta: options.beta, tau: options.tau, threshold: options.threshold, reset: options.reset, detachReset: options.detachReset, h0: options.h0, inputGain: options.inputGain, refractoryGain: options.refractoryGain, convention: options.convention };
    this.params = lifParams({ ...lifOptions, surrogate: noiseSurrogate(this.noise) }, "NoisyLIF", 0.5);
    const cdf = (x: number) => noiseCdf(this.noise, x);
    const density = (x: number) => noiseDensity(this.noise, x);
    this.expectedParams = lifParams({ ...lifOptions, surrogate: { forward: cdf, derivative: density } }, "NoisyLIF", 0.5);
    if (options.rng && options.seed !== undefined) throw new ValueError("NoisyLIF: rng/seed", "either rng or seed, not both", [options.seed]);
    this.rng = options.rng ?? (options.seed !== undefined ? new Rng(options.seed) : defaultRng());
    this.evalMode = options.evalMode ?? "sample";
    if (!NOISY_EVAL_MODES.includes(this.evalMode)) throw new ValueError("NoisyLIF: evalMode", NOISY_EVAL_MODES.join(" or "), this.evalMode);
  }

  /** Draws ε of x's shape on x's backend. */
  private drawNoise(x: Tensor): Tensor {
    const eps = allocTensor(x.shape, "float32", x.backend);
    sampleNoise(this.noise, this.rng, eps.storage.f32());
    return eps;
  }

  run(x: Tensor, initial: NeuronState | null = null): NeuronRun {
    // From rest no spike precedes step 0 (in expected mode H(−θ) would become F_ε(−θ) > 0).
    const state = { mem: initial?.mem ?? null, spk: initial?.spk ?? zeros(x.shape.slice(1), { backend: x.backend }) };
    const expected = !this.training && this.evalMode === "expected";
    const r = expected ? lif(x, this.expectedParams, state) : lif(x, this.params, state, {}, this.drawNoise(x));
    const last = x.shape[0] - 1;
    return { ...r, final: { mem: stepOf(r.membrane, last), spk: stepOf(r.spikes, last) } };
  }
}
