// The header of a training checkpoint: its schema, checked field by field when a checkpoint is read.
import { z } from "zod";
import { DataError, SnnkitError } from "../errors.js";
import { parseWithSchema } from "../io/validate.js";
import { MAX_SEED } from "../random/rng.js";
import { MODEL_NAMES, NEURON_NAMES } from "./models.js";
import { type TrainConfig, type TrainProgress, validateConfig } from "./trainer.js";

/** Header of a training checkpoint. */
export interface TrainCheckpointHeader {
  format: "snnkit-train";
  config: TrainConfig;
  progress: TrainProgress;
  optimizer: { step: number; lr: number };
}

const finite = z.number();
const count = z.int().min(0);
const word = z.int().min(0).max(MAX_SEED);
const rngState = z.strictObject({ s: z.tuple([word, word, word, word]), spare: finite.nullable() });

const config = z.strictObject({
  model: z.enum(MODEL_NAMES),
  neuron: z.enum(NEURON_NAMES),
  surrogate: z.strictObject({ name: z.string(), param: finite.optional() }).optional(),
  tau: finite,
  detachReset: z.boolean(),
  steps: count,
  encoding: z.enum(["direct", "rate", "latency"]),
  loss: z.enum(["ce-count", "ce-membrane", "mse-count"]),
  epochs: count,
  batchSize: count,
  lr: finite,
  optimizer: z.enum(["adam", "adamw", "sgd"]),
  schedule: z.enum(["cosine", "constant"]),
  seed: count,
  backend: z.enum(["wasm", "js"]),
  dataset: z.enum(["embedded", "mnist", "fashion-mnist"]),
  dataDir: z.string().optional(),
  initCurrentStd: finite,
  trainLimit: count,
  testLimit: count,
});

const epochMetrics = z.strictObject({
  epoch: count,
  train_loss: finite,
  train_accuracy: finite.min(0).max(1),
  test_accuracy: finite.min(0).max(1),
  seconds: finite.min(0),
  lr: finite,
});

const header = z.strictObject({
  format: z.literal("snnkit-train", { error: "not a training checkpoint" }),
  config,
  progress: z.strictObject({
    epoch: count,
    batch: count,
    losses: z.array(finite),
    epochs: z.array(epochMetrics),
    shuffleRng: rngState,
    noiseRng: rngState,
    partial: z.strictObject({ loss: finite, correct: finite.min(0), seen: count, seconds: finite.min(0) }),
    seconds: finite.min(0),
  }),
  optimizer: z.strictObject({ step: count, lr: finite.min(0) }),
});

/**
 * Checks a parsed header: the schema (every field's type, with its path in the message), the
 * configuration's ranges (validateConfig), and that the progress fits it: 0 ≤ epoch ≤ epochs, one set
 * of metrics per finished epoch. Errors are DataErrors naming the file.
 */
export function parseCheckpointHeader(value: unknown, file: string): TrainCheckpointHeader {
  const h = parseWithSchema(header, value, file);
  try {
    validateConfig(h.config);
  } catch (e) {
    if (e instanceof SnnkitError) throw new DataError(file, `config.${e.message}`);
    throw e;
  }
  const p = h.progress;
  if (p.epoch > h.config.epochs) throw new DataError(file, `progress.epoch: ${p.epoch} epochs done, more than the configured ${h.config.epochs}`);
  if (p.epochs.length !== p.epoch) throw new DataError(file, `progress.epochs: ${p.epochs.length} epoch records for ${p.epoch} finished epochs`);
  return h;
}
