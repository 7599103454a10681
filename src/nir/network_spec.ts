// A network as data: the layers of a chain (with recurrent neurons) and their settings, without weights.
// An imported NIR graph becomes one; a training run keeps it in its configuration, so that a checkpoint or
// a model file rebuilds the network without the file it came from.
import { z } from "zod";
import { LimitError, ValueError } from "../errors.js";
import { Conv1d } from "../nn/conv1d.js";
import { Delay } from "../nn/delay.js";
import { Conv2d } from "../nn/conv2d.js";
import { Flatten } from "../nn/flatten.js";
import { Linear } from "../nn/linear.js";
import type { Module } from "../nn/module.js";
import { AvgPool2d } from "../nn/pool.js";
import { Scale } from "../nn/scale.js";
import { Sequential } from "../nn/sequential.js";
import { LIF } from "../neurons/lif_module.js";
import type { SpikingNeuron } from "../neurons/neuron.js";
import { Recurrent } from "../neurons/recurrent.js";
import { Synaptic } from "../neurons/synaptic.js";
import type { Rng } from "../random/rng.js";
import { resolveSurrogate, type SurrogateSpec } from "../surrogate/surrogate.js";
import { choice, finiteNumber, integerIn } from "../io/validate.js";

/** Largest feature count of one layer's side. */
const MAX_FEATURES = 2 ** 24;
/** Most weights a network spec may build (2²⁷ float32: ½ GiB). */
const MAX_WEIGHTS = 2 ** 27;

const count = integerIn(1, MAX_FEATURES);
const finite = finiteNumber("a finite number");
const RESETS = ["subtract", "zero", "none"] as const;
const OUTPUTS = ["spikes", "membrane"] as const;
const surrogate = z.strictObject({ name: z.string(), param: finiteNumber("a number > 0", (x) => x > 0).optional() });

/** A LIF layer: m[t] = β·m[t−1] + g·I[t] − reset, s[t] = H(m[t] − θ) (see LIF; `refractoryGain` for the zero reset). */
const lifSpec = z.strictObject({
  kind: z.literal("lif"),
  beta: finiteNumber("a number in [0, 1]", (x) => x >= 0 && x <= 1),
  threshold: finiteNumber("a number > 0", (x) => x > 0),
  reset: choice(RESETS),
  inputGain: finite,
  refractoryGain: finite,
  h0: finiteNumber("a number in [0, 1]", (x) => x >= 0 && x <= 1).optional(),
  surrogate: surrogate.optional(),
  output: choice(OUTPUTS),
});

/** A Synaptic layer (a current-based LIF): syn[t] = α·syn[t−1] + g_s·I[t] feeds the LIF membrane. */
const synapticSpec = lifSpec.extend({
  kind: z.literal("synaptic"),
  alpha: finiteNumber("a number in [0, 1]", (x) => x >= 0 && x <= 1),
  currentGain: finite,
  previousCurrent: z.boolean(),
});

/** A neuron layer of a network spec (kept in a NIR node's metadata by networkToNir). */
export const neuronSpecSchema = z.discriminatedUnion("kind", [lifSpec, synapticSpec]);

/** Every kind of layer a network spec has. */
const layerSpec = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("flatten") }),
  z.strictObject({ kind: z.literal("linear"), in: count, out: count, bias: z.boolean() }),
  z.strictObject({ kind: z.literal("conv1d"), in: count, out: count, kernel: integerIn(1, 4096), stride: integerIn(1, 4096), padding: integerIn(0, 4096), bias: z.boolean() }),
  z.strictObject({ kind: z.literal("conv2d"), in: count, out: count, kernel: integerIn(1, 4096), stride: integerIn(1, 4096), padding: integerIn(0, 4096), bias: z.boolean() }),
  z.strictObject({ kind: z.literal("avgpool2d"), kernel: integerIn(1, 4096), stride: integerIn(1, 4096) }),
  z.strictObject({ kind: z.literal("scale"), shape: z.array(count).max(8), factors: z.array(finite).min(1).max(MAX_FEATURES) }),
  z.strictObject({ kind: z.literal("delay"), shape: z.array(count).max(8), steps: z.array(integerIn(0, 1_000_000)).min(1).max(MAX_FEATURES) }),
  lifSpec,
  synapticSpec,
  z.strictObject({ kind: z.literal("recurrent"), size: count, bias: z.boolean(), cell: neuronSpecSchema }),
]);

/** A network: the feature shape of its input (without time and batch) and its layers in order. */
export const networkSpecSchema = z.strictObject({
  input: z.array(count).min(1).max(8),
  layers: z.array(layerSpec).min(1).max(10_000),
});

/** A network as data (see networkSpecSchema). */
export type NetworkSpec = z.output<typeof networkSpecSchema>;
/** One layer of a NetworkSpec. */
export type LayerSpec = NetworkSpec["layers"][number];
/** The neuron layers of a NetworkSpec. */
export type NeuronSpec = z.output<typeof neuronSpecSchema>;

/** What a built network takes from its run: the weights' generator, and the surrogate and reset gradient of training. */
export interface BuildOptions {
  rng?: Rng;
  /** The surrogate of every neuron layer whose spec names none (default: snnkit's). */
  surrogate?: SurrogateSpec;
  detachReset?: boolean;
}

/** The neuron layer of a spec. */
function neuronOf(s: NeuronSpec, o: BuildOptions): SpikingNeuron {
  const common = {
    beta: s.beta,
    threshold: s.threshold,
    reset: s.reset,
    inputGain: s.inputGain,
    refractoryGain: s.refractoryGain,
    ...(s.h0 !== undefined ? { h0: s.h0 } : {}),
    ...(s.surrogate ? { surrogate: resolveSurrogate(s.surrogate.name, s.surrogate.param) } : o.surrogate ? { surrogate: o.surrogate } : {}),
    ...(o.detachReset !== undefined ? { detachReset: o.detachReset } : {}),
  };
  const layer = s.kind === "lif" ? new LIF(common) : new Synaptic({ ...common, alpha: s.alpha, currentGain: s.currentGain, previousCurrent: s.previousCurrent });
  layer.output = s.output;
  return layer;
}

/** The number of weights a layer spec builds. */
function weightsOf(l: LayerSpec): number {
  switch (l.kind) {
    case "linear":
      return l.in * l.out + l.out;
    case "conv1d":
      return l.in * l.out * l.kernel + l.out;
    case "conv2d":
      return l.in * l.out * l.kernel * l.kernel + l.out;
    case "recurrent":
      return l.size * l.size + l.size;
    case "scale":
      return l.factors.length;
    case "delay":
      return new Set(l.steps).size * l.steps.length;
    default:
      return 0;
  }
}

/**
 * The network of a spec, its weights initialised from `rng` (an imported network then loads its own).
 * A spec that would build more than 2²⁷ weights is refused (LimitError) before anything is allocated.
 */
export function buildNetwork(spec: NetworkSpec, options: BuildOptions = {}): Sequential {
  const total = spec.layers.reduce((a, l) => a + weightsOf(l), 0);
  if (total > MAX_WEIGHTS) throw new LimitError("weights", `the network has ${total} weights, more than ${MAX_WEIGHTS}`);
  const init = options.rng ? { rng: options.rng } : {};
  const layers = spec.layers.map((l): Module => {
    switch (l.kind) {
      case "flatten":
        return new Flatten();
      case "linear":
        return new Linear(l.in, l.out, { ...init, bias: l.bias });
      case "conv1d":
        return new Conv1d(l.in, l.out, l.kernel, { ...init, stride: l.stride, padding: l.padding, bias: l.bias });
      case "conv2d":
        return new Conv2d(l.in, l.out, l.kernel, { ...init, stride: l.stride, padding: l.padding, bias: l.bias });
      case "avgpool2d":
        return new AvgPool2d(l.kernel, l.stride);
      case "scale": {
        const n = l.shape.reduce((a, b) => a * b, 1);
        if (l.factors.length !== 1 && l.factors.length !== n) throw new ValueError("scale: factors", `1 or ${n} values (shape [${l.shape}])`, `${l.factors.length} values`);
        return new Scale(Float32Array.from(l.factors), l.factors.length === 1 ? [] : l.shape);
      }
      case "delay":
        return new Delay(l.steps, l.shape);
      case "lif":
      case "synaptic":
        return neuronOf(l, options);
      case "recurrent": {
        const cell = neuronOf(l.cell, options);
        const r = new Recurrent(cell, new Linear(l.size, l.size, { ...init, bias: l.bias }));
        r.output = l.cell.output;
        return r;
      }
    }
  });
  return new Sequential(...layers);
}
