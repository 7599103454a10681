// Seeded weight initialisation (Kaiming/He and Xavier/Glorot), drawing from an Rng.
import { ValueError } from "../errors.js";
import { defaultRng, type Rng } from "../random/rng.js";
import { rand } from "../tensor/creation.js";
import type { Tensor } from "../tensor/tensor.js";

/** Initialisation scheme of a layer's weights. */
export type InitScheme = "kaiming_uniform" | "he_uniform" | "xavier_uniform";

/** Options of weight initialisation. */
export interface InitOptions {
  /** Scheme (default "kaiming_uniform", PyTorch's default for Linear and Conv2d). */
  init?: InitScheme;
  /** Generator (default: the global seeded one). */
  rng?: Rng;
}

/**
 * Uniform weights U(−b, b) with
 * - kaiming_uniform (a = √5, PyTorch's default): b = √(6 / ((1 + a²)·fan_in)) = 1/√fan_in;
 * - he_uniform (Kaiming with the ReLU gain √2): b = √(6 / fan_in);
 * - xavier_uniform: b = √(6 / (fan_in + fan_out)).
 */
export function initWeight(shape: readonly number[], fanIn: number, fanOut: number, options: InitOptions = {}): Tensor {
  if (!(fanIn > 0 && fanOut > 0)) throw new ValueError("initWeight: fan", "positive fan-in and fan-out", [fanIn, fanOut]);
  const scheme = options.init ?? "kaiming_uniform";
  let bound: number;
  if (scheme === "kaiming_uniform") bound = 1 / Math.sqrt(fanIn);
  else if (scheme === "he_uniform") bound = Math.sqrt(6 / fanIn);
  else if (scheme === "xavier_uniform") bound = Math.sqrt(6 / (fanIn + fanOut));
  else throw new ValueError("init", `"kaiming_uniform", "he_uniform" or "xavier_uniform"`, scheme);
  return rand(shape, { low: -bound, high: bound, rng: options.rng ?? defaultRng() });
}

/** PyTorch's default bias: U(−1/√fan_in, 1/√fan_in). */
export function initBias(size: number, fanIn: number, rng?: Rng): Tensor {
  const bound = 1 / Math.sqrt(fanIn);
  return rand([size], { low: -bound, high: bound, rng: rng ?? defaultRng() });
}

/** Checks that a layer size is a positive integer. */
export function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new ValueError(name, "a positive integer", v);
  return v;
}
