// The alpha neuron (snnTorch's Alpha): an excitatory and an inhibitory synaptic current whose sum drives
// the membrane, so that one input spike gives a difference-of-exponentials potential. Pure step, time
// loop and layer.
import { ShapeError } from "../errors.js";
import { zeros } from "../tensor/creation.js";
import { add, mul, sub } from "../tensor/ops/elementwise.js";
import { detach } from "../tensor/ops/shape_ops.js";
import type { Tensor } from "../tensor/tensor.js";
import { alphaFused } from "./alpha_op.js";
import { type AlphaOptions, type AlphaParams, alphaParams } from "./alpha_params.js";
import { type NeuronRun, type NeuronState, SpikingNeuron, stepOf } from "./neuron.js";
import { isCustomSurrogate, spikeFunction } from "./spike_function.js";
import { timeLoop } from "./time_loop.js";

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

/** Runs alphaStep step by step over input [T, ...] from `state` (default all zero): the path for user surrogates, and a second implementation of the fused kernel. */
export function alphaComposed(input: Tensor, p: AlphaParams, state: Partial<AlphaState> | null = null): { spikes: Tensor; membrane: Tensor; final: AlphaState } {
  const zero = () => zeros(input.shape.slice(1), { backend: input.backend });
  return timeLoop("Alpha", input, { exc: state?.exc ?? zero(), inh: state?.inh ?? zero(), mem: state?.mem ?? zero() }, (x, s) => alphaStep(x, s, p));
}

/** snnTorch's Alpha over input [T, ...] from `state` (default all zero): the fused kernel for a built-in surrogate, else the composed path. */
export function alphaNeuron(input: Tensor, p: AlphaParams, state: Partial<AlphaState> | null = null): { spikes: Tensor; membrane: Tensor; final: AlphaState } {
  if (isCustomSurrogate(p.surrogate)) return alphaComposed(input, p, state);
  if (input.rank < 2 || input.shape[0] < 1) throw new ShapeError("Alpha", "input must be [T, ...] with T ≥ 1", [input.shape]);
  const r = alphaFused(input, p, { exc: state?.exc ?? null, inh: state?.inh ?? null, mem: state?.mem ?? null });
  const last = input.shape[0] - 1;
  return { spikes: r.spikes, membrane: r.mem, final: { exc: stepOf(r.exc, last), inh: stepOf(r.inh, last), mem: stepOf(r.mem, last) } };
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
