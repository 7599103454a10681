// The `snnkit` entry under Node: the portable core, with worker_threads installed as the wasm backend's
// kernel threads, and the native addon (where it was built) as the native backend.
import { installNodeKernelThreads } from "./node/kernel_workers.js";
import { installNodeNativeAddon } from "./node/native_addon.js";

installNodeKernelThreads();
installNodeNativeAddon();

export * from "./index.js";
