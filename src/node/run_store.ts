// Runs in a directory: their context (files there, data from the file system), checkpoint files read and
// written by path, and a task run or loaded from one. Node only.
import { existsSync, readFileSync } from "node:fs";
import { DataError } from "../errors.js";
import { type Checkpoint, decodeCheckpoint, encodeCheckpoint } from "../io/checkpoint_codec.js";
import type { ImageSource } from "../tasks/run/data.js";
import { restoreRun, type RunOptions, runTask } from "../tasks/run/runner.js";
import type { Task, TaskContext } from "../tasks/run/task.js";
import { DirectoryStore, writeFileAtomically } from "./directory_store.js";
import { nodeImages } from "./images.js";

export { DirectoryStore, removeStaleTemporaries, writeFileAtomically } from "./directory_store.js";

/** The context of a run in directory `dir` under Node: its files there, data from the file system. */
export function directoryContext(dir: string, images: ImageSource = nodeImages): TaskContext & { store: DirectoryStore } {
  return { images, store: new DirectoryStore(dir) };
}

/** Writes a checkpoint file atomically (encodeCheckpoint's layout). */
export function writeCheckpoint<H>(path: string, ck: Checkpoint<H>): void {
  writeFileAtomically(path, encodeCheckpoint(ck));
}

/**
 * Reads a checkpoint file (decodeCheckpoint's checks); DataError names the file and the problem. `H` is
 * what the caller expects the header to be: its own schema checks it.
 */
export function readCheckpoint<H = unknown>(path: string): Checkpoint<H> {
  if (!existsSync(path)) throw new DataError(path, "checkpoint not found");
  return decodeCheckpoint(readFileSync(path), path) as Checkpoint<H>;
}

/** Runs a task with its files in directory `dir` and data from the file system (runTask). */
export function runInDirectory<C extends object, S, D, R, P, E>(task: Task<C, S, D, R, P, E>, dir: string, options: Omit<RunOptions<C, P, E>, "context">): Promise<R> {
  return runTask(task, { ...options, context: directoryContext(dir) });
}

/** A task's state from a checkpoint file (checked against the task's schema; DataErrors name the file). */
export function loadRun<C extends object, S, D>(task: Task<C, S, D, unknown>, path: string): S {
  return restoreRun(task, { store: new DirectoryStore(".") }, path);
}
