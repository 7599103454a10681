// The header of a training checkpoint: its schema, checked field by field when a checkpoint is read.
import { z } from "zod";
import { DataError } from "../../errors.js";
import { parseWithSchema } from "../../io/validate.js";
import { rngStateSchema } from "../run/settings.js";
import { type TrainConfig, trainConfigSchema } from "./config.js";
import type { TrainProgress } from "./session.js";

/** Header of a training checkpoint. */
export interface TrainCheckpointHeader {
  format: "snnkit-train";
  config: TrainConfig;
  progress: TrainProgress;
  optimizer: { step: number; lr: number };
}

const finite = z.number();
const count = z.int().min(0);


const epochMetrics = z.strictObject({
  epoch: count,
  train_loss: finite,
  train_accuracy: finite.min(0).max(1),
  validation_accuracy: finite.min(0).max(1).optional(),
  test_accuracy: finite.min(0).max(1),
  seconds: finite.min(0),
  lr: finite,
});

const header = z.strictObject({
  format: z.literal("snnkit-train", { error: "not a training checkpoint" }),
  config: trainConfigSchema,
  progress: z.strictObject({
    epoch: count,
    batch: count,
    losses: z.array(finite),
    epochs: z.array(epochMetrics),
    shuffleRng: rngStateSchema,
    noiseRng: rngStateSchema,
    neuronRng: rngStateSchema.optional(),
    partial: z.strictObject({ loss: finite, correct: finite.min(0), seen: count, seconds: finite.min(0) }),
    seconds: finite.min(0),
  }),
  optimizer: z.strictObject({ step: count, lr: finite.min(0) }),
});

/**
 * Checks a parsed header: the schema (every field's type and range, the configuration's by the one
 * training-configuration schema, with its path in the message), and that the progress fits it: 0 ≤ epoch ≤ epochs, one set
 * of metrics per finished epoch. Errors are DataErrors naming the file.
 */
export function parseCheckpointHeader(value: unknown, file: string): TrainCheckpointHeader {
  const h = parseWithSchema(header, value, file);
  const p = h.progress;
  if (p.epoch > h.config.epochs) throw new DataError(file, `progress.epoch: ${p.epoch} epochs done, more than the configured ${h.config.epochs}`);
  if (p.epochs.length !== p.epoch) throw new DataError(file, `progress.epochs: ${p.epochs.length} epoch records for ${p.epoch} finished epochs`);
  return h;
}
