// The default backend: SIMD128 kernels compiled from AssemblyScript (src/backend/wasm/assembly). Tensors
// live in wasm linear memory; kernels receive byte offsets, so no op copies its operands. The kernels
// without a wasm version (REFERENCE_KERNELS) run the reference code on views of the same memory.
import { BackendError } from "../../errors.js";
import type {
  BackendName,
  BroadcastPlan,
  Conv2dGeometry,
  DType,
  Gemm,
  LifKernelParams,
  Storage,
  TypedArray,
} from "../backend.js";
import { bytesPerElement, JsBackend, StorageBase } from "../js/js_backend.js";
import { SurrogateCode } from "../../surrogate/surrogate.js";
import { BinaryOp, type BinaryOpName, ResetCode, UnaryOp, type UnaryOpName } from "../kernel_codes.js";
import { WasmAllocator } from "./allocator.js";
import { type KernelPart, KernelThreads, kernelWorkerPlatform, type ThreadedKernel } from "./kernel_threads.js";
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

/**
 * Floating-point operations below which a kernel call runs on one thread: handing parts to the workers
 * costs some tens of microseconds, about what 2²¹ operations take.
 */
const MIN_THREADED_WORK = 1 << 21;

/** The GEMM micro-kernel's tile (gemm.ts, MR × NR): row and column blocks of a split start on its edges. */
const GEMM_TILE_ROWS = 6;
const GEMM_TILE_COLS = 8;

/** Largest spike density at which convolutions take the spike-product path. */
const SPIKE_CONV_MAX_DENSITY = 0.5;

/** Splits [0, n) into at most `parts` ranges whose starts are multiples of `unit`. */
function splitRange(n: number, parts: number, unit: number): [number, number][] {
  const size = Math.ceil(n / parts / unit) * unit;
  const out: [number, number][] = [];
  for (let start = 0; start < n; start += size) out.push([start, Math.min(n, start + size)]);
  return out;
}

/**
 * The kernels the wasm backend runs with the reference (js) code, on typed-array views of its memory
 * (no copies). Every other kernel has a wasm binding; a test fails when a kernel is neither bound nor
 * listed here, so a fallback is always a decision.
 */
export const REFERENCE_KERNELS = ["fill", "copy", "stridedCopy", "compare", "where", "softmax", "softmaxGrad", "gather", "scatterAdd"] as const;

/** The wasm SIMD128 backend; with kernel threads (Node), GEMM, conv and spike products run in parallel. */
export class WasmBackend extends JsBackend {
  override readonly name: BackendName = "wasm";
  readonly allocator: WasmAllocator;
  /** GEMM packing scratch, one per thread (index 0: the main thread). */
  private readonly scratches: number[] = [];
  private threadCount = 1;

  /** `threads`: the kernel workers of a shared-memory instance (null: one thread). */
  constructor(
    readonly kernels: WasmKernels,
    private readonly threads: KernelThreads | null = null,
  ) {
    super();
    this.allocator = new WasmAllocator(kernels.memory, kernels.heapBase());
    this.scratches.push(this.allocator.alloc(kernels.gemmScratchBytes()));
  }

  /** Threads the parallel kernels use (the main thread included). */
  getThreads(): number {
    return this.threadCount;
  }

  /** Sets the threads the parallel kernels use (capped at 1 without kernel threads). */
  setThreads(count: number): void {
    this.threadCount = this.threads ? Math.max(1, Math.floor(count)) : 1;
  }

  /** Threads worth using for `work` floating-point operations. */
  private partsFor(work: number): number {
    return Math.max(1, Math.min(this.threadCount, Math.floor(work / MIN_THREADED_WORK)));
  }

  /** GEMM packing scratch of thread `i`. */
  private scratchOf(i: number): number {
    while (this.scratches.length <= i) this.scratches.push(this.allocator.alloc(this.kernels.gemmScratchBytes()));
    return this.scratches[i];
  }

  /** Runs kernel parts: on the threads when there are several, else here. */
  private runParts(parts: KernelPart[]): void {
    if (parts.length > 1 && this.threads) this.threads.run(parts, this.runHere);
    else for (const p of parts) this.runHere(p);
  }

  /** Runs one kernel part on the main thread's instance. */
  private readonly runHere = (part: KernelPart): void => {
    (this.kernels[part.kernel] as (...a: readonly number[]) => void)(...part.args);
  };

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
  override gemm(g: Gemm): void {
    const { a, b, c, M, N, K, aOffset = 0, bOffset = 0, cOffset = 0, transA = false, transB = false, accumulate = false } = g;
    const parts = this.partsFor(2 * M * N * K);
    const [ta, tb, acc] = [transA ? 1 : 0, transB ? 1 : 0, accumulate ? 1 : 0];
    const [pa, pb, pc] = [a.ptr + aOffset * 4, b.ptr + bOffset * 4, c.ptr + cOffset * 4];
    if (parts === 1) {
      this.kernels.gemm(pa, pb, pc, M, N, K, transA, transB, accumulate, this.scratchOf(0));
      return;
    }
    // Each thread takes a block of rows of C (of columns when C is wide); every C element is still
    // summed over K in the same order, so the result does not depend on the thread count.
    const [lda, ldb, ldc] = [transA ? M : K, transB ? K : N, N];
    const byRows = M >= N;
    const ranges = splitRange(byRows ? M : N, parts, byRows ? GEMM_TILE_ROWS : GEMM_TILE_COLS);
    this.runParts(
      ranges.map(([r0, r1], i) => {
        const aPart = byRows ? pa + 4 * (transA ? r0 : r0 * lda) : pa;
        const bPart = byRows ? pb : pb + 4 * (transB ? r0 * ldb : r0);
        const cPart = pc + 4 * (byRows ? r0 * ldc : r0);
        const [m, n] = byRows ? [r1 - r0, N] : [M, r1 - r0];
        return { kernel: "gemmStrided", args: [aPart, bPart, cPart, m, n, K, lda, ldb, ldc, ta, tb, acc, this.scratchOf(i)] };
      }),
    );
  }
  override spmm(s: Storage, w: Storage, out: Storage, M: number, K: number, N: number, binaryOnly = false): boolean {
    const parts = this.partsFor((M * N * K) / 2);
    if (parts > 1) {
      const status = this.spikeProductThreaded(parts, s, M, K, false, w, N, out, false);
      if (status === 1) return true;
      if (status < 0 && binaryOnly) return false;
    }
    return this.withTemp(this.kernels.spmmScratchInts(M, K), (scratch) => this.kernels.spmm(s.ptr, w.ptr, out.ptr, M, K, N, binaryOnly, scratch));
  }

  /**
   * The spike (table) product on `parts` threads, each taking a range of 32-column chunks with its own
   * table. Returns spikeTablePrepare's status: 1 done; 0 (S binary, the table does not pay) or −1 (S not
   * binary) with nothing written, so the caller runs the one-thread kernel or, for −1, may decline.
   */
  private spikeProductThreaded(
    parts: number,
    s: Storage,
    M: number,
    K: number,
    transposed: boolean,
    source: Storage,
    N: number,
    out: Storage,
    accumulate: boolean,
  ): number {
    const [rows, depth] = transposed ? [K, M] : [M, K];
    return this.withTemp(this.kernels.spmmListsInts(M, K), (lists) => {
      const status = this.kernels.spikeTablePrepare(s.ptr, M, K, transposed, lists);
      if (status !== 1) return status;
      const ranges = splitRange(N, parts, 32);
      const tableFloats = this.kernels.spikeTableFloats(depth);
      const tables = ranges.map(() => this.allocator.alloc(tableFloats * 4));
      try {
        this.runParts(
          ranges.map(([j0, j1], i) => ({
            kernel: "spikeTableColumns",
            args: [lists, rows, depth, source.ptr, N, out.ptr, accumulate ? 1 : 0, j0, j1, tables[i]],
          })),
        );
      } finally {
        for (const t of tables) this.allocator.free(t, tableFloats * 4);
      }
      return 1;
    });
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
    const parts = this.partsFor((M * N * K) / 2);
    if (parts > 1 && this.spikeProductThreaded(parts, s, M, K, true, dy, N, dw, accumulate) === 1) return;
    this.withTemp(this.kernels.spmmScratchInts(M, K), (scratch) =>
      this.kernels.spmmTransposed(s.ptr, dy.ptr, dw.ptr, M, K, N, accumulate, scratch),
    );
  }

  private convArgs(g: Conv2dGeometry): number[] {
    return [g.N, g.C, g.H, g.W, g.OC, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.OH, g.OW];
  }
  /**
   * Runs a conv kernel over the batch split into image ranges, one per thread, each with its own
   * temporary block of `tempFloats(images)` floats (and GEMM scratch for the GEMM kernels). The two
   * operands are [pointer, floats per image] (0: shared by all images, the weights); `output(i, n0)` is
   * where part i, starting at image n0, writes. Returns the number of parts.
   */
  private convByImages(
    kernel: ThreadedKernel,
    g: Conv2dGeometry,
    first: [number, number],
    second: [number, number],
    output: (i: number, n0: number) => number,
  ): number {
    const ohw = g.OH * g.OW;
    const spikes = kernel === "conv2dSpikeForward" || kernel === "conv2dSpikeBackwardWeight";
    const tempFloats = (n: number) =>
      (spikes ? this.kernels.convSpikeTempFloats : this.kernels.convTempFloats)(n, g.C, g.kh, g.kw, g.OC, ohw);
    const ranges = splitRange(g.N, this.partsFor(2 * g.N * g.OC * ohw * g.C * g.kh * g.kw), 1);
    const temps = ranges.map(([n0, n1]) => 4 * tempFloats(n1 - n0));
    const ptrs = temps.map((bytes) => this.allocator.alloc(bytes));
    try {
      this.runParts(
        ranges.map(([n0, n1], i) => ({
          kernel,
          args: [
            first[0] + 4 * n0 * first[1],
            second[0] + 4 * n0 * second[1],
            output(i, n0),
            ...this.convArgs({ ...g, N: n1 - n0 }),
            ptrs[i],
            ...(spikes ? [] : [this.scratchOf(i)]),
          ],
        })),
      );
    } finally {
      ptrs.forEach((ptr, i) => this.allocator.free(ptr, temps[i]));
    }
    return ranges.length;
  }

  /**
   * Whether x is a spike tensor (every value 0 or 1) at most half active: then the spike-product
   * convolution beats im2col + GEMM (measured with `npx snnkit bench`, bench/results/).
   */
  private isSpikeInput(x: Storage): boolean {
    const ones = this.binaryNonzeros(x);
    return ones >= 0 && ones <= SPIKE_CONV_MAX_DENSITY * x.length;
  }

  /** Runs fn with w [OC, C·kh·kw] transposed to [C·kh·kw, OC] in a temporary block. */
  private withTransposed<R>(w: Storage, rows: number, cols: number, fn: (wt: number) => R): R {
    return this.withTemp(rows * cols, (wt) => {
      this.kernels.transposeBatched(w.ptr, wt, 1, rows, cols);
      return fn(wt);
    });
  }

  override binaryNonzeros(x: Storage): number {
    return this.kernels.binaryNonzeros(x.ptr, x.length);
  }

  override conv2dForward(x: Storage, w: Storage, out: Storage, g: Conv2dGeometry): void {
    const [xImage, outImage, ckk] = [g.C * g.H * g.W, g.OC * g.OH * g.OW, g.C * g.kh * g.kw];
    const output = (_: number, n0: number) => out.ptr + 4 * n0 * outImage;
    if (this.isSpikeInput(x))
      this.withTransposed(w, g.OC, ckk, (wt) => this.convByImages("conv2dSpikeForward", g, [x.ptr, xImage], [wt, 0], output));
    else this.convByImages("conv2dForward", g, [x.ptr, xImage], [w.ptr, 0], output);
  }
  override conv2dBackwardInput(dy: Storage, w: Storage, dx: Storage, g: Conv2dGeometry): void {
    const dxImage = g.C * g.H * g.W;
    this.convByImages("conv2dBackwardInput", g, [dy.ptr, g.OC * g.OH * g.OW], [w.ptr, 0], (_, n0) => dx.ptr + 4 * n0 * dxImage);
  }
  override conv2dBackwardWeight(x: Storage, dy: Storage, dw: Storage, g: Conv2dGeometry): void {
    // Each image range sums its own weight gradient (part 0 into the result) and the partial sums are
    // added after, so dw's rounding depends on the thread count (the other kernels' results do not).
    // Spike inputs give the gradient transposed ([C·kh·kw, OC]), transposed back at the end.
    const spikes = this.isSpikeInput(x);
    const bytes = dw.length * 4;
    const result = spikes ? this.allocator.alloc(bytes) : dw.ptr;
    const partials: number[] = [];
    try {
      const kernel = spikes ? "conv2dSpikeBackwardWeight" : "conv2dBackwardWeight";
      const parts = this.convByImages(kernel, g, [x.ptr, g.C * g.H * g.W], [dy.ptr, g.OC * g.OH * g.OW], (i) => {
        if (i === 0) return result;
        partials.push(this.allocator.alloc(bytes));
        return partials[partials.length - 1];
      });
      for (let i = 1; i < parts; i++) this.kernels.axpy(result, partials[i - 1], 1, dw.length);
      if (spikes) this.kernels.transposeBatched(result, dw.ptr, 1, g.C * g.kh * g.kw, g.OC);
    } finally {
      for (const p of partials) this.allocator.free(p, bytes);
      if (spikes) this.allocator.free(result, bytes);
    }
  }
  private poolArgs(g: Conv2dGeometry): [P: number, H: number, W: number, kh: number, kw: number, sh: number, sw: number, ph: number, pw: number, OH: number, OW: number] {
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
      p.detachReset,
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

/** Pages of the shared memory: initial as the kernels' build declares it, maximum the wasm32 limit. */
const SHARED_MEMORY = { initial: 32, maximum: 65536, shared: true } as const;

/**
 * Instantiates the shared-memory build of the kernels on a new shared memory, with kernel threads
 * (started on first use) from the installed platform, at its default thread count; null where no platform
 * is installed (useKernelWorkers) or SharedArrayBuffer is missing.
 */
export function createThreadedWasmBackendSync(sharedBase64: string): WasmBackend | null {
  const platform = kernelWorkerPlatform();
  if (!platform) return null;
  const module = new WebAssembly.Module(wasmBytes(sharedBase64) as BufferSource);
  const memory = new WebAssembly.Memory(SHARED_MEMORY);
  const instance = new WebAssembly.Instance(module, { env: { ...imports.env, memory } });
  const backend = new WasmBackend(instance.exports as unknown as WasmKernels, new KernelThreads(module, memory, platform.spawn));
  backend.setThreads(platform.defaultThreads());
  return backend;
}

/** Instantiates the wasm backend asynchronously. */
export async function loadWasmBackend(base64: string): Promise<WasmBackend> {
  const { instance } = await WebAssembly.instantiate(wasmBytes(base64) as BufferSource, imports);
  return new WasmBackend(instance.exports as unknown as WasmKernels);
}
