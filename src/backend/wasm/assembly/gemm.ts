// Blocked single-precision GEMM with a 4x8 SIMD128 micro-kernel (BLIS-style packing). Four rows, not six:
// V8 keeps the eight accumulators of a 4x8 tile in registers, but spills those of a 6x8 tile to the stack
// on every step (1024³ on one Zen 4 thread: 4x8 about 37 GFLOP/s, 5x8 20, 6x8 21).
//   C[M,N] (+)= op(A)[M,K] · op(B)[K,N], all row-major; lda, ldb, ldc are the stored row lengths in floats.
//   op(A) = A (stored [M,K]) or Aᵀ (stored [K,M]); op(B) = B (stored [K,N]) or Bᵀ (stored [N,K]).
// Leading dimensions let a caller hand a block of rows or columns of C to each thread.
// Transposes are absorbed by the packing routines, so every variant runs the same micro-kernel.

import { GEMM_TILE_COLS, GEMM_TILE_ROWS } from "./codes";

// The tile, as src/backend/kernel_codes.ts defines it (the micro-kernel below is written out for 4 × 8).
const MR: i32 = GEMM_TILE_ROWS;
const NR: i32 = GEMM_TILE_COLS;
/** Depth of one packed block (floats of K per panel). */
export const GEMM_KC: i32 = 256;
/** Rows of A packed at once (a multiple of MR). */
export const GEMM_MC: i32 = 96;
/** Columns of B packed at once (a multiple of NR). */
export const GEMM_NC: i32 = 1024;

/** Bytes of scratch memory gemm() needs: packed A block, packed B block, one edge tile. */
export function gemmScratchBytes(): i32 {
  return (GEMM_MC * GEMM_KC + GEMM_KC * GEMM_NC + MR * NR) * 4;
}

@inline function packA(
  a: usize, transA: bool, lda: i32, ic: i32, pc: i32, mc: i32, kc: i32, ap: usize,
): void {
  for (let ip = 0; ip < mc; ip += MR) {
    const rows = min(MR, mc - ip);
    const base = ap + (<usize>(ip * kc) << 2);
    for (let p = 0; p < kc; p++) {
      const dst = base + (<usize>(p * MR) << 2);
      for (let r = 0; r < MR; r++) {
        let v: f32 = 0;
        if (r < rows) {
          const i = ic + ip + r;
          const k = pc + p;
          v = transA
            ? load<f32>(a + (<usize>(k * lda + i) << 2))
            : load<f32>(a + (<usize>(i * lda + k) << 2));
        }
        store<f32>(dst + (<usize>r << 2), v);
      }
    }
  }
}

@inline function packB(
  b: usize, transB: bool, ldb: i32, jc: i32, pc: i32, nc: i32, kc: i32, bp: usize,
): void {
  for (let jp = 0; jp < nc; jp += NR) {
    const cols = min(NR, nc - jp);
    const base = bp + (<usize>(jp * kc) << 2);
    for (let p = 0; p < kc; p++) {
      const dst = base + (<usize>(p * NR) << 2);
      const k = pc + p;
      if (!transB && cols == NR) {
        const src = b + (<usize>(k * ldb + jc + jp) << 2);
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        continue;
      }
      for (let c = 0; c < NR; c++) {
        let v: f32 = 0;
        if (c < cols) {
          const j = jc + jp + c;
          v = transB
            ? load<f32>(b + (<usize>(j * ldb + k) << 2))
            : load<f32>(b + (<usize>(k * ldb + j) << 2));
        }
        store<f32>(dst + (<usize>c << 2), v);
      }
    }
  }
}

/**
 * c + a·b per lane: one fused multiply-add where the build has relaxed SIMD and the engine fuses it (the
 * kernels-relaxed builds, loaded where WebAssembly.validate accepts relaxed SIMD), else a multiply and an add.
 * Fused or not is the engine's choice, so results may differ from the plain build's by the product's rounding.
 */
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** 4x8 micro-kernel: tile (+)= Ap[kc×4]ᵀ · Bp[kc×8]; writes into C (ldc floats per row) or into `edge`. */
@inline function microKernel(
  kc: i32, ap: usize, bp: usize, c: usize, ldc: i32, rows: i32, cols: i32, edge: usize,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let pa = ap;
  let pb = bp;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    pa += 16;
    pb += 32;
  }
  if (rows == MR && cols == NR) {
    const s = <usize>ldc << 2;
    let r = c;
    v128.store(r, f32x4.add(v128.load(r), c00));
    v128.store(r, f32x4.add(v128.load(r, 16), c01), 16);
    r += s;
    v128.store(r, f32x4.add(v128.load(r), c10));
    v128.store(r, f32x4.add(v128.load(r, 16), c11), 16);
    r += s;
    v128.store(r, f32x4.add(v128.load(r), c20));
    v128.store(r, f32x4.add(v128.load(r, 16), c21), 16);
    r += s;
    v128.store(r, f32x4.add(v128.load(r), c30));
    v128.store(r, f32x4.add(v128.load(r, 16), c31), 16);
    return;
  }
  v128.store(edge, c00); v128.store(edge, c01, 16);
  v128.store(edge, c10, 32); v128.store(edge, c11, 48);
  v128.store(edge, c20, 64); v128.store(edge, c21, 80);
  v128.store(edge, c30, 96); v128.store(edge, c31, 112);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const dst = c + (<usize>(i * ldc + j) << 2);
      store<f32>(dst, load<f32>(dst) + load<f32>(edge + (<usize>(i * NR + j) << 2)));
    }
  }
}

/** gemmStrided on contiguous operands. */
export function gemm(
  a: usize, b: usize, c: usize, M: i32, N: i32, K: i32,
  transA: bool, transB: bool, accumulate: bool, scratch: usize,
): void {
  gemmStrided(a, b, c, M, N, K, transA ? M : K, transB ? K : N, N, transA, transB, accumulate, scratch);
}

/**
 * C[M,N] = op(A)·op(B) (accumulate = false) or C += op(A)·op(B) (accumulate = true), with stored row
 * lengths lda, ldb, ldc. `scratch` must hold gemmScratchBytes() bytes.
 */
export function gemmStrided(
  a: usize, b: usize, c: usize, M: i32, N: i32, K: i32, lda: i32, ldb: i32, ldc: i32,
  transA: bool, transB: bool, accumulate: bool, scratch: usize,
): void {
  if (M <= 0 || N <= 0) return;
  if (!accumulate) {
    if (ldc == N) memory.fill(c, 0, <usize>(M * N) << 2);
    else for (let i = 0; i < M; i++) memory.fill(c + (<usize>(i * ldc) << 2), 0, <usize>N << 2);
  }
  if (K <= 0) return;
  const ap = scratch;
  const bp = ap + (<usize>(GEMM_MC * GEMM_KC) << 2);
  const edge = bp + (<usize>(GEMM_KC * GEMM_NC) << 2);
  for (let jc = 0; jc < N; jc += GEMM_NC) {
    const nc = min(GEMM_NC, N - jc);
    for (let pc = 0; pc < K; pc += GEMM_KC) {
      const kc = min(GEMM_KC, K - pc);
      packB(b, transB, ldb, jc, pc, nc, kc, bp);
      for (let ic = 0; ic < M; ic += GEMM_MC) {
        const mc = min(GEMM_MC, M - ic);
        packA(a, transA, lda, ic, pc, mc, kc, ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const bpanel = bp + (<usize>(jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const cTile = c + (<usize>((ic + ir) * ldc + jc + jr) << 2);
            microKernel(kc, ap + (<usize>(ir * kc) << 2), bpanel, cTile, ldc, rows, cols, edge);
          }
        }
      }
    }
  }
}
