// The fused multi-step alpha-neuron op: one kernel call runs all T steps forward, one runs BPTT backward.
import type { AlphaKernelParams, AlphaStates } from "../backend/kernels/alpha.js";
import type { Storage } from "../backend/storage.js";
import { ShapeError, ValueError } from "../errors.js";
import { allocTensor, backendOf, expectDType, record } from "../tensor/op_util.js";
import { sameShape } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import type { AlphaParams } from "./alpha_params.js";
import { builtinSurrogate, isCustomSurrogate } from "./spike_function.js";

/**
 * The fused kernel of snnTorch's Alpha (alphaStep's equations) over input [T, ...] from the starting
 * currents and membrane (null: zeros): spikes and the three state variables of every step. Gradients reach
 * the input and the starts through all T steps; a built-in surrogate only.
 */
export function alphaFused(input: Tensor, p: AlphaParams, start: AlphaStates<Tensor | null>): { spikes: Tensor } & AlphaStates<Tensor> {
  expectDType("alpha", "float32", input);
  if (input.rank < 2) throw new ShapeError("alpha", "input must be [T, ...] with at least 2 dimensions", [input.shape]);
  if (isCustomSurrogate(p.surrogate)) throw new ValueError("alpha: surrogate", "a built-in surrogate for the fused kernel", "a user pair");
  const surrogate = builtinSurrogate(p.surrogate);
  const names = ["exc", "inh", "mem"] as const;
  for (const name of names) {
    const t = start[name];
    if (!t) continue;
    expectDType("alpha", "float32", t);
    if (!sameShape(t.shape, input.shape.slice(1))) throw new ShapeError("alpha", `${name}0 must have one step's shape`, [t.shape, input.shape]);
  }
  const T = input.shape[0];
  const params: AlphaKernelParams = { T, P: input.size / Math.max(T, 1), alpha: p.alpha, beta: p.beta, tauAlpha: p.tauAlpha, threshold: p.threshold, reset: p.reset, detachReset: p.detachReset, surrogate: surrogate.name, surrogateParam: surrogate.param };
  const given = names.map((n) => start[n]).filter((t): t is Tensor => t !== null);
  const backend = backendOf("alpha", input, ...given);
  const storages = (s: AlphaStates<Tensor | null>): AlphaStates<Storage | null> => ({ exc: s.exc?.storage ?? null, inh: s.inh?.storage ?? null, mem: s.mem?.storage ?? null });
  const startStorage = storages(start);
  const out = { exc: allocTensor(input.shape, "float32", backend), inh: allocTensor(input.shape, "float32", backend), mem: allocTensor(input.shape, "float32", backend) };
  const spikes = allocTensor(input.shape, "float32", backend);
  const outStorage = { exc: out.exc.storage, inh: out.inh.storage, mem: out.mem.storage };
  backend.alphaForward(input.storage, startStorage, outStorage, spikes.storage, params);
  const inputs = [input, ...given];
  const startGrad = (t: Tensor | null) => (t?.requiresGrad ? allocTensor(t.shape, "float32", backend) : null);
  const grads = (g: { spk: Tensor | null } & AlphaStates<Tensor | null>): (Tensor | null)[] => {
    const dInput = allocTensor(input.shape, "float32", backend);
    const dStart = { exc: startGrad(start.exc), inh: startGrad(start.inh), mem: startGrad(start.mem) };
    backend.alphaBackward(input.storage, startStorage, outStorage, spikes.storage, { spk: g.spk?.storage ?? null, ...storages(g) }, dInput.storage, storages(dStart), params);
    return [dInput, ...names.filter((n) => start[n] !== null).map((n) => dStart[n])];
  };
  // Linear in the upstream gradients: each output gets its own node.
  const none = { spk: null, exc: null, inh: null, mem: null };
  record(spikes, "alpha.spikes", inputs, (g) => grads({ ...none, spk: g }));
  for (const n of names) record(out[n], `alpha.${n}`, inputs, (g) => grads({ ...none, [n]: g }));
  return { spikes, ...out };
}
