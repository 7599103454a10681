// The messages between a sweep's process and the child that executes one run, and the way to start one.
import { fork } from "node:child_process";
import { availableParallelism } from "node:os";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SweepRun } from "../../tasks/sweep/spec.js";
import type { RunResult } from "./execute.js";

/** What a child is asked to execute. */
export interface ChildRequest {
  run: SweepRun;
  out: string;
  checkpointEvery: number;
}

/** What it answers. */
export type ChildReply = { ok: true; result: RunResult } | { ok: false; error: string };

/** The child's entry beside this module (child.js once built, child.ts under tsx). */
const here = fileURLToPath(import.meta.url);
const CHILD = join(dirname(here), `child${extname(here)}`);

/**
 * Kernel threads for each of `atOnce` runs on this machine: SNNKIT_THREADS when set, else the cores
 * shared out (at least 1), so that parallel runs do not oversubscribe the cores.
 */
export function threadsPerRun(atOnce: number): number {
  const fromEnv = Number(process.env.SNNKIT_THREADS);
  return Number.isInteger(fromEnv) && fromEnv >= 1 ? fromEnv : Math.max(1, Math.floor(availableParallelism() / atOnce));
}

/**
 * Executes `request` in a child process (the same Node, with this process's loader flags, `threads` kernel
 * threads) and resolves to its result; rejects with the child's error, or when it dies.
 */
export function executeInChild(request: ChildRequest, threads: number): Promise<RunResult> {
  return new Promise((resolveRun, reject) => {
    const child = fork(CHILD, [], { execArgv: process.execArgv, stdio: ["ignore", "ignore", "inherit", "ipc"], env: { ...process.env, SNNKIT_THREADS: String(threads) } });
    let reply: ChildReply | null = null;
    child.on("message", (m: ChildReply) => (reply = m));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (reply?.ok) resolveRun(reply.result);
      else reject(new Error(reply ? reply.error : `the run's process ended (${signal ?? `exit code ${code}`}) without a result`));
    });
    child.send(request);
  });
}
