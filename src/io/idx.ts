// The IDX format of MNIST and Fashion-MNIST (unsigned bytes): parsed from bytes, every length checked.
import { DataError } from "../errors.js";

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
