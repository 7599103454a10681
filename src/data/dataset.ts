// In-memory image classification data, split into batches with seeded shuffling.
import { ValueError } from "../errors.js";
import type { Rng } from "../random/rng.js";
import { tensor } from "../tensor/creation.js";
import type { Tensor } from "../tensor/tensor.js";

/**
 * Samples with integer labels: images as float32 in [0, 1], row-major [N, C, H, W]; or, with `frames`,
 * sequences of that many frames each ([N, frames, C, H, W]; an event data set binned in time), as float32
 * or as byte counts (events per bin and pixel, capped at 255).
 */
export interface ImageDataset {
  readonly name: string;
  readonly images: Float32Array | Uint8Array;
  readonly labels: Uint8Array;
  /** [C, H, W] of one image (of one frame of a sequence). */
  readonly imageShape: readonly [number, number, number];
  readonly classes: number;
  /** Frames (time bins) per sample: absent for static images. */
  readonly frames?: number;
}

/** Values per sample: C·H·W, times the frames of a sequence. */
function sampleSize(d: Pick<ImageDataset, "imageShape" | "frames">): number {
  return (d.frames ?? 1) * d.imageShape[0] * d.imageShape[1] * d.imageShape[2];
}

/** The images of a static image set as float32 (a sequence set of byte counts is refused, naming `where`). */
export function floatImages(d: ImageDataset, where: string): Float32Array {
  if (!(d.images instanceof Float32Array) || d.frames !== undefined) throw new ValueError(where, "a data set of static images", `${d.name}, a data set of ${d.frames ?? 1}-frame sequences`);
  return d.images;
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

/** The samples at `indices` as a float32 tensor [B, C, H, W] ([B, frames, C, H, W] for sequences) and their labels. */
export function gatherBatch(d: ImageDataset, indices: readonly number[]): { x: Tensor; labels: number[] } {
  const per = sampleSize(d);
  const out = new Float32Array(indices.length * per);
  indices.forEach((i, b) => out.set(d.images.subarray(i * per, (i + 1) * per), b * per));
  const shape = d.frames === undefined ? [indices.length, ...d.imageShape] : [indices.length, d.frames, ...d.imageShape];
  return { x: tensor(out, shape), labels: indices.map((i) => d.labels[i]) };
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
  const per = sampleSize(d);
  const images = d.images instanceof Uint8Array ? new Uint8Array(indices.length * per) : new Float32Array(indices.length * per);
  const labels = new Uint8Array(indices.length);
  indices.forEach((i, k) => {
    images.set(d.images.subarray(i * per, (i + 1) * per), k * per);
    labels[k] = d.labels[i];
  });
  return { name, images, labels, imageShape: d.imageShape, classes: d.classes, ...(d.frames !== undefined ? { frames: d.frames } : {}) };
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
