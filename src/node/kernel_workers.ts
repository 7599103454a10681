// Node's kernel workers for the wasm backend: worker_threads started from the kernel-worker program (no
// file beside the bundle), unref'd so that idle workers never keep a process alive.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { type KernelWorkerData, kernelWorkerProgram, useKernelWorkers } from "../backend/wasm/kernel_threads.js";
import { ValueError } from "../errors.js";

/** Most threads the default uses: more rarely pays at the sizes of one network layer. */
const MAX_DEFAULT_THREADS = 8;

/**
 * The default kernel thread count: SNNKIT_THREADS when set (a positive integer), else the machine's
 * available parallelism, at most 8.
 */
export function defaultNodeThreads(env: Record<string, string | undefined> = process.env): number {
  const fromEnv = env.SNNKIT_THREADS;
  if (fromEnv !== undefined && fromEnv !== "") {
    const n = Number(fromEnv);
    if (!Number.isInteger(n) || n < 1) throw new ValueError("SNNKIT_THREADS", "a positive integer", fromEnv);
    return n;
  }
  return Math.min(MAX_DEFAULT_THREADS, availableParallelism());
}

/** Eval'd workers are CommonJS scripts: their data comes from worker_threads.workerData. */
const program = kernelWorkerProgram('require("node:worker_threads").workerData');

/**
 * Installs worker_threads as the wasm backend's kernel workers (idempotent). Must run before the wasm
 * backend is first used; snnkit's Node entry points (`snnkit` under Node, `snnkit/node`, the CLI) call it
 * when imported.
 */
export function installNodeKernelThreads(): void {
  useKernelWorkers({
    defaultThreads: () => defaultNodeThreads(),
    spawn: (data: KernelWorkerData) => {
      const worker = new Worker(program, { eval: true, workerData: data });
      worker.unref();
      return worker;
    },
  });
}
