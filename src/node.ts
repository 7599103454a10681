// snnkit's Node-only API: the platform under the tasks (a directory RunStore, IDX data, the embedded
// digits, checkpoint files), the kernel threads (installed on import, as by the `snnkit` entry under
// Node), and the tasks themselves.
import { installNodeKernelThreads } from "./node/kernel_workers.js";
import { installNodeNativeAddon } from "./node/native_addon.js";

installNodeKernelThreads();
installNodeNativeAddon();

export { defaultNodeThreads, installNodeKernelThreads } from "./node/kernel_workers.js";
export { installNodeNativeAddon, nativeStatus } from "./node/native_addon.js";
export { type IdxArray, loadIdxImages, parseIdx, readIdxFile } from "./node/idx.js";
export { EMBEDDED_SPLIT_SEED, EMBEDDED_TRAIN_SIZE, embeddedSplit, loadEmbeddedDigits } from "./node/mnist_embedded.js";
export { DirectoryStore, directoryContext, loadRun, readCheckpoint, removeStaleTemporaries, runInDirectory, writeCheckpoint, writeFileAtomically } from "./node/run_store.js";
export { nodeImages } from "./node/images.js";
export { type ArchiveCheck, CHUNK as EVENT_CACHE_CHUNK, describeCheck, loadEventSplit, NMNIST_ORDER_SEED, verifyArchives, verifyArchivesIn } from "./node/event_data.js";
export type { Checkpoint } from "./io/checkpoint_codec.js";
// The tasks (training runs, experiments) that the Node-only parts above run on disk.
export * from "./tasks.js";
