// Kernel threads for the wasm backend: workers that instantiate the shared-memory build of the kernels on
// the main thread's memory and run one part of a kernel call each while the main thread runs another.
// The engine stays synchronous: the main thread hands out the parts through a small shared control block
// (Atomics.notify), runs part 0 itself, then blocks in Atomics.wait until every worker has finished.
// The core only speaks the protocol; a platform supplies the workers (src/node/kernel_workers.ts for Node,
// whose main thread may block). Without one, the backend runs on one thread.
import { BackendError } from "../../errors.js";

/** Kernels a worker can run, by name of the wasm export. */
const THREADED_KERNELS = [
  "gemmStrided",
  "conv2dForward",
  "conv2dBackwardInput",
  "conv2dBackwardWeight",
  "conv2dSpikeForward",
  "conv2dSpikeBackwardWeight",
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

/** What a kernel worker receives: the compiled kernels, the shared memory, its control slot. */
export interface KernelWorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  slot: number;
  kernels: readonly string[];
}

/**
 * The program a kernel worker runs, given a JavaScript expression that evaluates to its KernelWorkerData:
 * instantiate the kernels on the shared memory, say ready, then loop: wait for a new SEQ, run the kernel,
 * publish DONE. Plain JavaScript, so a platform can start it from a string without a file beside the bundle.
 */
export function kernelWorkerProgram(workerDataExpression: string): string {
  return `
const { module, memory, control, slot, kernels } = ${workerDataExpression};
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
}

/** A started kernel worker. */
export interface KernelWorker {
  /** Stops the worker. */
  terminate(): unknown;
}

/**
 * How a platform starts kernel workers: `spawn(data)` starts one running kernelWorkerProgram on `data`;
 * `defaultThreads()` is the thread count the backend starts with (the main thread included).
 */
export interface KernelWorkerPlatform {
  spawn(data: KernelWorkerData): KernelWorker;
  defaultThreads(): number;
}

let platform: KernelWorkerPlatform | null = null;

/**
 * Installs a platform's kernel workers: the wasm backend created after this runs on a shared memory with
 * kernel threads. snnkit's Node entry does this when imported.
 */
export function useKernelWorkers(p: KernelWorkerPlatform): void {
  platform = p;
}

/** The installed kernel-worker platform where threads can run (it also needs SharedArrayBuffer), else null. */
export function kernelWorkerPlatform(): KernelWorkerPlatform | null {
  return platform && typeof SharedArrayBuffer === "function" ? platform : null;
}

/** Milliseconds a new worker may take to instantiate the kernels before the pool gives up on it. */
const START_TIMEOUT_MS = 30_000;

/** Workers running parts of kernel calls on a shared wasm memory. */
export class KernelThreads {
  private readonly workers: KernelWorker[] = [];
  private control = new SharedArrayBuffer(0);
  private ctl = new Int32Array(this.control);

  /** The workers instantiate `module` on `memory`; `spawn` starts them. */
  constructor(
    private readonly module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    private readonly spawn: KernelWorkerPlatform["spawn"],
  ) {}

  /** Workers started (each runs parts of kernel calls). */
  get started(): number {
    return this.workers.length;
  }

  /** A new pool of `count` workers (the old ones, idle, stopped), not yet waited for. */
  private spawnPool(count: number): void {
    // A larger pool gets a new control block and new workers; the old ones are idle (no part in flight).
    this.dispose();
    this.control = new SharedArrayBuffer(count * SLOT_BYTES);
    this.ctl = new Int32Array(this.control);
    for (let slot = 0; slot < count; slot++) {
      this.workers.push(this.spawn({ module: this.module, memory: this.memory, control: this.control, slot, kernels: THREADED_KERNELS }));
    }
  }

  /**
   * Starts `count` workers without blocking: where a thread must return to its event loop for the workers
   * it creates to start (a browser's worker), call this before the first threaded kernel.
   */
  async start(count: number): Promise<void> {
    if (count <= this.workers.length) return;
    this.spawnPool(count);
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (let slot = 0; slot < count; slot++) {
      const ready = slot * (SLOT_BYTES / 4) + READY;
      while (Atomics.load(this.ctl, ready) === 0) {
        if (Date.now() > deadline) {
          this.dispose();
          throw new BackendError(`kernel thread ${slot + 1} did not start within ${START_TIMEOUT_MS / 1000} s`);
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    }
  }

  /** Starts workers until there are `count`, blocking until each has instantiated the kernels. */
  ensureWorkers(count: number): void {
    if (count <= this.workers.length) return;
    this.spawnPool(count);
    for (let slot = 0; slot < count; slot++) {
      const ready = slot * (SLOT_BYTES / 4) + READY;
      if (Atomics.wait(this.ctl, ready, 0, START_TIMEOUT_MS) === "timed-out" && Atomics.load(this.ctl, ready) === 0) {
        this.dispose();
        throw new BackendError(`kernel thread ${slot + 1} did not start within ${START_TIMEOUT_MS / 1000} s`);
      }
    }
  }

  /**
   * Runs parts[0] on this thread (through `runHere`, on the main thread's instance) and parts[1..] on
   * workers 1..n−1 at the same time; returns when all are done. Parts must write disjoint memory. A kernel
   * that fails in a worker raises a BackendError.
   */
  run(parts: readonly KernelPart[], runHere: (part: KernelPart) => void): void {
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
      runHere(parts[0]);
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
