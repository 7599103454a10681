// The configuration of a training run: one schema for its type, its validation, the CLI's choices and
// the configuration stored in every checkpoint.
import { z } from "zod";
import { ValueError } from "../../errors.js";
import { choice, finiteNumber as number, integerIn as integer, parseSettings } from "../../io/validate.js";
import { MAX_SEED } from "../../random/rng.js";
import { parseNoise } from "../../surrogate/noise.js";
import { EVENT_DATASET_INFO, type EventDatasetName, type FrameSettings, frameShape, isEventDataset } from "../../events/datasets.js";
import { type NetworkSpec, networkSpecSchema } from "../../nir/network_spec.js";
import { NIR_DISCRETISATIONS } from "../../nir/run.js";
import { BACKENDS, dataSettingsShape, DEFAULT_VALIDATION, withDefaults } from "../run/settings.js";
import { DEFAULT_NOISE, isNoisyNeuron, MODEL_NAMES, NEURON_NAMES } from "./models.js";

/** Input encodings of the images; "events": the samples of an event data set are already frames per step. */
export const ENCODINGS = ["direct", "rate", "latency", "events"] as const;
/** Losses on the output layer. */
export const LOSSES = ["ce-count", "ce-membrane", "mse-count"] as const;
/** Optimizers. */
export const OPTIMIZERS = ["adam", "adamw", "sgd"] as const;
/** Learning-rate schedules. */
export const SCHEDULES = ["cosine", "constant"] as const;
/** Ranges of the numeric settings of a training run. */
export const TRAIN_LIMITS = { steps: 10_000, epochs: 10_000, batchSize: 65_536, lr: 10, tau: 1e6, initCurrentStd: 1000, evalSamples: 1000, substeps: 1000 } as const;


/** Every field of a training run: its range, and its description (the help of its flag). */
export const trainConfigSchema = z.strictObject({
  model: choice(MODEL_NAMES).describe("network preset (`snnkit train --model` without a name lists them)"),
  neuron: choice(NEURON_NAMES).describe("neuron model (default: coarse for coarse-lenet, else lif)"),
  surrogate: z
    .strictObject({ name: z.string(), param: number("a number in (0, 1e6]", (x) => x > 0 && x <= 1e6).optional() })
    .describe("surrogate derivative, e.g. fast_sigmoid:25 (default: the neuron's)")
    .optional(),
  tau: number(`a number in (0, ${TRAIN_LIMITS.tau}]`, (x) => x > 0 && x <= TRAIN_LIMITS.tau).describe("coarse-LIF time constant in steps"),
  beta: number("a number in [0, 1]", (x) => x >= 0 && x <= 1)
    .describe("leak per step of lif, alif and noisy neurons (default: 0.95 lif and alif, 0.5 noisy)")
    .optional(),
  detachReset: z.boolean().describe("treat the reset as a constant in the backward pass"),
  learnThreshold: z.boolean().describe("lif neurons: learn each layer's threshold, as snnTorch's Leaky(learn_threshold=True) (a constant learned, not an adaptation: compare --neuron alif)").optional(),
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
    .describe("membrane noise (gaussian, logistic, uniform or triangular), e.g. gaussian:0.3, the default of --neuron noisy; with another --neuron it makes those neurons noisy")
    .optional(),
  evalSamples: integer(1, TRAIN_LIMITS.evalSamples)
    .describe("noisy neurons: average the class scores of k sampled passes when evaluating (default 1)")
    .optional(),
  substeps: integer(1, TRAIN_LIMITS.substeps)
    .describe("coarse neurons only: train and evaluate them as continuous-time LIF on k substeps per step (the stepped transfer engine; see snnkit transfer; usually with --init-from)")
    .optional(),
  tbptt: integer(1, TRAIN_LIMITS.steps)
    .describe("truncated BPTT: backpropagate through chunks of K time steps, the gradient stopping at each chunk's start (holds one chunk's graph)")
    .optional(),
  recompute: z
    .boolean()
    .describe("memory-lean exact BPTT: keep only the states at chunk boundaries and recompute each chunk in the backward pass (same gradients as plain BPTT, to rounding)")
    .optional(),
  chunk: integer(1, TRAIN_LIMITS.steps).describe("--recompute: time steps per chunk (default ⌈√T⌉)").optional(),
  initFrom: z.string().describe("start from the weights of another run's checkpoint of the same network (e.g. to fine-tune in continuous time)").optional(),
  fromNir: z.string().min(1).describe("import the network and its weights from a NIR file and train it (sets --model nir; its Input takes the images, as [784] or [1, 28, 28], and its output gives one value per class)").optional(),
  nirDt: number("a number in (0, 1]", (x) => x > 0 && x <= 1).describe("--from-nir: the time step in seconds of one step (NIR stores none; default 1e-4, as snnTorch and Lava)").optional(),
  nirMethod: choice(NIR_DISCRETISATIONS).describe("--from-nir: euler (β = 1 − dt/τ, as most libraries import NIR; default) or exact (β = e^(−dt/τ))").optional(),
  network: networkSpecSchema.describe("model nir: the imported network's layers (set from --from-nir, kept in checkpoints and model files)").optional(),
  initCurrentStd: number(`a number in [0, ${TRAIN_LIMITS.initCurrentStd}]`, (x) => x >= 0 && x <= TRAIN_LIMITS.initCurrentStd).describe(
    "scale each layer's initial weights to this output-current standard deviation on 128 training images (0: off)",
  ),
  steps: integer(1, TRAIN_LIMITS.steps).describe("time steps T per sample (event data sets: the time bins each sample is cut into)"),
  downsample: integer(1, 1024).describe("event data sets: divide the sensor's addresses (SHD: its channels) by k (default: nmnist 1, shd 5, dvsgesture 4)").optional(),
  encoding: choice(ENCODINGS).describe("input encoding (default: rate for mlp, else direct)"),
  loss: choice(LOSSES).describe("loss on the output layer"),
  epochs: integer(1, TRAIN_LIMITS.epochs).describe("epochs"),
  batchSize: integer(1, TRAIN_LIMITS.batchSize).describe("batch size"),
  lr: number(`a number in (0, ${TRAIN_LIMITS.lr}]`, (x) => x > 0 && x <= TRAIN_LIMITS.lr).describe("learning rate (peak, with the cosine schedule)"),
  optimizer: choice(OPTIMIZERS).describe("optimizer"),
  schedule: choice(SCHEDULES).describe("learning-rate schedule"),
  seed: integer(0, MAX_SEED).describe("seed of weights, shuffling and encoding"),
  backend: choice(BACKENDS).describe("compute backend"),
  ...dataSettingsShape,
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
  backend: "auto",
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

/** How an event data set's samples become frames for this run: `steps` time bins, the downsampling. */
export function frameSettingsOf(c: Pick<TrainConfig, "dataset" | "steps" | "downsample">): FrameSettings {
  if (!isEventDataset(c.dataset)) throw new ValueError("dataset", "an event data set", c.dataset);
  return { bins: c.steps, downsample: c.downsample ?? EVENT_DATASET_INFO[c.dataset].downsample };
}

/**
 * What --model yinyang trains with by default: the Yin-Yang points (dataset yinyang; its 1,000 validation
 * points held out), each value a constant current over 20 steps, batches of 20 and Adam at 1e-3 as the
 * published reference ANN, 30 epochs, a constant rate.
 */
const YIN_YANG_PRESET = { dataset: "yinyang", encoding: "direct", steps: 20, batchSize: 20, lr: 1e-3, epochs: 30, schedule: "constant", validation: 1000 } as const satisfies Partial<TrainConfig>;

/** The features of one input of the run's network (without time and batch): an imported network's, an event data set's frame, or the images'. */
export function inputShapeOf(c: Pick<TrainConfig, "network" | "dataset" | "steps" | "downsample">): number[] {
  if (c.network) return [...c.network.input];
  if (c.dataset === "yinyang") return [4, 1, 1];
  return isEventDataset(c.dataset) ? frameShape(c.dataset, frameSettingsOf(c)) : [1, 28, 28];
}

/** The classes of the run's data. */
export function classesOf(c: Pick<TrainConfig, "dataset">): number {
  if (c.dataset === "yinyang") return 3;
  return isEventDataset(c.dataset) ? EVENT_DATASET_INFO[c.dataset].classes : 10;
}

/** The network of model nir: the imported layers. */
export function networkOf(c: TrainConfig): NetworkSpec {
  if (!c.network) throw new ValueError("network", "the layers of an imported network (give --from-nir FILE)", "none");
  return c.network;
}

/**
 * What an event data set trains with by default: N-MNIST and DVS Gesture a small conv net on binned
 * frames, SHD a recurrent LIF network; the time bins (steps), the validation samples held out, and the
 * output read as membrane (ce-membrane).
 */
export const EVENT_PRESETS = {
  nmnist: { model: "event-conv", defaults: { steps: 8, validation: 1000, lr: 2e-3 } },
  shd: { model: "shd-rnn", defaults: { steps: 50, validation: 500, lr: 2e-3 } },
  dvsgesture: { model: "event-conv", defaults: { steps: 16, validation: 100, lr: 2e-3 } },
} as const satisfies Record<EventDatasetName, { model: TrainConfig["model"]; defaults: Partial<TrainConfig> }>;

/** Checks a configuration against the schema; a ValueError names the first bad field, what it expects and what it got. */
export function validateConfig(c: TrainConfig): TrainConfig {
  const v = parseSettings(trainConfigSchema, c);
  if ((v.model === "nir") !== (v.fromNir !== undefined || v.network !== undefined))
    throw new ValueError("model", v.model === "nir" ? "a network from --from-nir FILE with model nir" : "nir with --from-nir", v.model === "nir" ? "no --from-nir" : v.model);
  if ((v.nirDt !== undefined || v.nirMethod !== undefined) && v.fromNir === undefined) throw new ValueError("nirDt/nirMethod", "only with --from-nir", v.nirDt ?? v.nirMethod);
  if ((v.encoding === "events") !== isEventDataset(v.dataset))
    throw new ValueError("encoding", v.encoding === "events" ? "events only with an event data set (nmnist, shd, dvsgesture)" : `events with the event data set ${v.dataset}`, v.encoding);
  if (v.downsample !== undefined && !isEventDataset(v.dataset)) throw new ValueError("downsample", "only with an event data set", v.downsample);
  if (v.beta !== undefined && v.neuron !== "lif" && v.neuron !== "noisy" && v.neuron !== "alif") throw new ValueError("beta", "only with neuron lif, noisy or alif", `${v.beta} with neuron ${v.neuron}`);
  if (v.learnThreshold && v.neuron !== "lif") throw new ValueError("learnThreshold", "only with neuron lif", `neuron ${v.neuron}`);
  if (v.evalSamples !== undefined && !isNoisyNeuron(v.neuron) && v.noise === undefined)
    throw new ValueError("evalSamples", "only with noisy neurons (neuron noisy or nilif, or noise)", `${v.evalSamples} with neuron ${v.neuron}`);
  if (v.neuron === "nilif" && v.detachReset) throw new ValueError("detachReset", "false with neuron nilif (the authors' reset is in the gradient)", true);
  if (v.substeps !== undefined && (v.neuron !== "coarse" || v.noise !== undefined))
    throw new ValueError("substeps", "only with neuron coarse without noise (continuous-time LIF)", `${v.substeps} with neuron ${v.neuron}${v.noise ? ` and noise ${v.noise}` : ""}`);
  if (v.tbptt !== undefined && v.recompute) throw new ValueError("tbptt/recompute", "one of them (truncation already holds one chunk's graph)", `--tbptt ${v.tbptt} with --recompute`);
  if (v.chunk !== undefined && !v.recompute) throw new ValueError("chunk", "only with --recompute (--tbptt K sets its own chunks)", v.chunk);
  if ((v.tbptt !== undefined || v.recompute) && v.substeps !== undefined) throw new ValueError("tbptt/recompute", "the discrete-time network (not with --substeps)", v.substeps);
  // A noisy run records its noise even when it took the default.
  return isNoisyNeuron(v.neuron) ? { ...v, noise: v.noise ?? DEFAULT_NOISE } : v;
}

/**
 * A configuration from the fields given (absent or undefined ones take the defaults): the neuron defaults
 * to coarse for coarse-lenet (else lif), the encoding to rate for mlp (else direct), the data set to mnist
 * when a data directory is given (else the embedded digits). Validated by validateConfig.
 */
export function configureTrain(fields: Partial<TrainConfig>): TrainConfig {
  const events = fields.dataset !== undefined && isEventDataset(fields.dataset) ? fields.dataset : null;
  const yinYang = fields.dataset === "yinyang" || (fields.dataset === undefined && fields.model === "yinyang");
  const model = fields.model ?? (fields.fromNir !== undefined ? "nir" : events ? EVENT_PRESETS[events].model : yinYang ? "yinyang" : DEFAULT_CONFIG.model);
  const dependent = {
    model,
    neuron: model === "coarse-lenet" ? "coarse" : "lif",
    encoding: events ? "events" : model === "mlp" || model === "nir" ? "rate" : "direct",
    dataset: fields.dataDir ? "mnist" : "embedded",
    ...(events ? EVENT_PRESETS[events].defaults : {}),
    ...(yinYang ? YIN_YANG_PRESET : {}),
  } as const;
  return validateConfig(withDefaults({ ...DEFAULT_CONFIG, ...dependent }, fields));
}
