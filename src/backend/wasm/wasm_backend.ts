// The default backend: SIMD128 kernels compiled from AssemblyScript (src/backend/wasm/assembly). Tensors
// live in wasm linear memory; kernels receive byte offsets, so no op copies its operands. Kernels without
// a wasm version run the reference code on views of the same memory (inherited from JsBackend).
import { BackendError } from "../../errors.js";
import type {
  BackendName,
  BroadcastPlan,
  Conv2dGeometry,
  DType,
  LifKernelParams,
  Storage,
  TypedArray,
} from "../backend.js";
import { bytesPerElement, JsBackend, StorageBase } from "../js/js_backend.js";
import {
  BinaryOp,
  type BinaryOpName,
  ResetCode,
  SurrogateCode,
  UnaryOp,
  type UnaryOpName,
} from "../kernel_codes.js";
import { WasmAllocator } from "./allocator.js";
import type { WasmKernels } from "./wasm_exports.js";

class WasmStorage extends StorageBase {
  private freed = false;
  constructor(
    readonly backend: WasmBackend,
    dtype: DType,
    length: number,
    readonly ptr: number,
  ) {
    super(dtype, length);
  }
  view(): TypedArray {
    if (this.freed) throw new BackendError("storage used after free");
    const buffer = this.backend.kernels.memory.buffer;
    if (this.dtype === "float32") return new Float32Array(buffer, this.ptr, this.length);
    if (this.dtype === "int32") return new Int32Array(buffer, this.ptr, this.length);
    return new Uint8Array(buffer, this.ptr, this.length);
  }
  free(): void {
    if (this.freed) return;
    this.freed = true;
    this.backend.allocator.free(this.ptr, this.length * bytesPerElement[this.dtype]);
  }
}

const opt = (s: Storage | null): number => (s ? s.ptr : 0);

/** The scalar arguments shared by the wasm LIF kernels: T, P, β, θ, reset code, H(0), g, g_r. */
const lifScalars = (p: LifKernelParams): [number, number, number, number, number, number, number, number] => [
  p.T,
  p.P,
  p.beta,
  p.threshold,
  ResetCode[p.reset],
  p.h0,
  p.inputGain,
  p.refractoryGain,
];

/** The wasm SIMD128 backend. */
export class WasmBackend extends JsBackend {
  override readonly name: BackendName = "wasm";
  readonly allocator: WasmAllocator;
  private readonly scratch: number;

  constructor(readonly kernels: WasmKernels) {
    super();
    this.allocator = new WasmAllocator(kernels.memory, kernels.heapBase());
    this.scratch = this.allocator.alloc(kernels.gemmScratchBytes());
  }

  override alloc(dtype: DType, length: number): Storage {
    return new WasmStorage(this, dtype, length, this.allocator.alloc(length * bytesPerElement[dtype]));
  }
  override bytesInUse(): number {
    return this.allocator.bytesInUse();
  }
  override bytesReserved(): number {
    return this.allocator.bytesReserved();
  }

  /** Runs `fn` with a temporary buffer of `length` 4-byte elements (float32 or int32). */
  private withTemp<R>(length: number, fn: (ptr: number) => R): R {
    const ptr = this.allocator.alloc(length * 4);
    try {
      return fn(ptr);
    } finally {
      this.allocator.free(ptr, length * 4);
    }
  }

  override unary(op: UnaryOpName, x: Storage, out: Storage, p0: number, p1: number): void {
    this.kernels.unary(UnaryOp[op], x.ptr, out.ptr, x.length, p0, p1);
  }
  override unaryGrad(
    op: UnaryOpName,
    x: Storage,
    y: Storage,
    g: Storage,
    dx: Storage,
    p0: number,
    p1: number,
  ): void {
    this.kernels.unaryGrad(UnaryOp[op], x.ptr, y.ptr, g.ptr, dx.ptr, x.length, p0, p1);
  }
  override binary(op: BinaryOpName, a: Storage, b: Storage, out: Storage, plan: BroadcastPlan): void {
    const r = plan.shape.length;
    if (r > 4) {
      super.binary(op, a, b, out, plan);
      return;
    }
    const pad = 4 - r;
    const d = [1, 1, 1, 1];
    const sa = [0, 0, 0, 0];
    const sb = [0, 0, 0, 0];
    for (let i = 0; i < r; i++) {
      d[pad + i] = plan.shape[i];
      sa[pad + i] = plan.strides[0][i];
      sb[pad + i] = plan.strides[1][i];
    }
    this.kernels.binary(
      BinaryOp[op],
      a.ptr,
      b.ptr,
      out.ptr,
      d[0],
      d[1],
      d[2],
      d[3],
      sa[0],
      sa[1],
      sa[2],
      sa[3],
      sb[0],
      sb[1],
      sb[2],
      sb[3],
    );
  }
  override axpy(y: Storage, x: Storage, alpha: number): void {
    this.kernels.axpy(y.ptr, x.ptr, alpha, y.length);
  }
  override reduceSum(x: Storage, out: Storage, outer: number, n: number, inner: number): void {
    this.kernels.reduceSum(x.ptr, out.ptr, outer, n, inner);
  }
  override reduceMax(
    x: Storage,
    out: Storage,
    idx: Storage | null,
    outer: number,
    n: number,
    inner: number,
  ): void {
    this.kernels.reduceMax(x.ptr, out.ptr, opt(idx), outer, n, inner);
  }
  override gemm(
    a: Storage,
    aOffset: number,
    b: Storage,
    bOffset: number,
    c: Storage,
    cOffset: number,
    M: number,
    N: number,
    K: number,
    transA: boolean,
    transB: boolean,
    accumulate: boolean,
  ): void {
    this.kernels.gemm(
      a.ptr + aOffset * 4,
      b.ptr + bOffset * 4,
      c.ptr + cOffset * 4,
      M,
      N,
      K,
      transA ? 1 : 0,
      transB ? 1 : 0,
      accumulate ? 1 : 0,
      this.scratch,
    );
  }
  override spmm(s: Storage, w: Storage, out: Storage, M: number, K: number, N: number): void {
    this.withTemp(this.kernels.spmmScratchInts(M, K), (scratch) => this.kernels.spmm(s.ptr, w.ptr, out.ptr, M, K, N, scratch));
  }
  override spmmTransposed(
    s: Storage,
    dy: Storage,
    dw: Storage,
    M: number,
    K: number,
    N: number,
    accumulate: boolean,
  ): void {
    this.withTemp(this.kernels.spmmScratchInts(M, K), (scratch) =>
      this.kernels.spmmTransposed(s.ptr, dy.ptr, dw.ptr, M, K, N, accumulate ? 1 : 0, scratch),
    );
  }

  private convArgs(g: Conv2dGeometry): number[] {
    return [g.N, g.C, g.H, g.W, g.OC, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.OH, g.OW];
  }
  /** Floats of the conv kernels' temporary block (im2col columns of a group of images, and a regroup buffer). */
  private colsLength(g: Conv2dGeometry): number {
    return this.kernels.convTempFloats(g.N, g.C, g.kh, g.kw, g.OC, g.OH * g.OW);
  }
  override conv2dForward(x: Storage, w: Storage, out: Storage, g: Conv2dGeometry): void {
    this.withTemp(this.colsLength(g), (cols) =>
      this.kernels.conv2dForward(x.ptr, w.ptr, out.ptr, ...this.convArgs(g), cols, this.scratch),
    );
  }
  override conv2dBackwardInput(dy: Storage, w: Storage, dx: Storage, g: Conv2dGeometry): void {
    this.withTemp(this.colsLength(g), (cols) =>
      this.kernels.conv2dBackwardInput(dy.ptr, w.ptr, dx.ptr, ...this.convArgs(g), cols, this.scratch),
    );
  }
  override conv2dBackwardWeight(x: Storage, dy: Storage, dw: Storage, g: Conv2dGeometry): void {
    this.withTemp(this.colsLength(g), (cols) =>
      this.kernels.conv2dBackwardWeight(x.ptr, dy.ptr, dw.ptr, ...this.convArgs(g), cols, this.scratch),
    );
  }
  private poolArgs(g: Conv2dGeometry): number[] {
    return [g.N * g.C, g.H, g.W, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.OH, g.OW];
  }
  override maxPool2dForward(x: Storage, out: Storage, idx: Storage, g: Conv2dGeometry): void {
    this.kernels.maxPool2dForward(x.ptr, out.ptr, idx.ptr, ...this.poolArgs(g));
  }
  override maxPool2dBackward(dy: Storage, idx: Storage, dx: Storage, g: Conv2dGeometry): void {
    this.kernels.maxPool2dBackward(dy.ptr, idx.ptr, dx.ptr, g.N * g.C, g.H * g.W, g.OH * g.OW);
  }
  override avgPool2dForward(x: Storage, out: Storage, g: Conv2dGeometry): void {
    this.kernels.avgPool2dForward(x.ptr, out.ptr, ...this.poolArgs(g));
  }
  override avgPool2dBackward(dy: Storage, dx: Storage, g: Conv2dGeometry): void {
    this.kernels.avgPool2dBackward(dy.ptr, dx.ptr, ...this.poolArgs(g));
  }
  override lifForward(
    input: Storage,
    mem0: Storage | null,
    mem: Storage,
    spk: Storage,
    p: LifKernelParams,
  ): void {
    this.kernels.lifForward(
      input.ptr,
      opt(mem0),
      mem.ptr,
      spk.ptr,
      ...lifScalars(p),
    );
  }
  override lifBackward(
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
    this.kernels.lifBackward(
      input.ptr,
      opt(mem0),
      mem.ptr,
      spk.ptr,
      opt(gSpk),
      opt(gMem),
      dInput.ptr,
      opt(dMem0),
      ...lifScalars(p),
      p.detachReset ? 1 : 0,
      SurrogateCode[p.surrogate],
      p.surrogateParam,
    );
  }
}

function wasmBytes(base64: string): Uint8Array {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

const imports = {
  env: {
    abort(): never {
      throw new BackendError("wasm kernel aborted");
    },
  },
};

/** Instantiates the wasm backend synchronously (fine in Node and workers; browsers' main thread should use loadWasmBackend). */
export function createWasmBackendSync(base64: string): WasmBackend {
  const module = new WebAssembly.Module(wasmBytes(base64) as BufferSource);
  const instance = new WebAssembly.Instance(module, imports);
  return new WasmBackend(instance.exports as unknown as WasmKernels);
}

/** Instantiates the wasm backend asynchronously. */
export async function loadWasmBackend(base64: string): Promise<WasmBackend> {
  const { instance } = await WebAssembly.instantiate(wasmBytes(base64) as BufferSource, imports);
  return new WasmBackend(instance.exports as unknown as WasmKernels);
}
