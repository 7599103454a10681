// The adaptive LIF neuron (threshold adaptation; Bellec et al. 2018, the LSNN's ALIF): a pure step with
// explicit state, the time loop over it, and the layer.
import type { ResetMode } from "../backend/kernel_codes.js";
import { checkedNumber, ShapeError, ValueError } from "../errors.js";
import { zeros } from "../tensor/creation.js";
import { add, mul, sub } from "../tensor/ops/elementwise.js";
import { detach, stack } from "../tensor/ops/shape_ops.js";
import type { Tensor } from "../tensor/tensor.js";
import { type NeuronRun, type NeuronState, SpikingNeuron, stepOf } from "./neuron.js";
import { builtinSurrogate, isCustomSurrogate, type NeuronSurrogate, spikeFunction } from "./spike_function.js";

/** Options of the adaptive LIF. */
export interface AlifOptions {
  /** Membrane leak per step β ∈ [0, 1] (default 0.95). */
  beta?: number;
  /** Baseline threshold θ > 0 (default 1). */
  threshold?: number;
  /** Decay of the adaptation per step ρ ∈ [0, 1) (default e^(−1/τₐ) with τₐ = 200 steps). Give rho or tauAdapt. */
  rho?: number;
  /** Adaptation time constant τₐ in steps (ρ = e^(−1/τₐ)). */
  tauAdapt?: number;
  /** Adaptation strength γ ≥ 0: the threshold is θ + γ·a (default 1.8, Bellec et al.'s β). */
  gamma?: number;
  /** Input gain g (default 1; Bellec et al. use 1 − β). */
  inputGain?: number;
  /** "subtract" (default: by the threshold of the step, A[t]) or "zero". */
  reset?: Exclude<ResetMode, "none">;
  /** Zero reset only: gain of the input in the step after a spike (default 0). */
  refractoryGain?: number;
  /** Treat the reset as a constant in the backward pass (default false). The adaptation keeps its gradient. */
  detachReset?: boolean;
  /** Surrogate of H′ (default fast_sigmoid). */
  surrogate?: NeuronSurrogate;
  /** H(0) (default 0). */
  h0?: number;
}

/** Validated ALIF parameters. */
export interface AlifParams {
  readonly beta: number;
  readonly threshold: number;
  readonly rho: number;
  readonly gamma: number;
  readonly inputGain: number;
  readonly reset: Exclude<ResetMode, "none">;
  readonly refractoryGain: number;
  readonly detachReset: boolean;
  readonly surrogate: NeuronSurrogate;
  readonly h0: number;
}

/** Checks ALIF options once; a ValueError names the option. */
export function alifParams(o: AlifOptions, where = "ALIF"): AlifParams {
  if (o.rho !== undefined && o.tauAdapt !== undefined) throw new ValueError(`${where}: rho/tauAdapt`, "either rho or tauAdapt, not both", [o.rho, o.tauAdapt]);
  const tauAdapt = checkedNumber(`${where}: tauAdapt`, o.tauAdapt ?? 200, (t) => t > 0 && t <= 1e9, "a number of steps in (0, 1e9]");
  const reset = o.reset ?? "subtract";
  if (reset !== "subtract" && reset !== "zero") throw new ValueError(`${where}: reset`, "subtract | zero", reset);
  const surrogate = o.surrogate ?? "fast_sigmoid";
  if (!isCustomSurrogate(surrogate)) builtinSurrogate(surrogate);
  return {
    beta: checkedNumber(`${where}: beta`, o.beta ?? 0.95, (b) => b >= 0 && b <= 1, "a number in [0, 1]"),
    threshold: checkedNumber(`${where}: threshold`, o.threshold ?? 1, (t) => t > 0 && t <= 1e9, "a number in (0, 1e9]"),
    rho: o.rho === undefined ? Math.exp(-1 / tauAdapt) : checkedNumber(`${where}: rho`, o.rho, (r) => r >= 0 && r < 1, "a number in [0, 1)"),
    gamma: checkedNumber(`${where}: gamma`, o.gamma ?? 1.8, (g) => g >= 0 && g <= 1e9, "a number in [0, 1e9]"),
    inputGain: checkedNumber(`${where}: inputGain`, o.inputGain ?? 1, Number.isFinite, "a finite number"),
    reset,
    refractoryGain: checkedNumber(`${where}: refractoryGain`, o.refractoryGain ?? 0, Number.isFinite, "a finite number"),
    detachReset: o.detachReset ?? false,
    surrogate,
    h0: checkedNumber(`${where}: h0`, o.h0 ?? 0, (h) => h >= 0 && h <= 1, "a number in [0, 1]"),
  };
}

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
  const prevThreshold = add(mul(state.adapt, p.gamma), p.threshold);
  const sPrev = spikeFunction(sub(state.mem, prevThreshold), p.surrogate, p.h0);
  const adapt = add(mul(state.adapt, p.rho), mul(sPrev, 1 - p.rho));
  const threshold = add(mul(adapt, p.gamma), p.threshold);
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

/** Runs alifStep over input [T, ...] from `state` (default: m = 0, a = 0). */
export function alif(input: Tensor, p: AlifParams, state: Partial<AlifState> | null = null): AlifResult {
  if (input.rank < 2 || input.shape[0] < 1) throw new ShapeError("ALIF", "input must be [T, ...] with T ≥ 1", [input.shape]);
  const stepShape = input.shape.slice(1);
  let s: AlifState = { mem: state?.mem ?? zeros(stepShape, { backend: input.backend }), adapt: state?.adapt ?? zeros(stepShape, { backend: input.backend }) };
  for (const [name, t] of Object.entries(s)) if (t.shape.join(",") !== stepShape.join(",")) throw new ShapeError("ALIF", `state.${name} must have one step's shape`, [t.shape, input.shape]);
  const spikes: Tensor[] = [];
  const membrane: Tensor[] = [];
  const threshold: Tensor[] = [];
  for (let t = 0; t < input.shape[0]; t++) {
    const r = alifStep(stepOf(input, t), s, p);
    spikes.push(r.spikes);
    membrane.push(r.membrane);
    threshold.push(r.threshold);
    s = r.state;
  }
  return { spikes: stack(spikes), membrane: stack(membrane), threshold: stack(threshold), final: s };
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
