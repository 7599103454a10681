// The spike-product family: products with a spike matrix S (mostly zeros, usually all 0/1) that only do
// work for its nonzero entries. On wasm, binary S takes four-spike lookup tables (assembly/sparse.ts).
import type { Storage } from "../storage.js";
import { splitRange, type WasmContext } from "../wasm/wasm_context.js";
import type { KernelFamily } from "./family.js";

/** out[M,N] = S[M,K]·W[K,N], adding S[m,k]·W[k,:] for each nonzero S[m,k]. */
function spmmRef(
  s: Float32Array,
  w: Float32Array,
  out: Float32Array,
  M: number,
  K: number,
  N: number,
): void {
  out.fill(0, 0, M * N);
  for (let m = 0; m < M; m++)
    for (let k = 0; k < K; k++) {
      const a = s[m * K + k];
      if (a === 0) continue;
      for (let j = 0; j < N; j++) out[m * N + j] += a * w[k * N + j];
    }
}

/** dW[K,N] (+)= S[M,K]ᵀ·dY[M,N], adding S[m,k]·dY[m,:] into row k for each nonzero S[m,k]. */
function spmmTransposedRef(
  s: Float32Array,
  dy: Float32Array,
  dw: Float32Array,
  M: number,
  K: number,
  N: number,
  accumulate: boolean,
): void {
  if (!accumulate) dw.fill(0, 0, K * N);
  for (let m = 0; m < M; m++)
    for (let k = 0; k < K; k++) {
      const a = s[m * K + k];
      if (a === 0) continue;
      for (let j = 0; j < N; j++) dw[k * N + j] += a * dy[m * N + j];
    }
}

/** Products with a spike matrix. */
export interface SpikeProductKernels {
  /** The number of ones in x when every value is 0 or 1 (a spike tensor), else −1 (stops at the first other value). */
  binaryNonzeros(x: Storage): number;
  /**
   * out[M,N] = S[M,K]·W[K,N], skipping zeros of S. With `binaryOnly`, returns false and writes nothing
   * when S holds a value other than 0 or 1 (the caller then runs a GEMM); true otherwise.
   */
  spmm(s: Storage, w: Storage, out: Storage, M: number, K: number, N: number, binaryOnly?: boolean): boolean;
  /** dW[K,N] (+)= S[M,K]ᵀ·dY[M,N], skipping zeros of S. */
  spmmTransposed(s: Storage, dy: Storage, dw: Storage, M: number, K: number, N: number, accumulate: boolean): void;
}

function binaryNonzerosRef(x: Storage): number {
  let ones = 0;
  for (const v of x.f32()) {
    if (v === 1) ones++;
    else if (v !== 0) return -1;
  }
  return ones;
}

/**
 * The spike (table) product on `parts` threads, each taking a range of 32-column chunks with its own
 * table. Returns spikeTablePrepare's status: 1 done; 0 (S binary, the table does not pay) or −1 (S not
 * binary) with nothing written, so the caller runs the one-thread kernel or, for −1, may decline.
 */
function spikeProductThreaded(
  w: WasmContext,
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
  return w.withTemp(w.exports.spmmListsInts(M, K), (lists) => {
    const status = w.exports.spikeTablePrepare(s.ptr, M, K, transposed, lists);
    if (status !== 1) return status;
    const ranges = splitRange(N, parts, 32);
    const tableFloats = w.exports.spikeTableFloats(depth);
    const tables = ranges.map(() => w.allocator.alloc(tableFloats * 4));
    try {
      w.runParts(
        ranges.map(([j0, j1], i) => ({
          kernel: "spikeTableColumns",
          args: [lists, rows, depth, source.ptr, N, out.ptr, accumulate ? 1 : 0, j0, j1, tables[i]],
        })),
      );
    } finally {
      for (const t of tables) w.allocator.free(t, tableFloats * 4);
    }
    return 1;
  });
}

/** The spike-product family. */
export const spikeProductFamily: KernelFamily<SpikeProductKernels> = {
  reference: {
    binaryNonzeros: binaryNonzerosRef,
    spmm(s, w, out, M, K, N, binaryOnly = false) {
      if (binaryOnly && binaryNonzerosRef(s) < 0) return false;
      spmmRef(s.f32(), w.f32(), out.f32(), M, K, N);
      return true;
    },
    spmmTransposed: (s, dy, dw, M, K, N, accumulate) => spmmTransposedRef(s.f32(), dy.f32(), dw.f32(), M, K, N, accumulate),
  },
  wasm: {
    binaryNonzeros: (w) => (x) => w.exports.binaryNonzeros(x.ptr, x.length),
    spmm: (w) => (s, weights, out, M, K, N, binaryOnly = false) => {
      const parts = w.partsFor((M * N * K) / 2);
      if (parts > 1) {
        const status = spikeProductThreaded(w, parts, s, M, K, false, weights, N, out, false);
        if (status === 1) return true;
        if (status < 0 && binaryOnly) return false;
      }
      return w.withTemp(w.exports.spmmScratchInts(M, K), (scratch) => w.exports.spmm(s.ptr, weights.ptr, out.ptr, M, K, N, binaryOnly, scratch));
    },
    spmmTransposed: (w) => (s, dy, dw, M, K, N, accumulate) => {
      const parts = w.partsFor((M * N * K) / 2);
      if (parts > 1 && spikeProductThreaded(w, parts, s, M, K, true, dy, N, dw, accumulate) === 1) return;
      w.withTemp(w.exports.spmmScratchInts(M, K), (scratch) => w.exports.spmmTransposed(s.ptr, dy.ptr, dw.ptr, M, K, N, accumulate, scratch));
    },
  },
};
