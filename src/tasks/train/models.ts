// The preset networks of `snnkit train`.
import { ValueError } from "../../errors.js";
import { Conv2d } from "../../nn/conv2d.js";
import { DelayedLinear } from "../../nn/delayed_linear.js";
import { Flatten } from "../../nn/flatten.js";
import type { Module } from "../../nn/module.js";
import { MaxPool2d } from "../../nn/pool.js";
import { Linear } from "../../nn/linear.js";
import { Sequential } from "../../nn/sequential.js";
import { ALIF } from "../../neurons/alif.js";
import { Alpha } from "../../neurons/alpha.js";
import { CoarseLIF } from "../../neurons/coarse_lif.js";
import { IF, LIF } from "../../neurons/lif_module.js";
import type { SpikingNeuron } from "../../neurons/neuron.js";
import { NoisyLIF } from "../../neurons/noisy_lif.js";
import { Recurrent } from "../../neurons/recurrent.js";
import { Synaptic } from "../../neurons/synaptic.js";
import type { Rng } from "../../random/rng.js";
import { resolveSurrogate } from "../../surrogate/surrogate.js";
import type { InitScheme } from "../../nn/init.js";

/** Preset architectures (yinyang for the Yin-Yang points, event-conv and shd-rnn for the event data sets), and "nir": a network imported from a NIR file (snnkit train --from-nir). */
export const MODEL_NAMES = ["mlp", "conv", "coarse-lenet", "yinyang", "event-conv", "shd-rnn", "shd-alif", "nir"] as const;
export type ModelName = (typeof MODEL_NAMES)[number];
/** What each preset is, in a line (snnkit train --model lists them). */
export const MODEL_PRESETS: Record<ModelName, string> = {
  mlp: "inputs → 256 → classes, two spiking layers (digits, or any image data set)",
  conv: "W2's network: conv 12@5×5 → pool → conv 64@5×5 → pool → 10 (28 × 28 digits)",
  "coarse-lenet": "LeNet-5 of coarse-scale LIF neurons (Yanguas-Gil 2020), the default (28 × 28 digits)",
  yinyang: "4 → 120 → 3 on the Yin-Yang points, the reference ANN's layout (docs/yin-yang.md)",
  "event-conv": "two convolutions on event frames (N-MNIST, DVS Gesture)",
  "shd-rnn": "128 recurrent LIF neurons on SHD's channels",
  "shd-alif": "learned synaptic delays into 128 recurrent adaptive LIF neurons on SHD's channels (docs/neurons.md)",
  nir: "a network imported from a NIR file (--from-nir FILE)",
};
/** Neuron models selectable for the presets. */
export const NEURON_NAMES = ["lif", "if", "coarse", "synaptic", "noisy", "nilif", "alif", "alpha"] as const;
export type NeuronName = (typeof NEURON_NAMES)[number];

/** What a preset needs to know. */
export interface ModelSpec {
  model: ModelName;
  neuron: NeuronName;
  /** Surrogate name and parameter (undefined: the neuron's default). */
  surrogate?: { name: string; param?: number };
  /** Coarse LIF τ in steps (default 4). */
  tau?: number;
  /** Leak β of lif and noisy neurons (default 0.95 for lif, 0.5 for noisy). */
  beta?: number;
  /** Treat the reset as a constant in the backward pass (default false). */
  detachReset?: boolean;
  /** lif neurons: learn each layer's threshold (snnTorch's Leaky(learn_threshold=True)). */
  learnThreshold?: boolean;
  /** Weight initialisation (default "he_uniform"; the trainer then rescales it with scaleToUnitCurrent). */
  init?: InitScheme;
  rng: Rng;
  /**
   * Membrane noise ("family:scale"; default gaussian:0.3 for noisy neurons, none for the others, which it
   * makes noisy) and the generator all noisy layers draw from.
   */
  noise?: string;
  noiseRng?: Rng;
  /** The features of one step's input [C, H, W] (default [1, 28, 28], the digits). */
  inputShape?: readonly number[];
  /** Classes of the output (default 10). */
  classes?: number;
}

/** Whether a neuron name is a noisy neuron by itself (its noise defaults to DEFAULT_NOISE). */
export function isNoisyNeuron(neuron: NeuronName): boolean {
  return neuron === "noisy" || neuron === "nilif";
}

/** The membrane noise of `--neuron noisy` and `nilif` when none is given (the authors' σ). */
export const DEFAULT_NOISE = "gaussian:0.3";

function neuronFactory(spec: ModelSpec): () => SpikingNeuron {
  const detachReset = spec.detachReset ?? false;
  const builtin = spec.surrogate ? resolveSurrogate(spec.surrogate.name, spec.surrogate.param) : undefined;
  const noise = spec.noise ?? (isNoisyNeuron(spec.neuron) ? DEFAULT_NOISE : undefined);
  // A noisy layer's gradient is its noise density: no surrogate.
  if (noise !== undefined && builtin) throw new ValueError("surrogate", "none with noisy neurons (their gradient is the noise density)", builtin.name);
  if (noise !== undefined && (spec.neuron === "alif" || spec.neuron === "alpha")) throw new ValueError("noise", `none with neuron ${spec.neuron} (it has no noisy variant)`, noise);
  const noisy = noise !== undefined ? { noise, ...(spec.noiseRng ? { rng: spec.noiseRng } : {}) } : {};
  const shared = { surrogate: builtin, detachReset, ...noisy };
  switch (spec.neuron) {
    case "coarse":
      return () => new CoarseLIF({ tau: spec.tau ?? 4, ...shared });
    case "lif":
      return () => new LIF({ beta: spec.beta ?? 0.95, learnThreshold: spec.learnThreshold ?? false, ...shared });
    case "if":
      return () => new IF(shared);
    case "synaptic":
      return () => new Synaptic({ alpha: 0.9, beta: 0.8, ...shared });
    case "noisy":
      // β = 0.5 (τ = 2) and subtract reset, as Ma, Yan & Tang (2023) train them (docs/noisy-snns.md).
      return () => new NoisyLIF({ beta: spec.beta ?? 0.5, ...shared });
    case "alif":
      // Bellec et al.'s adaptive threshold (γ = 1.8), τₐ = 200 steps.
      return () => new ALIF({ beta: spec.beta ?? 0.95, surrogate: builtin, detachReset });
    case "alpha":
      return () => new Alpha({ surrogate: builtin, detachReset });
    case "nilif":
      // The authors' NILIF fixes β, the reset (in the gradient) and where the noise enters.
      return () => new NoisyLIF({ surrogate: builtin, ...noisy, variant: "nilif" });
    default:
      throw new ValueError("neuron", NEURON_NAMES.join(" | "), spec.neuron);
  }
}

/**
 * - mlp: the input's features (784 for the digits) → 256 → classes (two spiking layers);
 * - conv: W2's network: conv 12@5×5 → maxpool 2 → neurons → conv 64@5×5 → maxpool 2 → neurons → 1024 → 10;
 * - coarse-lenet: LeNet-5 as in Yanguas-Gil (2020): conv 6@5×5 (pad 2) → maxpool → neurons → conv 16@5×5 →
 *   maxpool → neurons → 400 → 120 → 84 → 10, each layer followed by neurons. The pixels drive the first
 *   conv as a constant current (computed once, broadcast over T). (A layer of analog-input CoarseLIF
 *   neurons on the pixels, the paper's other variant, trained more slowly here: 85 % vs 94 % after two
 *   epochs at T = 4.)
 * - yinyang: the Yin-Yang points' 4 inputs → 120 → 3, each followed by neurons (the published reference ANN's 4-120-3);
 * - event-conv: for frames of events [C, H, W] (N-MNIST, DVS Gesture): conv 16@5×5 (pad 2) → maxpool 2 →
 *   neurons → conv 32@5×5 (pad 2) → maxpool 2 → neurons → classes;
 * - shd-rnn: for SHD's channels: 128 recurrent neurons (a Linear feedback of their spikes) → classes;
 * - shd-alif: for SHD's channels: learned synaptic delays of up to 25 steps (DelayedLinear) into 128
 *   recurrent adaptive LIF neurons (ALIF, τₐ = 200 steps) → classes (the readout takes --neuron).
 * Input is the static image [B, 1, 28, 28] (direct encoding) or a spike train of it [T, B, 1, 28, 28];
 * event data [T, B, C, H, W].
 */
export function buildModel(spec: ModelSpec): Sequential {
  const neuron = neuronFactory(spec);
  const init = { rng: spec.rng, init: spec.init ?? "he_uniform" };
  const layers: Module[] = [];
  const [C, H, W] = spec.inputShape ?? [1, 28, 28];
  const classes = spec.classes ?? 10;
  if ((spec.model === "conv" || spec.model === "coarse-lenet") && (`${C},${H},${W}` !== "1,28,28" || classes !== 10))
    throw new ValueError("model", `${spec.model} on 28 × 28 digits of 10 classes (mlp and event-conv take other inputs)`, `inputs [${C}, ${H}, ${W}] of ${classes} classes`);
  switch (spec.model) {
    case "event-conv": {
      const pooled = (n: number) => Math.floor(Math.floor(n / 2) / 2);
      if (pooled(H) < 1 || pooled(W) < 1) throw new ValueError("model", "event-conv on frames of at least 4 × 4", `[${C}, ${H}, ${W}]`);
      layers.push(
        new Conv2d(C, 16, 5, { ...init, padding: 2 }),
        new MaxPool2d(2),
        neuron(),
        new Conv2d(16, 32, 5, { ...init, padding: 2 }),
        new MaxPool2d(2),
        neuron(),
        new Flatten(),
        new Linear(32 * pooled(H) * pooled(W), classes, init),
        neuron(),
      );
      break;
    }
    case "shd-rnn": {
      const cell = neuron();
      if (!((cell instanceof LIF && !cell.noise) || cell instanceof ALIF)) throw new ValueError("neuron", "lif, if, coarse or alif for shd-rnn (its recurrent cell)", spec.neuron);
      layers.push(new Flatten(), new Linear(C * H * W, 128, init), new Recurrent(cell, new Linear(128, 128, init)), new Linear(128, classes, init), neuron());
      break;
    }
    case "yinyang":
      layers.push(new Flatten(), new Linear(C * H * W, 120, init), neuron(), new Linear(120, classes, init), neuron());
      break;
    case "shd-alif":
      layers.push(
        new Flatten(),
        new DelayedLinear(C * H * W, 128, { ...init, maxDelay: 25, learnDelays: true }),
        new Recurrent(new ALIF({ detachReset: spec.detachReset ?? false }), new Linear(128, 128, init)),
        new Linear(128, classes, init),
        neuron(),
      );
      break;
    case "mlp":
      layers.push(new Flatten(), new Linear(C * H * W, 256, init), neuron(), new Linear(256, classes, init), neuron());
      break;
    case "conv":
      layers.push(
        new Conv2d(1, 12, 5, init),
        new MaxPool2d(2),
        neuron(),
        new Conv2d(12, 64, 5, init),
        new MaxPool2d(2),
        neuron(),
        new Flatten(),
        new Linear(1024, 10, init),
        neuron(),
      );
      break;
    case "coarse-lenet":
      layers.push(
        new Conv2d(1, 6, 5, { ...init, padding: 2 }),
        new MaxPool2d(2),
        neuron(),
        new Conv2d(6, 16, 5, init),
        new MaxPool2d(2),
        neuron(),
        new Flatten(),
        new Linear(400, 120, init),
        neuron(),
        new Linear(120, 84, init),
        neuron(),
        new Linear(84, 10, init),
        neuron(),
      );
      break;
    default:
      throw new ValueError("model", "mlp | conv | coarse-lenet (a nir network is built from its layers: buildNetwork)", spec.model);
  }
  return new Sequential(...layers);
}
