// The checkpoint file format: one JSON header and named float32 arrays behind a magic, a version and a
// CRC-32. Bytes in, bytes out: where the bytes are kept (a file, memory, a browser store) is a RunStore's business.
import { z } from "zod";
import { DataError } from "../errors.js";
import { crc32 } from "./crc32.js";
import { parseWithSchema } from "./validate.js";

const MAGIC = "SNNKITCK";
const VERSION = 1;
const PREFIX = 20;

/** A checkpoint: a JSON-serialisable header and named float32 arrays. */
export interface Checkpoint<H> {
  header: H;
  arrays: Record<string, Float32Array>;
}

const layout = z.strictObject({
  header: z.unknown(),
  index: z.array(z.strictObject({ name: z.string().min(1), length: z.int().min(0).max(2 ** 31) })),
});

/**
 * Layout: "SNNKITCK" | u32 version | u32 header bytes | u32 CRC-32 of everything after this field |
 * header JSON (with the array index, padded with spaces to 4 bytes) | array data (little-endian float32).
 */
export function encodeCheckpoint<H>(ck: Checkpoint<H>): Uint8Array {
  const index = Object.entries(ck.arrays).map(([name, a]) => ({ name, length: a.length }));
  const text = JSON.stringify({ header: ck.header, index });
  const encoded = new TextEncoder().encode(text);
  const headerLength = encoded.length + ((4 - (encoded.length % 4)) % 4);
  const floats = index.reduce((n, e) => n + e.length, 0);
  const out = new Uint8Array(PREFIX + headerLength + 4 * floats);
  out.set(new TextEncoder().encode(MAGIC), 0);
  out.set(encoded, PREFIX);
  out.fill(0x20, PREFIX + encoded.length, PREFIX + headerLength);
  let off = PREFIX + headerLength;
  for (const a of Object.values(ck.arrays)) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), off);
    off += a.byteLength;
  }
  const view = new DataView(out.buffer);
  view.setUint32(8, VERSION, true);
  view.setUint32(12, headerLength, true);
  view.setUint32(16, crc32(out.subarray(PREFIX)), true);
  return out;
}

/**
 * Decodes a checkpoint, checking magic, version, CRC, the header's JSON and index, and every array's
 * offset and length against the bytes there are before anything is allocated; bytes after the last array
 * are refused. Errors are DataErrors naming `file`, the problem and the byte offset where it applies.
 */
export function decodeCheckpoint(bytes: Uint8Array, file: string): Checkpoint<unknown> {
  if (bytes.length < PREFIX || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw new DataError(file, "not an snnkit checkpoint (bad magic)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== VERSION) throw new DataError(file, `unsupported checkpoint version ${version}`);
  const headerLength = view.getUint32(12, true);
  const body = bytes.subarray(PREFIX);
  if (headerLength > body.length) throw new DataError(file, `truncated checkpoint: a header of ${headerLength} bytes at offset ${PREFIX}, ${body.length} bytes there`);
  if (crc32(body) !== view.getUint32(16, true)) throw new DataError(file, "corrupt or truncated checkpoint (CRC mismatch)");
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body.subarray(0, headerLength)));
  } catch {
    throw new DataError(file, `corrupt checkpoint header (not JSON, at offset ${PREFIX})`);
  }
  const { header, index } = parseWithSchema(layout, json, file);
  let off = PREFIX + headerLength;
  const names = new Set<string>();
  for (const { name, length } of index) {
    if (names.has(name)) throw new DataError(file, `array "${name}" appears twice in the index`);
    names.add(name);
    if (length * 4 > bytes.length - off) throw new DataError(file, `truncated checkpoint: array "${name}" of ${length} floats at offset ${off}, ${bytes.length - off} bytes there`);
    off += 4 * length;
  }
  if (off !== bytes.length) throw new DataError(file, `${bytes.length - off} bytes after the last array (at offset ${off}): not a checkpoint snnkit wrote`);
  const arrays: Record<string, Float32Array> = {};
  off = PREFIX + headerLength;
  for (const { name, length } of index) {
    const a = new Float32Array(length);
    new Uint8Array(a.buffer).set(bytes.subarray(off, off + 4 * length));
    arrays[name] = a;
    off += 4 * length;
  }
  return { header, arrays };
}

/** The index of the first NaN or ±Infinity in `a`, or −1 (x − x is 0 for finite x, NaN otherwise). */
export function firstNonFinite(a: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] - a[i] !== 0) return i;
  return -1;
}

/** Refuses arrays holding NaN or ±Infinity (a run that had diverged), naming the file, the array and the index. */
export function checkFiniteArrays(file: string, arrays: Record<string, Float32Array>): void {
  for (const [name, a] of Object.entries(arrays)) {
    const bad = firstNonFinite(a);
    if (bad >= 0) throw new DataError(file, `array "${name}" holds ${a[bad]} at index ${bad}: the run had diverged`);
  }
}
