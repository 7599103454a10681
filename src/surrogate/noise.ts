// Membrane noise of noisy spiking neurons (Ma, Yan & Tang 2023). A noisy neuron fires with probability
// F_ε(u − θ), F_ε the CDF of zero-mean symmetric noise ε; equivalently it fires when u + ε > θ for a fresh
// draw ε. Noise-driven learning takes dE[s]/du = f_ε(u − θ), the noise density, as the spike's gradient:
// each family's density is one of the surrogates (gaussian, logistic, rectangle, triangle).
import { ValueError } from "../errors.js";
import type { Rng } from "../random/rng.js";
import { type SurrogateSpec, surrogateDerivative } from "./surrogate.js";

/** The noise families: Gaussian N(0, σ²), logistic(0, s), uniform U(−a, a) and triangular on (−a, a). */
export const NOISE_FAMILIES = ["gaussian", "logistic", "uniform", "triangular"] as const;
/** A noise family. */
export type NoiseFamily = (typeof NOISE_FAMILIES)[number];

/** Membrane noise: a family and its scale (σ, s or the half-width a). */
export interface MembraneNoise {
  readonly family: NoiseFamily;
  readonly scale: number;
}

/** The surrogate that is each family's density. */
const DENSITY: Record<NoiseFamily, SurrogateSpec["name"]> = { gaussian: "gaussian", logistic: "logistic", uniform: "rectangle", triangular: "triangle" };

/** Checks a family and scale (0 < scale ≤ 1e6). */
export function membraneNoise(family: string, scale: number, where = "noise"): MembraneNoise {
  if (!(NOISE_FAMILIES as readonly string[]).includes(family)) throw new ValueError(`${where}: family`, NOISE_FAMILIES.join(", "), family);
  if (!(Number.isFinite(scale) && scale > 0 && scale <= 1e6)) throw new ValueError(`${where}: scale`, "a number in (0, 1e6]", scale);
  return { family: family as NoiseFamily, scale };
}

/** Parses "family:scale" (e.g. "gaussian:0.3"). */
export function parseNoise(text: string, where = "noise"): MembraneNoise {
  const m = /^([a-z]+):(.+)$/.exec(text.trim());
  if (!m) throw new ValueError(where, `family:scale with family one of ${NOISE_FAMILIES.join(", ")} (e.g. gaussian:0.3)`, text);
  const scale = Number(m[2]);
  if (m[2].trim() === "" || !Number.isFinite(scale)) throw new ValueError(`${where}: scale`, "a number in (0, 1e6]", m[2]);
  return membraneNoise(m[1], scale, where);
}

/** "family:scale". */
export function formatNoise(noise: MembraneNoise): string {
  return `${noise.family}:${noise.scale}`;
}

/** The noise density f_ε as a surrogate: gaussian(σ), logistic(s), rectangle(a) for uniform, triangle(a) for triangular. */
export function noiseSurrogate(noise: MembraneNoise): SurrogateSpec {
  return { name: DENSITY[noise.family], param: noise.scale };
}

/** The density f_ε(x). */
export function noiseDensity(noise: MembraneNoise, x: number): number {
  return surrogateDerivative(DENSITY[noise.family], x, noise.scale);
}

/**
 * The CDF F_ε(x): the firing probability of a noisy neuron at u − θ = x.
 * - gaussian σ:   Φ(x/σ) = ½ erfc(−x/(σ√2))
 * - logistic s:   1 / (1 + e^{−x/s})
 * - uniform a:    clamp((x + a)/(2a), 0, 1)
 * - triangular a: (1 + z)²/2 for −1 ≤ z ≤ 0, 1 − (1 − z)²/2 for 0 ≤ z ≤ 1 (z = x/a), 0 below, 1 above
 */
export function noiseCdf(noise: MembraneNoise, x: number): number {
  const z = x / noise.scale;
  switch (noise.family) {
    case "gaussian":
      return 0.5 * erfc(-z / Math.SQRT2);
    case "logistic":
      return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    case "uniform":
      return Math.min(1, Math.max(0, (z + 1) / 2));
    case "triangular":
      if (z <= -1) return 0;
      if (z >= 1) return 1;
      return z <= 0 ? 0.5 * (1 + z) * (1 + z) : 1 - 0.5 * (1 - z) * (1 - z);
  }
}

/**
 * Fills `out` with independent draws of ε from `rng`: σ·N(0, 1); s·ln(U/(1 − U)); a(2U − 1); a(U₁ + U₂ − 1)
 * (the sum of two uniforms on (−a/2, a/2) is triangular on (−a, a)).
 */
export function sampleNoise(noise: MembraneNoise, rng: Rng, out: Float32Array): void {
  const a = noise.scale;
  switch (noise.family) {
    case "gaussian":
      for (let i = 0; i < out.length; i++) out[i] = a * rng.normal();
      return;
    case "logistic":
      for (let i = 0; i < out.length; i++) {
        let u = rng.uniform();
        while (u === 0) u = rng.uniform();
        out[i] = a * Math.log(u / (1 - u));
      }
      return;
    case "uniform":
      for (let i = 0; i < out.length; i++) out[i] = a * (2 * rng.uniform() - 1);
      return;
    case "triangular":
      for (let i = 0; i < out.length; i++) out[i] = a * (rng.uniform() + rng.uniform() - 1);
      return;
  }
}

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * erfc(x) to about 1e-15 relative: 1 − erf by its Taylor series for |x| < 2, and for x ≥ 2 the continued
 * fraction erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) (modified Lentz); negative x
 * by erfc(−x) = 2 − erfc(x).
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) {
    // erf(x) = 2/√π Σ (−1)ⁿ x^{2n+1} / (n! (2n + 1))
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 60; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - TWO_OVER_SQRT_PI * sum;
  }
  if (x > 27) return 0;
  // K(x) = 1/(x + (1/2)/(x + (2/2)/(x + (3/2)/(x + ...)))), erfc = e^{−x²}/√π · K.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 200; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (Math.exp(-x * x) * (TWO_OVER_SQRT_PI / 2)) / f;
}
