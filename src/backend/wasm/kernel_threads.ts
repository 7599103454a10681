// Kernel threads for the wasm backend: workers that instantiate the shared-memory build of the kernels on
// the main thread's memory and run one part of a kernel call each while the main thread runs another.
// The engine stays synchronous: the main thread hands out the parts through a small shared control block
// (Atomics.notify), runs part 0 itself, then blocks in Atomics.wait until every worker has finished.
// Node only (worker_threads, and a main thread that may block); elsewhere the backend runs one thread.
import { BackendError, ValueError } from "../../errors.js";

/** Kernels a worker can run, by name of the wasm export. */
export const THREADED_KERNELS = [
  "gemmStrided",
  "conv2dForward",
  "conv2dBackwardInput",
  "conv2dBackwardWeight",
  "spikeTableColumns",
] as const;
/** A kernel a worker can run. */
export type ThreadedKernel = (typeof THREADED_KERNELS)[number];

/** One part of a kernel call: the export and its arguments (byte offsets and scalars). */
export interface KernelPart {
  kernel: ThreadedKernel;
  args: readonly number[];
}

const MAX_ARGS = 24;
// Int32 fields of a worker's control slot.
const SEQ = 0; // bumped by the main thread for each new part
const DONE = 1; // set by the worker to SEQ when the part has run
const KERNEL = 2;
const NARGS = 3;
const FAILED = 4;
const READY = 5;
const SLOT_INTS = 8;
const SLOT_BYTES = SLOT_INTS * 4 + MAX_ARGS * 8;

/**
 * The worker's program (run with `eval`, so it needs no file next to the bundle): instantiate the kernels
 * on the shared memory, say ready, then loop: wait for a new SEQ, run the kernel, publish DONE.
 */
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { module, memory, control, slot, kernels } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error("wasm kernel aborted"); } } });
const fns = kernels.map((k) => instance.exports[k]);
const base = (slot * ${SLOT_BYTES}) / 4;
const ctl = new Int32Array(control);
const args = new Float64Array(control, slot * ${SLOT_BYTES} + ${SLOT_INTS * 4}, ${MAX_ARGS});
Atomics.store(ctl, base + ${READY}, 1);
Atomics.notify(ctl, base + ${READY});
let seen = 0;
for (;;) {
  Atomics.wait(ctl, base + ${SEQ}, seen);
  seen = Atomics.load(ctl, base + ${SEQ});
  let failed = 0;
  try {
    fns[ctl[base + ${KERNEL}]](...args.subarray(0, ctl[base + ${NARGS}]));
  } catch {
    failed = 1;
  }
  ctl[base + ${FAILED}] = failed;
  Atomics.store(ctl, base + ${DONE}, seen);
  Atomics.notify(ctl, base + ${DONE});
}
`;

/** The part of Node's worker_threads.Worker this module uses. */
interface NodeWorker {
  unref(): void;
  terminate(): Promise<number>;
}
type WorkerConstructor = new (source: string, options: { eval: true; workerData: unknown }) => NodeWorker;

/** Node's Worker constructor, or null outside Node (browsers, Deno without Node compatibility). */
function nodeWorkerConstructor(): WorkerConstructor | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const threads = proc?.getBuiltinModule?.("node:worker_threads") as { Worker?: WorkerConstructor } | undefined;
  return threads?.Worker ?? null;
}

/** Whether kernel threads can run here (Node with worker_threads and SharedArrayBuffer). */
export function kernelThreadsAvailable(): boolean {
  return typeof SharedArrayBuffer === "function" && nodeWorkerConstructor() !== null;
}

/**
 * The default number of kernel threads: SNNKIT_THREADS when set, else the available parallelism of the
 * machine (at most 8), else 1.
 */
export function defaultThreadCount(): number {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined>; getBuiltinModule?: (id: string) => unknown } }).process;
  const fromEnv = proc?.env?.SNNKIT_THREADS;
  if (fromEnv !== undefined && fromEnv !== "") {
    const n = Number(fromEnv);
    if (!Number.isInteger(n) || n < 1) throw new ValueError("SNNKIT_THREADS", "a positive integer", fromEnv);
    return n;
  }
  const os = proc?.getBuiltinModule?.("node:os") as { availableParallelism?: () => number } | undefined;
  return Math.min(8, Math.max(1, os?.availableParallelism?.() ?? 1));
}

/** Milliseconds a new worker may take to instantiate the kernels before the pool gives up on it. */
const START_TIMEOUT_MS = 30_000;

/** Workers running parts of kernel calls on a shared wasm memory. */
export class KernelThreads {
  private readonly workers: NodeWorker[] = [];
  private control = new SharedArrayBuffer(0);
  private ctl = new Int32Array(this.control);

  /** `run(kernel, args)` runs a kernel on the main thread's instance. */
  constructor(
    private readonly module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    private readonly runHere: (kernel: ThreadedKernel, args: readonly number[]) => void,
  ) {}

  /** Workers started so far. */
  get workerCount(): number {
    return this.workers.length;
  }

  /** Starts workers until there are `count`, blocking until each has instantiated the kernels. */
  ensureWorkers(count: number): void {
    if (count <= this.workers.length) return;
    const WorkerCtor = nodeWorkerConstructor();
    if (!WorkerCtor) throw new BackendError("kernel threads need Node's worker_threads");
    // A new control block for the larger pool; the old workers are idle (no part in flight), so they move over.
    const old = this.workers.splice(0);
    for (const w of old) void w.terminate();
    this.control = new SharedArrayBuffer(count * SLOT_BYTES);
    this.ctl = new Int32Array(this.control);
    for (let slot = 0; slot < count; slot++) {
      const worker = new WorkerCtor(WORKER_SOURCE, {
        eval: true,
        workerData: { module: this.module, memory: this.memory, control: this.control, slot, kernels: THREADED_KERNELS },
      });
      worker.unref();
      this.workers.push(worker);
    }
    for (let slot = 0; slot < count; slot++) {
      const ready = slot * (SLOT_BYTES / 4) + READY;
      if (Atomics.wait(this.ctl, ready, 0, START_TIMEOUT_MS) === "timed-out" && Atomics.load(this.ctl, ready) === 0) {
        this.dispose();
        throw new BackendError(`kernel thread ${slot + 1} did not start within ${START_TIMEOUT_MS / 1000} s`);
      }
    }
  }

  /**
   * Runs parts[0] on this thread and parts[1..] on workers 1..n−1 at the same time; returns when all are
   * done. Parts must write disjoint memory. A kernel that fails in any thread raises a BackendError.
   */
  run(parts: readonly KernelPart[]): void {
    const remote = parts.length - 1;
    this.ensureWorkers(remote);
    const { ctl } = this;
    const seqs: number[] = [];
    for (let i = 0; i < remote; i++) {
      const { kernel, args } = parts[i + 1];
      if (args.length > MAX_ARGS) throw new BackendError(`${kernel}: more than ${MAX_ARGS} arguments`);
      const base = i * (SLOT_BYTES / 4);
      ctl[base + KERNEL] = THREADED_KERNELS.indexOf(kernel);
      ctl[base + NARGS] = args.length;
      new Float64Array(this.control, i * SLOT_BYTES + SLOT_INTS * 4, MAX_ARGS).set(args);
      seqs.push(Atomics.add(ctl, base + SEQ, 1) + 1);
      Atomics.notify(ctl, base + SEQ);
    }
    let failure: unknown = null;
    try {
      this.runHere(parts[0].kernel, parts[0].args);
    } catch (e) {
      failure = e;
    }
    const failed: string[] = [];
    for (let i = 0; i < remote; i++) {
      const base = i * (SLOT_BYTES / 4);
      for (let d = Atomics.load(ctl, base + DONE); d !== seqs[i]; d = Atomics.load(ctl, base + DONE))
        Atomics.wait(ctl, base + DONE, d);
      if (ctl[base + FAILED]) failed.push(`${parts[i + 1].kernel} (thread ${i + 1})`);
    }
    if (failure) throw failure;
    if (failed.length > 0) throw new BackendError(`wasm kernel aborted: ${failed.join(", ")}`);
  }

  /** Stops the workers. */
  dispose(): void {
    for (const w of this.workers.splice(0)) void w.terminate();
  }
}
