// The page's kernel workers for the wasm backend: Web Workers started from the kernel-worker program (a
// blob, no file beside the bundle), given their data by message. They share the wasm memory, which needs
// cross-origin isolation; without it the backend runs on one thread.
import { type KernelWorkerData, kernelWorkerProgram, useKernelWorkers } from "../src/backend/wasm/kernel_threads.js";

/** Most threads the page uses. */
const MAX_THREADS = 8;

/**
 * Installs Web Workers as the wasm backend's kernel workers, where the page is cross-origin isolated
 * (returns false, and installs nothing, where it is not). Call before the backend is first used, in a
 * worker (the kernel threads block, which a page's main thread may not).
 */
export function installBrowserKernelThreads(): boolean {
  if (!crossOriginIsolated) return false;
  const source = `self.onmessage = (e) => {${kernelWorkerProgram("e.data")}};`;
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  useKernelWorkers({
    defaultThreads: () => Math.max(1, Math.min(MAX_THREADS, navigator.hardwareConcurrency || 1)),
    spawn: (data: KernelWorkerData) => {
      const worker = new Worker(url);
      worker.postMessage(data);
      return worker;
    },
  });
  return true;
}
