// A Deep Spiking Networks run on disk: data, atomic checkpoints with resume, metrics.json and a plot of
// test error by epoch; and running a checkpoint's weights as a spiking MLP (ANN → SNN). Node only.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { datasetSize, type ImageDataset } from "../data/dataset.js";
import { SpikingMlp } from "../dsn/spiking_mlp.js";
import { DataError, ValueError } from "../errors.js";
import { parseWithSchema } from "../io/validate.js";
import { linePlot } from "../plot/svg.js";
import { backendByName } from "../backend/registry.js";
import { type DsnConfig, dsnConfigSchema } from "../tasks/dsn/config.js";
import {
  classificationError,
  createDsnSession,
  type DsnEpochMetrics,
  type DsnHooks,
  type DsnSession,
  dsnSessionArrays,
  type OpsPerSample,
  restoreDsnSession,
  trainDsnEpochs,
} from "../tasks/dsn/session.js";
import { rngStateSchema } from "../tasks/train/checkpoint_header.js";
import { checkFiniteArrays, readCheckpoint, writeCheckpoint } from "./checkpoint.js";
import { inRunDirectory, loadRunData, loadSplit, resumeConflicts, resumedEpochs } from "./run_dir.js";

const count = z.int().min(0);
const counts = z.array(z.number().min(0));
const opsSchema = z.strictObject({
  forward_row_additions: counts,
  backward_column_additions: counts,
  update_multiply_adds: counts,
  dense_forward_multiply_adds: counts,
  dense_backward_multiply_adds: counts,
  dense_update_multiply_adds: counts,
});
const headerSchema = z.strictObject({
  format: z.literal("snnkit-dsn", { error: "not a Deep Spiking Networks checkpoint (snnkit dsn train | baseline)" }),
  config: dsnConfigSchema,
  sizes: z.array(z.int().min(1)).min(2),
  progress: z.strictObject({
    epoch: count,
    sample: count,
    seconds: z.number().min(0),
    work: z.strictObject({ forward: counts, backward: counts, update: counts }),
    epochs: z.array(
      z.strictObject({ epoch: count, validation_error: z.number().min(0).max(1).optional(), test_error: z.number().min(0).max(1), seconds: z.number().min(0), ops_per_sample: opsSchema }),
    ),
  }),
  rng: rngStateSchema.nullable(),
});
type DsnHeader = z.output<typeof headerSchema>;

/**
 * A header written before the ReLU baseline's loss was a setting: its baseline minimised ½Σ(a − t)², which
 * the configuration now says. Anything else is returned as it is, for the schema to judge.
 */
function withOlderDefaults(header: unknown): unknown {
  const config = (header as { config?: unknown } | null)?.config;
  if (typeof config !== "object" || config === null || Array.isArray(config) || "reluLoss" in config) return header;
  return { ...(header as object), config: { ...config, reluLoss: "half-squared-error" } };
}

/** Writes a run's checkpoint atomically. */
export function saveDsnCheckpoint(path: string, s: DsnSession): void {
  const { arrays, rng } = dsnSessionArrays(s);
  const header: DsnHeader = { format: "snnkit-dsn", config: s.config, sizes: s.sizes, progress: s.progress, rng: rng && { s: [...rng.s], spare: rng.spare } };
  writeCheckpoint(path, { header, arrays });
}

/** Reads a run from its checkpoint; the header is checked against its schema and the arrays for finite values. */
export function loadDsnCheckpoint(path: string): DsnSession {
  const raw = readCheckpoint<unknown>(path);
  const h = parseWithSchema(headerSchema, withOlderDefaults(raw.header), path);
  const layers = h.sizes.length - 1;
  if (h.config.layers.length !== layers - 1) throw new DataError(path, `sizes: ${h.sizes.length} sizes for ${h.config.layers.length} hidden layers`);
  if (h.progress.epoch > h.config.epochs) throw new DataError(path, `progress.epoch: ${h.progress.epoch} epochs done, more than the configured ${h.config.epochs}`);
  if (h.progress.epochs.length !== h.progress.epoch) throw new DataError(path, `progress.epochs: ${h.progress.epochs.length} records for ${h.progress.epoch} finished epochs`);
  for (const key of ["forward", "backward", "update"] as const)
    if (h.progress.work[key].length !== layers) throw new DataError(path, `progress.work.${key}: ${h.progress.work[key].length} layers, expected ${layers}`);
  checkFiniteArrays(path, raw.arrays);
  return restoreDsnSession(path, h.config, h.sizes, h.progress, raw.arrays, h.rng);
}

/** Result of a run (the `--json` object of `snnkit dsn train | baseline`). */
export interface DsnResult {
  model: DsnConfig["model"];
  /** Error on the held-out validation images after the last epoch (null: no validation set). */
  validation_error: number | null;
  test_error: number;
  train_error: number;
  epochs: number;
  seconds: number;
  ops_per_sample: OpsPerSample | null;
  checkpoint: string;
  metrics: string;
  plot: string;
  completed: boolean;
  history: DsnEpochMetrics[];
}

/** Options of dsnToDirectory. */
export interface DsnRunOptions {
  config: DsnConfig;
  outDir: string;
  /** Continue from outDir/checkpoint.snnk when it exists. */
  resume?: boolean;
  /** Fields the caller set on purpose, with their flag names: on resume they must equal the checkpoint's (epochs may be raised). */
  explicit?: Partial<Record<keyof DsnConfig, string>>;
  /** Also save a checkpoint every n samples (0: at the end of each epoch and when stopped). */
  checkpointEvery?: number;
  hooks?: DsnHooks & { onStart?: (info: { resumed: boolean; epoch: number; sample: number; samples: number; checkpoint: string }) => void };
}

function imageSize(d: ImageDataset): number {
  return d.imageShape[0] * d.imageShape[1] * d.imageShape[2];
}

/**
 * Trains with a checkpoint after every epoch (and every `checkpointEvery` samples, and when stopped), then
 * writes metrics.json and a plot of test error by epoch. With `resume`, the run continues from the
 * checkpoint exactly as if it had not been interrupted.
 */
export async function dsnToDirectory(o: DsnRunOptions): Promise<DsnResult> {
  const every = o.checkpointEvery ?? 0;
  if (!(Number.isInteger(every) && every >= 0)) throw new ValueError("checkpointEvery", "an integer >= 0", every);
  return inRunDirectory(o.outDir, async (dir, path) => {
    const resumed = o.resume && existsSync(path) ? loadDsnCheckpoint(path) : null;
    if (o.resume && !resumed) throw new ValueError("--resume", `a checkpoint at ${path}`, "no file");
    if (resumed) {
      const conflicts = resumeConflicts(resumed.config, o.config, o.explicit ?? {});
      if (conflicts.length > 0) throw new ValueError("--resume", `the settings of ${path} (drop the flags that differ, or use another --out)`, `different: ${conflicts.join(", ")}`);
      if (o.explicit?.dataDir) resumed.config.dataDir = o.config.dataDir;
      resumed.config.epochs = resumedEpochs(resumed.config.epochs, o.config.epochs, o.explicit);
    }
    const config = resumed?.config ?? o.config;
    const data = loadRunData(config);
    const { train, test } = data;
    const session = resumed ?? createDsnSession(config, imageSize(train), train.classes);
    if (session.sizes[0] !== imageSize(train)) throw new DataError(path, `the network takes ${session.sizes[0]} inputs, the data has ${imageSize(train)} per image`);
    const n = datasetSize(train);
    if (session.progress.sample > n) throw new DataError(path, `progress.sample ${session.progress.sample} is past the ${n} training images`);
    o.hooks?.onStart?.({ resumed: Boolean(resumed), epoch: session.progress.epoch, sample: session.progress.sample, samples: n, checkpoint: path });
    const completed = await trainDsnEpochs(session, data, {
      ...o.hooks,
      onCheckpoint: every > 0 ? { every, save: (s) => saveDsnCheckpoint(path, s) } : undefined,
      onEpoch: (m, s) => {
        saveDsnCheckpoint(path, s);
        o.hooks?.onEpoch?.(m, s);
      },
    });
    if (!completed) saveDsnCheckpoint(path, session);
    return writeDsnOutputs(dir, session, train, test, path, completed);
  });
}

function writeDsnOutputs(dir: string, s: DsnSession, train: ImageDataset, test: ImageDataset, checkpoint: string, completed: boolean): DsnResult {
  const p = s.progress;
  const last = p.epochs[p.epochs.length - 1];
  const metrics = join(dir, "metrics.json");
  const plot = join(dir, "test_error.svg");
  const result: DsnResult = {
    model: s.config.model,
    validation_error: last?.validation_error ?? null,
    test_error: last ? last.test_error : classificationError(s.net, test),
    train_error: classificationError(s.net, train),
    epochs: p.epoch,
    seconds: p.seconds,
    ops_per_sample: last ? last.ops_per_sample : null,
    checkpoint,
    metrics,
    plot,
    completed,
    history: p.epochs,
  };
  writeFileSync(metrics, `${JSON.stringify({ config: s.config, sizes: s.sizes, ...result }, null, 1)}\n`);
  const name = s.config.model === "spiking" ? `spiking MLP, T = ${s.config.steps}, ${s.config.update} updates` : "ReLU MLP";
  writeFileSync(
    plot,
    linePlot(
      [
        ...(p.epochs.some((m) => m.validation_error !== undefined)
          ? [{ label: "validation error", x: p.epochs.map((m) => m.epoch), y: p.epochs.map((m) => 100 * (m.validation_error ?? Number.NaN)), markers: true }]
          : []),
        { label: "test error", x: p.epochs.map((m) => m.epoch), y: p.epochs.map((m) => 100 * m.test_error), markers: true },
      ],
      {
      title: `${name} (${s.sizes.join("-")})`,
      xLabel: "epoch",
      yLabel: "error (%)",
      },
    ),
  );
  return result;
}

/** Result of running a checkpoint's weights as a spiking MLP. */
export interface ConvertResult {
  checkpoint: string;
  from_model: DsnConfig["model"];
  steps: number;
  test_error: number;
  /** The checkpoint's own network on the same data (the ReLU MLP's error for a baseline checkpoint). */
  source_test_error: number;
  /** Input, hidden and readout row additions per test sample. */
  row_additions_per_sample: number;
}

/**
 * Runs the weights of a checkpoint (usually a ReLU baseline) as a spiking MLP with `steps` steps on the
 * checkpoint's test data (or `dataDir`'s): its test error beside the source network's.
 */
export function convertCheckpoint(path: string, steps: number, dataDir?: string): ConvertResult {
  const s = loadDsnCheckpoint(path);
  const data = dataDir ? { ...s.config, dataset: s.config.dataset === "embedded" ? ("mnist" as const) : s.config.dataset, dataDir } : s.config;
  const test = loadSplit(data, "test");
  const spiking = new SpikingMlp(s.sizes, s.net.weights(), { steps, backend: backendByName(s.config.backend) });
  try {
    let rows = 0;
    const counted = {
      predict: (x: Float32Array) => {
        const r = spiking.predictWithWork(x);
        rows += r.rowAdditions;
        return r.output;
      },
    };
    const testError = classificationError(counted, test);
    return {
      checkpoint: path,
      from_model: s.config.model,
      steps,
      test_error: testError,
      source_test_error: classificationError(s.net, test),
      row_additions_per_sample: rows / Math.max(1, datasetSize(test)),
    };
  } finally {
    spiking.dispose();
    s.net.dispose();
  }
}
