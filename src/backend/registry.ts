// Which backend new tensors use: native where its addon is installed (Node, where it was built), else
// wasm. The wasm backend (under native too) is instantiated on first use (synchronously, fine in Node and
// workers) or ahead of time with `await ready()` (browsers' main thread).
import { BackendError, ValueError } from "../errors.js";
import type { Backend, BackendName } from "./backend.js";
import { createJsBackend } from "./js_backend.js";
import { createNativeBackend, nativeAddon, type NativeBackend } from "./native.js";
import { wasmKernelBinaries } from "./wasm/relaxed_simd.js";
import {
  createThreadedWasmBackendSync,
  createWasmBackendSync,
  loadWasmBackend,
  type WasmBackend,
} from "./wasm/wasm_backend.js";

let jsBackend: Backend | null = null;
let wasmBackend: WasmBackend | null = null;
let nativeBackend: NativeBackend | null = null;
/** The backend chosen with setBackend; until then, the default (defaultBackendName). */
let currentName: BackendName | null = null;
let requestedThreads: number | null = null;

/** Applies a thread count set before the backend existed. */
function withRequestedThreads(backend: WasmBackend): WasmBackend {
  if (requestedThreads !== null) backend.setThreads(requestedThreads);
  return backend;
}

/** Returns the backend instance of a name, creating it if needed. */
export function backendByName(name: BackendName): Backend {
  if (name === "js") {
    jsBackend ??= createJsBackend();
    return jsBackend;
  }
  if (name === "wasm") {
    if (!wasmBackend) {
      const binaries = wasmKernelBinaries();
      wasmBackend = withRequestedThreads(createThreadedWasmBackendSync(binaries.shared) ?? createWasmBackendSync(binaries.plain));
    }
    return wasmBackend;
  }
  if (name === "native") {
    const addon = nativeAddon();
    if (!addon) throw new BackendError("the native backend is not available here: its addon runs in Node where it was built at install (npm rebuild snnkit builds it; it needs a C++ compiler); the wasm backend runs without it");
    nativeBackend ??= createNativeBackend(backendByName("wasm") as WasmBackend, addon);
    return nativeBackend;
  }
  throw new ValueError("backend", `"js", "wasm" or "native"`, name);
}

/** The default backend: native where its addon is installed (Node, where it was built), else wasm. */
export function defaultBackendName(): BackendName {
  return nativeAddon() ? "native" : "wasm";
}

/** The backend new tensors are created on. */
export function getBackend(): Backend {
  return backendByName(getBackendName());
}

/** Selects the backend for new tensors: `"native"` (Node, where its addon is built; the default there), `"wasm"` (SIMD128; the default elsewhere) or `"js"` (reference). */
export function setBackend(name: BackendName): void {
  if (name !== "js" && name !== "wasm" && name !== "native") throw new ValueError("backend", `"js", "wasm" or "native"`, name);
  backendByName(name);
  currentName = name;
}

/** Name of the current backend. */
export function getBackendName(): BackendName {
  return currentName ?? defaultBackendName();
}

/** Loads the wasm kernels asynchronously (call once before using snnkit on a browser's main thread). */
export async function ready(): Promise<void> {
  if (!wasmBackend) {
    try {
      const binaries = wasmKernelBinaries();
      wasmBackend = withRequestedThreads(createThreadedWasmBackendSync(binaries.shared) ?? (await loadWasmBackend(binaries.plain)));
    } catch (e) {
      throw new BackendError(`could not instantiate the wasm backend: ${(e as Error).message}`);
    }
  }
}

/**
 * Sets the number of threads the wasm backend's GEMM, convolution and spike-product kernels use (the main
 * thread included). Kernel threads need a platform's workers (snnkit's Node entry installs them, with the
 * default SNNKIT_THREADS or the machine's cores, at most 8); elsewhere the backend runs one thread. Results
 * do not depend on the thread count, except the rounding of convolution weight gradients (summed per image
 * range).
 */
export function setThreads(count: number): void {
  if (!Number.isInteger(count) || count < 1) throw new ValueError("threads", "a positive integer", count);
  requestedThreads = count;
  wasmBackend?.setThreads(count);
}

/** Threads the wasm backend's parallel kernels use (1 where kernel threads cannot run). */
export function getThreads(): number {
  return (backendByName("wasm") as WasmBackend).getThreads();
}

/**
 * Starts the wasm backend's kernel workers without blocking, at its thread count (setThreads): a page's
 * worker awaits this before training, since a browser thread must return to its event loop for the
 * workers it creates to start. Resolves to the kernel workers running (0 on one thread).
 */
export async function startThreads(): Promise<number> {
  await ready();
  return (backendByName("wasm") as WasmBackend).startThreads();
}
