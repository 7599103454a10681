// Any neuron layer with a feedback connection from its own spikes (a recurrent subgraph of NIR: neurons,
// and an Affine or Linear node from their output back to their input).
import { ShapeError } from "../errors.js";
import type { Linear } from "../nn/linear.js";
import { add } from "../tensor/ops/elementwise.js";
import { stack } from "../tensor/ops/shape_ops.js";
import type { Tensor } from "../tensor/tensor.js";
import { type NeuronRun, type NeuronState, SpikingNeuron, stepOf } from "./neuron.js";

/**
 * I′[t] = I[t] + f(s[t−1])  (nothing at t = 0),  then the cell steps on I′:  s[t], m[t] = cell(I′[t])
 * with f the feedback layer (y = s·W + b). Runs step by step, since the feedback needs the spikes of the
 * step before. The state is the cell's, with the last spikes as `feedback`.
 */
export class Recurrent extends SpikingNeuron {
  override readonly kind: string = "Recurrent";

  constructor(
    readonly cell: SpikingNeuron,
    readonly feedback: Linear,
  ) {
    super();
    if (feedback.inFeatures !== feedback.outFeatures) throw new ShapeError("Recurrent", "a square feedback layer (n → n)", [[feedback.inFeatures, feedback.outFeatures]]);
    this.addModule("cell", cell);
    this.addModule("feedback", feedback);
  }

  run(x: Tensor, initial: NeuronState | null = null): NeuronRun {
    const n = this.feedback.inFeatures;
    if (x.rank !== 3 || x.shape[2] !== n) throw new ShapeError("Recurrent", `input must be [T, B, ${n}]`, [x.shape]);
    const T = x.shape[0];
    let state: NeuronState | null = null;
    let spikes: Tensor | null = initial?.feedback ?? null;
    if (initial) state = Object.fromEntries(Object.entries(initial).filter(([name]) => name !== "feedback"));
    const allSpikes: Tensor[] = [];
    const membrane: Tensor[] = [];
    for (let t = 0; t < T; t++) {
      const xt = stepOf(x, t);
      const r = this.cell.step(spikes ? add(xt, this.feedback.forward(spikes)) : xt, state);
      state = r.state;
      spikes = r.spikes;
      allSpikes.push(r.spikes);
      membrane.push(r.membrane);
    }
    if (T === 0 || !spikes || !state) throw new ShapeError("Recurrent", "at least one time step", [x.shape]);
    return { spikes: stack(allSpikes), membrane: stack(membrane), final: { ...state, feedback: spikes } };
  }
}
