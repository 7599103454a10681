// Second-order LIF: a synaptic current that decays with α feeds a LIF membrane (snnTorch's Synaptic).
import type { ResetMode } from "../backend/kernel_codes.js";
import type { Tensor } from "../tensor/tensor.js";
import { lif } from "./lif.js";
import { type LifOptions, type LifParams, lifParams } from "./lif_params.js";
import { checkedNumber } from "../errors.js";
import { zeros } from "../tensor/creation.js";
import { concat, reshape, slice } from "../tensor/ops/shape_ops.js";
import { LIF } from "./lif_module.js";
import type { NoiseOptions } from "./membrane_noise.js";
import { type NeuronRun, type NeuronState, SpikingNeuron, stepOf } from "./neuron.js";

/** Largest float32: a threshold the synaptic filter never reaches. */
const NEVER = 3.4028234663852886e38;

/** Options of the Synaptic layer: α for the current, and the LIF options for the membrane. */
export interface SynapticOptions extends Omit<LifOptions & NoiseOptions, "learnBeta" | "learnThreshold" | "size"> {
  /** Decay of the synaptic current per step α ∈ [0, 1] (default 0.9). */
  alpha?: number;
  /** Gain of the input into the current, g_s: syn[t] = α·syn[t−1] + g_s·I[t] (default 1). */
  currentGain?: number;
  /** The membrane integrates the current of the previous step (default: under the Norse convention only), as NIR's CubaLIF under forward Euler. */
  previousCurrent?: boolean;
}

/**
 * syn[t] = α·syn[t−1] + g_s·I[t]             (g_s: currentGain, default 1)
 * m[t]   = β·m[t−1] + g·syn[t] − θ·s[t−1]    (reset and input gain g as in LIF, and its `convention`)
 * s[t]   = H(m[t] − θ)
 * The current is a linear filter: the fused kernel with reset "none" and an unreachable threshold.
 * Under convention "norse" (Norse's LIF with a synaptic current) the membrane integrates the current
 * of the previous step: m[t] = β·m[t−1] + (1 − β)·syn[t−1], reset within the step; defaults α = 0.8,
 * β = 0.9 (dt = 1 ms, τ_syn = 5 ms, τ_mem = 10 ms). `previousCurrent` chooses that timing under any convention.
 */
export class Synaptic extends SpikingNeuron {
  override readonly kind: string = "Synaptic";
  readonly alpha: number;
  readonly membraneLayer: LIF;
  /** Gain of the input into the current. */
  readonly currentGain: number;
  /** The membrane takes the current of the step before. */
  readonly previousCurrent: boolean;
  /** The current's filter: a LIF recurrence without reset and with an unreachable threshold. */
  private readonly filter: LifParams;

  constructor(options: SynapticOptions = {}) {
    super();
    // A child module, so that train() and eval() reach a noisy membrane layer.
    this.membraneLayer = this.addModule("membrane", new LIF(options));
    const defaultAlpha = this.membraneLayer.rules.euler ? 0.8 : 0.9;
    this.alpha = checkedNumber("Synaptic: alpha", options.alpha ?? defaultAlpha, (a) => a >= 0 && a <= 1, "a number in [0, 1]");
    this.currentGain = checkedNumber("Synaptic: currentGain", options.currentGain ?? 1, Number.isFinite, "a finite number");
    this.previousCurrent = options.previousCurrent ?? this.membraneLayer.rules.euler;
    this.filter = lifParams({ beta: this.alpha, threshold: NEVER, reset: "none", surrogate: "straight_through", inputGain: this.currentGain }, "Synaptic");
  }

  get reset(): ResetMode {
    return this.membraneLayer.reset;
  }

  run(x: Tensor, initial: NeuronState | null = null): NeuronRun {
    const current = lif(x, this.filter, { mem: initial?.syn ?? null }).membrane;
    let drive = current;
    if (this.previousCurrent) {
      // Norse (and NIR's CubaLIF under Euler): the membrane sees the current of the previous step (the initial current at t = 0).
      const T = x.shape[0];
      const stepShape = x.shape.slice(1);
      const first = reshape(initial?.syn ?? zeros(stepShape), [1, ...stepShape]);
      drive = T === 1 ? first : concat([first, slice(current, x.shape.map(() => 0), [T - 1, ...stepShape.map(() => -1)])], 0);
    }
    const r = this.membraneLayer.run(drive, initial?.mem ? { mem: initial.mem, ...(initial.spk ? { spk: initial.spk } : {}) } : null);
    // A noisy membrane layer's state also carries its drawn spikes.
    return { spikes: r.spikes, membrane: r.membrane, final: { ...r.final, syn: stepOf(current, x.shape[0] - 1) } };
  }
}
