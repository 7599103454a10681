// Base class of spiking neuron layers: multi-step over [T, B, ...] and single-step with explicit state.
import { type LayerRun, type LayerState, Module, type TimeMode } from "../nn/module.js";
import { reshape, slice } from "../tensor/ops/shape_ops.js";
import type { Tensor } from "../tensor/tensor.js";

/** The state a neuron layer carries from one step to the next (e.g. { mem }, or { syn, mem }). */
export type NeuronState = LayerState;

/** Spikes and membrane of every step ([T, B, ...]) and the state after the last step. */
export type NeuronRun = {
  spikes: Tensor;
  membrane: Tensor;
  final: NeuronState;
};

/** One step: spikes and membrane [B, ...] and the state to pass to the next step. */
export type NeuronStep = {
  spikes: Tensor;
  membrane: Tensor;
  state: NeuronState;
};

/** What a neuron layer returns from forward(): its spikes (default) or its membrane potential. */
export type NeuronOutput = "spikes" | "membrane";

/** Step t of a [T, ...] tensor, as a [...] view. */
export function stepOf(x: Tensor, t: number): Tensor {
  const begin = x.shape.map((_, i) => (i === 0 ? t : 0));
  const size = x.shape.map((d, i) => (i === 0 ? 1 : d));
  return reshape(slice(x, begin, size), x.shape.slice(1));
}

/**
 * A layer of spiking neurons. `run` takes currents [T, B, ...] (and optionally the state to start from);
 * `step` advances one time step for streaming use; `forward` returns spikes (or membrane, see `output`).
 */
export abstract class SpikingNeuron extends Module {
  override readonly time: TimeMode = "temporal";
  /** What forward() returns. */
  output: NeuronOutput = "spikes";

  /** Runs all T steps of x [T, B, ...] from `initial` (default: the resting state). */
  abstract run(x: Tensor, initial?: NeuronState | null): NeuronRun;

  forward(x: Tensor): Tensor {
    return this.forwardWithSpikes(x).output;
  }

  /** The output (spikes or membrane, see `output`) and the spikes. */
  override forwardWithSpikes(x: Tensor): { output: Tensor; spikes: Tensor } {
    const r = this.runFrom(x, null);
    return { output: r.output, spikes: r.spikes };
  }

  /** run() from `state`, with the output chosen by `output`. */
  override runFrom(x: Tensor, state: NeuronState | null): LayerRun & { spikes: Tensor } {
    const r = this.run(x, state);
    return { output: this.output === "membrane" ? r.membrane : r.spikes, spikes: r.spikes, final: r.final };
  }

  /** One step of input x [B, ...] from `state` (null: resting); equals run() over a sequence of such steps. */
  step(x: Tensor, state: NeuronState | null = null): NeuronStep {
    const r = this.run(reshape(x, [1, ...x.shape]), state);
    return { spikes: stepOf(r.spikes, 0), membrane: stepOf(r.membrane, 0), state: r.final };
  }
}
