// A chain of layers over time: stateless layers run once over all T·B rows, neurons over [T, B, ...].
import { ShapeError, ValueError } from "../errors.js";
import { broadcastTo } from "../tensor/ops/reduce.js";
import { reshape } from "../tensor/ops/shape_ops.js";
import type { Tensor } from "../tensor/tensor.js";
import { type LayerState, Module } from "./module.js";

/** Options of Sequential.run(). */
export interface RunOptions {
  /**
   * Static (direct-encoded) input: x is [B, ...], the same at every one of `steps` steps. The layers
   * before the first temporal layer run once on [B, ...] and their output is broadcast over T.
   */
  steps?: number;
  /** Collect every spiking layer's spikes [T, B, ...], also of membrane-readout layers (for raster plots and spike counts). */
  recordSpikes?: boolean;
  /**
   * Continue a sequence: the state of every layer (by index; null for a stateless layer or the start)
   * from a previous run's `finals`. The temporal layers then run with runFrom and the run returns their
   * states after its last step, so that a long sequence can run in chunks of time.
   */
  states?: readonly (LayerState | null)[];
}

/** Output [T, B, ...] and, if asked, each spiking layer's spikes by layer name. */
export type SequentialRun = {
  output: Tensor;
  spikes: { layer: string; spikes: Tensor }[];
  /** With `states`: each layer's state after the last step (null for stateless layers). */
  finals?: (LayerState | null)[];
};

/** Layers applied in order to a sequence [T, B, ...]; see RunOptions for static input. */
export class Sequential extends Module {
  override readonly kind: string = "Sequential";
  readonly layers: readonly Module[];

  constructor(...layers: Module[]) {
    super();
    this.layers = layers;
    layers.forEach((m, i) => this.addModule(String(i), m));
  }

  forward(x: Tensor): Tensor {
    return this.run(x).output;
  }

  /** Runs the chain; see RunOptions. */
  run(x: Tensor, options: RunOptions = {}): SequentialRun {
    let steps = options.steps ?? 0;
    if (options.steps !== undefined && !(Number.isInteger(steps) && steps >= 1))
      throw new ValueError("Sequential.run: steps", "a positive integer", options.steps);
    const states = options.states;
    if (states && states.length !== this.layers.length) throw new ValueError("Sequential.run: states", `one per layer (${this.layers.length})`, `${states.length}`);
    const finals: (LayerState | null)[] | undefined = states ? this.layers.map(() => null) : undefined;
    let cur = x;
    const spikes: SequentialRun["spikes"] = [];
    for (const [i, layer] of this.layers.entries()) {
      if (layer.time === "stateless") {
        if (steps > 0) {
          cur = layer.forward(cur);
        } else {
          if (cur.rank < 3) throw new ShapeError("Sequential", "input must be [T, B, ...] (or pass steps for [B, ...])", [cur.shape]);
          const [T, B] = cur.shape;
          const y = layer.forward(reshape(cur, [T * B, ...cur.shape.slice(2)]));
          cur = reshape(y, [T, B, ...y.shape.slice(1)]);
        }
        continue;
      }
      if (steps > 0) {
        cur = broadcastTo(reshape(cur, [1, ...cur.shape]), [steps, ...cur.shape]);
        steps = 0;
      }
      if (states && finals) {
        const r = layer.runFrom(cur, states[i]);
        if (options.recordSpikes && r.spikes) spikes.push({ layer: `${i}:${layer.kind}`, spikes: r.spikes });
        finals[i] = r.final;
        cur = r.output;
      } else if (options.recordSpikes) {
        const r = layer.forwardWithSpikes(cur);
        if (r.spikes) spikes.push({ layer: `${i}:${layer.kind}`, spikes: r.spikes });
        cur = r.output;
      } else {
        cur = layer.forward(cur);
      }
    }
    if (steps > 0) cur = broadcastTo(reshape(cur, [1, ...cur.shape]), [steps, ...cur.shape]);
    return finals ? { output: cur, spikes, finals } : { output: cur, spikes };
  }
}
