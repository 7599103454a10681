// A run's files in a directory: the file-system RunStore, with atomic writes and the stale temporaries of
// killed writers removed. Node only.
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { DataError } from "../errors.js";
import type { ByteSource } from "../io/byte_source.js";
import { type Hdf5Reader, openHdf5 } from "../io/hdf5_reader.js";
import type { RunStore } from "../tasks/run/store.js";

/**
 * Writes `content` to `path` through `<path>.tmp-<pid>`, synced to disk and renamed over `path`, so a
 * reader (or a run killed mid-write) sees the old file or the new one, never a mix.
 */
export function writeFileAtomically(path: string, content: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, typeof content === "string" ? new TextEncoder().encode(content) : content);
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
 * Removes the temporary files `<name>.tmp-<pid>` in `dir` that writers killed mid-write left behind
 * (those of running processes are kept). Returns the files removed.
 */
export function removeStaleTemporaries(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const m = /\.tmp-(\d+)$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || processAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(join(dir, name));
  }
  return removed;
}

/**
 * A run's files in a directory, created at the first write (a run that fails before writing anything
 * leaves no directory behind). Temporary files of killed writers are removed before the first write.
 */
export class DirectoryStore implements RunStore {
  readonly dir: string;
  private opened = false;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /** The path of a file of the run: `name` under the directory (an absolute name stays as it is). */
  where(name: string): string {
    return resolve(this.dir, name);
  }

  read(name: string): Uint8Array | null {
    const path = this.where(name);
    return existsSync(path) ? readFileSync(path) : null;
  }

  write(name: string, content: Uint8Array | string): void {
    if (!this.opened) {
      mkdirSync(this.dir, { recursive: true });
      removeStaleTemporaries(this.dir);
      this.opened = true;
    }
    mkdirSync(dirname(this.where(name)), { recursive: true });
    writeFileAtomically(this.where(name), content);
  }

  child(name: string): DirectoryStore {
    return new DirectoryStore(join(this.dir, name));
  }

  readExternal(path: string): Uint8Array {
    if (!existsSync(path)) throw new DataError(path, "not found");
    return readFileSync(path);
  }

  /** HDF5 read lazily from disk, so that a large file's samples are read one by one. */
  async openHdf5(path: string): Promise<Hdf5Reader> {
    const file = this.openExternal(path);
    try {
      return openHdf5(file, path, () => file.close());
    } catch (e) {
      file.close();
      throw e;
    }
  }

  openExternal(path: string): ByteSource & { close(): void } {
    if (!existsSync(path)) throw new DataError(path, "not found");
    if (statSync(path).isDirectory()) throw new DataError(path, "a directory, not a file");
    const fd = openSync(path, "r");
    const size = fstatSync(fd).size;
    return {
      size,
      read(offset, length) {
        const out = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
        let done = 0;
        while (done < out.length) {
          const n = readSync(fd, out, done, out.length - done, offset + done);
          if (n === 0) break;
          done += n;
        }
        return out.subarray(0, done);
      },
      close: () => closeSync(fd),
    };
  }
}
