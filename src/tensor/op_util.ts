// Helpers every op uses: allocation on a backend, operand checks and recording into the autograd graph.
import type { Backend } from "../backend/backend.js";
import type { DType } from "../backend/storage.js";
import { BackendError, DTypeError, ValueError } from "../errors.js";
import { Tensor } from "./tensor.js";

export { allocTensor, MAX_TENSOR_BYTES } from "./alloc_tensor.js";

/** Throws a ValueError naming the op and the operand unless every operand is a live Tensor object. */
function expectTensors(op: string, ...tensors: unknown[]): void {
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new ValueError(`${op}: operand ${i + 1}`, "a Tensor", t);
  });
}

/** A tensor of the same storage with another shape (sizes must match; not checked here). */
export function viewOf(x: Tensor, shape: readonly number[]): Tensor {
  return new Tensor([...shape], x.dtype, x.sharedStorage);
}

/** The common backend of an op's operands (throws if they differ or one was disposed). */
export function backendOf(op: string, ...tensors: Tensor[]): Backend {
  expectTensors(op, ...tensors);
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
  expectTensors(op, ...tensors);
  for (const t of tensors) {
    if (t.dtype !== dtype)
      throw new DTypeError(op, `expected ${dtype}, got ${t.dtype} (shape [${t.shape.join(", ")}])`);
  }
}

/** Records an op's output in the autograd graph (defined in autograd.ts, beside backward()). */
export { record } from "./autograd.js";
