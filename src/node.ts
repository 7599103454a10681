// snnkit's Node-only API: files (IDX data, the embedded digits, checkpoints), training runs on disk, the
// kernel threads (installed on import, as by the `snnkit` entry under Node), and the tasks they run.
import { installNodeKernelThreads } from "./node/kernel_workers.js";

installNodeKernelThreads();

export { defaultNodeThreads, installNodeKernelThreads } from "./node/kernel_workers.js";
export { type IdxArray, loadIdxImages, parseIdx, readIdxFile } from "./node/idx.js";
export { EMBEDDED_SPLIT_SEED, EMBEDDED_TRAIN_SIZE, embeddedSplit, loadEmbeddedDigits } from "./node/mnist_embedded.js";
export { type Checkpoint, readCheckpoint, removeStaleTemporaries, writeCheckpoint } from "./node/checkpoint.js";
// The tasks (training runs, experiments) that the Node-only parts below run on disk.
export * from "./tasks.js";
export {
  loadSession,
  loadSplit,
  loadRunData,
  rasterOfSample,
  saveCheckpoint,
  startFromCheckpoint,
  type TrainResult,
  type TrainRunHooks,
  type TrainRunOptions,
  trainToDirectory,
  writeRunOutputs,
} from "./node/run_dir.js";
export { type ConvertResult, convertCheckpoint, type DsnResult, type DsnRunOptions, dsnToDirectory, loadDsnCheckpoint, saveDsnCheckpoint } from "./node/dsn_run.js";
export { type CheckpointModel, modelName, type PaperRunOptions, robustnessPaper, type RobustnessRunOptions, type RobustnessRunResult, robustnessToDirectory } from "./node/robustness_run.js";
export { type ControlRecord, type ControlResult, type ControlRunOptions, controlToDirectory, loadControl } from "./node/control_run.js";
