// The Tensor: a shape, a dtype and a reference to backend storage (shared by reshape views), plus the
// autograd fields. Tensors are contiguous and row-major.
import type { Backend } from "../backend/backend.js";
import type { DType, Storage, TypedArray } from "../backend/storage.js";
import { DisposedError, SnnkitError } from "../errors.js";
import { newTensorId, registerTensor, tensorDisposed } from "./engine.js";
import { sizeOf } from "./shape.js";

/** Storage shared by a tensor and its reshape views, with the backend that owns it; freed when the last one is disposed. */
export class SharedStorage {
  refs = 0;
  constructor(
    readonly backend: Backend,
    readonly storage: Storage,
  ) {}
  retain(): this {
    this.refs++;
    return this;
  }
  release(): void {
    if (--this.refs === 0) this.storage.free();
  }
}

/** How a tensor was computed: its inputs and the vector-Jacobian product of the op. */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  /** Gradients with respect to each input (null where an input needs none), given the output gradient. */
  readonly backward: (grad: Tensor) => readonly (Tensor | null)[];
  /**
   * Ops of one input whose gradient is sparse in it (slice): adds the input's gradient into `into` (of
   * the input's shape) in place, so that the T slices of a time loop fill one gradient instead of
   * making T dense ones.
   */
  readonly accumulateInto?: (grad: Tensor, into: Tensor) => void;
}

/** Nested number arrays, as returned by toArray(). */
export type NestedArray = number | NestedArray[];

/** An n-dimensional array on a backend, with reverse-mode autograd. */
export class Tensor {
  readonly id = newTensorId();
  readonly size: number;
  /** Whether gradients flow to this tensor. */
  requiresGrad = false;
  /** Accumulated gradient (leaf tensors that require grad), after backward(). */
  grad: Tensor | null = null;
  /** The op that produced this tensor (null for leaves). */
  node: GradNode | null = null;
  private shared: SharedStorage | null;

  constructor(
    readonly shape: readonly number[],
    readonly dtype: DType,
    storage: SharedStorage,
  ) {
    this.size = sizeOf(shape);
    this.shared = storage.retain();
    registerTensor(this);
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }
  /** Whether dispose() was called. */
  get isDisposed(): boolean {
    return this.shared === null;
  }
  /** The storage (throws if disposed). */
  get storage(): Storage {
    if (!this.shared) throw new DisposedError(`tensor #${this.id}`);
    return this.shared.storage;
  }
  /** The shared storage, for views (throws if disposed). */
  get sharedStorage(): SharedStorage {
    if (!this.shared) throw new DisposedError(`tensor #${this.id}`);
    return this.shared;
  }
  /** The backend holding this tensor. */
  get backend(): Backend {
    return this.sharedStorage.backend;
  }

  /** Frees this tensor's memory (storage shared with views is freed with the last of them). Idempotent. */
  dispose(): void {
    if (!this.shared) return;
    this.shared.release();
    this.shared = null;
    tensorDisposed(this);
    if (this.grad) {
      this.grad.dispose();
      this.grad = null;
    }
    this.node = null;
  }

  /**
   * The reverse-mode pass behind backward(), installed by autograd.ts when it loads (the ops load it),
   * so that this module does not import the autograd and the ops it uses.
   */
  static backwardPass: ((root: Tensor, grad?: Tensor) => void) | null = null;

  /** Backpropagates from this tensor (a scalar, or pass d(loss)/d(this)); see autograd.backward. */
  backward(grad?: Tensor): void {
    if (!Tensor.backwardPass) throw new SnnkitError("backward: the autograd module is not loaded (import snnkit or its ops)");
    Tensor.backwardPass(this, grad);
  }

  /** Disposes the accumulated gradient. */
  zeroGrad(): void {
    this.grad?.dispose();
    this.grad = null;
  }

  /** A copy of the data as a typed array (safe to keep). */
  data(): TypedArray {
    return this.storage.view().slice();
  }

  /** A copy of the data as a Float32Array (float32 tensors only). */
  dataFloat32(): Float32Array {
    return this.storage.f32().slice();
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new SnnkitError(`item: tensor has ${this.size} elements, expected 1`);
    return this.storage.view()[0];
  }

  /** The data as nested arrays following the shape. */
  toArray(): NestedArray {
    const flat = Array.from(this.storage.view());
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.shape.length) return flat[offset];
      const inner = sizeOf(this.shape.slice(dim + 1));
      return Array.from({ length: this.shape[dim] }, (_, i) => build(dim + 1, offset + i * inner));
    };
    return build(0, 0);
  }

  /** Short description: shape, dtype, backend. */
  toString(): string {
    return `Tensor(shape=[${this.shape.join(", ")}], dtype=${this.dtype}${this.isDisposed ? ", disposed" : `, backend=${this.backend.name}`})`;
  }
}
