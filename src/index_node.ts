// The `snnkit` entry under Node: the portable core, with worker_threads installed as the wasm backend's
// kernel threads.
import { installNodeKernelThreads } from "./node/kernel_workers.js";

installNodeKernelThreads();

export * from "./index.js";
