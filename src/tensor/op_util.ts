// Helpers every op uses: allocation on a backend, operand checks and recording into the autograd graph.
import type { Backend } from "../backend/backend.js";
import type { DType } from "../backend/storage.js";
import { getBackend } from "../backend/registry.js";
import { BackendError, DTypeError, LimitError, ValueError } from "../errors.js";
import { checkShape, sizeOf } from "./shape.js";
import { SharedStorage, Tensor } from "./tensor.js";

/** Most bytes one tensor may hold: the 4 GiB a wasm32 memory can address. */
export const MAX_TENSOR_BYTES = 2 ** 32;

/**
 * A new tensor with uninitialized (zeroed on js) storage. Sizes beyond MAX_TENSOR_BYTES, or memory the
 * backend cannot get, give a LimitError naming the shape (never a RangeError or an out-of-memory abort).
 */
export function allocTensor(
  shape: readonly number[],
  dtype: DType = "float32",
  backend: Backend = getBackend(),
): Tensor {
  checkShape("alloc", shape);
  const size = sizeOf(shape);
  const bytes = size * (dtype === "float32" || dtype === "int32" ? 4 : 1);
  // The message is built only on failure: this runs for every op's output.
  const what = () => `a ${dtype} tensor of shape [${shape.join(", ")}] (${bytes.toPrecision(3)} bytes)`;
  if (bytes > MAX_TENSOR_BYTES) throw new LimitError("memory", `${what()} exceeds the ${MAX_TENSOR_BYTES} bytes a tensor may hold`);
  try {
    return new Tensor([...shape], dtype, new SharedStorage(backend, backend.alloc(dtype, size)));
  } catch (e) {
    if (e instanceof RangeError) throw new LimitError("memory", `the ${backend.name} backend cannot allocate ${what()}: ${e.message}`);
    throw e;
  }
}

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
