// The configuration of a Deep Spiking Networks run (`snnkit dsn train | baseline`): one schema for its
// type, its validation, the CLI's choices and the configuration stored in every checkpoint.
import { z } from "zod";
import { HERDER_STARTS } from "../../dsn/herding.js";
import { RELU_LOSSES } from "../../dsn/relu_mlp.js";
import { DSN_UPDATES } from "../../dsn/spiking_mlp.js";
import { choice, finiteNumber as number, integerIn as integer, parseSettings } from "../../io/validate.js";
import { MAX_SEED } from "../../random/rng.js";
import { BACKENDS, DATASETS, DEFAULT_VALIDATION } from "../train/config.js";

/** The two networks: the event-driven spiking MLP and the ReLU MLP baseline it approximates. */
export const DSN_MODELS = ["spiking", "relu"] as const;

/** Ranges of the numeric settings of a run. */
export const DSN_LIMITS = { layers: 16, units: 100_000, steps: 100_000, epochs: 10_000, lr: 10, initScale: 100, images: 100_000_000 } as const;

/** Every field of a run, with its range. */
export const dsnConfigSchema = z.strictObject({
  model: choice(DSN_MODELS),
  /** Hidden layer sizes (the input and the 10 outputs come from the data). */
  layers: z.array(integer(1, DSN_LIMITS.units)).max(DSN_LIMITS.layers),
  /** Steps T per sample (spiking only). */
  steps: integer(1, DSN_LIMITS.steps),
  epochs: integer(1, DSN_LIMITS.epochs),
  /**
   * The ReLU baseline's loss: "squared-error" Σ(a − t)² as the authors' baseline (an SGD step of 2η(a − t),
   * twice the spiking MLP's at the same η), or "half-squared-error" ½Σ(a − t)² (the spiking MLP's step).
   */
  reluLoss: choice(RELU_LOSSES),
  /** η: SGD's learning rate; the spiking MLP updates by η/T² per spike pair. */
  lr: number(`a number in (0, ${DSN_LIMITS.lr}]`, (x) => x > 0 && x <= DSN_LIMITS.lr),
  update: choice(DSN_UPDATES),
  forwardStart: choice(HERDER_STARTS),
  backwardStart: choice(HERDER_STARTS),
  /**
   * Most spikes one layer may emit in one step before the run stops with a LimitError (runaway spiking;
   * absent: the network's default, 2²²). A normal step of 784-200-200-10 emits a few hundred.
   */
  maxSpikesPerStep: integer(1, 2 ** 30).optional(),
  /** Initial weights: initScale·N(0, 1). */
  initScale: number(`a number in (0, ${DSN_LIMITS.initScale}]`, (x) => x > 0 && x <= DSN_LIMITS.initScale),
  seed: integer(0, MAX_SEED),
  backend: choice(BACKENDS),
  dataset: choice(DATASETS),
  dataDir: z.string().optional(),
  /** Images held out of the end of the training split as a validation set (absent: none). */
  validation: integer(0, DSN_LIMITS.images).optional(),
  trainLimit: integer(0, DSN_LIMITS.images),
  testLimit: integer(0, DSN_LIMITS.images),
});

/** Everything that defines a run (saved in every checkpoint). */
export type DsnConfig = z.output<typeof dsnConfigSchema>;

/** The authors' run settings (O'Connor & Welling 2016) on the embedded digits. */
export const DEFAULT_DSN_CONFIG: DsnConfig = {
  model: "spiking",
  layers: [200, 200],
  steps: 10,
  epochs: 20,
  lr: 0.01,
  reluLoss: "squared-error",
  update: "outer",
  forwardStart: "reset",
  backwardStart: "noreset",
  initScale: 0.01,
  seed: 1234,
  backend: "wasm",
  dataset: "embedded",
  validation: DEFAULT_VALIDATION,
  trainLimit: 0,
  testLimit: 0,
};

/** Checks a configuration; a ValueError names the first bad field, what it expects and what it got. */
export function validateDsnConfig(c: DsnConfig): DsnConfig {
  return parseSettings(dsnConfigSchema, c);
}
