// The noise part of a noisy LIF layer (Ma, Yan & Tang 2023): its membrane noise, the generator it draws
// from, and what it computes in evaluation mode. LIF layers given a `noise` option use it.
import { ValueError } from "../errors.js";
import { defaultRng, Rng } from "../random/rng.js";
import { type MembraneNoise, membraneNoise, noiseCdf, noiseDensity, noiseSurrogate, parseNoise } from "../surrogate/noise.js";
import type { SurrogateSpec } from "../surrogate/surrogate.js";
import { allocTensor } from "../tensor/op_util.js";
import { add } from "../tensor/ops/elementwise.js";
import type { Tensor } from "../tensor/tensor.js";
import { sampleNoise } from "../surrogate/noise.js";
import type { CustomSurrogate } from "./spike_function.js";

/**
 * What a noisy layer computes in evaluation mode (after `.eval()`): "sample" draws spikes as in training
 * (binary spikes, what the network is; average k passes for an ensemble), "expected" replaces each spike by
 * its probability F_ε(u − θ) (a deterministic rate network, not a spiking one).
 */
export const NOISY_EVAL_MODES = ["sample", "expected"] as const;
/** An evaluation mode of a noisy layer. */
export type NoisyEvalMode = (typeof NOISY_EVAL_MODES)[number];

/**
 * Where the noise enters a noisy layer:
 * - "escape" (default; snnTorch's NoisyLeaky): at the threshold, s[t] = H(m[t] + ε[t] − θ), drawn afresh
 *   each step and not kept in the membrane, so P(s = 1) = F_ε(m − θ);
 * - "diffusive": into the input current, I[t] + η[t], so the membrane carries it from step to step and the
 *   spike is H(m[t] − θ) of that noisy membrane;
 * - "both": a diffusive draw and an escape draw per neuron and step, as the authors' NILIF code does
 *   (u ← u/τ + x − η, then a Bernoulli spike of probability F_ε(u − θ)).
 * In every case the gradient of the spike is the noise density at the membrane the spike sees.
 */
export const NOISE_INJECTIONS = ["escape", "diffusive", "both"] as const;
/** Where a noisy layer's noise enters. */
export type NoiseInjection = (typeof NOISE_INJECTIONS)[number];

/** Options of a layer's membrane noise. */
export interface NoiseOptions {
  /** Membrane noise: { family, scale } or "family:scale" (e.g. "gaussian:0.3"); none: a deterministic layer. */
  noise?: MembraneNoise | string;
  /** Where the noise enters (default "escape"; see NOISE_INJECTIONS). */
  injection?: NoiseInjection;
  /** Generator of the noise draws (default: Rng(seed), or the global generator without a seed). */
  rng?: Rng;
  /** Seed of the layer's own generator. */
  seed?: number;
  /** Evaluation mode (default "sample"). */
  evalMode?: NoisyEvalMode;
}

/** A noisy layer's noise, generator and evaluation mode; `where` prefixes error messages. */
export class NoiseSource {
  readonly noise: MembraneNoise;
  readonly rng: Rng;
  readonly injection: NoiseInjection;
  evalMode: NoisyEvalMode;

  constructor(options: NoiseOptions & { noise: MembraneNoise | string }, where: string) {
    const n = options.noise;
    this.noise = typeof n === "string" ? parseNoise(n, `${where}: noise`) : membraneNoise(n.family, n.scale, `${where}: noise`);
    if (options.rng && options.seed !== undefined) throw new ValueError(`${where}: rng/seed`, "either rng or seed, not both", [options.seed]);
    this.rng = options.rng ?? (options.seed !== undefined ? new Rng(options.seed) : defaultRng());
    this.evalMode = options.evalMode ?? "sample";
    if (!NOISY_EVAL_MODES.includes(this.evalMode)) throw new ValueError(`${where}: evalMode`, NOISY_EVAL_MODES.join(" or "), this.evalMode);
    this.injection = options.injection ?? "escape";
    if (!NOISE_INJECTIONS.includes(this.injection)) throw new ValueError(`${where}: injection`, NOISE_INJECTIONS.join(", "), this.injection);
    // The mean-field network is closed-form for escape noise only (a diffusive membrane has no F_ε(m − θ)).
    if (this.evalMode === "expected" && this.injection !== "escape") throw new ValueError(`${where}: evalMode`, `"sample" with ${this.injection} noise (the expected network exists for escape noise only)`, "expected");
  }

  /** The input current with the diffusive draw η added (x unchanged for escape noise); η is a constant for the backward pass. */
  withCurrentNoise(x: Tensor): Tensor {
    return this.injection === "escape" ? x : add(x, this.draw(x));
  }

  /** The escape draw ε of x's shape, or null when the noise is diffusive only. Drawn after withCurrentNoise's η. */
  escapeNoise(x: Tensor): Tensor | null {
    return this.injection === "diffusive" ? null : this.draw(x);
  }

  /** The sampling layer's surrogate: the noise density f_ε (noise-driven learning). */
  density(): SurrogateSpec {
    return noiseSurrogate(this.noise);
  }

  /** The mean-field spike function: forward F_ε, derivative f_ε. */
  expected(): CustomSurrogate {
    return { forward: (x) => noiseCdf(this.noise, x), derivative: (x) => noiseDensity(this.noise, x) };
  }

  /** Draws ε of x's shape on x's backend. */
  draw(x: Tensor): Tensor {
    const eps = allocTensor(x.shape, "float32", x.backend);
    sampleNoise(this.noise, this.rng, eps.storage.f32());
    return eps;
  }
}
