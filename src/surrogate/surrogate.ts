// Surrogate derivatives of the spike function H(x), x = u − θ. The forward pass is always the Heaviside
// step; the backward pass uses σ′(x) below. Gaussian, logistic, triangle and rectangle are the densities
// of the membrane noise of noise-driven learning (Ma, Yan & Tang 2023), so their parameter is the noise scale.
import { ValueError } from "../errors.js";

/** The built-in surrogate derivatives and their codes in the kernels (js and wasm). */
export const SurrogateCode = {
  fast_sigmoid: 0,
  atan: 1,
  sigmoid: 2,
  triangle: 3,
  straight_through: 4,
  gaussian: 5,
  logistic: 6,
  rectangle: 7,
} as const;
/** Name of a built-in surrogate derivative. */
export type SurrogateName = keyof typeof SurrogateCode;

/** A built-in surrogate and its parameter. */
export interface SurrogateSpec {
  readonly name: SurrogateName;
  /** slope k (fast_sigmoid, sigmoid), α (atan), half-width a (triangle, rectangle), σ (gaussian), s (logistic). */
  readonly param: number;
}

/** Default parameter of each surrogate (snnTorch's defaults where it has the surrogate). */
export const defaultSurrogateParam: Readonly<Record<SurrogateName, number>> = {
  fast_sigmoid: 25,
  atan: 2,
  sigmoid: 25,
  triangle: 1,
  straight_through: 1,
  gaussian: 0.3,
  logistic: 0.25,
  rectangle: 0.5,
};

const INV_SQRT_2PI = 0.3989422804014327;

/**
 * σ′(x) of a built-in surrogate:
 * - fast_sigmoid(k): 1 / (1 + k|x|)²
 * - atan(α): (α/2) / (1 + (π/2·α·x)²)
 * - sigmoid(k): k·S(kx)(1 − S(kx)), S the logistic function
 * - triangle(a): max(0, 1 − |x|/a) / a
 * - straight_through: 1
 * - gaussian(σ): exp(−x²/2σ²) / (σ√(2π))  (density of N(0, σ²))
 * - logistic(s): S(x/s)(1 − S(x/s)) / s  (density of the logistic distribution)
 * - rectangle(a): 1/(2a) for |x| < a, else 0  (density of U(−a, a))
 */
export function surrogateDerivative(name: SurrogateName, x: number, k: number): number {
  switch (name) {
    case "fast_sigmoid": {
      const d = 1 + k * Math.abs(x);
      return 1 / (d * d);
    }
    case "atan": {
      const z = (Math.PI / 2) * k * x;
      return k / 2 / (1 + z * z);
    }
    case "sigmoid": {
      const s = 1 / (1 + Math.exp(-k * x));
      return k * s * (1 - s);
    }
    case "triangle":
      return Math.max(1 - Math.abs(x) / k, 0) / k;
    case "straight_through":
      return 1;
    case "gaussian": {
      const z = x / k;
      return (Math.exp(-0.5 * z * z) * INV_SQRT_2PI) / k;
    }
    case "logistic": {
      const s = 1 / (1 + Math.exp(-x / k));
      return (s * (1 - s)) / k;
    }
    case "rectangle":
      return Math.abs(x) < k ? 0.5 / k : 0;
  }
}

/** Checks a surrogate name and parameter, filling in the default parameter. */
export function resolveSurrogate(name: string, param?: number): SurrogateSpec {
  if (!Object.hasOwn(SurrogateCode, name)) {
    throw new ValueError("surrogate", `one of ${Object.keys(SurrogateCode).join(", ")}`, name);
  }
  const key = name as SurrogateName;
  const p = param ?? defaultSurrogateParam[key];
  if (!Number.isFinite(p) || p <= 0) throw new ValueError("surrogate parameter", "a finite number > 0", p);
  return { name: key, param: p };
}
