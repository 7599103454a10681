// `snnkit dsn train | baseline` as a task: the event-driven spiking MLP (or its ReLU baseline) trained
// online, run, checkpointed and resumed by the one runner.
import { z } from "zod";
import { datasetSize, type ImageDataset, type RunData } from "../../data/dataset.js";
import { DataError } from "../../errors.js";
import { checkFiniteArrays, type Checkpoint } from "../../io/checkpoint_codec.js";
import { parseWithSchema } from "../../io/validate.js";
import { linePlot } from "../../plot/svg.js";
import { loadRunData } from "../run/data.js";
import { rngStateSchema } from "../run/settings.js";
import type { Task } from "../run/task.js";
import { configureDsn, DEFAULT_DSN_CONFIG, type DsnConfig, dsnConfigSchema } from "./config.js";
import {
  classificationError,
  createDsnSession,
  type DsnEpochMetrics,
  dsnFinished,
  type DsnSampleReport,
  type DsnSession,
  dsnSessionArrays,
  dsnSteps,
  type OpsPerSample,
  restoreDsnSession,
} from "./session.js";

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

/** A run from its checkpoint: the header checked against its schema and its sizes, the arrays for finite values. */
export function restoreDsnRun(ck: Checkpoint<unknown>, file: string): DsnSession {
  const h = parseWithSchema(headerSchema, withOlderDefaults(ck.header), file);
  const layers = h.sizes.length - 1;
  if (h.config.layers.length !== layers - 1) throw new DataError(file, `sizes: ${h.sizes.length} sizes for ${h.config.layers.length} hidden layers`);
  if (h.progress.epoch > h.config.epochs) throw new DataError(file, `progress.epoch: ${h.progress.epoch} epochs done, more than the configured ${h.config.epochs}`);
  if (h.progress.epochs.length !== h.progress.epoch) throw new DataError(file, `progress.epochs: ${h.progress.epochs.length} records for ${h.progress.epoch} finished epochs`);
  for (const key of ["forward", "backward", "update"] as const)
    if (h.progress.work[key].length !== layers) throw new DataError(file, `progress.work.${key}: ${h.progress.work[key].length} layers, expected ${layers}`);
  checkFiniteArrays(file, ck.arrays);
  return restoreDsnSession(file, h.config, h.sizes, h.progress, ck.arrays, h.rng);
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

const imageSize = (d: ImageDataset): number => d.imageShape[0] * d.imageShape[1] * d.imageShape[2];

/** Test (and validation) error by epoch. */
function errorPlot(s: DsnSession): string {
  const p = s.progress;
  const name = s.config.model === "spiking" ? `spiking MLP, T = ${s.config.steps}, ${s.config.update} updates` : "ReLU MLP";
  return linePlot(
    [
      ...(p.epochs.some((m) => m.validation_error !== undefined)
        ? [{ label: "validation error", x: p.epochs.map((m) => m.epoch), y: p.epochs.map((m) => 100 * (m.validation_error ?? Number.NaN)), markers: true }]
        : []),
      { label: "test error", x: p.epochs.map((m) => m.epoch), y: p.epochs.map((m) => 100 * m.test_error), markers: true },
    ],
    { title: `${name} (${s.sizes.join("-")})`, xLabel: "epoch", yLabel: "error (%)" },
  );
}

/** Deep Spiking Networks (O'Connor & Welling 2016): the spiking MLP, or the ReLU MLP it approximates, trained online. */
export const dsnTask: Task<DsnConfig, DsnSession, RunData, DsnResult, DsnSampleReport, DsnEpochMetrics> = {
  name: "dsn",
  schema: dsnConfigSchema,
  defaults: DEFAULT_DSN_CONFIG,
  configure: configureDsn,
  extendable: "epochs",
  replaceable: ["dataDir"],
  data: (config, context) => loadRunData(context.images, config),
  create: (config, data) => createDsnSession(config, imageSize(data.train), data.train.classes),
  configOf: (s) => s.config,
  position: (s, data) => ({ epoch: s.progress.epoch, unit: s.progress.sample, units: datasetSize(data.train) }),
  check(s, data, file) {
    if (s.sizes[0] !== imageSize(data.train)) throw new DataError(file, `the network takes ${s.sizes[0]} inputs, the data has ${imageSize(data.train)} per image`);
  },
  run: dsnSteps,
  finished: dsnFinished,
  save(s) {
    const { arrays, rng } = dsnSessionArrays(s);
    const header: DsnHeader = { format: "snnkit-dsn", config: s.config, sizes: s.sizes, progress: s.progress, rng: rng && { s: [...rng.s], spare: rng.spare } };
    return { header, arrays };
  },
  restore: restoreDsnRun,
  result(s, data, files, completed) {
    const p = s.progress;
    const last = p.epochs[p.epochs.length - 1];
    return {
      model: s.config.model,
      validation_error: last?.validation_error ?? null,
      test_error: last ? last.test_error : classificationError(s.net, data.test),
      train_error: classificationError(s.net, data.train),
      epochs: p.epoch,
      seconds: p.seconds,
      ops_per_sample: last ? last.ops_per_sample : null,
      checkpoint: files.checkpoint,
      metrics: files.metrics,
      plot: files.plots.test_error,
      completed,
      history: p.epochs,
    };
  },
  metrics: (s, result) => ({ config: s.config, sizes: s.sizes, ...result }),
  plots: (s) => ({ test_error: errorPlot(s) }),
  dispose: (s) => s.net.dispose(),
};
