// The fused multi-step LIF op: one kernel call runs all T steps forward, one runs BPTT backward.
import type { LifKernelParams } from "../backend/backend.js";
import type { ResetMode } from "../backend/kernel_codes.js";
import { ResetCode } from "../backend/kernel_codes.js";
import { checkedNumber, ShapeError, ValueError } from "../errors.js";
import { resolveSurrogate } from "../surrogate/surrogate.js";
import { allocTensor, backendOf, expectDType, record } from "../tensor/op_util.js";
import { sameShape } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";

/** Options of the fused LIF op. */
export interface LifOptions {
  /** Leak factor per step β ∈ [0, 1] (default 0.95). */
  beta?: number;
  /** Firing threshold θ > 0 (default 1). */
  threshold?: number;
  /** Reset after a spike: "subtract" θ (default), "zero", or "none". */
  reset?: ResetMode;
  /** Treat the reset term as a constant in the backward pass (default false). */
  detachReset?: boolean;
  /** Surrogate derivative name (default "fast_sigmoid") and parameter (default per surrogate). */
  surrogate?: string;
  surrogateParam?: number;
  /** Value of the Heaviside step at exactly the threshold (default 0; the coarse-scale LIF uses 0.5). */
  h0?: number;
  /** Input gain g: the membrane adds g·I[t] (default 1). */
  inputGain?: number;
  /**
   * Zero reset only: gain g_r of the input in the step after a spike (default 0, a plain reset to zero).
   * With β = a, g = b, g_r = c this is the coarse-scale LIF: v′ = (1 − s)(a·v + b·x) + s·c·x.
   */
  refractoryGain?: number;
  /** Initial membrane, shape of one step (input.shape without T). Default zeros. */
  mem0?: Tensor | null;
}

/** Spikes and membrane potentials of every step, both [T, ...]. */
export type LifResult = {
  spikes: Tensor;
  membrane: Tensor;
};

/**
 * Runs a layer of LIF neurons over T steps (snnTorch's Leaky convention):
 *   m[t] = β·m[t−1] + g·I[t] − θ·s[t−1]   (subtract; none: without the reset term)
 *   m[t] = (β·m[t−1] + g·I[t])·(1 − s[t−1]) + s[t−1]·g_r·I[t]   (zero)
 *   s[t] = H(m[t] − θ)
 * input: currents [T, ...]. Gradients flow to the input and to mem0 through the recurrence (BPTT), with
 * the surrogate σ′(m − θ) in place of H′.
 */
export function lif(input: Tensor, options: LifOptions = {}): LifResult {
  expectDType("lif", "float32", input);
  if (input.rank < 2)
    throw new ShapeError("lif", "input must be [T, ...] with at least 2 dimensions", [input.shape]);
  const reset = options.reset ?? "subtract";
  if (!Object.hasOwn(ResetCode, reset))
    throw new ValueError("lif: reset", `"subtract", "zero" or "none"`, reset);
  const surrogate = resolveSurrogate(options.surrogate ?? "fast_sigmoid", options.surrogateParam);
  const T = input.shape[0];
  const P = input.size / Math.max(T, 1);
  const params: LifKernelParams = {
    T,
    P,
    beta: checkedNumber("lif: beta", options.beta ?? 0.95, (b) => b >= 0 && b <= 1, "a number in [0, 1]"),
    threshold: checkedNumber("lif: threshold", options.threshold ?? 1, (t) => t > 0, "a number > 0"),
    reset,
    h0: checkedNumber("lif: h0", options.h0 ?? 0, (h) => h >= 0 && h <= 1, "a number in [0, 1]"),
    inputGain: checkedNumber("lif: inputGain", options.inputGain ?? 1, () => true, "a finite number"),
    refractoryGain: checkedNumber("lif: refractoryGain", options.refractoryGain ?? 0, () => true, "a finite number"),
    detachReset: options.detachReset ?? false,
    surrogate: surrogate.name,
    surrogateParam: surrogate.param,
  };
  const mem0 = options.mem0 ?? null;
  if (mem0) {
    expectDType("lif", "float32", mem0);
    if (!sameShape(mem0.shape, input.shape.slice(1))) {
      throw new ShapeError("lif", "mem0 must have the shape of one step of the input", [
        mem0.shape,
        input.shape,
      ]);
    }
  }
  const backend = mem0 ? backendOf("lif", input, mem0) : backendOf("lif", input);
  const membrane = allocTensor(input.shape, "float32", backend);
  const spikes = allocTensor(input.shape, "float32", backend);
  backend.lifForward(input.storage, mem0?.storage ?? null, membrane.storage, spikes.storage, params);
  const inputs = mem0 ? [input, mem0] : [input];
  // The backward pass is linear in the upstream gradients, so each output gets its own node.
  const grads = (gSpk: Tensor | null, gMem: Tensor | null): (Tensor | null)[] => {
    const dInput = allocTensor(input.shape, "float32", backend);
    const dMem0 = mem0?.requiresGrad ? allocTensor(mem0.shape, "float32", backend) : null;
    backend.lifBackward(
      input.storage,
      mem0?.storage ?? null,
      membrane.storage,
      spikes.storage,
      gSpk?.storage ?? null,
      gMem?.storage ?? null,
      dInput.storage,
      dMem0?.storage ?? null,
      params,
    );
    return mem0 ? [dInput, dMem0] : [dInput];
  };
  record(spikes, "lif.spikes", inputs, (g) => grads(g, null));
  record(membrane, "lif.membrane", inputs, (g) => grads(null, g));
  return { spikes, membrane };
}
