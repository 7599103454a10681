// The reference backend: storage in typed arrays and every kernel's reference code (src/backend/kernels).
import { BackendError } from "../errors.js";
import type { Backend } from "./backend.js";
import { referenceKernels } from "./kernels/index.js";
import { type DType, StorageBase, type TypedArray, bytesPerElement } from "./storage.js";

/** Creates an empty typed array of a dtype. */
function typedArrayFor(dtype: DType, length: number): TypedArray {
  if (dtype === "float32") return new Float32Array(length);
  if (dtype === "int32") return new Int32Array(length);
  return new Uint8Array(length);
}

class JsStorage extends StorageBase {
  readonly ptr = -1;
  private data: TypedArray | null;
  constructor(
    dtype: DType,
    length: number,
    private readonly released: (bytes: number) => void,
  ) {
    super(dtype, length);
    this.data = typedArrayFor(dtype, length);
  }
  view(): TypedArray {
    if (!this.data) throw new BackendError("storage used after free");
    return this.data;
  }
  free(): void {
    if (this.data) this.released(this.data.byteLength);
    this.data = null;
  }
}

/** Creates a reference backend. */
export function createJsBackend(): Backend {
  let liveBytes = 0;
  let peakBytes = 0;
  const released = (bytes: number) => {
    liveBytes -= bytes;
  };
  return {
    name: "js",
    alloc(dtype, length) {
      const storage = new JsStorage(dtype, length, released);
      liveBytes += length * bytesPerElement[dtype];
      peakBytes = Math.max(peakBytes, liveBytes);
      return storage;
    },
    bytesInUse: () => liveBytes,
    peakBytesInUse: () => peakBytes,
    resetPeakBytes: () => {
      peakBytes = liveBytes;
    },
    bytesReserved: () => liveBytes,
    ...referenceKernels(),
  };
}
