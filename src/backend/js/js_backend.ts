// The reference backend: every kernel as readable TypeScript over typed arrays. The wasm backend extends
// this class, so any kernel it does not override runs here on views of wasm memory (no copies).
import { BackendError, DTypeError } from "../../errors.js";
import type {
  Backend,
  BackendName,
  BroadcastPlan,
  Conv2dGeometry,
  DType,
  Gemm,
  LifKernelParams,
  Storage,
  TypedArray,
} from "../backend.js";
import type { BinaryOpName, CompareOpName, UnaryOpName } from "../kernel_codes.js";
import {
  avgPool2dBackwardRef,
  avgPool2dRef,
  conv2dBackwardInputRef,
  conv2dBackwardWeightRef,
  conv2dRef,
  maxPool2dBackwardRef,
  maxPool2dRef,
} from "./conv.js";
import {
  axpyRef,
  binaryRef,
  compareRef,
  stridedCopyRef,
  unaryGradRef,
  unaryRef,
  whereRef,
} from "./elementwise.js";
import { gemmRef } from "./gemm.js";
import { lifBackwardRef, lifForwardRef } from "./lif.js";
import {
  gatherRef,
  reduceMaxRef,
  reduceSumRef,
  scatterAddRef,
  softmaxGradRef,
  softmaxRef,
} from "./reduce.js";
import { spmmRef, spmmTransposedRef } from "./sparse.js";

/** Bytes per element of each dtype. */
export const bytesPerElement: Readonly<Record<DType, number>> = { float32: 4, int32: 4, bool: 1 };

/** Creates an empty typed array of a dtype. */
function typedArrayFor(dtype: DType, length: number): TypedArray {
  if (dtype === "float32") return new Float32Array(length);
  if (dtype === "int32") return new Int32Array(length);
  return new Uint8Array(length);
}

/** Base of storage objects: typed views by dtype. */
export abstract class StorageBase implements Storage {
  abstract readonly backend: Backend;
  abstract readonly ptr: number;
  constructor(
    readonly dtype: DType,
    readonly length: number,
  ) {}
  abstract view(): TypedArray;
  abstract free(): void;
  f32(): Float32Array {
    if (this.dtype !== "float32")
      throw new DTypeError("kernel", `expected float32 storage, got ${this.dtype}`);
    return this.view() as Float32Array;
  }
  i32(): Int32Array {
    if (this.dtype !== "int32") throw new DTypeError("kernel", `expected int32 storage, got ${this.dtype}`);
    return this.view() as Int32Array;
  }
}

class JsStorage extends StorageBase {
  readonly ptr = -1;
  private data: TypedArray | null;
  constructor(
    readonly backend: JsBackend,
    dtype: DType,
    length: number,
  ) {
    super(dtype, length);
    this.data = typedArrayFor(dtype, length);
  }
  view(): TypedArray {
    if (!this.data) throw new BackendError("storage used after free");
    return this.data;
  }
  free(): void {
    if (this.data) this.backend.released(this.data.byteLength);
    this.data = null;
  }
}

const u8 = (s: Storage) => s.view() as Uint8Array;

/** The reference backend. */
export class JsBackend implements Backend {
  readonly name: BackendName = "js";
  private liveBytes = 0;

  alloc(dtype: DType, length: number): Storage {
    const s = new JsStorage(this, dtype, length);
    this.liveBytes += length * bytesPerElement[dtype];
    return s;
  }
  /** Called by storage on free. */
  released(bytes: number): void {
    this.liveBytes -= bytes;
  }
  bytesInUse(): number {
    return this.liveBytes;
  }
  bytesReserved(): number {
    return this.liveBytes;
  }

  fill(x: Storage, value: number): void {
    x.view().fill(value);
  }
  copy(src: Storage, dst: Storage): void {
    dst.view().set(src.view());
  }
  stridedCopy(
    src: Storage,
    srcOffset: number,
    srcStrides: readonly number[],
    dst: Storage,
    dstOffset: number,
    dstStrides: readonly number[],
    shape: readonly number[],
    accumulate: boolean,
  ): void {
    stridedCopyRef(src.view(), srcOffset, srcStrides, dst.view(), dstOffset, dstStrides, shape, accumulate);
  }
  unary(op: UnaryOpName, x: Storage, out: Storage, p0: number, p1: number): void {
    unaryRef(op, x.f32(), out.f32(), p0, p1);
  }
  unaryGrad(op: UnaryOpName, x: Storage, y: Storage, g: Storage, dx: Storage, p0: number, p1: number): void {
    unaryGradRef(op, x.f32(), y.f32(), g.f32(), dx.f32(), p0, p1);
  }
  binary(op: BinaryOpName, a: Storage, b: Storage, out: Storage, plan: BroadcastPlan): void {
    binaryRef(op, a.f32(), b.f32(), out.f32(), plan);
  }
  compare(op: CompareOpName, a: Storage, b: Storage, out: Storage, plan: BroadcastPlan): void {
    compareRef(op, a.view(), b.view(), u8(out), plan);
  }
  where(cond: Storage, a: Storage, b: Storage, out: Storage, plan: BroadcastPlan): void {
    whereRef(u8(cond), a.view(), b.view(), out.view(), plan);
  }
  axpy(y: Storage, x: Storage, alpha: number): void {
    axpyRef(y.f32(), x.f32(), alpha);
  }
  reduceSum(x: Storage, out: Storage, outer: number, n: number, inner: number): void {
    reduceSumRef(x.f32(), out.f32(), outer, n, inner);
  }
  reduceMax(x: Storage, out: Storage, idx: Storage | null, outer: number, n: number, inner: number): void {
    reduceMaxRef(x.f32(), out.f32(), idx ? idx.i32() : null, outer, n, inner);
  }
  softmax(x: Storage, out: Storage, outer: number, n: number, inner: number, log: boolean): void {
    softmaxRef(x.f32(), out.f32(), outer, n, inner, log);
  }
  softmaxGrad(
    y: Storage,
    g: Storage,
    dx: Storage,
    outer: number,
    n: number,
    inner: number,
    log: boolean,
  ): void {
    softmaxGradRef(y.f32(), g.f32(), dx.f32(), outer, n, inner, log);
  }
  gather(x: Storage, idx: Storage, out: Storage, outer: number, n: number, inner: number): void {
    gatherRef(x.f32(), idx.i32(), out.f32(), outer, n, inner);
  }
  scatterAdd(g: Storage, idx: Storage, dx: Storage, outer: number, n: number, inner: number): void {
    scatterAddRef(g.f32(), idx.i32(), dx.f32(), outer, n, inner);
  }
  gemm(g: Gemm): void {
    gemmRef(g.a.f32(), g.aOffset ?? 0, g.b.f32(), g.bOffset ?? 0, g.c.f32(), g.cOffset ?? 0, g.M, g.N, g.K, g.transA ?? false, g.transB ?? false, g.accumulate ?? false);
  }
  binaryNonzeros(x: Storage): number {
    let ones = 0;
    for (const v of x.f32()) {
      if (v === 1) ones++;
      else if (v !== 0) return -1;
    }
    return ones;
  }
  spmm(s: Storage, w: Storage, out: Storage, M: number, K: number, N: number, binaryOnly = false): boolean {
    if (binaryOnly && this.binaryNonzeros(s) < 0) return false;
    spmmRef(s.f32(), w.f32(), out.f32(), M, K, N);
    return true;
  }
  spmmTransposed(
    s: Storage,
    dy: Storage,
    dw: Storage,
    M: number,
    K: number,
    N: number,
    accumulate: boolean,
  ): void {
    spmmTransposedRef(s.f32(), dy.f32(), dw.f32(), M, K, N, accumulate);
  }
  conv2dForward(x: Storage, w: Storage, out: Storage, g: Conv2dGeometry): void {
    conv2dRef(x.f32(), w.f32(), out.f32(), g);
  }
  conv2dBackwardInput(dy: Storage, w: Storage, dx: Storage, g: Conv2dGeometry): void {
    conv2dBackwardInputRef(dy.f32(), w.f32(), dx.f32(), g);
  }
  conv2dBackwardWeight(x: Storage, dy: Storage, dw: Storage, g: Conv2dGeometry): void {
    conv2dBackwardWeightRef(x.f32(), dy.f32(), dw.f32(), g);
  }
  maxPool2dForward(x: Storage, out: Storage, idx: Storage, g: Conv2dGeometry): void {
    maxPool2dRef(x.f32(), out.f32(), idx.i32(), g);
  }
  maxPool2dBackward(dy: Storage, idx: Storage, dx: Storage, g: Conv2dGeometry): void {
    maxPool2dBackwardRef(dy.f32(), idx.i32(), dx.f32(), g);
  }
  avgPool2dForward(x: Storage, out: Storage, g: Conv2dGeometry): void {
    avgPool2dRef(x.f32(), out.f32(), g);
  }
  avgPool2dBackward(dy: Storage, dx: Storage, g: Conv2dGeometry): void {
    avgPool2dBackwardRef(dy.f32(), dx.f32(), g);
  }
  lifForward(input: Storage, mem0: Storage | null, mem: Storage, spk: Storage, p: LifKernelParams): void {
    lifForwardRef(input.f32(), mem0 ? mem0.f32() : null, mem.f32(), spk.f32(), p);
  }
  lifBackward(
    input: Storage,
    mem0: Storage | null,
    mem: Storage,
    spk: Storage,
    gSpk: Storage | null,
    gMem: Storage | null,
    dInput: Storage,
    dMem0: Storage | null,
    p: LifKernelParams,
  ): void {
    lifBackwardRef(
      input.f32(),
      mem0 ? mem0.f32() : null,
      mem.f32(),
      spk.f32(),
      gSpk ? gSpk.f32() : null,
      gMem ? gMem.f32() : null,
      dInput.f32(),
      dMem0 ? dMem0.f32() : null,
      p,
    );
  }
}
