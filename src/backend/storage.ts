// Storage: the flat, contiguous buffers kernels read and write. Each backend allocates its own kind (typed
// arrays for js, ranges of linear memory for wasm); kernels see them through typed-array views.
import { DTypeError } from "../errors.js";

/** Element types. `bool` is stored as uint8 (0/1). */
export type DType = "float32" | "int32" | "bool";

/** Typed array of a dtype. */
export type TypedArray = Float32Array | Int32Array | Uint8Array;

/** A flat, contiguous buffer owned by one backend. */
export interface Storage {
  readonly dtype: DType;
  readonly length: number;
  /** Byte offset in wasm memory (wasm backend), or -1. */
  readonly ptr: number;
  /** A live view of the data. Views of wasm storage are invalidated when wasm memory grows: never keep one across an allocation. */
  view(): TypedArray;
  /** Float32 view (throws on another dtype). */
  f32(): Float32Array;
  /** Int32 view (throws on another dtype). */
  i32(): Int32Array;
  /** Returns the memory to the backend. */
  free(): void;
}

/** Bytes per element of each dtype. */
export const bytesPerElement: Readonly<Record<DType, number>> = { float32: 4, int32: 4, bool: 1 };

/** Base of storage objects: typed views by dtype. */
export abstract class StorageBase implements Storage {
  abstract readonly ptr: number;
  constructor(
    readonly dtype: DType,
    readonly length: number,
  ) {}
  abstract view(): TypedArray;
  abstract free(): void;
  f32(): Float32Array {
    return this.viewOf("float32") as Float32Array;
  }
  i32(): Int32Array {
    return this.viewOf("int32") as Int32Array;
  }
  private viewOf(dtype: DType): TypedArray {
    if (this.dtype !== dtype) throw new DTypeError("kernel", `expected ${dtype} storage, got ${this.dtype}`);
    return this.view();
  }
}
