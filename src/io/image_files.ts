// Arrays and images from bytes, for a network's input: PNG images (decoded by fast-png), PGM images (P2
// text, P5 binary) and NPY arrays (NumPy's format: float32, float64 or uint8, C order). Every length is
// checked against the bytes there are before anything is allocated.
import { convertIndexedToRgb, decode as decodePngBytes, hasPngSignature } from "fast-png";
import { DataError } from "../errors.js";

/** An array of numbers with its shape. */
export interface NumberArray {
  shape: number[];
  data: Float32Array;
}

/** Most values one file may hold (2²⁸). */
const MAX_VALUES = 2 ** 28;

/** Whether bytes start with PNG's signature. */
export const isPng = (bytes: Uint8Array): boolean => hasPngSignature(bytes);

/**
 * A PNG image as gray values in [0, 1], shape [height, width]: gray as it is, colour as its luminance
 * 0.299·R + 0.587·G + 0.114·B (palette images through their palette), alpha ignored; 1-, 2-, 4-, 8- and
 * 16-bit samples scaled by their largest value. The size in the header is checked before decoding.
 */
export function parsePng(bytes: Uint8Array, file: string): NumberArray {
  if (!hasPngSignature(bytes)) throw new DataError(file, "not a PNG file (no PNG signature at offset 0)");
  if (bytes.length < 33) throw new DataError(file, `truncated: ${bytes.length} bytes, a PNG header needs 33`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const [width, height] = [view.getUint32(16), view.getUint32(20)];
  if (width === 0 || height === 0 || width * height > MAX_VALUES) throw new DataError(file, `offset 16: a ${width} × ${height} image (at most ${MAX_VALUES} pixels)`);
  let png;
  try {
    png = decodePngBytes(bytes);
  } catch (e) {
    throw new DataError(file, `not a readable PNG (${(e as Error).message})`);
  }
  const rgb = png.palette ? { data: convertIndexedToRgb(png), channels: png.palette[0]?.length ?? 3, top: 255 } : { data: png.data, channels: png.channels, top: 2 ** png.depth - 1 };
  const colour = rgb.channels >= 3;
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) {
    const at = i * rgb.channels;
    const v = colour ? 0.299 * rgb.data[at] + 0.587 * rgb.data[at + 1] + 0.114 * rgb.data[at + 2] : rgb.data[at];
    out[i] = v / rgb.top;
  }
  return { shape: [height, width], data: out };
}

/**
 * A PGM image (P2 or P5; comments after "#"), its values scaled to [0, 1] by its maxval; shape
 * [height, width]. Two-byte samples (maxval > 255) are big-endian, as the format says.
 */
export function parsePgm(bytes: Uint8Array, file: string): NumberArray {
  const magic = String.fromCharCode(bytes[0] ?? 0, bytes[1] ?? 0);
  if (magic !== "P5" && magic !== "P2") throw new DataError(file, `not a PGM image (it starts ${JSON.stringify(magic)}, not P5 or P2)`);
  let at = 2;
  /** The next whitespace-separated token of the header, skipping comments. */
  const token = (): string => {
    for (;;) {
      while (at < bytes.length && /\s/.test(String.fromCharCode(bytes[at]))) at++;
      if (bytes[at] !== 0x23) break;
      while (at < bytes.length && bytes[at] !== 0x0a) at++;
    }
    const start = at;
    while (at < bytes.length && !/\s/.test(String.fromCharCode(bytes[at]))) at++;
    return String.fromCharCode(...bytes.subarray(start, at));
  };
  const [width, height, maxval] = [token(), token(), token()].map(Number);
  for (const [name, v, max] of [["width", width, 1 << 16], ["height", height, 1 << 16], ["maxval", maxval, 65535]] as const)
    if (!(Number.isInteger(v) && v >= 1 && v <= max)) throw new DataError(file, `header ${name}: expected an integer in [1, ${max}], got ${v}`);
  const n = width * height;
  if (n > MAX_VALUES) throw new DataError(file, `${width} × ${height} pixels: more than ${MAX_VALUES}`);
  const data = new Float32Array(n);
  if (magic === "P5") {
    at++; // the single whitespace after maxval
    const bytesPer = maxval > 255 ? 2 : 1;
    if (bytes.length - at < n * bytesPer) throw new DataError(file, `truncated: ${n} pixels need ${n * bytesPer} bytes from offset ${at}, ${bytes.length - at} there`);
    for (let i = 0; i < n; i++) data[i] = (bytesPer === 2 ? (bytes[at + 2 * i] << 8) | bytes[at + 2 * i + 1] : bytes[at + i]) / maxval;
  } else
    for (let i = 0; i < n; i++) {
      const v = Number(token());
      if (!(Number.isInteger(v) && v >= 0 && v <= maxval)) throw new DataError(file, `pixel ${i} near offset ${at}: expected an integer in [0, ${maxval}], got ${v}`);
      data[i] = v / maxval;
    }
  return { shape: [height, width], data };
}

/**
 * An NPY array (format 1.0–3.0): dtype `<f4`, `<f8` or `|u1` (uint8 values scaled to [0, 1], as images are),
 * C order; its shape from the header. DataErrors name the file and the offset.
 */
export function parseNpy(bytes: Uint8Array, file: string): NumberArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw new DataError(file, "not an NPY file (no \\x93NUMPY magic at offset 0)");
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLength > bytes.length) throw new DataError(file, `truncated header: ${headerLength} bytes at offset ${start}, ${bytes.length - start} there`);
  const header = new TextDecoder("latin1").decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new DataError(file, `header at offset ${start}: expected descr, fortran_order and shape, got ${JSON.stringify(header.slice(0, 80))}`);
  if (fortran === "True") throw new DataError(file, "fortran_order True: save the array in C order");
  const shape = shapeText.split(",").map((s) => s.trim()).filter((s) => s !== "").map(Number);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new DataError(file, `shape (${shapeText}): expected non-negative integers`);
  const n = shape.reduce((a, b) => a * b, 1);
  const size = { "<f4": 4, "<f8": 8, "|u1": 1 }[descr];
  if (!size) throw new DataError(file, `dtype ${descr}: snnkit reads <f4, <f8 and |u1`);
  const at = start + headerLength;
  if (n > MAX_VALUES || n * size > bytes.length - at) throw new DataError(file, `truncated: shape (${shapeText}) of ${descr} needs ${n * size} bytes from offset ${at}, ${bytes.length - at} there`);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = size === 4 ? view.getFloat32(at + 4 * i, true) : size === 8 ? view.getFloat64(at + 8 * i, true) : bytes[at + i] / 255;
    if (!Number.isFinite(v)) throw new DataError(file, `value ${i} at offset ${at + size * i}: ${v}`);
    data[i] = v;
  }
  return { shape, data };
}
