// The alpha neuron (snnTorch's Alpha): an excitatory and an inhibitory synaptic current whose sum drives
// the membrane, so that one input spike gives a difference-of-exponentials potential. Pure step, time
// loop and layer.
import type { ResetMode } from "../backend/kernel_codes.js";
import { checkedNumber, ShapeError, ValueError } from "../errors.js";
import { zeros } from "../tensor/creation.js";
import { add, mul, sub } from "../tensor/ops/elementwise.js";
import { detach, stack } from "../tensor/ops/shape_ops.js";
import type { Tensor } from "../tensor/tensor.js";
import { type NeuronRun, type NeuronState, SpikingNeuron, stepOf } from "./neuron.js";
import { builtinSurrogate, isCustomSurrogate, type NeuronSurrogate, spikeFunction } from "./spike_function.js";

/** Options of the alpha neuron. */
export interface AlphaOptions {
  /** Decay of the excitatory current per step α ∈ (0, 1), α > β (default 0.9). */
  alpha?: number;
  /** Decay of the inhibitory current per step β ∈ (0, 1) (default 0.8). */
  beta?: number;
  /** Threshold θ > 0 (default 1). */
  threshold?: number;
  /** "subtract" (default) or "zero", as snnTorch's Alpha resets. */
  reset?: Exclude<ResetMode, "none">;
  /** Treat the reset as a constant in the backward pass (default true: snnTorch detaches its reset signal). */
  detachReset?: boolean;
  /** Surrogate of H′ (default fast_sigmoid). */
  surrogate?: NeuronSurrogate;
}

/** Validated parameters, with τ_α = ln α / (ln β − ln α) + 1. */
export interface AlphaParams {
  readonly alpha: number;
  readonly beta: number;
  readonly tauAlpha: number;
  readonly threshold: number;
  readonly reset: Exclude<ResetMode, "none">;
  readonly detachReset: boolean;
  readonly surrogate: NeuronSurrogate;
}

/** Checks alpha-neuron options once; a ValueError names the option. */
export function alphaParams(o: AlphaOptions, where = "Alpha"): AlphaParams {
  const alpha = checkedNumber(`${where}: alpha`, o.alpha ?? 0.9, (a) => a > 0 && a < 1, "a number in (0, 1)");
  const beta = checkedNumber(`${where}: beta`, o.beta ?? 0.8, (b) => b > 0 && b < 1, "a number in (0, 1)");
  if (!(alpha > beta)) throw new ValueError(`${where}: alpha/beta`, "alpha > beta (the excitatory current outlasts the inhibitory one)", [alpha, beta]);
  const reset = o.reset ?? "subtract";
  if (reset !== "subtract" && reset !== "zero") throw new ValueError(`${where}: reset`, "subtract | zero", reset);
  const surrogate = o.surrogate ?? "fast_sigmoid";
  if (!isCustomSurrogate(surrogate)) builtinSurrogate(surrogate);
  return {
    alpha,
    beta,
    tauAlpha: Math.log(alpha) / (Math.log(beta) - Math.log(alpha)) + 1,
    threshold: checkedNumber(`${where}: threshold`, o.threshold ?? 1, (t) => t > 0 && t <= 1e9, "a number in (0, 1e9]"),
    reset,
    detachReset: o.detachReset ?? true,
    surrogate,
  };
}

/** The state between steps: the excitatory and inhibitory currents and the membrane. */
export interface AlphaState {
  exc: Tensor;
  inh: Tensor;
  mem: Tensor;
}

/**
 * One step of snnTorch's Alpha from (e, h, m) = state, with the reset r = H(m − θ) of the last membrane:
 *   e′ = α·e + I,   h′ = β·h − I,   m′ = τ_α·(e′ + h′)
 *   subtract:  e ← e′ − r·θ,   h ← (1 − r)·h′,   m ← m′ + r·h
 *   zero:      e ← (1 − r)·e′, h ← (1 − r)·h′,   m ← (1 − r)·m′
 *   s = H(m − θ)
 * Without reset, one unit input at step 0 gives m[k] = τ_α·(α^k − β^k).
 */
export function alphaStep(input: Tensor, state: AlphaState, p: AlphaParams): { spikes: Tensor; membrane: Tensor; state: AlphaState } {
  const r0 = spikeFunction(sub(state.mem, p.threshold), p.surrogate);
  const r = p.detachReset ? detach(r0) : r0;
  const e1 = add(mul(state.exc, p.alpha), input);
  const h1 = sub(mul(state.inh, p.beta), input);
  const m1 = mul(add(e1, h1), p.tauAlpha);
  const keep = sub(1, r);
  let exc: Tensor;
  let mem: Tensor;
  if (p.reset === "subtract") {
    exc = sub(e1, mul(r, p.threshold));
    mem = add(m1, mul(r, state.inh));
  } else {
    exc = mul(e1, keep);
    mem = mul(m1, keep);
  }
  const inh = mul(h1, keep);
  return { spikes: spikeFunction(sub(mem, p.threshold), p.surrogate), membrane: mem, state: { exc, inh, mem } };
}

/** Runs alphaStep over input [T, ...] from `state` (default all zero). */
export function alphaNeuron(input: Tensor, p: AlphaParams, state: Partial<AlphaState> | null = null): { spikes: Tensor; membrane: Tensor; final: AlphaState } {
  if (input.rank < 2 || input.shape[0] < 1) throw new ShapeError("Alpha", "input must be [T, ...] with T ≥ 1", [input.shape]);
  const stepShape = input.shape.slice(1);
  const zero = () => zeros(stepShape, { backend: input.backend });
  let s: AlphaState = { exc: state?.exc ?? zero(), inh: state?.inh ?? zero(), mem: state?.mem ?? zero() };
  for (const [name, t] of Object.entries(s)) if (t.shape.join(",") !== stepShape.join(",")) throw new ShapeError("Alpha", `state.${name} must have one step's shape`, [t.shape, input.shape]);
  const spikes: Tensor[] = [];
  const membrane: Tensor[] = [];
  for (let t = 0; t < input.shape[0]; t++) {
    const r = alphaStep(stepOf(input, t), s, p);
    spikes.push(r.spikes);
    membrane.push(r.membrane);
    s = r.state;
  }
  return { spikes: stack(spikes), membrane: stack(membrane), final: s };
}

/** A layer of alpha neurons (alphaStep, snnTorch's Alpha); state { exc, inh, mem }. */
export class Alpha extends SpikingNeuron {
  override readonly kind: string = "Alpha";
  readonly params: AlphaParams;

  constructor(options: AlphaOptions = {}) {
    super();
    this.params = alphaParams(options);
  }

  run(x: Tensor, initial: NeuronState | null = null): NeuronRun {
    const r = alphaNeuron(x, this.params, initial ? { exc: initial.exc, inh: initial.inh, mem: initial.mem } : null);
    return { spikes: r.spikes, membrane: r.membrane, final: { ...r.final } };
  }
}
