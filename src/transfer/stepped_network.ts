// The continuous-time network of event_network.ts on a time grid, with the tensor engine: each coarse
// step is k substeps of dt = 1/k, and every input a step brings arrives in equal parts at the substeps'
// midpoints (s + (i + ½)/k), the "even" spreading of the event engine. A neuron's impulses then all fall on
// that grid, so the two engines compute the same spikes up to rounding (float32 here, float64 there).
import { ValueError } from "../errors.js";
import { Conv2d } from "../nn/conv2d.js";
import { Flatten } from "../nn/flatten.js";
import { Linear } from "../nn/linear.js";
import type { Module } from "../nn/module.js";
import { MaxPool2d } from "../nn/pool.js";
import type { Sequential } from "../nn/sequential.js";
import { CoarseLIF } from "../neurons/coarse_lif.js";
import { full, zeros } from "../tensor/creation.js";
import { keep, noGrad, tidy } from "../tensor/engine.js";
import { add, ge, maximum, mul, sub, where } from "../tensor/ops/elementwise.js";
import { concat, detach, reshape, slice, stack } from "../tensor/ops/shape_ops.js";
import { broadcastTo, sum } from "../tensor/ops/reduce.js";
import type { Tensor } from "../tensor/tensor.js";
import { spikeFunction } from "../neurons/spike_function.js";
import type { FiringRule } from "./continuous_lif.js";

/** Spikes and output of a stepped run for a batch. */
export interface SteppedRun {
  /** [T, B, outputs]: the last layer's membrane at each step end (membrane readout) or its spikes per step. */
  output: Tensor;
  /** Spikes of each neuron layer, summed over the batch. */
  spikesPerLayer: number[];
}

/** The i-th of n substeps of a [n, B, ...] tensor. */
const at = (x: Tensor, i: number) => reshape(slice(x, x.shape.map((_, d) => (d === 0 ? i : 0)), [1, ...x.shape.slice(1).map(() => -1)]), x.shape.slice(1));

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
function weighted(layer: Linear | Conv2d, x: Tensor, k: number): Tensor {
  const y = perSubstep(layer, x);
  if (!layer.bias) return y;
  const biasMap = perSubstep(layer, zeros([1, 1, ...x.shape.slice(2)]));
  return sub(y, mul(biasMap, 1 - 1 / k));
}

/** Max pooling of per-substep currents: within each step, the pool of the accumulated inputs; its changes are the pooled currents. */
function pooled(layer: MaxPool2d, x: Tensor, k: number): Tensor {
  const n = x.shape[0];
  const out: Tensor[] = [];
  let acc: Tensor | null = null;
  let prev: Tensor | null = null;
  for (let i = 0; i < n; i++) {
    const xi = at(x, i);
    acc = i % k === 0 || !acc ? xi : add(acc, xi);
    const p = layer.forward(acc);
    out.push(i % k === 0 || !prev ? p : sub(p, prev));
    prev = p;
  }
  return stack(out);
}

/**
 * Continuous-time LIF neurons on the grid: at each substep the membrane decays by e^{−dt/τ} and takes the
 * substep's input, unless refractory; v ≥ 1 (at once, or with "step-end" only at a step's last substep)
 * spikes, resets to 0 and ignores the next k − 1 substeps (one step). Returns the spikes [n, B, ...] and
 * the membrane at each step end [T, B, ...], as the event engine samples it. With `layer`'s surrogate
 * (training), a spike is H(v − 1) with H(0) = 1 forward and the layer's σ′(v − 1) backward, and the reset
 * passes gradients unless the layer detaches it; without it (evaluation) the spikes are plain indicators.
 */
function neurons(x: Tensor, tau: number, k: number, rule: FiringRule, layer: CoarseLIF | null): { spikes: Tensor; ends: Tensor } {
  const n = x.shape[0];
  const decay = Math.exp(-1 / (k * tau));
  const half = Math.exp(-1 / (2 * k * tau));
  const shape = x.shape.slice(1);
  const one = full(shape, 1);
  const none = zeros(shape);
  /** Spikes of a membrane u where u ≥ 1: the indicator, or the surrogate spike function when training. */
  const threshold = (u: Tensor) => (layer ? spikeFunction(sub(u, 1), layer.params.surrogate, 1) : where(ge(u, 1), one, none));
  let v = zeros(shape);
  let r = zeros(shape);
  const spikes: Tensor[] = [];
  const ends: Tensor[] = [];
  for (let i = 0; i < n; i++) {
    const open = where(ge(r, 0.5), none, one);
    v = mul(add(mul(v, decay), at(x, i)), open);
    const last = i % k === k - 1;
    // "step-end" checks the membrane at the step's end, half a substep after the last impulse.
    const fires = rule === "crossing" ? mul(threshold(v), open) : last ? mul(threshold(mul(v, half)), open) : none;
    // The step-end membrane: under "crossing" after a reset at that substep (the event engine resets at the
    // crossing), under "step-end" before it (the coarse model's reading).
    if (last && rule === "step-end") ends.push(mul(v, half));
    spikes.push(fires);
    v = mul(v, sub(1, layer?.params.detachReset ? detach(fires) : fires));
    if (last && rule === "crossing") ends.push(mul(v, half));
    r = add(maximum(sub(r, 1), 0), mul(detach(fires), k - 1 + (rule === "step-end" ? 1 : 0)));
  }
  return { spikes: stack(spikes), ends: stack(ends) };
}

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
  const layersOfNeurons = model.layers.filter((l) => l instanceof CoarseLIF);
  const lastNeuron = layersOfNeurons[layersOfNeurons.length - 1];
  if (!lastNeuron) throw new ValueError("transfer: model", "a network ending in CoarseLIF neurons", "no CoarseLIF layer");
  const run = (batch: Tensor): SteppedRun => {
    const spikesPerLayer: number[] = [];
    // Before the first neurons: per-step masses, as the coarse network computes them.
    let cur = batch;
    let grid = false;
    let output: Tensor | null = null;
    for (const layer of model.layers) {
      if (!grid && !(layer instanceof CoarseLIF)) {
        if (!(layer instanceof Linear || layer instanceof Conv2d || layer instanceof MaxPool2d || layer instanceof Flatten))
          throw new ValueError("transfer: layer", "Conv2d, Linear, MaxPool2d, Flatten or CoarseLIF", layer.constructor.name);
        cur = perSubstep(layer, cur);
        continue;
      }
      if (!grid) {
        // Each step's mass in k equal parts.
        const [, B, ...rest] = cur.shape;
        const parts = Array.from({ length: T }, (_, s) => mul(at(cur, s), 1 / k));
        cur = reshape(stack(parts.flatMap((p) => Array.from({ length: k }, () => p))), [T * k, B, ...rest]);
        grid = true;
      }
      if (layer instanceof Linear || layer instanceof Conv2d) cur = weighted(layer, cur, k);
      else if (layer instanceof MaxPool2d) cur = pooled(layer, cur, k);
      else if (layer instanceof Flatten) cur = reshape(cur, [cur.shape[0], cur.shape[1], cur.size / (cur.shape[0] * cur.shape[1])]);
      else if (layer instanceof CoarseLIF) {
        if (layer.analogInput || layer.noise) throw new ValueError("transfer: CoarseLIF", "the plain coarse LIF (not the analog-input or noisy variants)", layer.analogInput ? "analogInput" : "noise");
        const r = neurons(cur, layer.tau, k, rule, differentiable ? layer : null);
        spikesPerLayer.push(noGrad(() => sum(r.spikes).item()));
        if (layer === lastNeuron) {
          const [, B, ...rest] = r.spikes.shape;
          output = layer.output === "membrane" ? r.ends : sum(reshape(r.spikes, [T, k, B, ...rest]), 1);
        }
        cur = r.spikes;
      } else throw new ValueError("transfer: layer", "Conv2d, Linear, MaxPool2d, Flatten or CoarseLIF", layer.constructor.name);
    }
    return { output: output!, spikesPerLayer };
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
