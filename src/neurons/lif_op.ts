// The fused multi-step LIF op: one kernel call runs all T steps forward, one runs BPTT backward.
import type { LifKernelParams } from "../backend/kernels/lif.js";
import { ShapeError, ValueError } from "../errors.js";
import { allocTensor, backendOf, expectDType, record } from "../tensor/op_util.js";
import { sameShape } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import type { LifParams } from "./lif_params.js";
import { isCustomSurrogate } from "./spike_function.js";

/** Spikes and membrane potentials of every step, both [T, ...]. */
export type LifResult = {
  spikes: Tensor;
  membrane: Tensor;
};

/**
 * The fused kernel of the LIF recurrence over T steps (snnTorch's Leaky convention):
 *   m[t] = β·m[t−1] + g·I[t] − θ·s[t−1]   (subtract; none: without the reset term)
 *   m[t] = (β·m[t−1] + g·I[t])·(1 − s[t−1]) + s[t−1]·g_r·I[t]   (zero)
 *   s[t] = H(m[t] − θ)
 * input: currents [T, ...]. Gradients flow to the input and to mem0 through the recurrence (BPTT), with
 * the surrogate σ′(m − θ) in place of H′. `lif` (lif.ts) validates the parameters and calls this for a
 * built-in surrogate and constant β and θ.
 */
export function lifFused(input: Tensor, p: LifParams, mem0: Tensor | null): LifResult {
  expectDType("lif", "float32", input);
  if (input.rank < 2)
    throw new ShapeError("lif", "input must be [T, ...] with at least 2 dimensions", [input.shape]);
  const surrogate = p.surrogate;
  if (isCustomSurrogate(surrogate)) throw new ValueError("lif: surrogate", "a built-in surrogate for the fused kernel", "a user pair");
  const T = input.shape[0];
  const P = input.size / Math.max(T, 1);
  const params: LifKernelParams = {
    T,
    P,
    beta: p.beta,
    threshold: p.threshold,
    reset: p.reset,
    h0: p.h0,
    inputGain: p.inputGain,
    refractoryGain: p.refractoryGain,
    detachReset: p.detachReset,
    surrogate: surrogate.name,
    surrogateParam: surrogate.param,
  };
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
