// Reader of the IDX files of MNIST and Fashion-MNIST (plain or gzip). Node only.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { DataError } from "../errors.js";
import type { ImageDataset } from "../data/dataset.js";
import { type IdxArray, parseIdx } from "../io/idx.js";

export { type IdxArray, parseIdx };

/** Largest IDX file accepted after decompression (MNIST's training images are 47 MB). */
const MAX_IDX_BYTES = 2 ** 30;

/** Reads an IDX file, gunzipping it when it starts with the gzip magic bytes (at most MAX_IDX_BYTES). */
export function readIdxFile(path: string): IdxArray {
  if (!existsSync(path)) throw new DataError(path, "file not found");
  let buf: Uint8Array = readFileSync(path);
  if (buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf, { maxOutputLength: MAX_IDX_BYTES });
    } catch (e) {
      throw new DataError(path, `corrupt gzip data (${(e as Error).message})`);
    }
  }
  return parseIdx(buf, path);
}

/** The first existing path among name and name.gz in dir. */
function findFile(dir: string, name: string): string {
  for (const candidate of [name, `${name}.gz`]) if (existsSync(join(dir, candidate))) return join(dir, candidate);
  throw new DataError(join(dir, name), "file not found (also looked for .gz)");
}

/** Images (28×28 ubyte, scaled to [0, 1]) and labels of one split of an MNIST-format directory. */
export function loadIdxImages(dir: string, split: "train" | "t10k", name: string): ImageDataset {
  const imgPath = findFile(dir, `${split}-images-idx3-ubyte`);
  const lblPath = findFile(dir, `${split}-labels-idx1-ubyte`);
  const img = readIdxFile(imgPath);
  const lbl = readIdxFile(lblPath);
  if (img.dims.length !== 3) throw new DataError(imgPath, `expected 3 dimensions [N, H, W], found ${img.dims.length}`);
  if (img.dims[1] !== 28 || img.dims[2] !== 28)
    throw new DataError(imgPath, `images are ${img.dims[1]}×${img.dims[2]}; the models expect 28×28 (MNIST, Fashion-MNIST)`);
  if (lbl.dims.length !== 1) throw new DataError(lblPath, `expected 1 dimension [N], found ${lbl.dims.length}`);
  if (img.dims[0] !== lbl.dims[0])
    throw new DataError(lblPath, `${lbl.dims[0]} labels do not match the ${img.dims[0]} images of ${imgPath}`);
  const bad = lbl.data.findIndex((l) => l > 9);
  if (bad >= 0) throw new DataError(lblPath, `label ${lbl.data[bad]} at index ${bad} is not a digit class 0..9`);
  const images = new Float32Array(img.data.length);
  for (let i = 0; i < images.length; i++) images[i] = img.data[i] / 255;
  return { name, images, labels: lbl.data.slice(), imageShape: [1, img.dims[1], img.dims[2]], classes: 10 };
}
