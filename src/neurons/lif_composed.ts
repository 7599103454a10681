// The LIF recurrence written step by step with differentiable ops: the path for learnable β and θ and
// for user-supplied surrogates, and an independent second implementation of the fused kernel.
import type { ResetMode } from "../backend/kernel_codes.js";
import { ShapeError } from "../errors.js";
import { sameShape } from "../tensor/shape.js";
import { zeros } from "../tensor/creation.js";
import { add, mul, sub } from "../tensor/ops/elementwise.js";
import { detach, reshape, slice, stack } from "../tensor/ops/shape_ops.js";
import type { Tensor } from "../tensor/tensor.js";
import { drawnSpikes, type NeuronSurrogate, spikeFunction } from "./spike_function.js";

/** Parameters of the composed LIF; β and θ may be tensors (learnable, broadcast against one step). */
export interface ComposedLifParams {
  beta: Tensor | number;
  threshold: Tensor | number;
  reset: ResetMode;
  detachReset: boolean;
  surrogate: NeuronSurrogate;
  h0: number;
  inputGain: number;
  refractoryGain: number;
  mem0: Tensor | null;
  /** s[−1] (null: H(m[−1] − θ)). */
  spk0: Tensor | null;
  /** A given s[−1] takes the gradient σ′(m[−1] − θ) (drawnSpikes) instead of being a constant. */
  spk0Surrogate?: boolean;
  /** Membrane noise ε [T, ...] (null: none). */
  noise: Tensor | null;
}

/**
 * Same recurrence as the fused `lif` op, one step at a time:
 *   m[t] = β·m[t−1] + g·I[t] − θ·s[t−1]  |  (β·m[t−1] + g·I[t])(1 − s[t−1]) + s[t−1]·g_r·I[t]  |  β·m[t−1] + g·I[t]
 *   s[t] = H(m[t] + ε[t] − θ)   (ε = 0 without noise; the backward pass takes σ′(m[t] − θ))
 * Gradients reach β and θ when they are tensors that require grad.
 */
export function lifComposed(x: Tensor, p: ComposedLifParams): { spikes: Tensor; membrane: Tensor } {
  if (x.rank < 2) throw new ShapeError("lif", "input must be [T, ...] with at least 2 dimensions", [x.shape]);
  const T = x.shape[0];
  const stepShape = x.shape.slice(1);
  const begin = x.shape.map(() => 0);
  const size = [1, ...stepShape.map(() => -1)];
  if (p.noise && !sameShape(p.noise.shape, x.shape)) throw new ShapeError("lif", "noise must have the shape of the input", [p.noise.shape, x.shape]);
  let m = p.mem0 ?? zeros(stepShape);
  let s = p.spk0 ? (p.spk0Surrogate ? drawnSpikes(p.spk0, sub(m, p.threshold), p.surrogate) : p.spk0) : spikeFunction(sub(m, p.threshold), p.surrogate, p.h0);
  const spikes: Tensor[] = [];
  const membrane: Tensor[] = [];
  for (let t = 0; t < T; t++) {
    begin[0] = t;
    const xt = reshape(slice(x, begin, size), stepShape);
    const h = add(mul(m, p.beta), mul(xt, p.inputGain));
    const sr = p.detachReset ? detach(s) : s;
    if (p.reset === "subtract") m = sub(h, mul(sr, p.threshold));
    else if (p.reset === "zero") m = add(mul(h, sub(1, sr)), mul(sr, mul(xt, p.refractoryGain)));
    else m = h;
    // With noise, the spike compares m + ε with θ (rounded as the fused kernel does) and the gradient is σ′(m − θ).
    const fired = p.noise ? sub(add(m, reshape(slice(p.noise, begin, size), stepShape)), p.threshold) : null;
    s = spikeFunction(sub(m, p.threshold), p.surrogate, p.h0, fired);
    spikes.push(s);
    membrane.push(m);
  }
  return { spikes: stack(spikes), membrane: stack(membrane) };
}
