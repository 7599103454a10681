// Backpropagation through time in chunks of time steps, for long sequences: truncated BPTT, and
// memory-lean exact BPTT that recomputes each chunk in the backward pass instead of storing it.
import { ValueError } from "../errors.js";
import type { Rng, RngState } from "../random/rng.js";
import { backward } from "../tensor/autograd.js";
import { noGrad, tidy } from "../tensor/engine.js";
import { add, mul } from "../tensor/ops/elementwise.js";
import { sum } from "../tensor/ops/reduce.js";
import { concat, slice } from "../tensor/ops/shape_ops.js";
import type { Tensor } from "../tensor/tensor.js";
import type { LayerState } from "./module.js";
import type { Sequential } from "./sequential.js";

/**
 * - "truncated": truncated BPTT (k₁ = k₂ = K): the gradient of the loss reaches each chunk's steps
 *   but stops at its start; the state a chunk starts from is a constant.
 * - "recompute": exact BPTT with the memory of one chunk: the forward pass keeps only the states at
 *   the chunk boundaries; the backward pass reruns the chunks from last to first with the graph
 *   recorded, and hands the gradient of each chunk's starting state to the chunk before.
 */
export type ChunkedBpttMode = "truncated" | "recompute";

/** How to split the time loop. */
export interface ChunkedBpttOptions {
  /** Time steps per chunk, K ≥ 1. */
  chunk: number;
  mode: ChunkedBpttMode;
  /** Static (direct-encoded) input [B, ...] repeated over this many steps (Sequential.run's `steps`); else x is [T, B, ...]. */
  steps?: number;
  /** Generators the network draws from while it runs (noisy neurons): each chunk is recomputed from the same state. */
  rngs?: readonly Rng[];
}

/** The loss's value and the network's output [T, B, ...] (without a graph). */
export interface ChunkedBpttResult {
  loss: number;
  output: Tensor;
}

/** Layer states as a flat list of tensors (the order the backward pass hands gradients in). */
function stateTensors(states: readonly (LayerState | null)[]): Tensor[] {
  return states.flatMap((s) => (s ? Object.values(s) : []));
}

/**
 * Runs `model` over the whole sequence in chunks of `chunk` steps, evaluates `lossOf(output)` on the
 * whole output [T, B, ...], and adds the gradient of the loss to every parameter's .grad (as
 * loss.backward() would), holding the autograd graph of one chunk at a time.
 *
 * With ∂L/∂y the loss's gradient on the output and gₛ the gradient reaching a chunk's final state from
 * the chunk after it, chunk c backpropagates the scalar Σ y_c·∂L/∂y_c + Σ s_c·gₛ, whose gradient is
 * exactly those seeds. In "recompute" mode the result equals plain BPTT's to rounding (sums in another
 * order); in "truncated" mode gₛ = 0. Layers must continue sequences (Module.runFrom).
 */
export function chunkedBackward(model: Sequential, x: Tensor, options: ChunkedBpttOptions, lossOf: (output: Tensor) => Tensor): ChunkedBpttResult {
  const { chunk, mode } = options;
  const T = options.steps ?? x.shape[0];
  if (!(Number.isInteger(chunk) && chunk >= 1)) throw new ValueError("chunk", "a whole number of time steps ≥ 1", chunk);
  if (mode !== "truncated" && mode !== "recompute") throw new ValueError("mode", "truncated | recompute", mode);
  if (options.steps === undefined && x.rank < 3) throw new ValueError("x", "a sequence [T, B, ...] (or give steps for a static input)", `shape [${x.shape}]`);
  const bounds: [number, number][] = [];
  for (let t = 0; t < T; t += chunk) bounds.push([t, Math.min(chunk, T - t)]);
  const rngs = options.rngs ?? [];
  const runChunk = (c: number, states: (LayerState | null)[]) => {
    const [t0, len] = bounds[c];
    if (options.steps !== undefined) return model.run(x, { steps: len, states });
    const rest = x.shape.slice(1);
    return model.run(slice(x, [t0, ...rest.map(() => 0)], [len, ...rest]), { states });
  };

  // Forward: the states at every chunk's start, the generators' states there, and the output.
  const starts: (LayerState | null)[][] = [];
  const rngStarts: RngState[][] = [];
  const outputs: Tensor[] = [];
  let states: (LayerState | null)[] = model.layers.map(() => null);
  noGrad(() => {
    for (let c = 0; c < bounds.length; c++) {
      starts.push(states);
      rngStarts.push(rngs.map((r) => r.getState()));
      // Each chunk's intermediates are freed as it ends; its output and final states are kept.
      const r = tidy(() => {
        const run = runChunk(c, states);
        return { output: run.output, finals: run.finals!.map((f) => (f ? { ...f } : null)) };
      });
      outputs.push(r.output);
      states = r.finals;
    }
  });
  const rngEnd = rngs.map((r) => r.getState());
  const output = noGrad(() => (outputs.length === 1 ? outputs[0] : concat(outputs, 0)));

  // The loss's gradient on the output: the output as a leaf.
  const leaf = noGrad(() => mul(output, 1));
  leaf.requiresGrad = true;
  const lossTensor = lossOf(leaf);
  const loss = lossTensor.item();
  backward(lossTensor);
  // The accumulated gradients of leaves are kept out of every scope: copy into this scope, free them.
  const takeGrad = (t: Tensor): Tensor => {
    const g = t.grad ? noGrad(() => mul(t.grad!, 1)) : noGrad(() => mul(t, 0));
    t.grad?.dispose();
    t.grad = null;
    return g;
  };
  const gOutput = takeGrad(leaf);

  // Backward, chunk by chunk from the last.
  let gNext: Tensor[] | null = null;
  for (let c = bounds.length - 1; c >= 0; c--) {
    const used: Tensor[] | null = gNext;
    gNext = tidy(() => {
      rngs.forEach((r, k) => r.setState(rngStarts[c][k]));
      const start = starts[c];
      const startTensors = mode === "recompute" ? stateTensors(start) : [];
      for (const t of startTensors) t.requiresGrad = true;
      const r = runChunk(c, start);
      const [t0, len] = bounds[c];
      const rest = output.shape.slice(1);
      let seed = sum(mul(r.output, slice(gOutput, [t0, ...rest.map(() => 0)], [len, ...rest])));
      if (used) {
        const finals = stateTensors(r.finals!);
        finals.forEach((s, k) => {
          if (s.requiresGrad) seed = add(seed, sum(mul(s, used[k])));
        });
      }
      if (seed.requiresGrad) backward(seed);
      const grads = startTensors.map((t) => {
        t.requiresGrad = false;
        return takeGrad(t);
      });
      return grads.length > 0 ? grads : null;
    });
    for (const g of used ?? []) g.dispose();
  }
  for (const g of gNext ?? []) g.dispose();
  gOutput.dispose();
  leaf.dispose();
  rngs.forEach((r, k) => r.setState(rngEnd[k]));
  return { loss, output };
}
