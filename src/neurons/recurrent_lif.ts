// LIF layer with all-to-all recurrent weights (snnTorch's RLeaky with a linear recurrence).
import { ShapeError } from "../errors.js";
import { add } from "../tensor/ops/elementwise.js";
import { matmul } from "../tensor/ops/matmul.js";
import { reshape, stack } from "../tensor/ops/shape_ops.js";
import type { Tensor } from "../tensor/tensor.js";
import { type InitOptions, initWeight, positiveInt } from "../nn/init.js";
import { lif } from "./lif.js";
import { LIF } from "./lif_module.js";
import type { LifOptions } from "./lif_params.js";
import type { NoiseOptions } from "./membrane_noise.js";
import { type NeuronRun, type NeuronState, SpikingNeuron, stepOf } from "./neuron.js";

/** Options of RecurrentLIF: LIF options plus the initialisation of the recurrent weights. */
export type RecurrentLIFOptions = Omit<LifOptions, "learnBeta" | "learnThreshold" | "size"> & InitOptions;

/**
 * m[t] = β·m[t−1] + I[t] + s[t−1]·V − θ·s[t−1],   s[t] = H(m[t] − θ)
 * over inputs [T, B, n] with learnable recurrent weights V [n, n]. The recurrence through V needs the
 * spikes of step t−1 before step t, so it runs step by step (the fused kernel with T = 1 per step).
 */
export class RecurrentLIF extends SpikingNeuron {
  override readonly kind: string = "RecurrentLIF";
  readonly recurrent: Tensor;
  private readonly cell: LIF;

  constructor(
    readonly size: number,
    options: RecurrentLIFOptions = {},
  ) {
    super();
    positiveInt("RecurrentLIF: size", size);
    // `rng` and `init` are the recurrent weights' (a LIF's rng would be its noise generator).
    const cell: LifOptions & NoiseOptions & InitOptions = { ...options };
    delete cell.rng;
    delete cell.init;
    this.cell = new LIF(cell);
    this.recurrent = this.addParameter("recurrent", initWeight([size, size], size, size, options));
  }

  run(x: Tensor, initial: NeuronState | null = null): NeuronRun {
    if (x.rank !== 3 || x.shape[2] !== this.size)
      throw new ShapeError("RecurrentLIF", `input must be [T, B, ${this.size}]`, [x.shape]);
    const [T, B] = x.shape;
    let mem = initial?.mem ?? null;
    let spk = initial?.spk ?? null;
    const spikes: Tensor[] = [];
    const membrane: Tensor[] = [];
    for (let t = 0; t < T; t++) {
      const xt = stepOf(x, t);
      const current = spk ? add(xt, matmul(spk, this.recurrent)) : xt;
      const r = lif(reshape(current, [1, B, this.size]), this.cell.params, { mem });
      mem = stepOf(r.membrane, 0);
      spk = stepOf(r.spikes, 0);
      spikes.push(spk);
      membrane.push(mem);
    }
    if (!mem || !spk) throw new ShapeError("RecurrentLIF", "needs at least one time step", [x.shape]);
    const out = { spikes: stack(spikes), membrane: stack(membrane), final: { mem, spk } };
    return out;
  }
}
