// The configuration of a Deep Spiking Networks run (`snnkit dsn train | baseline`): one schema for its
// type, its validation, the CLI's choices and the configuration stored in every checkpoint.
import { z } from "zod";
import { HERDER_STARTS } from "../../dsn/herding.js";
import { RELU_LOSSES } from "../../dsn/relu_mlp.js";
import { DSN_UPDATES } from "../../dsn/spiking_mlp.js";
import { choice, finiteNumber as number, integerIn as integer, parseSettings } from "../../io/validate.js";
import { MAX_SEED } from "../../random/rng.js";
import { BACKENDS, dataSettingsShape, DEFAULT_VALIDATION, withDefaults } from "../run/settings.js";

/** The two networks: the event-driven spiking MLP and the ReLU MLP baseline it approximates. */
export const DSN_MODELS = ["spiking", "relu"] as const;

/** Ranges of the numeric settings of a run. */
export const DSN_LIMITS = { layers: 16, units: 100_000, steps: 100_000, epochs: 10_000, lr: 10, initScale: 100 } as const;

/** Every field of a run: its range, and its description (the help of its flag). */
export const dsnConfigSchema = z.strictObject({
  model: choice(DSN_MODELS).describe("spiking: the event-driven spiking MLP; relu: the ReLU MLP it approximates"),
  layers: z.array(integer(1, DSN_LIMITS.units)).max(DSN_LIMITS.layers).describe("hidden layer sizes, e.g. 200,200 (the input and the outputs come from the data)"),
  steps: integer(1, DSN_LIMITS.steps).describe("steps T per sample (spiking MLP)"),
  epochs: integer(1, DSN_LIMITS.epochs).describe("epochs"),
  reluLoss: choice(RELU_LOSSES).describe(
    "the ReLU MLP's loss: squared-error Σ(a − t)² (the authors'; SGD step 2η(a − t), twice the spiking MLP's at the same η) or half-squared-error ½Σ(a − t)² (the spiking MLP's step)",
  ),
  lr: number(`a number in (0, ${DSN_LIMITS.lr}]`, (x) => x > 0 && x <= DSN_LIMITS.lr).describe("learning rate η (the spiking MLP updates by η/T² per spike pair)"),
  update: choice(DSN_UPDATES).describe("weight updates: outer (end of sample) or fractional (per error spike)"),
  forwardStart: choice(HERDER_STARTS).describe("how the forward herders start each sample"),
  backwardStart: choice(HERDER_STARTS).describe("how the backward herders start each sample"),
  maxSpikesPerStep: integer(1, 2 ** 30)
    .describe("stop with an error when one layer emits more spikes in one step (runaway spiking; default 4194304; a normal step of 784-200-200-10 emits a few hundred)")
    .optional(),
  initScale: number(`a number in (0, ${DSN_LIMITS.initScale}]`, (x) => x > 0 && x <= DSN_LIMITS.initScale).describe("initial weights s·N(0, 1)"),
  seed: integer(0, MAX_SEED).describe("seed of the weights, the sample order and random-shift starts"),
  backend: choice(BACKENDS).describe("compute backend"),
  ...dataSettingsShape,
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
  backend: "auto",
  dataset: "embedded",
  validation: DEFAULT_VALIDATION,
  trainLimit: 0,
  testLimit: 0,
};

/** Checks a configuration; a ValueError names the first bad field, what it expects and what it got. */
export function validateDsnConfig(c: DsnConfig): DsnConfig {
  return parseSettings(dsnConfigSchema, c);
}

/**
 * A configuration from the fields given (absent or undefined ones take the authors' defaults; the data
 * set defaults to mnist when a data directory is given). Validated by validateDsnConfig.
 */
export function configureDsn(fields: Partial<DsnConfig>): DsnConfig {
  return validateDsnConfig(withDefaults({ ...DEFAULT_DSN_CONFIG, dataset: fields.dataDir ? "mnist" : "embedded" }, fields));
}
