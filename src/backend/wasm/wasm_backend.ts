// The wasm backend (the default without the native addon, and the base of the native backend): SIMD128
// kernels compiled from AssemblyScript (src/backend/wasm/assembly). Tensors live in wasm linear memory;
// kernels receive byte offsets, so no op copies its operands. Each kernel family says how it runs here
// (src/backend/kernels): a binding, or the reference code on views of the same memory.
import { BackendError } from "../../errors.js";
import type { Backend } from "../backend.js";
import { wasmKernels } from "../kernels/index.js";
import { type DType, StorageBase, type TypedArray, bytesPerElement } from "../storage.js";
import { KernelThreads, kernelWorkerPlatform } from "./kernel_threads.js";
import { WasmContext } from "./wasm_context.js";
import type { WasmKernels } from "./wasm_exports.js";

class WasmStorage extends StorageBase {
  private freed = false;
  readonly ptr: number;
  /** The last view made and the memory buffer it is on (a grown memory has a new buffer). */
  private cached: TypedArray | null = null;
  constructor(
    private readonly context: WasmContext,
    dtype: DType,
    length: number,
  ) {
    super(dtype, length);
    this.ptr = context.allocator.alloc(length * bytesPerElement[dtype]);
  }
  view(): TypedArray {
    if (this.freed) throw new BackendError("storage used after free");
    const buffer = this.context.exports.memory.buffer;
    if (this.cached && this.cached.buffer === buffer) return this.cached;
    if (this.dtype === "float32") this.cached = new Float32Array(buffer, this.ptr, this.length);
    else if (this.dtype === "int32") this.cached = new Int32Array(buffer, this.ptr, this.length);
    else this.cached = new Uint8Array(buffer, this.ptr, this.length);
    return this.cached;
  }
  free(): void {
    if (this.freed) return;
    this.freed = true;
    this.cached = null;
    this.context.allocator.free(this.ptr, this.length * bytesPerElement[this.dtype]);
  }
}

/** The wasm SIMD128 backend; with kernel threads (Node), GEMM, conv and spike products run in parallel. */
export interface WasmBackend extends Backend {
  /** The compiled kernels, their memory and threads. */
  readonly context: WasmContext;
  /** Threads the parallel kernels use (the main thread included). */
  getThreads(): number;
  /** Sets the threads the parallel kernels use (capped at 1 without kernel threads). */
  setThreads(count: number): void;
  /** Starts the kernel workers now without blocking (a browser's worker must, before its first threaded kernel); resolves to the workers running. */
  startThreads(): Promise<number>;
}

/** A wasm backend over one instance of the kernels; `threads`: the workers of a shared-memory instance. */
function createWasmBackend(exports: WasmKernels, threads: KernelThreads | null = null): WasmBackend {
  const context = new WasmContext(exports, threads);
  return {
    name: "wasm",
    context,
    alloc: (dtype, length) => new WasmStorage(context, dtype, length),
    bytesInUse: () => context.allocator.bytesInUse(),
    peakBytesInUse: () => context.allocator.peakBytesInUse(),
    resetPeakBytes: () => context.allocator.resetPeak(),
    bytesReserved: () => context.allocator.bytesReserved(),
    getThreads: () => context.getThreads(),
    setThreads: (count) => context.setThreads(count),
    startThreads: () => context.startThreads(),
    ...wasmKernels(context),
  };
}

function wasmBytes(base64: string): Uint8Array {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

const imports = {
  env: {
    abort(): never {
      throw new BackendError("wasm kernel aborted");
    },
  },
};

/** Instantiates the wasm backend synchronously (fine in Node and workers; browsers' main thread should use loadWasmBackend). */
export function createWasmBackendSync(base64: string): WasmBackend {
  const module = new WebAssembly.Module(wasmBytes(base64) as BufferSource);
  const instance = new WebAssembly.Instance(module, imports);
  return createWasmBackend(instance.exports as unknown as WasmKernels);
}

/** Pages of the shared memory: initial as the kernels' build declares it, maximum the wasm32 limit. */
const SHARED_MEMORY = { initial: 32, maximum: 65536, shared: true } as const;

/**
 * Instantiates the shared-memory build of the kernels on a new shared memory, with kernel threads
 * (started on first use) from the installed platform, at its default thread count; null where no platform
 * is installed (useKernelWorkers) or SharedArrayBuffer is missing.
 */
export function createThreadedWasmBackendSync(sharedBase64: string): WasmBackend | null {
  const platform = kernelWorkerPlatform();
  if (!platform) return null;
  const module = new WebAssembly.Module(wasmBytes(sharedBase64) as BufferSource);
  const memory = new WebAssembly.Memory(SHARED_MEMORY);
  const instance = new WebAssembly.Instance(module, { env: { ...imports.env, memory } });
  const backend = createWasmBackend(instance.exports as unknown as WasmKernels, new KernelThreads(module, memory, platform.spawn));
  backend.setThreads(platform.defaultThreads());
  return backend;
}

/** Instantiates the wasm backend asynchronously. */
export async function loadWasmBackend(base64: string): Promise<WasmBackend> {
  const { instance } = await WebAssembly.instantiate(wasmBytes(base64) as BufferSource, imports);
  return createWasmBackend(instance.exports as unknown as WasmKernels);
}
