// The backend interface: storage allocation and the kernels every backend supplies. Ops (src/tensor/ops)
// are defined once on top of it; `js` is the reference, `wasm` the fast default.
import type { SurrogateName } from "../surrogate/surrogate.js";
import type { BinaryOpName, CompareOpName, ResetMode, UnaryOpName } from "./kernel_codes.js";

/** Element types. `bool` is stored as uint8 (0/1). */
export type DType = "float32" | "int32" | "bool";

/** Typed array of a dtype. */
export type TypedArray = Float32Array | Int32Array | Uint8Array;

/** A flat, contiguous buffer owned by one backend. */
export interface Storage {
  readonly backend: Backend;
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

/** Operand layout for a broadcasting elementwise kernel: output shape and per-operand element strides (0 = broadcast). */
export interface BroadcastPlan {
  readonly shape: readonly number[];
  readonly strides: readonly (readonly number[])[];
}

/** Geometry of a 2-D convolution or pooling window over NCHW data. */
export interface Conv2dGeometry {
  readonly N: number;
  readonly C: number;
  readonly H: number;
  readonly W: number;
  /** Output channels (conv only; pooling keeps C). */
  readonly OC: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly ph: number;
  readonly pw: number;
  readonly OH: number;
  readonly OW: number;
}

/** Scalar parameters of the fused LIF kernel. */
export interface LifKernelParams {
  readonly T: number;
  /** Neurons per step (batch × features). */
  readonly P: number;
  readonly beta: number;
  readonly threshold: number;
  readonly reset: ResetMode;
  /** Value of the Heaviside step at exactly zero. */
  readonly h0: number;
  /** Input gain g: the membrane adds g·I[t] (1 for the snnTorch LIF, b for the coarse-scale LIF). */
  readonly inputGain: number;
  /** Zero reset only: gain g_r of the input in the step after a spike (0 = plain reset; c for the coarse LIF). */
  readonly refractoryGain: number;
  readonly detachReset: boolean;
  readonly surrogate: SurrogateName;
  readonly surrogateParam: number;
}

/** Names of the available backends. */
export type BackendName = "js" | "wasm";

/** Kernels and storage of one backend. All sizes are in elements; offsets are element offsets. */
/**
 * One matrix product C[M,N] = op(A)·op(B), added to C when `accumulate`: A is [M,K] (stored [K,M] when
 * transA), B is [K,N] (stored [N,K] when transB), each at an element offset into its storage.
 */
export interface Gemm {
  a: Storage;
  b: Storage;
  c: Storage;
  M: number;
  N: number;
  K: number;
  aOffset?: number;
  bOffset?: number;
  cOffset?: number;
  transA?: boolean;
  transB?: boolean;
  accumulate?: boolean;
}

export interface Backend {
  readonly name: BackendName;
  alloc(dtype: DType, length: number): Storage;
  /** Bytes currently handed out to live storage. */
  bytesInUse(): number;
  /** Bytes reserved from the platform (for wasm: the size of linear memory). */
  bytesReserved(): number;

  fill(x: Storage, value: number): void;
  copy(src: Storage, dst: Storage): void;
  /** General strided copy (also casts between dtypes); `accumulate` adds into dst (float32 only). */
  stridedCopy(
    src: Storage,
    srcOffset: number,
    srcStrides: readonly number[],
    dst: Storage,
    dstOffset: number,
    dstStrides: readonly number[],
    shape: readonly number[],
    accumulate: boolean,
  ): void;

  unary(op: UnaryOpName, x: Storage, out: Storage, p0: number, p1: number): void;
  unaryGrad(op: UnaryOpName, x: Storage, y: Storage, g: Storage, dx: Storage, p0: number, p1: number): void;
  binary(op: BinaryOpName, a: Storage, b: Storage, out: Storage, plan: BroadcastPlan): void;
  compare(op: CompareOpName, a: Storage, b: Storage, out: Storage, plan: BroadcastPlan): void;
  /** out = cond ? a : b with broadcasting (plan strides in the order cond, a, b). */
  where(cond: Storage, a: Storage, b: Storage, out: Storage, plan: BroadcastPlan): void;
  /** y += alpha·x, in place. */
  axpy(y: Storage, x: Storage, alpha: number): void;

  reduceSum(x: Storage, out: Storage, outer: number, n: number, inner: number): void;
  /** Max over the middle axis; `idx` (int32) receives the first index of the maximum, if given. */
  reduceMax(x: Storage, out: Storage, idx: Storage | null, outer: number, n: number, inner: number): void;
  /** Softmax (or log-softmax) over the middle axis of [outer, n, inner]. */
  softmax(x: Storage, out: Storage, outer: number, n: number, inner: number, log: boolean): void;
  /** Gradient of softmax (or log-softmax) from its output y and upstream g. */
  softmaxGrad(
    y: Storage,
    g: Storage,
    dx: Storage,
    outer: number,
    n: number,
    inner: number,
    log: boolean,
  ): void;
  /** out[o, j, i] = x[o, idx[j], i]; indices are checked by the caller. */
  gather(x: Storage, idx: Storage, out: Storage, outer: number, n: number, inner: number): void;
  /** dx[o, idx[j], i] += g[o, j, i] (dx zeroed by the caller). */
  scatterAdd(g: Storage, idx: Storage, dx: Storage, outer: number, n: number, inner: number): void;

  /** C[M,N] (+)= op(A)·op(B) with element offsets into each storage (see Gemm). */
  gemm(g: Gemm): void;
  /** The number of ones in x when every value is 0 or 1 (a spike tensor), else −1 (stops at the first other value). */
  binaryNonzeros(x: Storage): number;
  /**
   * out[M,N] = S[M,K]·W[K,N], skipping zeros of S. With `binaryOnly`, returns false and writes nothing
   * when S holds a value other than 0 or 1 (the caller then runs a GEMM); true otherwise.
   */
  spmm(s: Storage, w: Storage, out: Storage, M: number, K: number, N: number, binaryOnly?: boolean): boolean;
  /** dW[K,N] (+)= S[M,K]ᵀ·dY[M,N], skipping zeros of S. */
  spmmTransposed(
    s: Storage,
    dy: Storage,
    dw: Storage,
    M: number,
    K: number,
    N: number,
    accumulate: boolean,
  ): void;

  conv2dForward(x: Storage, w: Storage, out: Storage, g: Conv2dGeometry): void;
  conv2dBackwardInput(dy: Storage, w: Storage, dx: Storage, g: Conv2dGeometry): void;
  conv2dBackwardWeight(x: Storage, dy: Storage, dw: Storage, g: Conv2dGeometry): void;
  maxPool2dForward(x: Storage, out: Storage, idx: Storage, g: Conv2dGeometry): void;
  maxPool2dBackward(dy: Storage, idx: Storage, dx: Storage, g: Conv2dGeometry): void;
  avgPool2dForward(x: Storage, out: Storage, g: Conv2dGeometry): void;
  avgPool2dBackward(dy: Storage, dx: Storage, g: Conv2dGeometry): void;

  /** Fused LIF forward over [T, P]; `mem0` is the initial membrane (null: zeros). */
  lifForward(input: Storage, mem0: Storage | null, mem: Storage, spk: Storage, p: LifKernelParams): void;
  /** Fused LIF backward (BPTT). */
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
  ): void;
}
