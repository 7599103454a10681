// What the wasm bindings of the kernel families share: the compiled kernels' exports, the allocator over
// their memory, the kernel threads and per-thread GEMM scratch, and the rule for splitting a call.
import { WasmAllocator } from "./allocator.js";
import type { KernelPart, KernelThreads } from "./kernel_threads.js";
import type { WasmKernels } from "./wasm_exports.js";

/**
 * Floating-point operations below which a kernel call runs on one thread: handing parts to the workers
 * costs some tens of microseconds, about what 2²¹ operations take.
 */
const MIN_THREADED_WORK = 1 << 21;

/** Splits [0, n) into at most `parts` ranges whose starts are multiples of `unit`. */
export function splitRange(n: number, parts: number, unit: number): [number, number][] {
  const size = Math.ceil(n / parts / unit) * unit;
  const out: [number, number][] = [];
  for (let start = 0; start < n; start += size) out.push([start, Math.min(n, start + size)]);
  return out;
}

/** One instance of the wasm kernels with its memory, allocator and threads. */
export class WasmContext {
  readonly allocator: WasmAllocator;
  /** GEMM packing scratch, one per thread (index 0: the main thread). */
  private readonly scratches: number[] = [];
  private threadCount = 1;

  /** `threads`: the kernel workers of a shared-memory instance (null: one thread). */
  constructor(
    readonly exports: WasmKernels,
    private readonly threads: KernelThreads | null = null,
  ) {
    this.allocator = new WasmAllocator(exports.memory, exports.heapBase());
    this.scratches.push(this.allocator.alloc(exports.gemmScratchBytes()));
  }

  /** Threads the parallel kernels use (the main thread included). */
  getThreads(): number {
    return this.threadCount;
  }

  /** Sets the threads the parallel kernels use (capped at 1 without kernel threads). */
  setThreads(count: number): void {
    this.threadCount = this.threads ? Math.max(1, Math.floor(count)) : 1;
  }

  /** Starts the kernel workers for the thread count without blocking (KernelThreads.start); returns the workers running. */
  async startThreads(): Promise<number> {
    if (this.threads) await this.threads.start(this.threadCount - 1);
    return this.threads?.started ?? 0;
  }

  /** Kernel workers started so far (0 on one thread). */
  startedThreads(): number {
    return this.threads?.started ?? 0;
  }

  /** Threads worth using for `work` floating-point operations. */
  partsFor(work: number): number {
    return Math.max(1, Math.min(this.threadCount, Math.floor(work / MIN_THREADED_WORK)));
  }

  /** GEMM packing scratch of thread `i`. */
  scratchOf(i: number): number {
    while (this.scratches.length <= i) this.scratches.push(this.allocator.alloc(this.exports.gemmScratchBytes()));
    return this.scratches[i];
  }

  /** Runs kernel parts: on the threads when there are several, else here. */
  runParts(parts: KernelPart[]): void {
    if (parts.length > 1 && this.threads) this.threads.run(parts, this.runHere);
    else for (const p of parts) this.runHere(p);
  }

  /** Runs one kernel part on the main thread's instance. */
  private readonly runHere = (part: KernelPart): void => {
    (this.exports[part.kernel] as (...a: readonly number[]) => void)(...part.args);
  };

  /** Runs `fn` with a temporary buffer of `length` 4-byte elements (float32 or int32). */
  withTemp<R>(length: number, fn: (ptr: number) => R): R {
    const ptr = this.allocator.alloc(length * 4);
    try {
      return fn(ptr);
    } finally {
      this.allocator.free(ptr, length * 4);
    }
  }
}
