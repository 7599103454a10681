// Creating tensors: from data, constant fills, and seeded random draws.
import type { Backend } from "../backend/backend.js";
import type { DType } from "../backend/storage.js";
import { getBackend } from "../backend/registry.js";
import { ShapeError, ValueError } from "../errors.js";
import { defaultRng, type Rng } from "../random/rng.js";
import { keep } from "./engine.js";
import { allocTensor } from "./op_util.js";
import { checkShape, sizeOf } from "./shape.js";
import type { NestedArray, Tensor } from "./tensor.js";

/** Options common to tensor creation. */
export interface CreateOptions {
  dtype?: DType;
  backend?: Backend;
  /** Make the tensor a leaf that requires grad (and keep it out of tidy scopes, as a parameter). */
  requiresGrad?: boolean;
}

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0] as NestedArray;
  }
  return shape;
}

function flatten(data: NestedArray, shape: readonly number[], depth: number, out: number[]): void {
  if (depth === shape.length) {
    if (typeof data !== "number") throw new ShapeError("tensor", "ragged nested array");
    out.push(data);
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[depth])
    throw new ShapeError("tensor", "ragged nested array");
  for (const d of data) flatten(d, shape, depth + 1, out);
}

function finish(t: Tensor, options: CreateOptions): Tensor {
  if (options.requiresGrad) {
    if (t.dtype !== "float32") throw new ValueError("requiresGrad", "a float32 tensor", t.dtype);
    t.requiresGrad = true;
    keep(t);
  }
  return t;
}

/**
 * A tensor from nested arrays or a flat array/typed array with an explicit shape.
 * NaN and Infinity are allowed (they are data); non-numbers are rejected.
 */
export function tensor(
  data: NestedArray | ArrayLike<number>,
  shape?: readonly number[],
  options: CreateOptions = {},
): Tensor {
  let flat: ArrayLike<number>;
  let s: readonly number[];
  if (shape !== undefined) {
    checkShape("tensor", shape);
    if (typeof data === "number") flat = [data];
    else if (Array.isArray(data)) {
      const out: number[] = [];
      flatten(data as NestedArray, inferShape(data as NestedArray), 0, out);
      flat = out;
    } else flat = data as ArrayLike<number>;
    s = shape;
    if (flat.length !== sizeOf(shape)) {
      throw new ShapeError("tensor", `${flat.length} values do not fill shape [${shape.join(", ")}]`);
    }
  } else {
    const nested = data as NestedArray;
    s = inferShape(nested);
    const out: number[] = [];
    flatten(nested, s, 0, out);
    flat = out;
  }
  for (let i = 0; i < flat.length; i++) {
    if (typeof flat[i] !== "number") throw new ValueError("tensor: data", "numbers", flat[i]);
  }
  const t = allocTensor(s, options.dtype ?? "float32", options.backend ?? getBackend());
  t.storage.view().set(flat);
  return finish(t, options);
}

/** A scalar (0-d) tensor. */
export function scalar(value: number, options: CreateOptions = {}): Tensor {
  return tensor([value], [], options);
}

/** A tensor filled with one value. */
export function full(shape: readonly number[], value: number, options: CreateOptions = {}): Tensor {
  const t = allocTensor(shape, options.dtype ?? "float32", options.backend ?? getBackend());
  t.backend.fill(t.storage, value);
  return finish(t, options);
}

/** A tensor of zeros. */
export function zeros(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return full(shape, 0, options);
}

/** A tensor of ones. */
export function ones(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return full(shape, 1, options);
}

/** Options of random creation. */
export interface RandomOptions extends CreateOptions {
  /** Generator to draw from (default: the global seeded generator, see manualSeed()). */
  rng?: Rng;
}

function randomFill(shape: readonly number[], options: RandomOptions, draw: (rng: Rng) => number): Tensor {
  checkShape("random", shape);
  const rng = options.rng ?? defaultRng();
  const t = allocTensor(shape, "float32", options.backend ?? getBackend());
  const v = t.storage.f32();
  for (let i = 0; i < v.length; i++) v[i] = draw(rng);
  return finish(t, options);
}

/** Uniform draws in [low, high). */
export function rand(
  shape: readonly number[],
  options: RandomOptions & { low?: number; high?: number } = {},
): Tensor {
  const low = options.low ?? 0;
  const high = options.high ?? 1;
  if (!(high > low)) throw new ValueError("rand: high", `a number > low (${low})`, high);
  return randomFill(shape, options, (rng) => low + (high - low) * rng.uniform());
}

/** Normal draws with the given mean and standard deviation. */
export function randn(
  shape: readonly number[],
  options: RandomOptions & { mean?: number; std?: number } = {},
): Tensor {
  const mean = options.mean ?? 0;
  const std = options.std ?? 1;
  if (!(std >= 0)) throw new ValueError("randn: std", "a number >= 0", std);
  return randomFill(shape, options, (rng) => mean + std * rng.normal());
}

/** Bernoulli draws: 1 with probability p (a number, or a float32 tensor of probabilities), else 0. */
export function bernoulli(
  p: number | Tensor,
  shape?: readonly number[],
  options: RandomOptions = {},
): Tensor {
  if (typeof p === "number") {
    if (!(p >= 0 && p <= 1)) throw new ValueError("bernoulli: p", "a probability in [0, 1]", p);
    if (!shape) throw new ValueError("bernoulli: shape", "a shape when p is a number", shape);
    return randomFill(shape, options, (rng) => (rng.uniform() < p ? 1 : 0));
  }
  const probs = p.storage.f32().slice();
  for (let i = 0; i < probs.length; i++) {
    if (!(probs[i] >= 0 && probs[i] <= 1))
      throw new ValueError("bernoulli: p", "probabilities in [0, 1]", probs[i]);
  }
  let i = 0;
  return randomFill(p.shape, { backend: p.backend, ...options }, (rng) => (rng.uniform() < probs[i++] ? 1 : 0));
}
