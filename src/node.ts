// snnkit's Node-only API: files (IDX data, the embedded digits, checkpoints), training runs on disk, and
// the kernel threads (installed on import, as by the `snnkit` entry under Node).
import { installNodeKernelThreads } from "./node/kernel_workers.js";

installNodeKernelThreads();

export { defaultNodeThreads, installNodeKernelThreads } from "./node/kernel_workers.js";
export { type IdxArray, loadIdxImages, parseIdx, readIdxFile } from "./node/idx.js";
export { EMBEDDED_SPLIT_SEED, EMBEDDED_TRAIN_SIZE, embeddedSplit, loadEmbeddedDigits } from "./node/mnist_embedded.js";
export { type Checkpoint, readCheckpoint, removeStaleTemporaries, writeCheckpoint } from "./node/checkpoint.js";
export { parseCheckpointHeader, type TrainCheckpointHeader } from "./train/checkpoint_header.js";
export { buildModel, MODEL_NAMES, type ModelName, type ModelSpec, NEURON_NAMES, type NeuronName } from "./train/models.js";
export {
  BACKENDS,
  DATASETS,
  DEFAULT_CONFIG,
  ENCODINGS,
  LOSSES,
  OPTIMIZERS,
  SCHEDULES,
  type TrainConfig,
  trainConfigSchema,
  TRAIN_LIMITS,
  validateConfig,
} from "./train/config.js";
export { type BatchReport, classScores, evaluate, type TrainHooks, trainEpochs } from "./train/loop.js";
export { createSession, encodeBatch, type EpochMetrics, type TrainingSession, type TrainProgress } from "./train/session.js";
export {
  loadSession,
  loadSplit,
  loadTrainingData,
  rasterOfSample,
  saveCheckpoint,
  type TrainResult,
  type TrainRunHooks,
  type TrainRunOptions,
  trainToDirectory,
  writeRunOutputs,
} from "./node/run_dir.js";
