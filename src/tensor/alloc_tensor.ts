// Allocation of a tensor's storage on a backend, with the size limit and a typed error when memory runs out
// (its own file: the autograd engine allocates gradients with it, and op_util re-exports it to the ops).
import type { Backend } from "../backend/backend.js";
import type { DType } from "../backend/storage.js";
import { getBackend } from "../backend/registry.js";
import { LimitError } from "../errors.js";
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
