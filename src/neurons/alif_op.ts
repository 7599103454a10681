// The fused multi-step ALIF op: one kernel call runs all T steps forward, one runs BPTT backward.
import type { AlifKernelParams } from "../backend/kernels/alif.js";
import { ShapeError, ValueError } from "../errors.js";
import { allocTensor, backendOf, expectDType, record } from "../tensor/op_util.js";
import { sameShape } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import type { AlifParams } from "./alif_params.js";
import { builtinSurrogate, isCustomSurrogate } from "./spike_function.js";

/** Spikes, membranes and adaptations of every step, all [T, ...]. */
export interface AlifFusedResult {
  spikes: Tensor;
  membrane: Tensor;
  adapt: Tensor;
}

/**
 * The fused kernel of the ALIF recurrence (alifStep's equations) over input [T, ...] from m[−1] and
 * a[−1] (null: zeros). Gradients reach the input and the starting state through all T steps, with the
 * surrogate σ′(m − A) for H′; a built-in surrogate only (a user pair takes the composed path).
 */
export function alifFused(input: Tensor, p: AlifParams, mem0: Tensor | null, adapt0: Tensor | null): AlifFusedResult {
  expectDType("alif", "float32", input);
  if (input.rank < 2) throw new ShapeError("alif", "input must be [T, ...] with at least 2 dimensions", [input.shape]);
  if (isCustomSurrogate(p.surrogate)) throw new ValueError("alif: surrogate", "a built-in surrogate for the fused kernel", "a user pair");
  const surrogate = builtinSurrogate(p.surrogate);
  const stepShape = input.shape.slice(1);
  for (const [name, t] of [["mem0", mem0], ["adapt0", adapt0]] as const) {
    if (!t) continue;
    expectDType("alif", "float32", t);
    if (!sameShape(t.shape, stepShape)) throw new ShapeError("alif", `${name} must have one step's shape`, [t.shape, input.shape]);
  }
  const T = input.shape[0];
  const params: AlifKernelParams = {
    T,
    P: input.size / Math.max(T, 1),
    beta: p.beta,
    threshold: p.threshold,
    rho: p.rho,
    gamma: p.gamma,
    inputGain: p.inputGain,
    reset: p.reset,
    refractoryGain: p.refractoryGain,
    h0: p.h0,
    detachReset: p.detachReset,
    surrogate: surrogate.name,
    surrogateParam: surrogate.param,
  };
  const starts = [mem0, adapt0].filter((t): t is Tensor => t !== null);
  const backend = backendOf("alif", input, ...starts);
  const start = { mem0: mem0?.storage ?? null, adapt0: adapt0?.storage ?? null };
  const membrane = allocTensor(input.shape, "float32", backend);
  const spikes = allocTensor(input.shape, "float32", backend);
  const adapt = allocTensor(input.shape, "float32", backend);
  backend.alifForward(input.storage, start, membrane.storage, spikes.storage, adapt.storage, params);
  const inputs = [input, ...starts];
  const grads = (g: { spk: Tensor | null; mem: Tensor | null; adapt: Tensor | null }): (Tensor | null)[] => {
    const dInput = allocTensor(input.shape, "float32", backend);
    const dMem0 = mem0?.requiresGrad ? allocTensor(mem0.shape, "float32", backend) : null;
    const dAdapt0 = adapt0?.requiresGrad ? allocTensor(adapt0.shape, "float32", backend) : null;
    backend.alifBackward(
      input.storage,
      start,
      membrane.storage,
      spikes.storage,
      adapt.storage,
      { spk: g.spk?.storage ?? null, mem: g.mem?.storage ?? null, adapt: g.adapt?.storage ?? null },
      dInput.storage,
      { mem0: dMem0?.storage ?? null, adapt0: dAdapt0?.storage ?? null },
      params,
    );
    return [dInput, ...(mem0 ? [dMem0] : []), ...(adapt0 ? [dAdapt0] : [])];
  };
  // The backward pass is linear in the upstream gradients, so each output gets its own node.
  record(spikes, "alif.spikes", inputs, (g) => grads({ spk: g, mem: null, adapt: null }));
  record(membrane, "alif.membrane", inputs, (g) => grads({ spk: null, mem: g, adapt: null }));
  record(adapt, "alif.adapt", inputs, (g) => grads({ spk: null, mem: null, adapt: g }));
  return { spikes, membrane, adapt };
}
