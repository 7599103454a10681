// The continuous-time network of event_network.ts on a time grid, with the tensor engine (each layer by its
// implementation registered for the stepped engine; the neurons by steppedContinuousLif): each coarse
// step is k substeps of dt = 1/k, and every input a step brings arrives in equal parts at the substeps'
// midpoints (s + (i + ½)/k), the "even" spreading of the event engine. A neuron's impulses then all fall on
// that grid, so the two engines compute the same spikes up to rounding (float32 here, float64 there).
import { ValueError } from "../errors.js";
import type { Conv2d } from "../nn/conv2d.js";
import { layerImplementation, registerLayer } from "../nn/layer_engines.js";
import type { Linear } from "../nn/linear.js";
import type { Module } from "../nn/module.js";
import type { Sequential } from "../nn/sequential.js";
import { steppedContinuousCuba } from "../neurons/continuous_cuba.js";
import { type FiringRule, steppedContinuousLif, substep } from "../neurons/continuous_lif.js";
import type { SpikingNeuron } from "../neurons/neuron.js";
import type { Recurrent } from "../neurons/recurrent.js";
import { matmul } from "../tensor/ops/matmul.js";
import { zeros } from "../tensor/creation.js";
import { keep, noGrad, tidy } from "../tensor/engine.js";
import { add, mul, sub } from "../tensor/ops/elementwise.js";
import { broadcastTo, sum } from "../tensor/ops/reduce.js";
import { concat, reshape, slice, stack } from "../tensor/ops/shape_ops.js";
import type { Tensor } from "../tensor/tensor.js";
import { type ContinuousLayer, continuousLayer } from "./continuous_neurons.js";

/** Spikes and output of a stepped run for a batch. */
export interface SteppedRun {
  /** `[T, B, outputs]`: the last layer's membrane at each step end (membrane readout) or its spikes per step. */
  output: Tensor;
  /** Spikes of each neuron layer, summed over the batch. */
  spikesPerLayer: number[];
}


/** A stateless layer on every substep at once ([n, B, ...] in and out). */
function perSubstep(layer: Module, x: Tensor): Tensor {
  const [n, B] = x.shape;
  const y = layer.forward(reshape(x, [n * B, ...x.shape.slice(2)]));
  return reshape(y, [n, B, ...y.shape.slice(1)]);
}

/**
 * A weighted layer on per-substep currents or spikes: W·x plus the bias spread over the step, b/k per
 * substep (the coarse network adds b once per step).
 */
function weighted(weights: Module, x: Tensor, { k }: SteppedRunState): Tensor {
  const layer = weights as Linear | Conv2d;
  const y = perSubstep(layer, x);
  if (!layer.bias) return y;
  const biasMap = perSubstep(layer, zeros([1, 1, ...x.shape.slice(2)]));
  return sub(y, mul(biasMap, 1 - 1 / k));
}

/** Max pooling of per-substep currents: within each step, the pool of the accumulated inputs; its changes are the pooled currents. */
function pooled(layer: Module, x: Tensor, { k }: SteppedRunState): Tensor {
  const n = x.shape[0];
  const out: Tensor[] = [];
  let acc: Tensor | null = null;
  let prev: Tensor | null = null;
  for (let i = 0; i < n; i++) {
    const xi = substep(x, i);
    acc = i % k === 0 || !acc ? xi : add(acc, xi);
    const p = layer.forward(acc);
    out.push(i % k === 0 || !prev ? p : sub(p, prev));
    prev = p;
  }
  return stack(out);
}

/** A layer's neurons on the grid (steppedContinuousLif or steppedContinuousCuba, as continuousLayer says), its inputs scaled by the layer's gain. */
function gridRun(c: ContinuousLayer, x: Tensor, run: SteppedRunState): { spikes: Tensor; ends: Tensor } {
  const input = c.gain === 1 ? x : mul(x, c.gain);
  const layer = run.differentiable ? c.layer : null;
  return c.kind === "lif" ? steppedContinuousLif(input, c.tau, run.k, run.rule, layer, c.neuron) : steppedContinuousCuba(input, c.constants, run.k, layer, c.neuron);
}

/** A neuron layer's spikes counted, and its output when it is the network's last layer. */
function record(layer: Module, r: { spikes: Tensor; ends: Tensor }, run: SteppedRunState): Tensor {
  run.spikesPerLayer.push(noGrad(() => sum(r.spikes).item()));
  if (layer === run.last) {
    const [, B, ...rest] = r.spikes.shape;
    run.output = (layer as SpikingNeuron).output === "membrane" ? r.ends : sum(reshape(r.spikes, [run.T, run.k, B, ...rest]), 1);
  }
  return r.spikes;
}

/** A layer of neurons on the grid (gridRun). */
function gridNeurons(neurons: Module, x: Tensor, run: SteppedRunState): Tensor {
  if (run.rule !== "crossing" && neurons.kind === "Synaptic") throw new ValueError("firing rule", "crossing for Synaptic layers", run.rule);
  return record(neurons, gridRun(continuousLayer(neurons, neurons === run.last), x, run), run);
}

/**
 * A Recurrent layer on the grid: its cell's neurons with their spikes fed back through the feedback layer
 * one step (k substeps) later, the bias spread over every step but the first, as the event engine does;
 * run again with the feedback of the previous run until the spikes no longer change (at most T + 1 runs).
 * Not differentiable (training in continuous time takes no recurrent layers).
 */
function gridRecurrent(module: Module, x: Tensor, run: SteppedRunState): Tensor {
  const layer = module as Recurrent;
  if (run.differentiable) throw new ValueError("transfer: Recurrent", "evaluation only (training in continuous time takes no recurrent layers)", "differentiable");
  if (run.rule !== "crossing") throw new ValueError("firing rule", "crossing for Recurrent layers", run.rule);
  const c = continuousLayer(layer.cell, layer === run.last, layer.output);
  const { T, k } = run;
  const [n, B, units] = x.shape;
  const fb = layer.feedback;
  const bias = fb.bias ? mul(reshape(fb.bias, [1, 1, units]), 1 / k) : null;
  let r: { spikes: Tensor; ends: Tensor } | null = null;
  let key = "";
  for (let pass = 0; pass <= T + 1; pass++) {
    let input = x;
    if (r && n > k) {
      // Spikes of substep s arrive at substep s + k through W (the spike-sparse product, without the bias).
      const spikes = slice(r.spikes, [0, 0, 0], [n - k, B, units]);
      const through = reshape(matmul(reshape(spikes, [(n - k) * B, units]), fb.weight), [n - k, B, units]);
      input = add(input, concat([zeros([k, B, units]), through], 0));
    }
    if (bias && n > k) input = add(input, concat([zeros([k, B, units]), broadcastTo(bias, [n - k, B, units])], 0));
    r = gridRun(c, input, run);
    const next = r.spikes.dataFloat32().join(",");
    if (pass > 0 && next === key) break;
    key = next;
  }
  return record(layer, r!, run);
}

/** How the stepped engine runs one kind of layer on the grid ([T·k, B, ...] in and out); before the first neurons every layer runs on per-step masses. */
interface SteppedLayer {
  onGrid(layer: Module, x: Tensor, run: SteppedRunState): Tensor;
  /** The layer is neurons (the grid starts at the first). */
  neurons?: true;
}

/** One run's settings, its last neuron layer, and what the neuron layers have produced so far. */
interface SteppedRunState {
  T: number;
  k: number;
  rule: FiringRule;
  differentiable: boolean;
  last: Module;
  spikesPerLayer: number[];
  output: Tensor | null;
}

const STEPPED_LAYERS: Record<string, SteppedLayer> = {
  Linear: { onGrid: weighted },
  Conv2d: { onGrid: weighted },
  MaxPool2d: { onGrid: pooled },
  AvgPool2d: { onGrid: weighted },
  Scale: { onGrid: weighted },
  Flatten: { onGrid: (_layer, x) => reshape(x, [x.shape[0], x.shape[1], x.size / (x.shape[0] * x.shape[1])]) },
  CoarseLIF: { onGrid: gridNeurons, neurons: true },
  LIF: { onGrid: gridNeurons, neurons: true },
  IF: { onGrid: gridNeurons, neurons: true },
  Synaptic: { onGrid: gridNeurons, neurons: true },
  Recurrent: { onGrid: gridRecurrent, neurons: true },
};
for (const [kind, implementation] of Object.entries(STEPPED_LAYERS)) registerLayer("stepped", kind, implementation);

/**
 * Image-substeps (images × T × k) one stepped run without gradients holds at once: about ½ GiB for the
 * LeNet, so that an evaluation fits beside what training left in the 4 GiB of wasm memory (freed blocks
 * are reused by size only). Larger batches run in chunks of this size.
 */
const CHUNK_IMAGE_SUBSTEPS = 3_200;

/**
 * Runs a coarse-LIF network (the layers runEventNetwork takes) on a batch x [T, B, ...] of per-step masses
 * with continuous-time neurons on a grid of k substeps per step. Without gradients, in chunks of images
 * that bound the memory; with `differentiable` (training in continuous time) in one piece, and spikes take
 * each layer's surrogate gradient (see neurons()).
 */
export function runSteppedNetwork(model: Sequential, x: Tensor, substeps: number, rule: FiringRule = "crossing", differentiable = false): SteppedRun {
  const k = substeps;
  if (!(Number.isInteger(k) && k >= 1 && k <= 10_000)) throw new ValueError("substeps", "an integer in [1, 10000]", k);
  if (x.rank < 3) throw new ValueError("x", "per-step masses [T, B, ...]", `shape [${x.shape.join(", ")}]`);
  const T = x.shape[0];
  const layers = model.layers.map((layer) => ({ layer, ...layerImplementation<SteppedLayer>("stepped", layer) }));
  const layersOfNeurons = layers.filter((l) => l.neurons);
  const lastNeuron = layersOfNeurons.at(-1)?.layer;
  if (!lastNeuron) throw new ValueError("transfer: model", "a network ending in neurons (CoarseLIF, LIF or IF)", "no layer of neurons");
  const run = (batch: Tensor): SteppedRun => {
    const state: SteppedRunState = { T, k, rule, differentiable, last: lastNeuron, spikesPerLayer: [], output: null };
    // Before the first neurons: per-step masses, as the coarse network computes them.
    let cur = batch;
    let grid = false;
    for (const { layer, neurons, onGrid } of layers) {
      if (!grid && !neurons) {
        cur = perSubstep(layer, cur);
        continue;
      }
      if (!grid) {
        // Each step's mass in k equal parts.
        const [, B, ...rest] = cur.shape;
        const parts = Array.from({ length: T }, (_, s) => mul(substep(cur, s), 1 / k));
        cur = reshape(stack(parts.flatMap((p) => Array.from({ length: k }, () => p))), [T * k, B, ...rest]);
        grid = true;
      }
      cur = onGrid(layer, cur, state);
    }
    return { output: state.output!, spikesPerLayer: state.spikesPerLayer };
  };
  if (differentiable) return run(x);
  const B = x.shape[1];
  const chunk = Math.max(1, Math.floor(CHUNK_IMAGE_SUBSTEPS / (T * k)));
  if (B <= chunk) return noGrad(() => run(x));
  const outputs: Tensor[] = [];
  const spikesPerLayer = new Array<number>(layersOfNeurons.length).fill(0);
  for (let b = 0; b < B; b += chunk) {
    const part = slice(x, x.shape.map((_, d) => (d === 1 ? b : 0)), x.shape.map((n, d) => (d === 1 ? Math.min(chunk, B - b) : n)));
    // Each chunk's intermediates are freed at the end of its scope; its output is kept.
    const output = tidy(() =>
      noGrad(() => {
        const r = run(part);
        r.spikesPerLayer.forEach((v, l) => (spikesPerLayer[l] += v));
        return keep(r.output);
      }),
    );
    outputs.push(output);
    part.dispose();
  }
  const output = concat(outputs, 1);
  for (const o of outputs) o.dispose();
  return { output, spikesPerLayer };
}

/** The per-step masses [T, B, ...] of an encoded batch: a static input [B, ...] repeated `steps` times, or the input itself when it has its steps. */
export function perStepMasses(input: Tensor, steps: number | undefined): Tensor {
  return steps === undefined ? input : broadcastTo(reshape(input, [1, ...input.shape]), [steps, ...input.shape]);
}

/** Runs tidy around runSteppedNetwork and returns plain arrays (for callers outside a scope). */
export function steppedOutputs(model: Sequential, x: Tensor, substeps: number, rule: FiringRule = "crossing"): { output: Float32Array; shape: number[]; spikesPerLayer: number[] } {
  let out: { output: Float32Array; shape: number[]; spikesPerLayer: number[] } = { output: new Float32Array(0), shape: [], spikesPerLayer: [] };
  tidy(() => {
    const r = runSteppedNetwork(model, x, substeps, rule);
    out = { output: r.output.dataFloat32(), shape: [...r.output.shape], spikesPerLayer: r.spikesPerLayer };
  });
  return out;
}
