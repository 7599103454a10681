// A training run on disk: data loading, checkpoints, metrics.json and plots. Node only.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { datasetSize, gatherBatch, type ImageDataset, subset } from "../data/dataset.js";
import { loadIdxImages } from "../data/idx.js";
import { embeddedSplit } from "../data/mnist_embedded.js";
import { Rng } from "../random/rng.js";
import { DataError, ValueError } from "../errors.js";
import { linePlot, type RasterPanel, rasterPlot } from "../plot/svg.js";
import { noGrad, tidy } from "../tensor/engine.js";
import { readCheckpoint, writeCheckpoint } from "./checkpoint.js";
import {
  createSession,
  encodeBatch,
  type EpochMetrics,
  evaluate,
  restoreArrays,
  sessionArrays,
  type TrainConfig,
  type TrainHooks,
  type TrainingSession,
  type TrainProgress,
  trainEpochs,
} from "./trainer.js";

/** Header of a training checkpoint. */
interface TrainCheckpointHeader {
  format: "snnkit-train";
  config: TrainConfig;
  progress: TrainProgress;
  optimizer: { step: number; lr: number };
}

/** Training and test data of a configuration (limits applied). */
export function loadTrainingData(c: TrainConfig): { train: ImageDataset; test: ImageDataset } {
  let train: ImageDataset;
  let test: ImageDataset;
  if (c.dataset === "embedded") {
    ({ train, test } = embeddedSplit());
  } else {
    if (!c.dataDir) throw new ValueError("--data-dir", `a directory with the ${c.dataset} IDX files`, c.dataDir);
    train = loadIdxImages(c.dataDir, "train", `${c.dataset}/train`);
    test = loadIdxImages(c.dataDir, "t10k", `${c.dataset}/test`);
  }
  const limit = (d: ImageDataset, n: number) =>
    n > 0 && n < datasetSize(d) ? subset(d, Array.from({ length: n }, (_, i) => i)) : d;
  return { train: limit(train, c.trainLimit), test: limit(test, c.testLimit) };
}

/** Writes the session to `path` atomically. */
export function saveCheckpoint(path: string, s: TrainingSession): void {
  const o = s.optimizer.stateDict();
  const header: TrainCheckpointHeader = {
    format: "snnkit-train",
    config: s.config,
    progress: s.progress,
    optimizer: { step: o.step, lr: o.lr },
  };
  writeCheckpoint(path, { header, arrays: sessionArrays(s) });
}

/** Rebuilds a session (model, optimizer, progress) from a checkpoint. */
export function loadSession(path: string): TrainingSession {
  const ck = readCheckpoint<TrainCheckpointHeader>(path);
  if (ck.header?.format !== "snnkit-train") throw new DataError(path, "not a training checkpoint");
  const s = createSession(ck.header.config);
  try {
    restoreArrays(s, ck.arrays, ck.header.optimizer);
  } catch (e) {
    throw new DataError(path, `does not match its configuration (${(e as Error).message})`);
  }
  s.progress = ck.header.progress;
  return s;
}

/** Result of a training run (the `--json` object of `snnkit train`). */
export interface TrainResult {
  test_accuracy: number;
  epochs: number;
  seconds: number;
  checkpoint: string;
  completed: boolean;
  metrics: string;
  plots: { training_curve: string; raster: string };
  history: EpochMetrics[];
}

/** Spikes of every spiking layer for one test sample, as raster panels (fixed encoding noise). */
export function rasterOfSample(s: TrainingSession, test: ImageDataset, index = 0): RasterPanel[] {
  const c = s.config;
  const panels: RasterPanel[] = [];
  tidy(() =>
    noGrad(() => {
      const wasTraining = s.model.training;
      s.model.eval();
      const { x } = gatherBatch(test, [index]);
      const { input, steps } = encodeBatch(c, x, new Rng(c.seed + 3));
      const r = s.model.run(input, { steps, recordSpikes: true });
      s.model.train(wasTraining);
      for (const { layer, spikes } of r.spikes)
        panels.push({ label: layer, steps: spikes.shape[0], neurons: spikes.size / spikes.shape[0], spikes: spikes.dataFloat32() });
    }),
  );
  return panels;
}

/** Writes metrics.json and the two plots into `dir`; returns their paths. */
export function writeRunOutputs(
  dir: string,
  s: TrainingSession,
  test: ImageDataset,
  checkpoint: string,
  batchesPerEpoch: number,
): TrainResult {
  const p = s.progress;
  const metricsPath = join(dir, "metrics.json");
  const curvePath = join(dir, "training_curve.svg");
  const rasterPath = join(dir, "raster.svg");
  const last = p.epochs[p.epochs.length - 1];
  const testAccuracy = last ? last.test_accuracy : evaluate(s, test);
  const result: TrainResult = {
    test_accuracy: testAccuracy,
    epochs: p.epoch,
    seconds: p.seconds,
    checkpoint,
    completed: p.epoch >= s.config.epochs,
    metrics: metricsPath,
    plots: { training_curve: curvePath, raster: rasterPath },
    history: p.epochs,
  };
  writeFileSync(metricsPath, `${JSON.stringify({ config: s.config, ...result, batch_losses: p.losses }, null, 1)}\n`);
  const smooth = (v: number[], k: number) => v.map((_, i) => v.slice(Math.max(0, i - k + 1), i + 1).reduce((a, b) => a + b, 0) / Math.min(k, i + 1));
  writeFileSync(
    curvePath,
    linePlot(
      [
        { label: "training loss (batch, smoothed)", x: p.losses.map((_, i) => (i + 1) / batchesPerEpoch), y: smooth(p.losses, 20) },
        { label: "test error (epoch end)", x: p.epochs.map((m) => m.epoch), y: p.epochs.map((m) => 1 - m.test_accuracy) },
      ],
      { title: `${s.config.model} / ${s.config.neuron}, T = ${s.config.steps}`, xLabel: "epoch", yLabel: "loss; error" },
    ),
  );
  writeFileSync(rasterPath, rasterPlot(rasterOfSample(s, test), { title: `spikes of test sample 0 (label ${test.labels[0]})` }));
  return result;
}

/** Options of trainToDirectory. */
export interface TrainRunOptions {
  config: TrainConfig;
  outDir: string;
  /** Continue from outDir/checkpoint.snnk (or this path) when it exists. */
  resume?: boolean | string;
  hooks?: TrainHooks;
}

/**
 * Trains with a checkpoint after every epoch (and when stopped), then writes metrics and plots. With
 * `resume`, the run continues from the checkpoint exactly as if it had not been interrupted.
 */
export async function trainToDirectory(o: TrainRunOptions): Promise<TrainResult> {
  const dir = resolve(o.outDir);
  mkdirSync(dir, { recursive: true });
  const ckPath = typeof o.resume === "string" ? resolve(o.resume) : join(dir, "checkpoint.snnk");
  const resumed = o.resume ? loadSession(ckPath) : null;
  const { train, test } = loadTrainingData(resumed?.config ?? o.config);
  const session = resumed ?? createSession(o.config, train);
  if (resumed) session.config.epochs = Math.max(session.config.epochs, o.config.epochs);
  const outPath = join(dir, "checkpoint.snnk");
  const done = await trainEpochs(session, train, test, {
    ...o.hooks,
    onEpoch: (m, s) => {
      saveCheckpoint(outPath, s);
      o.hooks?.onEpoch?.(m, s);
    },
  });
  if (!done) saveCheckpoint(outPath, session);
  return writeRunOutputs(dir, session, test, outPath, Math.ceil(datasetSize(train) / session.config.batchSize));
}
