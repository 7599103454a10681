// Checkpoint files: one JSON header and the float32 arrays, with a CRC-32, written atomically. Node only.
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { crc32 } from "node:zlib";
import { DataError } from "../errors.js";

const MAGIC = "SNNKITCK";
const VERSION = 1;

/** A checkpoint: a JSON-serialisable header and named float32 arrays. */
export interface Checkpoint<H> {
  header: H;
  arrays: Record<string, Float32Array>;
}

/**
 * Layout: "SNNKITCK" | u32 version | u32 header bytes | u32 CRC-32 of everything after this field |
 * header JSON (with the array index) | array data (little-endian float32, 4-byte aligned).
 * Written to a temporary file in the same directory, fsynced, then renamed over `path`: a crash leaves
 * either the old or the new checkpoint, never a mix.
 */
export function writeCheckpoint<H>(path: string, ck: Checkpoint<H>): void {
  const index: { name: string; length: number }[] = [];
  let floats = 0;
  for (const [name, a] of Object.entries(ck.arrays)) {
    index.push({ name, length: a.length });
    floats += a.length;
  }
  let headerText = JSON.stringify({ header: ck.header, index });
  headerText += " ".repeat((4 - (Buffer.byteLength(headerText) % 4)) % 4);
  const headerBytes = Buffer.from(headerText, "utf8");
  const body = Buffer.alloc(headerBytes.length + floats * 4);
  headerBytes.copy(body, 0);
  let off = headerBytes.length;
  for (const a of Object.values(ck.arrays)) {
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(body, off);
    off += a.byteLength;
  }
  const prefix = Buffer.alloc(20);
  prefix.write(MAGIC, 0, "ascii");
  prefix.writeUInt32LE(VERSION, 8);
  prefix.writeUInt32LE(headerBytes.length, 12);
  prefix.writeUInt32LE(crc32(body), 16);
  writeFileAtomically(path, [prefix, body]);
}

/**
 * Writes the parts to `path` through `<path>.tmp-<pid>`, synced to disk and renamed over `path`, so a
 * reader (or a run killed mid-write) sees the old file or the new one, never a mix.
 */
export function writeFileAtomically(path: string, parts: readonly (Buffer | string)[]): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w");
  try {
    for (const part of parts) writeSync(fd, typeof part === "string" ? Buffer.from(part, "utf8") : part);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Whether a process with this id is running (signal 0 only checks). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === "EPERM";
  }
}

/**
 * Removes the temporary files `<path>.tmp-<pid>` that writers of `path` killed mid-write left behind
 * (those of running processes are kept). Returns the files removed.
 */
export function removeStaleTemporaries(path: string): string[] {
  const dir = dirname(path);
  if (!existsSync(dir)) return [];
  const prefix = `${basename(path)}.tmp-`;
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(join(dir, name));
  }
  return removed;
}

/** Reads a checkpoint, checking magic, version, sizes and CRC; DataError names the file and the problem. */
export function readCheckpoint<H>(path: string): Checkpoint<H> {
  if (!existsSync(path)) throw new DataError(path, "checkpoint not found");
  const buf = readFileSync(path);
  if (buf.length < 20 || buf.toString("ascii", 0, 8) !== MAGIC) throw new DataError(path, "not an snnkit checkpoint (bad magic)");
  const version = buf.readUInt32LE(8);
  if (version !== VERSION) throw new DataError(path, `unsupported checkpoint version ${version}`);
  const headerLength = buf.readUInt32LE(12);
  const body = buf.subarray(20);
  if (headerLength > body.length) throw new DataError(path, "truncated checkpoint (header)");
  if (crc32(body) !== buf.readUInt32LE(16)) throw new DataError(path, "corrupt or truncated checkpoint (CRC mismatch)");
  let parsed: { header: H; index: { name: string; length: number }[] };
  try {
    parsed = JSON.parse(body.toString("utf8", 0, headerLength));
  } catch {
    throw new DataError(path, "corrupt checkpoint header");
  }
  const arrays: Record<string, Float32Array> = {};
  let off = headerLength;
  for (const { name, length } of parsed.index) {
    if (off + length * 4 > body.length) throw new DataError(path, `truncated checkpoint (array "${name}")`);
    const a = new Float32Array(length);
    Buffer.from(a.buffer).set(body.subarray(off, off + length * 4));
    arrays[name] = a;
    off += length * 4;
  }
  return { header: parsed.header, arrays };
}

/** Refuses arrays holding NaN or ±Infinity (a run that had diverged), naming the file, the array and the index. */
export function checkFiniteArrays(path: string, arrays: Record<string, Float32Array>): void {
  for (const [name, a] of Object.entries(arrays)) {
    const bad = a.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new DataError(path, `array "${name}" holds ${a[bad]} at index ${bad}: the run had diverged`);
  }
}
