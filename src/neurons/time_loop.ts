// The one time loop of the neuron models written as a step function (ALIF, Alpha, Izhikevich): their
// composed path runs it, as Norse runs its functional steps.
import { ShapeError } from "../errors.js";
import { stack } from "../tensor/ops/shape_ops.js";
import type { Tensor } from "../tensor/tensor.js";
import { type NeuronState, stepOf } from "./neuron.js";

/** What one step of a model returns: its spikes and membrane [...], and the state for the next step. */
export interface ModelStep<S extends NeuronState> {
  spikes: Tensor;
  membrane: Tensor;
  state: S;
}

/** Every step's spikes and membrane [T, ...], the state after the last step, and the traced state variables [T, ...]. */
export interface ModelRun<S extends NeuronState> {
  spikes: Tensor;
  membrane: Tensor;
  final: S;
  traces: { [K in keyof S]?: Tensor };
}

/**
 * Runs `step` over input [T, ...] (T ≥ 1) from `state`, whose variables have one step's shape; stacks
 * the spikes, the membranes and the state variables named in `traced`. A ShapeError names the model.
 */
export function timeLoop<S extends NeuronState>(model: string, input: Tensor, state: S, step: (x: Tensor, s: S) => ModelStep<S>, traced: readonly (keyof S & string)[] = []): ModelRun<S> {
  if (input.rank < 2 || input.shape[0] < 1) throw new ShapeError(model, "input must be [T, ...] with T ≥ 1", [input.shape]);
  const stepShape = input.shape.slice(1).join(",");
  for (const [name, t] of Object.entries(state)) if (t.shape.join(",") !== stepShape) throw new ShapeError(model, `state.${name} must have one step's shape`, [t.shape, input.shape]);
  const spikes: Tensor[] = [];
  const membrane: Tensor[] = [];
  const traces = traced.map(() => [] as Tensor[]);
  let s = state;
  for (let t = 0; t < input.shape[0]; t++) {
    const r = step(stepOf(input, t), s);
    spikes.push(r.spikes);
    membrane.push(r.membrane);
    traced.forEach((name, k) => traces[k].push(r.state[name]));
    s = r.state;
  }
  return { spikes: stack(spikes), membrane: stack(membrane), final: s, traces: Object.fromEntries(traced.map((name, k) => [name, stack(traces[k])])) as ModelRun<S>["traces"] };
}
