// A training session: model, optimizer and progress built from a configuration, and the arrays a
// checkpoint saves and restores.
import { setBackend } from "../../backend/registry.js";
import { runBackend } from "../run/settings.js";
import { datasetSize, gatherBatch, type ImageDataset } from "../../data/dataset.js";
import { latencyEncode, rateEncode } from "../../encode/encoders.js";
import { ValueError } from "../../errors.js";
import { scaleToUnitCurrent } from "../../nn/data_init.js";
import type { Sequential } from "../../nn/sequential.js";
import { SpikingNeuron } from "../../neurons/neuron.js";
import { Adam, AdamW } from "../../optim/adam.js";
import type { Optimizer, OptimizerState } from "../../optim/optimizer.js";
import { SGD } from "../../optim/sgd.js";
import { Rng, type RngState } from "../../random/rng.js";
import { tidy } from "../../tensor/engine.js";
import { permute } from "../../tensor/ops/shape_ops.js";
import type { Tensor } from "../../tensor/tensor.js";
import { buildNetwork } from "../../nir/network_spec.js";
import { resolveSurrogate } from "../../surrogate/surrogate.js";
import { classesOf, inputShapeOf, networkOf, type TrainConfig, validateConfig } from "./config.js";
import { buildModel } from "./models.js";

/** Metrics of one finished epoch. */
export interface EpochMetrics {
  epoch: number;
  train_loss: number;
  train_accuracy: number;
  /** Accuracy on the validation images held out of the training set (absent without them). */
  validation_accuracy?: number;
  test_accuracy: number;
  seconds: number;
  lr: number;
}

/** Where a run stands: enough to continue it exactly. */
export interface TrainProgress {
  /** Epochs finished. */
  epoch: number;
  /** Batches finished in the current epoch. */
  batch: number;
  /** Loss of every training batch so far. */
  losses: number[];
  epochs: EpochMetrics[];
  /** Shuffling generator at the start of the current epoch (regenerates its batch order). */
  shuffleRng: RngState;
  /** Generator of encoding noise, now. */
  noiseRng: RngState;
  /** Generator of the noisy neurons' membrane noise, now (noisy runs only). */
  neuronRng?: RngState;
  /** Running sums of the current epoch. */
  partial: { loss: number; correct: number; seen: number; seconds: number };
  /** Wall seconds of all work so far. */
  seconds: number;
}

/** A model with its optimizer and progress, ready to train or evaluate. */
export interface TrainingSession {
  config: TrainConfig;
  model: Sequential;
  optimizer: Optimizer;
  progress: TrainProgress;
  /** The generator every noisy layer draws its membrane noise from (null without noisy neurons). */
  neuronRng: Rng | null;
}

function makeOptimizer(c: TrainConfig, params: Tensor[]): Optimizer {
  if (c.optimizer === "sgd") return new SGD(params, { lr: c.lr, momentum: 0.9 });
  if (c.optimizer === "adamw") return new AdamW(params, { lr: c.lr });
  return new Adam(params, { lr: c.lr });
}

/** Images of the training set used to scale the initial weights (scaleToUnitCurrent). */
const INIT_SAMPLE = 128;

/**
 * Builds model and optimizer from a configuration, at the start of training: He-uniform weights from
 * Rng(seed); then, when `initCurrentStd` > 0 and training data is given, each weighted layer is scaled so
 * its output current has that standard deviation on the first 128 images (wakes up silent deep stacks).
 */
export function createSession(config: TrainConfig, train?: ImageDataset): TrainingSession {
  const c = validateConfig({ ...config });
  setBackend(runBackend(c.backend));
  const neuronRng = c.noise !== undefined ? new Rng(c.seed + 5) : null;
  const model =
    c.model === "nir"
      ? buildNetwork(networkOf(c), { rng: new Rng(c.seed), detachReset: c.detachReset, ...(c.surrogate ? { surrogate: resolveSurrogate(c.surrogate.name, c.surrogate.param) } : {}) })
      : buildModel({
          model: c.model,
          neuron: c.neuron,
          surrogate: c.surrogate,
          tau: c.tau,
          beta: c.beta,
          detachReset: c.detachReset,
          learnThreshold: c.learnThreshold,
          rng: new Rng(c.seed),
          ...(neuronRng ? { noise: c.noise, noiseRng: neuronRng } : {}),
          inputShape: inputShapeOf(c),
          classes: classesOf(c),
        });
  if (train && datasetSize(train) > 0 && c.initCurrentStd > 0) {
    tidy(() => {
      const n = Math.min(INIT_SAMPLE, datasetSize(train));
      const { x } = gatherBatch(train, Array.from({ length: n }, (_, i) => i));
      const { input, steps } = encodeBatch(c, x, new Rng(c.seed + 4));
      scaleToUnitCurrent(model, input, { steps, targetStd: c.initCurrentStd });
    });
  }
  const last = model.layers[model.layers.length - 1];
  if (c.loss === "ce-membrane" && last instanceof SpikingNeuron) last.output = "membrane";
  const optimizer = makeOptimizer(c, model.parameters());
  const shuffle = new Rng(c.seed + 1);
  const noise = new Rng(c.seed + 2);
  return {
    config: c,
    model,
    optimizer,
    neuronRng,
    progress: {
      epoch: 0,
      batch: 0,
      losses: [],
      epochs: [],
      shuffleRng: shuffle.getState(),
      noiseRng: noise.getState(),
      ...(neuronRng ? { neuronRng: neuronRng.getState() } : {}),
      partial: { loss: 0, correct: 0, seen: 0, seconds: 0 },
      seconds: 0,
    },
  };
}

/** The network's input for a batch of images [B, C, H, W] under the configured encoding (static for direct); event frames [B, T, C, H, W] as [T, B, C, H, W]. */
export function encodeBatch(c: TrainConfig, x: Tensor, rng: Rng): { input: Tensor; steps?: number } {
  if (c.encoding === "events") {
    if (x.rank !== 5) throw new ValueError("encoding", "events with samples of frames [B, T, C, H, W]", `a batch of shape [${x.shape}]`);
    return { input: permute(x, [1, 0, 2, 3, 4]) };
  }
  if (c.encoding === "direct") return { input: x, steps: c.steps };
  if (c.encoding === "rate") return { input: rateEncode(x, c.steps, rng) };
  return { input: latencyEncode(x, c.steps) };
}

/** Saves the state a checkpoint needs: model arrays and optimizer slots, by name. */
export function sessionArrays(s: TrainingSession): Record<string, Float32Array> {
  const arrays: Record<string, Float32Array> = {};
  for (const [k, e] of Object.entries(s.model.stateDict())) arrays[`model.${k}`] = e.data;
  const o = s.optimizer.stateDict();
  for (const [slot, list] of Object.entries(o.slots)) list.forEach((a, i) => (arrays[`optim.${slot}.${i}`] = a));
  return arrays;
}

/** Restores the model arrays saved by sessionArrays (the "model." ones; shapes checked). */
export function restoreModelArrays(s: TrainingSession, arrays: Record<string, Float32Array>): void {
  const entries = Object.entries(s.model.stateDict()).map(([k, e]) => {
    const a = arrays[`model.${k}`];
    if (!a) throw new ValueError("checkpoint", `an array "model.${k}"`, Object.keys(arrays).slice(0, 5));
    return [k, { shape: e.shape, data: a }] as const;
  });
  s.model.loadStateDict(Object.fromEntries(entries));
}

/** Restores model and optimizer arrays saved by sessionArrays (shapes checked). */
export function restoreArrays(s: TrainingSession, arrays: Record<string, Float32Array>, optim: { step: number; lr: number }): void {
  restoreModelArrays(s, arrays);
  const current = s.optimizer.stateDict();
  const slots: Record<string, Float32Array[]> = {};
  for (const [slot, list] of Object.entries(current.slots))
    slots[slot] = list.map((_, i) => {
      const a = arrays[`optim.${slot}.${i}`];
      if (!a) throw new ValueError("checkpoint", `an array "optim.${slot}.${i}"`, "none");
      return a;
    });
  const state: OptimizerState = { step: optim.step, lr: optim.lr, slots };
  s.optimizer.loadStateDict(state);
}

