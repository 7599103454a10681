// In-memory image classification data, split into batches with seeded shuffling.
import { ValueError } from "../errors.js";
import type { Rng } from "../random/rng.js";
import { tensor } from "../tensor/creation.js";
import type { Tensor } from "../tensor/tensor.js";

/** Images as float32 in [0, 1], row-major [N, C, H, W], with integer labels. */
export interface ImageDataset {
  readonly name: string;
  readonly images: Float32Array;
  readonly labels: Uint8Array;
  /** [C, H, W] of one image. */
  readonly imageShape: readonly [number, number, number];
  readonly classes: number;
}

/** The data of a run: training images, the validation images held out of them (none: null), test images. */
export interface RunData {
  train: ImageDataset;
  validation: ImageDataset | null;
  test: ImageDataset;
}

/** Number of images in a dataset. */
export function datasetSize(d: ImageDataset): number {
  return d.labels.length;
}

/** The images at `indices` as a tensor [B, C, H, W] and their labels. */
export function gatherBatch(d: ImageDataset, indices: readonly number[]): { x: Tensor; labels: number[] } {
  const per = d.imageShape[0] * d.imageShape[1] * d.imageShape[2];
  const out = new Float32Array(indices.length * per);
  indices.forEach((i, b) => out.set(d.images.subarray(i * per, (i + 1) * per), b * per));
  return { x: tensor(out, [indices.length, ...d.imageShape]), labels: indices.map((i) => d.labels[i]) };
}

/** A permutation of 0..n−1 (Fisher–Yates with the given generator). */
export function permutation(n: number, rng: Rng): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** Splits 0..n−1 (in the given order, or shuffled when rng is given) into batches of at most `size`. */
export function batchIndices(n: number, size: number, rng?: Rng): number[][] {
  if (!Number.isInteger(size) || size < 1) throw new ValueError("batch size", "a positive integer", size);
  const order = rng ? permutation(n, rng) : Array.from({ length: n }, (_, i) => i);
  const out: number[][] = [];
  for (let i = 0; i < n; i += size) out.push(order.slice(i, i + size));
  return out;
}

/** The subset of a dataset at `indices` (copies). */
export function subset(d: ImageDataset, indices: readonly number[], name = d.name): ImageDataset {
  const per = d.imageShape[0] * d.imageShape[1] * d.imageShape[2];
  const images = new Float32Array(indices.length * per);
  const labels = new Uint8Array(indices.length);
  indices.forEach((i, k) => {
    images.set(d.images.subarray(i * per, (i + 1) * per), k * per);
    labels[k] = d.labels[i];
  });
  return { name, images, labels, imageShape: d.imageShape, classes: d.classes };
}

/**
 * Holds the last `n` images of a training set out as a validation set: `train` keeps the first
 * size − n, `validation` the last n (both in their order). Choices (epochs, learning rates, settings)
 * are made on `validation`, so the test set is only reported. A ValueError names `argument` when n
 * leaves no training image.
 */
export function holdOut(d: ImageDataset, n: number, argument = "validation"): { train: ImageDataset; validation: ImageDataset } {
  const size = datasetSize(d);
  if (!(Number.isInteger(n) && n >= 0 && n < size)) throw new ValueError(argument, `an integer in [0, ${size}) (the training set has ${size} images)`, n);
  const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
  return { train: subset(d, range(0, size - n), d.name), validation: subset(d, range(size - n, size), `${d.name}/validation`) };
}
