// The GEMM family: one dense matrix product with optional transposes, offsets and accumulation.
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

/** Matrix products. */
export interface GemmKernels {
  /** C[M,N] (+)= op(A)·op(B) with element offsets into each storage (see Gemm). */
  gemm(g: Gemm): void;
}

/** The GEMM micro-kernel's tile (assembly/gemm.ts, MR × NR): row and column blocks of a split start on its edges. */
const GEMM_TILE_ROWS = 6;
const GEMM_TILE_COLS = 8;

/** The GEMM family. On wasm, large products are split over the kernel threads by blocks of rows or columns of C. */
export const gemmFamily: KernelFamily<GemmKernels> = {
  reference: {
    gemm: (g) =>
      gemmRef(g.a.f32(), g.aOffset ?? 0, g.b.f32(), g.bOffset ?? 0, g.c.f32(), g.cOffset ?? 0, g.M, g.N, g.K, g.transA ?? false, g.transB ?? false, g.accumulate ?? false),
  },
  wasm: {
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
      const ranges = splitRange(byRows ? M : N, parts, byRows ? GEMM_TILE_ROWS : GEMM_TILE_COLS);
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
