// Helpers every op uses: allocation on a backend, operand checks and recording into the autograd graph.
import type { Backend, DType } from "../backend/backend.js";
import { getBackend } from "../backend/registry.js";
import { BackendError, DTypeError } from "../errors.js";
import { isGradEnabled } from "./engine.js";
import { checkShape, sizeOf } from "./shape.js";
import { type GradNode, SharedStorage, Tensor } from "./tensor.js";

/** A new tensor with uninitialized (zeroed on js) storage. */
export function allocTensor(
  shape: readonly number[],
  dtype: DType = "float32",
  backend: Backend = getBackend(),
): Tensor {
  checkShape("alloc", shape);
  return new Tensor([...shape], dtype, new SharedStorage(backend.alloc(dtype, sizeOf(shape))));
}

/** A tensor of the same storage with another shape (sizes must match; not checked here). */
export function viewOf(x: Tensor, shape: readonly number[]): Tensor {
  return new Tensor([...shape], x.dtype, x.sharedStorage);
}

/** The common backend of an op's operands (throws if they differ or one was disposed). */
export function backendOf(op: string, ...tensors: Tensor[]): Backend {
  const b = tensors[0].backend;
  for (const t of tensors) {
    if (t.backend !== b) {
      throw new BackendError(
        `${op}: operands live on different backends (${b.name} and ${t.backend.name}); move one with toBackend()`,
      );
    }
  }
  return b;
}

/** Throws a DTypeError unless every tensor has the given dtype. */
export function expectDType(op: string, dtype: DType, ...tensors: Tensor[]): void {
  for (const t of tensors) {
    if (t.dtype !== dtype)
      throw new DTypeError(op, `expected ${dtype}, got ${t.dtype} (shape [${t.shape.join(", ")}])`);
  }
}

/** Records `out` as computed by `op` from `inputs`, if gradients are enabled and some input requires grad. */
export function record(
  out: Tensor,
  op: string,
  inputs: readonly Tensor[],
  backward: GradNode["backward"],
): Tensor {
  if (!isGradEnabled() || !inputs.some((t) => t.requiresGrad)) return out;
  out.requiresGrad = true;
  out.node = { op, inputs, backward };
  return out;
}
