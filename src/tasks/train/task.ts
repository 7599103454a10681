// `snnkit train` as a task: surrogate-gradient training through time, run, checkpointed and resumed by
// the one runner on any platform.
import { datasetSize, type RunData } from "../../data/dataset.js";
import { DataError, ValueError } from "../../errors.js";
import { checkFiniteArrays, type Checkpoint, decodeCheckpoint } from "../../io/checkpoint_codec.js";
import { isEventDataset } from "../../events/datasets.js";
import { loadEventRunData, loadRunData } from "../run/data.js";
import type { TensorEntry } from "../../nn/module.js";
import { networkForInput, nirToNetwork } from "../../nir/network.js";
import type { NetworkSpec } from "../../nir/network_spec.js";
import type { RunStore } from "../run/store.js";
import type { RunFiles, Task } from "../run/task.js";
import { parseCheckpointHeader, type TrainCheckpointHeader } from "./checkpoint_header.js";
import { configureTrain, DEFAULT_CONFIG, frameSettingsOf, RECIPES, type TrainConfig, trainConfigSchema } from "./config.js";
import { type BatchReport, evaluate, trainingFinished, trainSteps } from "./loop.js";
import { sampleRaster, trainingCurve } from "./plots.js";
import { createSession, type EpochMetrics, restoreArrays, restoreModelArrays, sessionArrays, type TrainingSession } from "./session.js";

/** Result of a training run (the `--json` object of `snnkit train`). */
export interface TrainResult {
  /** Accuracy on the held-out validation images after the last epoch (null: no validation set). */
  validation_accuracy: number | null;
  test_accuracy: number;
  epochs: number;
  seconds: number;
  checkpoint: string;
  completed: boolean;
  metrics: string;
  plots: { training_curve: string; raster: string };
  history: EpochMetrics[];
}

/** A session from a training checkpoint: header checked by its schema, arrays finite and of the network's shapes. */
export function restoreSession(ck: Checkpoint<unknown>, file: string): TrainingSession {
  const header = parseCheckpointHeader(ck.header, file);
  checkFiniteArrays(file, ck.arrays);
  const s = createSession(header.config);
  try {
    restoreArrays(s, ck.arrays, header.optimizer);
  } catch (e) {
    s.model.dispose();
    throw new DataError(file, `does not match its configuration (${(e as Error).message})`);
  }
  s.progress = header.progress;
  return s;
}

/** A session's checkpoint: configuration, progress, optimizer step and rate, model and optimizer arrays. */
export function sessionCheckpoint(s: TrainingSession): Checkpoint<TrainCheckpointHeader> {
  const o = s.optimizer.stateDict();
  return { header: { format: "snnkit-train", config: s.config, progress: s.progress, optimizer: { step: o.step, lr: o.lr } }, arrays: sessionArrays(s) };
}

/**
 * Sets a new session's weights to those of another run's checkpoint (`initFrom`), e.g. to fine-tune a
 * coarse network in continuous time. It must hold the same network (model preset and neuron); the
 * optimizer, progress and generators stay the new run's.
 */
export function startFromCheckpoint(s: TrainingSession, ck: Checkpoint<unknown>, path: string): void {
  const was = parseCheckpointHeader(ck.header, path).config;
  checkFiniteArrays(path, ck.arrays);
  if (was.model !== s.config.model || was.neuron !== s.config.neuron)
    throw new ValueError("--init-from", `a checkpoint of the same network (model ${s.config.model}, neuron ${s.config.neuron})`, `${path}: model ${was.model}, neuron ${was.neuron}`);
  try {
    restoreModelArrays(s, ck.arrays);
  } catch (e) {
    throw new DataError(path, `does not match this network (${(e as Error).message})`);
  }
}

/**
 * The network of `--from-nir` for this run's data: its layers and weights fitted to the images
 * (networkForInput). DataErrors name the file: an Input that does not take the images, an output that is
 * not one value per class.
 */
async function importNir(config: TrainConfig, data: RunData, store: RunStore): Promise<{ network: NetworkSpec; weights: Record<string, TensorEntry> }> {
  const file = config.fromNir!;
  // Loaded when a run imports a graph, so that pages that never do leave the NIR reader out.
  const { readNir } = await import("../../nir/hdf5.js");
  const doc = await readNir(store.readExternal(file), file);
  const net = nirToNetwork(doc.graph, { dt: config.nirDt ?? 1e-4, method: config.nirMethod ?? "euler", file });
  try {
    const { spec, weights } = networkForInput(net, data.train.imageShape, file, `the images of ${data.train.name}`);
    const classes = data.train.classes;
    if (net.outputShape.reduce((a, b) => a * b, 1) !== classes) throw new DataError(file, `its output gives [${net.outputShape}] values; ${data.train.name} has ${classes} classes`);
    return { network: spec, weights };
  } finally {
    net.model.dispose();
  }
}

const batchesPerEpoch = (s: TrainingSession, data: RunData) => Math.ceil(datasetSize(data.train) / s.config.batchSize);

/** Surrogate-gradient training through time of a network preset on image data. */
export const trainTask: Task<TrainConfig, TrainingSession, RunData, TrainResult, BatchReport, EpochMetrics> = {
  name: "train",
  schema: trainConfigSchema,
  defaults: DEFAULT_CONFIG,
  recipes: RECIPES,
  configure: configureTrain,
  extendable: "epochs",
  replaceable: ["dataDir"],
  data: (config, context) => (isEventDataset(config.dataset) ? loadEventRunData(context.images, config, frameSettingsOf(config)) : loadRunData(context.images, config)),
  async create(config, data, context) {
    const imported = config.fromNir !== undefined && config.network === undefined ? await importNir(config, data, context.store) : null;
    const s = createSession(imported ? { ...config, network: imported.network } : config, data.train);
    if (imported) s.model.loadStateDict(imported.weights);
    try {
      if (config.initFrom !== undefined) startFromCheckpoint(s, decodeCheckpoint(context.store.readExternal(config.initFrom), config.initFrom), config.initFrom);
    } catch (e) {
      s.model.dispose();
      throw e;
    }
    return s;
  },
  configOf: (s) => s.config,
  position: (s, data) => ({ epoch: s.progress.epoch, unit: s.progress.batch, units: batchesPerEpoch(s, data) }),
  run: (s, data) => trainSteps(s, data),
  finished: trainingFinished,
  save: sessionCheckpoint,
  restore: restoreSession,
  result(s, data, files: RunFiles, completed) {
    const p = s.progress;
    const last = p.epochs[p.epochs.length - 1];
    return {
      validation_accuracy: last?.validation_accuracy ?? null,
      test_accuracy: last ? last.test_accuracy : evaluate(s, data.test),
      epochs: p.epoch,
      seconds: p.seconds,
      checkpoint: files.checkpoint,
      completed,
      metrics: files.metrics,
      plots: { training_curve: files.plots.training_curve, raster: files.plots.raster },
      history: p.epochs,
    };
  },
  metrics: (s, result) => ({ config: s.config, ...result, batch_losses: s.progress.losses }),
  plots: (s, data) => ({ training_curve: trainingCurve(s, batchesPerEpoch(s, data)), raster: sampleRaster(s, data.test) }),
  dispose: (s) => s.model.dispose(),
};
