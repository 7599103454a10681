// The fused multi-step LIF op: one kernel call runs all T steps forward, one runs BPTT backward.
import type { LifKernelParams, LifStart } from "../backend/kernels/lif.js";
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

/** The start of a LIF recurrence (tensors of one step's shape) and the membrane noise ([T, ...], constant). */
export interface LifFusedStart {
  mem0: Tensor | null;
  /** s[−1] (default H(m[−1] − θ)); a constant for the backward pass unless spk0Surrogate. */
  spk0: Tensor | null;
  /** A given s[−1] takes the gradient σ′(m[−1] − θ), as if computed (a noisy layer's drawn spikes carried on). */
  spk0Surrogate?: boolean;
  noise: Tensor | null;
}

/**
 * The fused kernel of the LIF recurrence over T steps (snnTorch's Leaky convention):
 *   m[t] = β·m[t−1] + g·I[t] − θ·s[t−1]   (subtract; none: without the reset term)
 *   m[t] = (β·m[t−1] + g·I[t])·(1 − s[t−1]) + s[t−1]·g_r·I[t]   (zero)
 *   s[t] = H(m[t] + ε[t] − θ)   (ε: the membrane noise, 0 when none)
 * input: currents [T, ...]. Gradients flow to the input and to mem0 through the recurrence (BPTT), with
 * the surrogate σ′(m − θ) in place of H′. `lif` (lif.ts) validates the parameters and calls this for a
 * built-in surrogate and constant β and θ.
 */
export function lifFused(input: Tensor, p: LifParams, start: LifFusedStart): LifResult {
  const { mem0, spk0, noise } = start;
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
    spk0Surrogate: start.spk0Surrogate ?? false,
  };
  for (const [name, t, shape] of [["mem0", mem0, input.shape.slice(1)], ["spk0", spk0, input.shape.slice(1)], ["noise", noise, input.shape]] as const) {
    if (!t) continue;
    expectDType("lif", "float32", t);
    if (!sameShape(t.shape, shape))
      throw new ShapeError("lif", `${name} must have the shape ${name === "noise" ? "of the input" : "of one step of the input"}`, [t.shape, input.shape]);
  }
  const given = [mem0, spk0, noise].filter((t): t is Tensor => t !== null);
  const backend = backendOf("lif", input, ...given);
  const kernelStart: LifStart = { mem0: mem0?.storage ?? null, spk0: spk0?.storage ?? null, noise: noise?.storage ?? null };
  const membrane = allocTensor(input.shape, "float32", backend);
  const spikes = allocTensor(input.shape, "float32", backend);
  backend.lifForward(input.storage, kernelStart, membrane.storage, spikes.storage, params);
  const inputs = mem0 ? [input, mem0] : [input];
  // The backward pass is linear in the upstream gradients, so each output gets its own node.
  const grads = (gSpk: Tensor | null, gMem: Tensor | null): (Tensor | null)[] => {
    const dInput = allocTensor(input.shape, "float32", backend);
    const dMem0 = mem0?.requiresGrad ? allocTensor(mem0.shape, "float32", backend) : null;
    backend.lifBackward(
      input.storage,
      kernelStart,
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
