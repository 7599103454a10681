// The GEMM family: dense matrix products. GEMM with optional transposes, offsets and accumulation, and
// the matrix-vector kernels (gemv, ger) that online (batch 1) training needs, where GEMM's packing of
// the matrix would cost more than the product.
import { GemmTile } from "../kernel_codes.js";
import type { Storage } from "../storage.js";
import { splitRange } from "../wasm/wasm_context.js";
import type { KernelFamily } from "./family.js";

/**
 * Reference GEMM: C[M,N] (+)= op(A)[M,K]·op(B)[K,N], row-major, with element offsets.
 * op(A) = A stored [M,K], or Aᵀ with A stored [K,M]; likewise B ([K,N] or [N,K]).
 */
function gemmRef(
  a: Float32Array,
  aOff: number,
  b: Float32Array,
  bOff: number,
  c: Float32Array,
  cOff: number,
  M: number,
  N: number,
  K: number,
  transA: boolean,
  transB: boolean,
  accumulate: boolean,
): void {
  const aRow = transA ? 1 : K; // stride between rows i of op(A)
  const aCol = transA ? M : 1; // stride between columns p of op(A)
  const bRow = transB ? 1 : N;
  const bCol = transB ? K : 1;
  const acc = new Float64Array(N);
  for (let i = 0; i < M; i++) {
    acc.fill(0);
    for (let p = 0; p < K; p++) {
      const av = a[aOff + i * aRow + p * aCol];
      const bBase = bOff + p * bRow;
      for (let j = 0; j < N; j++) acc[j] += av * b[bBase + j * bCol];
    }
    const cBase = cOff + i * N;
    for (let j = 0; j < N; j++) c[cBase + j] = accumulate ? c[cBase + j] + acc[j] : acc[j];
  }
}

/**
 * One matrix product C[M,N] = op(A)·op(B), added to C when `accumulate`: A is [M,K] (stored [K,M] when
 * transA), B is [K,N] (stored [N,K] when transB), each at an element offset into its storage.
 */
interface Gemm {
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

/**
 * A matrix-vector product with A [M, N] row-major: y[M] (+)= A·x[N], or with `trans`, y[N] (+)= Aᵀ·x[M]
 * (the rows of A weighted by x; rows with x[m] = 0 are skipped).
 */
interface Gemv {
  a: Storage;
  x: Storage;
  y: Storage;
  M: number;
  N: number;
  trans: boolean;
  accumulate: boolean;
}

/** The rank-1 update A [M, N] += (alpha·x[m])·y for the rows with alpha·x[m] ≠ 0 (BLAS ger). */
interface Ger {
  a: Storage;
  x: Storage;
  y: Storage;
  M: number;
  N: number;
  alpha: number;
}

/** Matrix products. */
export interface GemmKernels {
  /** C[M,N] (+)= op(A)·op(B) with element offsets into each storage (see Gemm). */
  gemm(g: Gemm): void;
  gemv(g: Gemv): void;
  ger(g: Ger): void;
}

function gemvRef(g: Gemv): void {
  const [a, x, y] = [g.a.f32(), g.x.f32(), g.y.f32()];
  const { M, N } = g;
  if (!g.trans) {
    for (let m = 0; m < M; m++) {
      let s = 0;
      for (let n = 0; n < N; n++) s += a[m * N + n] * x[n];
      y[m] = g.accumulate ? y[m] + s : s;
    }
    return;
  }
  const acc = new Float64Array(N);
  for (let m = 0; m < M; m++) if (x[m] !== 0) for (let n = 0; n < N; n++) acc[n] += x[m] * a[m * N + n];
  for (let n = 0; n < N; n++) y[n] = g.accumulate ? y[n] + acc[n] : acc[n];
}

function gerRef(g: Ger): void {
  const [a, x, y] = [g.a.f32(), g.x.f32(), g.y.f32()];
  const alpha = Math.fround(g.alpha);
  for (let m = 0; m < g.M; m++) {
    const s = Math.fround(alpha * x[m]);
    if (s !== 0) for (let n = 0; n < g.N; n++) a[m * g.N + n] += Math.fround(s * y[n]);
  }
}


/** The GEMM family. On wasm, large products are split over the kernel threads by blocks of rows or columns of C. */
export const gemmFamily: KernelFamily<GemmKernels> = {
  reference: {
    gemm: (g) =>
      gemmRef(g.a.f32(), g.aOffset ?? 0, g.b.f32(), g.bOffset ?? 0, g.c.f32(), g.cOffset ?? 0, g.M, g.N, g.K, g.transA ?? false, g.transB ?? false, g.accumulate ?? false),
    gemv: gemvRef,
    ger: gerRef,
  },
  wasm: {
    gemv: (w) => (g) => w.exports.gemv(g.a.ptr, g.x.ptr, g.y.ptr, g.M, g.N, g.trans, g.accumulate),
    ger: (w) => (g) => w.exports.ger(g.a.ptr, g.x.ptr, g.y.ptr, g.M, g.N, g.alpha),
    gemm: (w) => (g) => {
      const { a, b, c, M, N, K, aOffset = 0, bOffset = 0, cOffset = 0, transA = false, transB = false, accumulate = false } = g;
      const parts = w.partsFor(2 * M * N * K);
      const [ta, tb, acc] = [transA ? 1 : 0, transB ? 1 : 0, accumulate ? 1 : 0];
      const [pa, pb, pc] = [a.ptr + aOffset * 4, b.ptr + bOffset * 4, c.ptr + cOffset * 4];
      if (parts === 1) {
        w.exports.gemm(pa, pb, pc, M, N, K, transA, transB, accumulate, w.scratchOf(0));
        return;
      }
      // Each thread takes a block of rows of C (of columns when C is wide); every C element is still
      // summed over K in the same order, so the result does not depend on the thread count.
      const [lda, ldb, ldc] = [transA ? M : K, transB ? K : N, N];
      const byRows = M >= N;
      const ranges = splitRange(byRows ? M : N, parts, byRows ? GemmTile.rows : GemmTile.cols);
      w.runParts(
        ranges.map(([r0, r1], i) => {
          const aPart = byRows ? pa + 4 * (transA ? r0 : r0 * lda) : pa;
          const bPart = byRows ? pb : pb + 4 * (transB ? r0 * ldb : r0);
          const cPart = pc + 4 * (byRows ? r0 * ldc : r0);
          const [m, n] = byRows ? [r1 - r0, N] : [M, r1 - r0];
          return { kernel: "gemmStrided", args: [aPart, bPart, cPart, m, n, K, lda, ldb, ldc, ta, tb, acc, w.scratchOf(i)] };
        }),
      );
    },
  },
};
