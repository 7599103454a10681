// Checkpoint files: one JSON header and the float32 arrays, with a CRC-32, written atomically. Node only.
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { DataError } from "../errors.js";
import { type Checkpoint, decodeCheckpoint, encodeCheckpoint } from "../io/checkpoint_codec.js";

export type { Checkpoint };

/**
 * Writes a checkpoint (encodeCheckpoint) to `path` atomically: a crash leaves either the old or the new
 * checkpoint, never a mix.
 */
export function writeCheckpoint<H>(path: string, ck: Checkpoint<H>): void {
  writeFileAtomically(path, [encodeCheckpoint(ck)]);
}

/**
 * Writes the parts to `path` through `<path>.tmp-<pid>`, synced to disk and renamed over `path`, so a
 * reader (or a run killed mid-write) sees the old file or the new one, never a mix.
 */
export function writeFileAtomically(path: string, parts: readonly (Uint8Array | string)[]): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w");
  try {
    for (const part of parts) writeSync(fd, typeof part === "string" ? new TextEncoder().encode(part) : part);
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

/**
 * Reads a checkpoint file (decodeCheckpoint's checks); DataError names the file and the problem. `H` is
 * what the caller expects the header to be: its own schema checks it.
 */
export function readCheckpoint<H = unknown>(path: string): Checkpoint<H> {
  if (!existsSync(path)) throw new DataError(path, "checkpoint not found");
  return decodeCheckpoint(readFileSync(path), path) as Checkpoint<H>;
}

/** Refuses arrays holding NaN or ±Infinity (a run that had diverged), naming the file, the array and the index. */
export function checkFiniteArrays(path: string, arrays: Record<string, Float32Array>): void {
  for (const [name, a] of Object.entries(arrays)) {
    const bad = a.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new DataError(path, `array "${name}" holds ${a[bad]} at index ${bad}: the run had diverged`);
  }
}
