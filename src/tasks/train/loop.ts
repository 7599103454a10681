// The training loop of surrogate-gradient training through time, with exact resume, and evaluation.
import { batchIndices, datasetSize, gatherBatch, type ImageDataset, permutation, type RunData } from "../../data/dataset.js";
import { DivergenceError, LimitError, ValueError } from "../../errors.js";
import { accuracy, ceCountLoss, ceMembraneLoss, mseCountLoss, predictions, spikeCounts } from "../../nn/spike_losses.js";
import { CosineSchedule } from "../../optim/cosine_schedule.js";
import { Rng } from "../../random/rng.js";
import { isGradEnabled, noGrad, tidy } from "../../tensor/engine.js";
import { type ChunkedBpttMode, type ChunkedBpttResult, chunkedBackward } from "../../nn/chunked_bptt.js";
import type { Sequential } from "../../nn/sequential.js";
import { add, mul } from "../../tensor/ops/elementwise.js";
import { mean } from "../../tensor/ops/reduce.js";
import type { Tensor } from "../../tensor/tensor.js";
import { perStepMasses, runSteppedNetwork } from "../../transfer/stepped_network.js";
import type { TrainConfig } from "./config.js";
import { encodeBatch, type EpochMetrics, type TrainingSession } from "./session.js";
import { driveSteps } from "../run/runner.js";
import type { TaskEvent } from "../run/task.js";

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

/** Class scores [B, classes] from the network output [T, B, classes]: spike counts or mean membrane. */
export function classScores(c: TrainConfig, output: Tensor): Tensor {
  return c.loss === "ce-membrane" ? mean(output, 0) : spikeCounts(output);
}

/** The training loss of a run's configuration on the network output and labels (mean over the batch). */
export function trainingLoss(c: TrainConfig, output: Tensor, labels: number[]): Tensor {
  if (c.loss === "ce-membrane") return ceMembraneLoss(output, labels);
  if (c.loss === "mse-count") return mseCountLoss(output, labels);
  return ceCountLoss(output, labels);
}

/**
 * The network's output [T, B, ...] on an encoded batch, in the run's time model: the coarse model, or with
 * `substeps`, continuous-time LIF neurons on that grid (runSteppedNetwork; differentiable where gradients
 * are recorded).
 */
export function networkOutput(c: TrainConfig, model: Sequential, input: Tensor, steps: number | undefined): Tensor {
  if (c.substeps === undefined) return model.run(input, { steps }).output;
  return runSteppedNetwork(model, perStepMasses(input, steps), c.substeps, "crossing", isGradEnabled()).output;
}

/** The network's output on `input`, averaged over the run's `evalSamples` passes (noisy neurons sample anew in each). */
export function averagedOutput(c: TrainConfig, model: Sequential, input: Tensor, steps: number | undefined): Tensor {
  const passes = c.evalSamples ?? 1;
  let out = networkOutput(c, model, input, steps);
  for (let p = 1; p < passes; p++) out = add(out, networkOutput(c, model, input, steps));
  return passes > 1 ? mul(out, 1 / passes) : out;
}

/**
 * The class scores [B, classes] of every batch of `data` in order, handed to `use` with the batch's labels
 * (inside the batch's tidy scope): evaluation mode, no gradients, encoding noise from a fixed generator.
 * Noisy neurons sample their spikes from a fixed generator too, and the outputs (so the class scores) are
 * averaged over `config.evalSamples` passes (default 1); the training generator's state and the model's
 * mode are left as they were.
 */
function scoreBatches(s: TrainingSession, data: ImageDataset, batchSize: number, use: (scores: Tensor, labels: number[]) => void): void {
  const { model, config } = s;
  const wasTraining = model.training;
  model.eval();
  const rng = new Rng(config.seed + 3);
  const trainingNoise = s.neuronRng?.getState();
  s.neuronRng?.setState(new Rng(config.seed + 6).getState());
  try {
    for (const idx of batchIndices(datasetSize(data), batchSize)) {
      tidy(() =>
        noGrad(() => {
          const { x, labels } = gatherBatch(data, idx);
          const { input, steps } = encodeBatch(config, x, rng);
          use(classScores(config, averagedOutput(config, model, input, steps)), labels);
        }),
      );
    }
  } finally {
    if (trainingNoise) s.neuronRng?.setState(trainingNoise);
    model.train(wasTraining);
  }
}

/** Test accuracy: the fraction of `data` whose highest class score (scoreBatches) is its label. */
export function evaluate(s: TrainingSession, data: ImageDataset, batchSize = 250): number {
  const n = datasetSize(data);
  if (n === 0) throw new ValueError("evaluate: data", "at least one image", 0);
  let correct = 0;
  scoreBatches(s, data, batchSize, (scores, labels) => {
    correct += accuracy(scores, labels) * labels.length;
  });
  return correct / n;
}

/** Runs a training batch; a backend out of memory gets the settings that decide a batch's memory added to its LimitError. */
function withMemoryHint<R>(c: TrainConfig, batch: () => R): R {
  try {
    return batch();
  } catch (e) {
    if (!(e instanceof LimitError && e.limit === "memory")) throw e;
    const what = c.substeps ? `${c.steps} steps of ${c.substeps} substeps` : `${c.steps} steps`;
    throw new LimitError("memory", `${e.message.replace(/^memory: /, "")}; a batch keeps all ${what} of ${c.batchSize} images for the backward pass: lower --batch-size${c.substeps ? " or --substeps" : ""}`);
  }
}

/** How a run splits BPTT into chunks of time (--tbptt K, --recompute with --chunk K), or null for plain BPTT. */
function chunkingOf(c: TrainConfig): { chunk: number; mode: ChunkedBpttMode } | null {
  if (c.tbptt !== undefined) return { chunk: c.tbptt, mode: "truncated" };
  if (c.recompute) return { chunk: c.chunk ?? Math.ceil(Math.sqrt(c.steps)), mode: "recompute" };
  return null;
}

/**
 * The network's output on a batch and the loss's value, with the loss's gradient added to every
 * parameter: plain BPTT, or chunked (chunkingOf). A loss that is not finite adds no gradient in plain BPTT.
 */
function lossAndGradients(s: TrainingSession, input: Tensor, steps: number | undefined, labels: number[]): ChunkedBpttResult {
  const c = s.config;
  const chunking = chunkingOf(c);
  if (chunking) return chunkedBackward(s.model, input, { ...chunking, steps, rngs: s.neuronRng ? [s.neuronRng] : [] }, (out) => trainingLoss(c, out, labels));
  const output = networkOutput(c, s.model, input, steps);
  const l = trainingLoss(c, output, labels);
  const loss = l.item();
  if (Number.isFinite(loss)) l.backward();
  return { output, loss };
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

/** Whether a session has trained all its configured epochs. */
export const trainingFinished = (s: TrainingSession): boolean => s.progress.epoch >= s.config.epochs;

/**
 * Trains from `s.progress` to the configured epochs (trainSteps), calling the hooks and yielding to the
 * event loop after every batch, so that signal handlers and UIs run. Resolves to true when all epochs are
 * done, false when shouldStop stopped it.
 */
export function trainEpochs(s: TrainingSession, data: RunData, hooks: TrainHooks = {}): Promise<boolean> {
  return driveSteps(trainSteps(s, data), () => trainingFinished(s), { onProgress: hooks.onBatch, onEpoch: (m) => hooks.onEpoch?.(m, s), shouldStop: hooks.shouldStop });
}

/**
 * Trains from `s.progress` to the configured number of epochs, yielding after every batch (the state
 * consistent: the progress points at the next batch) and after every epoch. One batch: encode, run all T
 * steps, loss, BPTT, optimizer step; the learning rate follows the schedule by global step. After each
 * epoch the validation accuracy (where there is a validation set) and the test accuracy are measured.
 */
export function* trainSteps(s: TrainingSession, data: RunData): Generator<TaskEvent<BatchReport, EpochMetrics>, void, void> {
  const { train, validation, test } = data;
  const { config: c, model, optimizer, progress: p } = s;
  const n = datasetSize(train);
  const perEpoch = Math.ceil(n / c.batchSize);
  const schedule = c.schedule === "cosine" ? new CosineSchedule(optimizer, c.lr, perEpoch * c.epochs) : null;
  const noise = new Rng(0);
  noise.setState(p.noiseRng);
  if (s.neuronRng && p.neuronRng) s.neuronRng.setState(p.neuronRng);
  model.train();
  while (p.epoch < c.epochs) {
    const batches = epochBatches(s, n);
    let t0 = performance.now();
    for (; p.batch < batches.length; ) {
      const idx = batches[p.batch];
      schedule?.apply(p.epoch * perEpoch + p.batch);
      const { loss, correct } = tidy(() => withMemoryHint(c, () => {
        const { x, labels } = gatherBatch(train, idx);
        const { input, steps } = encodeBatch(c, x, noise);
        const { output: out, loss: value } = lossAndGradients(s, input, steps, labels);
        if (!Number.isFinite(value)) {
          optimizer.zeroGrad();
          throw new DivergenceError(
            `epoch ${p.epoch + 1}, batch ${p.batch + 1}: the loss is ${value}; training stopped before the update (the last checkpoint is intact; try a lower --lr)`,
          );
        }
        optimizer.step();
        optimizer.zeroGrad();
        return { loss: value, correct: noGrad(() => accuracy(classScores(c, out), labels)) * idx.length };
      }));
      const now = performance.now();
      p.partial.seconds += (now - t0) / 1000;
      p.seconds += (now - t0) / 1000;
      p.batch++;
      p.losses.push(loss);
      p.partial.loss += loss * idx.length;
      p.partial.correct += correct;
      p.partial.seen += idx.length;
      p.noiseRng = noise.getState();
      if (s.neuronRng) p.neuronRng = s.neuronRng.getState();
      yield {
        kind: "progress",
        unit: p.batch,
        units: batches.length,
        report: {
          epoch: p.epoch,
          batch: p.batch,
          batches: batches.length,
          loss,
          accuracy: p.partial.correct / p.partial.seen,
          samplesPerSecond: p.partial.seen / Math.max(p.partial.seconds, 1e-9),
          etaSeconds: ((batches.length - p.batch) * p.partial.seconds) / Math.max(p.batch, 1),
        },
      };
      // Time spent by the consumer between batches (saving, printing) is not training time.
      t0 = performance.now();
    }
    const tEval = performance.now();
    const validationAccuracy = validation ? evaluate(s, validation) : null;
    const testAccuracy = evaluate(s, test);
    const evalSeconds = (performance.now() - tEval) / 1000;
    p.seconds += evalSeconds;
    const metrics: EpochMetrics = {
      epoch: p.epoch + 1,
      train_loss: p.partial.loss / p.partial.seen,
      train_accuracy: p.partial.correct / p.partial.seen,
      ...(validationAccuracy === null ? {} : { validation_accuracy: validationAccuracy }),
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
    yield { kind: "epoch", record: metrics };
  }
}

/**
 * The class scores (mean membrane, or spike counts, as the network was trained) and the class of every
 * image (the highest score; the first of ties), as `evaluate` scores them (scoreBatches: the same fixed
 * generators, so a model's predictions and its evaluated accuracy agree).
 */
export function predictClasses(s: TrainingSession, data: ImageDataset): { classes: number[]; scores: number[][] } {
  const classes: number[] = [];
  const scores: number[][] = [];
  scoreBatches(s, data, 250, (batch) => {
    const values = batch.dataFloat32();
    const k = batch.shape[1];
    for (let i = 0; i < batch.shape[0]; i++) scores.push(Array.from(values.subarray(i * k, (i + 1) * k)));
    classes.push(...predictions(batch));
  });
  return { classes, scores };
}
