// Reader of the IDX files of MNIST and Fashion-MNIST (plain or gzip). Node only.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { DataError } from "../errors.js";
import type { ImageDataset } from "../data/dataset.js";

/** An IDX array: its dimensions and raw unsigned bytes. */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/**
 * Parses an IDX buffer: magic 0x00 0x00 0x08 (ubyte) ndim, then ndim big-endian uint32 sizes, then the
 * bytes. Throws DataError naming `file` on a bad magic number, an unsupported type, or a wrong length.
 */
export function parseIdx(buf: Uint8Array, file: string): IdxArray {
  if (buf.length < 4) throw new DataError(file, `truncated: ${buf.length} bytes, not even an IDX header`);
  if (buf[0] !== 0 || buf[1] !== 0) throw new DataError(file, "not an IDX file (bad magic number)");
  if (buf[2] !== 0x08) throw new DataError(file, `unsupported IDX element type 0x${buf[2].toString(16)} (only unsigned bytes)`);
  const ndim = buf[3];
  if (ndim < 1 || ndim > 4) throw new DataError(file, `unsupported number of dimensions ${ndim}`);
  const header = 4 + 4 * ndim;
  if (buf.length < header) throw new DataError(file, "truncated IDX header");
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const dims = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const have = buf.length - header;
  if (have < expected) throw new DataError(file, `truncated: ${have} data bytes, the header promises ${expected}`);
  if (have > expected) throw new DataError(file, `${have - expected} bytes after the data the header describes`);
  return { dims, data: buf.subarray(header) };
}

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
