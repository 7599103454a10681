// Where a run keeps its files: a RunStore. The runner writes checkpoints, metrics and plots through it;
// Node keeps them in a directory, tests and pages in memory.
import { type Checkpoint, decodeCheckpoint } from "../../io/checkpoint_codec.js";
import { DataError } from "../../errors.js";
import type { ByteSource } from "../../io/byte_source.js";
import type { Hdf5Reader } from "../../io/hdf5_reader.js";

/** A run's files by name ("checkpoint.snnk", "metrics.json", …), and read access to files outside it. */
export interface RunStore {
  /** How a file of the run is named to the user (a path, or "memory:…"). */
  where(name: string): string;
  /** A file's bytes, or null when there is none. */
  read(name: string): Uint8Array | null;
  /** Replaces a file atomically: a reader (or a run killed mid-write) sees the old bytes or the new ones. */
  write(name: string, content: Uint8Array | string): void;
  /** The store of a sub-run (e.g. one network of a comparison), under `name`. */
  child(name: string): RunStore;
  /** The bytes of a file outside the run (e.g. another run's checkpoint), named as the user named it; DataError when missing. */
  readExternal(path: string): Uint8Array;
  /** A file outside the run to read piece by piece (large event files); close it when done. DataError when missing. */
  openExternal(path: string): ByteSource & { close(): void };
  /** An HDF5 file outside the run, its datasets read on demand (from disk where the platform can); close it when done. */
  openHdf5(path: string): Promise<Hdf5Reader>;
}

/** The file name of a run's checkpoint in its store. */
export const CHECKPOINT = "checkpoint.snnk";

/** A run's checkpoint (decoded, not yet checked against a task's schema); DataError names it when missing or corrupt. */
export function readStoredCheckpoint(store: RunStore, name = CHECKPOINT): Checkpoint<unknown> {
  const bytes = store.read(name);
  if (bytes === null) throw new DataError(store.where(name), "checkpoint not found");
  return decodeCheckpoint(bytes, store.where(name));
}
