// N-MNIST (Orchard et al. 2015): MNIST digits seen by an ATIS sensor (34 × 34) over three saccades. A
// sample file holds 40-bit events: x (8 bits), y (8 bits), polarity (1 bit), time in µs (23 bits).
import { DataError } from "../errors.js";
import { allocateEvents, type PolarityEvents } from "./events.js";

/** The sensor of N-MNIST: width and height. */
export const NMNIST_SENSOR = [34, 34] as const;

/**
 * The events of an N-MNIST sample file: byte 0 = x, byte 1 = y, bit 7 of byte 2 = polarity, bits 6–0 of
 * byte 2 and bytes 3–4 = the time in µs (big-endian, 23 bits). A length that is not a multiple of 5, or
 * an address outside the 34 × 34 sensor, is a DataError naming the file and the offset.
 */
export function decodeNmnist(bytes: Uint8Array, file: string): PolarityEvents {
  if (bytes.length % 5 !== 0) throw new DataError(file, `${bytes.length} bytes: not a whole number of 5-byte N-MNIST events (${bytes.length % 5} bytes left at offset ${bytes.length - (bytes.length % 5)})`);
  const n = bytes.length / 5;
  const e = allocateEvents(n);
  for (let i = 0, o = 0; i < n; i++, o += 5) {
    const x = bytes[o];
    const y = bytes[o + 1];
    if (x >= NMNIST_SENSOR[0] || y >= NMNIST_SENSOR[1]) throw new DataError(file, `event ${i} at offset ${o}: address (${x}, ${y}) outside the 34 × 34 sensor: not an N-MNIST file`);
    e.x[i] = x;
    e.y[i] = y;
    e.p[i] = bytes[o + 2] >> 7;
    e.t[i] = ((bytes[o + 2] & 0x7f) << 16) | (bytes[o + 3] << 8) | bytes[o + 4];
  }
  return e;
}

/** Encodes events as an N-MNIST file (the inverse of decodeNmnist; for tests and converters). */
export function encodeNmnist(e: PolarityEvents): Uint8Array {
  const out = new Uint8Array(5 * e.t.length);
  for (let i = 0, o = 0; i < e.t.length; i++, o += 5) {
    const t = e.t[i];
    out[o] = e.x[i];
    out[o + 1] = e.y[i];
    out[o + 2] = ((e.p[i] & 1) << 7) | ((t >> 16) & 0x7f);
    out[o + 3] = (t >> 8) & 0xff;
    out[o + 4] = t & 0xff;
  }
  return out;
}

/** The label of an N-MNIST sample from its path: the digit folder it is in (Train|Test/<digit>/<id>.bin). */
export function nmnistLabel(path: string): number | null {
  const parts = path.split(/[/\\]+/);
  const digit = parts.at(-2);
  return digit !== undefined && /^[0-9]$/.test(digit) ? Number(digit) : null;
}
