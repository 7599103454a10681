// The adaptive LIF neuron (threshold adaptation; Bellec et al. 2018, the LSNN's ALIF): a pure step with
// explicit state, the time loop over it, and the layer.
import { ShapeError } from "../errors.js";
import { zeros } from "../tensor/creation.js";
import { add, mul, sub } from "../tensor/ops/elementwise.js";
import { detach } from "../tensor/ops/shape_ops.js";
import type { Tensor } from "../tensor/tensor.js";
import { alifFused } from "./alif_op.js";
import { type AlifOptions, type AlifParams, alifParams } from "./alif_params.js";
import { type NeuronRun, type NeuronState, SpikingNeuron, stepOf } from "./neuron.js";
import { isCustomSurrogate, spikeFunction } from "./spike_function.js";
import { timeLoop } from "./time_loop.js";

/** The state of ALIF neurons between steps: the membrane m and the adaptation a (one step's shape each). */
export interface AlifState {
  mem: Tensor;
  adapt: Tensor;
}

/** One step's spikes, membrane, threshold and the state to continue from. */
export interface AlifStep {
  spikes: Tensor;
  membrane: Tensor;
  /** The threshold of the step A[t] = θ + γ·a[t]. */
  threshold: Tensor;
  state: AlifState;
}

/**
 * One step of the adaptive LIF from state (m[t−1], a[t−1]), with s[t−1] = H(m[t−1] − A[t−1]):
 *   a[t] = ρ·a[t−1] + (1 − ρ)·s[t−1]
 *   A[t] = θ + γ·a[t]
 *   m[t] = β·m[t−1] + g·I[t] − A[t]·s[t−1]                               (subtract)
 *   m[t] = (β·m[t−1] + g·I[t])·(1 − s[t−1]) + s[t−1]·g_r·I[t]             (zero)
 *   s[t] = H(m[t] − A[t])
 * differentiable in every tensor (the surrogate σ′(m − A) for H′; the reset term constant with detachReset).
 */
export function alifStep(input: Tensor, state: AlifState, p: AlifParams): AlifStep {
  const prevThreshold = thresholdOf(state.adapt, p);
  const sPrev = spikeFunction(sub(state.mem, prevThreshold), p.surrogate, p.h0);
  const adapt = add(mul(state.adapt, p.rho), mul(sPrev, 1 - p.rho));
  const threshold = thresholdOf(adapt, p);
  const sReset = p.detachReset ? detach(sPrev) : sPrev;
  const h = add(mul(state.mem, p.beta), mul(input, p.inputGain));
  const mem = p.reset === "subtract" ? sub(h, mul(threshold, sReset)) : add(mul(h, sub(1, sReset)), mul(sReset, mul(input, p.refractoryGain)));
  const spikes = spikeFunction(sub(mem, threshold), p.surrogate, p.h0);
  return { spikes, membrane: mem, threshold, state: { mem, adapt } };
}

/** Spikes, membranes and thresholds of every step ([T, ...]) and the state after the last. */
export interface AlifResult {
  spikes: Tensor;
  membrane: Tensor;
  threshold: Tensor;
  final: AlifState;
}

/** Runs alifStep step by step over input [T, ...] from `state` (default: m = 0, a = 0): the path for user surrogates, and a second implementation of the fused kernel. */
export function alifComposed(input: Tensor, p: AlifParams, state: Partial<AlifState> | null = null): AlifResult {
  const zero = () => zeros(input.shape.slice(1), { backend: input.backend });
  const r = timeLoop("ALIF", input, { mem: state?.mem ?? zero(), adapt: state?.adapt ?? zero() }, (x, s) => alifStep(x, s, p), ["adapt"]);
  return { spikes: r.spikes, membrane: r.membrane, threshold: thresholdOf(r.traces.adapt!, p), final: r.final };
}

/** The thresholds A = θ + γ·a of adaptations a. */
function thresholdOf(adapt: Tensor, p: AlifParams): Tensor {
  return add(mul(adapt, p.gamma), p.threshold);
}

/**
 * The ALIF recurrence (alifStep's equations) over input [T, ...] from `state` (default: m = 0, a = 0):
 * the fused kernel for a built-in surrogate, else the composed path. The thresholds are A = θ + γ·a.
 */
export function alif(input: Tensor, p: AlifParams, state: Partial<AlifState> | null = null): AlifResult {
  if (isCustomSurrogate(p.surrogate)) return alifComposed(input, p, state);
  if (input.rank < 2 || input.shape[0] < 1) throw new ShapeError("ALIF", "input must be [T, ...] with T ≥ 1", [input.shape]);
  const r = alifFused(input, p, state?.mem ?? null, state?.adapt ?? null);
  const last = input.shape[0] - 1;
  return { spikes: r.spikes, membrane: r.membrane, threshold: thresholdOf(r.adapt, p), final: { mem: stepOf(r.membrane, last), adapt: stepOf(r.adapt, last) } };
}

/**
 * A layer of adaptive LIF neurons (alifStep): a LIF whose threshold rises by γ·(1 − ρ) with each spike
 * and relaxes back to θ with time constant τₐ, so the neuron adapts its rate (Bellec et al. 2018).
 * State { mem, adapt }. Norse's LSNN and snnTorch's Leaky with a learnable threshold are compared in
 * docs/neurons.md.
 */
export class ALIF extends SpikingNeuron {
  override readonly kind: string = "ALIF";
  readonly params: AlifParams;

  constructor(options: AlifOptions = {}) {
    super();
    this.params = alifParams(options);
  }

  run(x: Tensor, initial: NeuronState | null = null): NeuronRun {
    const r = alif(x, this.params, initial ? { mem: initial.mem, adapt: initial.adapt } : null);
    return { spikes: r.spikes, membrane: r.membrane, final: { mem: r.final.mem, adapt: r.final.adapt } };
  }
}
