// The spike nonlinearity s = H(u) as a differentiable op whose backward pass uses a surrogate σ′(u).
import { ValueError } from "../errors.js";
import { resolveSurrogate, type SurrogateSpec, surrogateDerivative } from "../surrogate/surrogate.js";
import { tensor } from "../tensor/creation.js";
import { customOp } from "../tensor/ops/custom.js";
import { mul } from "../tensor/ops/elementwise.js";
import type { Tensor } from "../tensor/tensor.js";

/** A user-supplied surrogate: the forward function (default the Heaviside step) and the derivative used in backward. */
export interface CustomSurrogate {
  /** Forward value at u = membrane − threshold (default H(u), with H(0) = h0). */
  readonly forward?: (u: number) => number;
  /** σ′(u) used in place of H′(u) by the backward pass. */
  readonly derivative: (u: number) => number;
}

/** A surrogate by name (default parameter), a name with its parameter, or a user pair. */
export type NeuronSurrogate = string | SurrogateSpec | CustomSurrogate;

/** Whether a surrogate is a user-supplied pair (which the fused kernels cannot run). */
export function isCustomSurrogate(s: NeuronSurrogate): s is CustomSurrogate {
  return typeof s === "object" && "derivative" in s;
}

/** Resolves a built-in surrogate (name or {name, param}) to name and parameter, checking both. */
export function builtinSurrogate(s: Exclude<NeuronSurrogate, CustomSurrogate>): SurrogateSpec {
  return typeof s === "string" ? resolveSurrogate(s) : resolveSurrogate(s.name, s.param);
}

/**
 * s = H(u) (H(0) = h0), or the custom forward; ∂s/∂u := σ′(u) in the backward pass. Elementwise on the
 * host: the fused LIF kernels do this inside their own loops, this op serves the composed (per-step) path.
 * With `fired` (a constant of u's shape, e.g. u plus membrane noise), the forward value is H(fired) and
 * the backward pass still takes σ′(u).
 */
export function spikeFunction(u: Tensor, surrogate: NeuronSurrogate, h0 = 0, fired: Tensor | null = null): Tensor {
  const { forward, derivative } = surrogatePair(surrogate, h0);
  return customOp(
    "spike",
    [u],
    (v) => tensor((fired ?? v).dataFloat32().map(forward), v.shape),
    (g, [v]) => [mul(g, tensor(v.dataFloat32().map(derivative), v.shape))],
  );
}

/** The forward function (H with H(0) = h0, or a user's) and the derivative σ′ of a surrogate. */
function surrogatePair(surrogate: NeuronSurrogate, h0: number): { forward: (x: number) => number; derivative: (x: number) => number } {
  const step = (x: number) => (x > 0 ? 1 : x === 0 ? h0 : 0);
  if (isCustomSurrogate(surrogate)) {
    if (typeof surrogate.derivative !== "function") throw new ValueError("surrogate.derivative", "a function", surrogate.derivative);
    return { forward: surrogate.forward ?? step, derivative: surrogate.derivative };
  }
  const spec = builtinSurrogate(surrogate);
  return { forward: step, derivative: (x) => surrogateDerivative(spec.name, x, spec.param) };
}

/**
 * Spikes already drawn (`value`, e.g. a noisy layer's spikes carried from one run to the next) that take
 * the surrogate gradient σ′(u) in the backward pass, as if they were H(u).
 */
export function drawnSpikes(value: Tensor, u: Tensor, surrogate: NeuronSurrogate): Tensor {
  const { derivative } = surrogatePair(surrogate, 0);
  return customOp(
    "drawn spikes",
    [u],
    () => value,
    (g, [v]) => [mul(g, tensor(v.dataFloat32().map(derivative), v.shape))],
  );
}
