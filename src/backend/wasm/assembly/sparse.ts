// Spike-sparse products: work proportional to the nonzeros of the (spike) operand S.

/** Number of nonzero floats in x[0..n). */
export function countNonzero(x: usize, n: i32): i32 {
  let count = 0;
  for (let i = 0; i < n; i++) if (load<f32>(x + (<usize>i << 2)) != 0) count++;
  return count;
}

/** Columns of W (or dY) per cache chunk: the chunk's rows stay in L2 while every row of S passes over them. */
const CHUNK: i32 = 128;

/** Ints of scratch spmm/spmmTransposed need: index lists for up to M·K nonzeros, row/column pointers, and a packed chunk. */
export function spmmScratchInts(M: i32, K: i32): i32 {
  return M * K + M + 2 * K + 24 + max(M, K) * CHUNK;
}

/**
 * Copies columns j0 .. jend of the rows of B [rows, N] into a contiguous [rows, CHUNK] block, so that the
 * gathers below touch a few hundred contiguous kilobytes instead of one page per row (TLB misses).
 */
function packChunk(b: usize, rows: i32, N: i32, j0: i32, jend: i32, dst: usize): void {
  const bytes = <usize>(jend - j0) << 2;
  for (let r = 0; r < rows; r++)
    memory.copy(dst + (<usize>(r * CHUNK) << 2), b + (<usize>(r * N + j0) << 2), bytes);
}

/** Cache-line (64-byte) aligned address at or after p. */
@inline function alignLine(p: usize): usize {
  return (p + 63) & ~(<usize>63);
}

/**
 * CSR of S [M, K]: rowPtr[M + 1] and column indices idx[nnz] (skipping zero groups of four with SIMD).
 * Returns true when every nonzero equals 1 (spikes), so the products can skip the multiplications.
 */
function buildCsr(s: usize, M: i32, K: i32, rowPtr: usize, idx: usize): bool {
  let n = 0;
  let binary = true;
  const zero = f32x4.splat(0);
  for (let m = 0; m < M; m++) {
    store<i32>(rowPtr + (<usize>m << 2), n);
    const row = s + (<usize>(m * K) << 2);
    let k = 0;
    for (; k + 4 <= K; k += 4) {
      if (!v128.any_true(f32x4.ne(v128.load(row + (<usize>k << 2)), zero))) continue;
      for (let q = k; q < k + 4; q++) {
        const v = load<f32>(row + (<usize>q << 2));
        if (v != 0) {
          store<i32>(idx + (<usize>n << 2), q);
          n++;
          if (v != 1) binary = false;
        }
      }
    }
    for (; k < K; k++) {
      const v = load<f32>(row + (<usize>k << 2));
      if (v != 0) {
        store<i32>(idx + (<usize>n << 2), k);
        n++;
        if (v != 1) binary = false;
      }
    }
  }
  store<i32>(rowPtr + (<usize>M << 2), n);
  return binary;
}

/**
 * Σ over the listed rows r of B[r, j0 .. j0+32) (scaled by S's value when not binary), into out[j0 ..):
 * eight SIMD accumulators stay in registers while the index list streams by.
 */
@inline function gatherRows32(
  b: usize, rowBytes: usize, j: i32, idx: usize, p0: i32, p1: i32, binary: bool, sv: usize, svStride: usize,
  dst: usize, accumulate: bool,
): void {
  const col = <usize>j << 2;
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  if (accumulate) {
    a0 = v128.load(dst); a1 = v128.load(dst, 16); a2 = v128.load(dst, 32); a3 = v128.load(dst, 48);
    a4 = v128.load(dst, 64); a5 = v128.load(dst, 80); a6 = v128.load(dst, 96); a7 = v128.load(dst, 112);
  }
  for (let p = p0; p < p1; p++) {
    const r = <usize>load<i32>(idx + (<usize>p << 2));
    const src = b + r * rowBytes + col;
    if (binary) {
      a0 = f32x4.add(a0, v128.load(src)); a1 = f32x4.add(a1, v128.load(src, 16));
      a2 = f32x4.add(a2, v128.load(src, 32)); a3 = f32x4.add(a3, v128.load(src, 48));
      a4 = f32x4.add(a4, v128.load(src, 64)); a5 = f32x4.add(a5, v128.load(src, 80));
      a6 = f32x4.add(a6, v128.load(src, 96)); a7 = f32x4.add(a7, v128.load(src, 112));
    } else {
      const v = f32x4.splat(load<f32>(sv + r * svStride));
      a0 = f32x4.add(a0, f32x4.mul(v, v128.load(src))); a1 = f32x4.add(a1, f32x4.mul(v, v128.load(src, 16)));
      a2 = f32x4.add(a2, f32x4.mul(v, v128.load(src, 32))); a3 = f32x4.add(a3, f32x4.mul(v, v128.load(src, 48)));
      a4 = f32x4.add(a4, f32x4.mul(v, v128.load(src, 64))); a5 = f32x4.add(a5, f32x4.mul(v, v128.load(src, 80)));
      a6 = f32x4.add(a6, f32x4.mul(v, v128.load(src, 96))); a7 = f32x4.add(a7, f32x4.mul(v, v128.load(src, 112)));
    }
  }
  v128.store(dst, a0); v128.store(dst, a1, 16); v128.store(dst, a2, 32); v128.store(dst, a3, 48);
  v128.store(dst, a4, 64); v128.store(dst, a5, 80); v128.store(dst, a6, 96); v128.store(dst, a7, 112);
}

/** The same for columns j .. jend (< 32 of them) with scalar arithmetic. */
@inline function gatherRowsTail(
  b: usize, rowBytes: usize, j: i32, jend: i32, idx: usize, p0: i32, p1: i32, binary: bool, sv: usize,
  svStride: usize, dst: usize, accumulate: bool,
): void {
  for (let c = j; c < jend; c++) {
    const o = <usize>(c - j) << 2;
    let acc: f32 = accumulate ? load<f32>(dst + o) : 0;
    for (let p = p0; p < p1; p++) {
      const r = <usize>load<i32>(idx + (<usize>p << 2));
      const x = load<f32>(b + r * rowBytes + (<usize>c << 2));
      acc += binary ? x : load<f32>(sv + r * svStride) * x;
    }
    store<f32>(dst + o, acc);
  }
}

/**
 * out[M,N] = S[M,K] · W[K,N]. S's nonzeros are listed once (CSR in `scratch`, spmmScratchInts ints);
 * then for each chunk of CHUNK columns and each row m, the W rows of m's nonzeros are summed in registers.
 * Work ∝ nnz(S)·N with no multiplications for binary S.
 */
export function spmm(s: usize, w: usize, out: usize, M: i32, K: i32, N: i32, scratch: usize): void {
  const rowPtr = scratch;
  const idx = scratch + (<usize>(M + 1) << 2);
  const binary = buildCsr(s, M, K, rowPtr, idx);
  const packed = alignLine(idx + (<usize>(M * K) << 2));
  const rowBytes = <usize>N << 2;
  for (let j0 = 0; j0 < N; j0 += CHUNK) {
    const jend = min(j0 + CHUNK, N);
    packChunk(w, K, N, j0, jend, packed);
    for (let m = 0; m < M; m++) {
      const p0 = load<i32>(rowPtr + (<usize>m << 2));
      const p1 = load<i32>(rowPtr + (<usize>(m + 1) << 2));
      const sv = s + (<usize>(m * K) << 2); // S[m, r] = sv + r·4
      const dstRow = out + <usize>m * rowBytes;
      let j = j0;
      for (; j + 32 <= jend; j += 32)
        gatherRows32(packed, CHUNK << 2, j - j0, idx, p0, p1, binary, sv, 4, dstRow + (<usize>j << 2), false);
      if (j < jend)
        gatherRowsTail(packed, CHUNK << 2, j - j0, jend - j0, idx, p0, p1, binary, sv, 4, dstRow + (<usize>j << 2), false);
    }
  }
}

/**
 * dW[K,N] (+)= S[M,K]ᵀ · dY[M,N]. S's nonzeros are listed by column (CSC in `scratch`); then for each
 * chunk of columns of dY and each row k of dW, the dY rows of the nonzeros in column k of S are summed in
 * registers.
 */
export function spmmTransposed(s: usize, dy: usize, dw: usize, M: i32, K: i32, N: i32, accumulate: bool, scratch: usize): void {
  const colPtr = scratch;
  const cursor = scratch + (<usize>(K + 1) << 2);
  const idx = cursor + (<usize>K << 2);
  memory.fill(colPtr, 0, <usize>(K + 1) << 2);
  let binary = true;
  for (let m = 0; m < M; m++) {
    const row = s + (<usize>(m * K) << 2);
    for (let k = 0; k < K; k++) {
      const v = load<f32>(row + (<usize>k << 2));
      if (v != 0) {
        const c = colPtr + (<usize>(k + 1) << 2);
        store<i32>(c, load<i32>(c) + 1);
        if (v != 1) binary = false;
      }
    }
  }
  for (let k = 0; k < K; k++) {
    const start = load<i32>(colPtr + (<usize>k << 2));
    const next = colPtr + (<usize>(k + 1) << 2);
    store<i32>(next, load<i32>(next) + start);
    store<i32>(cursor + (<usize>k << 2), start);
  }
  for (let m = 0; m < M; m++) {
    const row = s + (<usize>(m * K) << 2);
    for (let k = 0; k < K; k++) {
      if (load<f32>(row + (<usize>k << 2)) != 0) {
        const c = cursor + (<usize>k << 2);
        const at = load<i32>(c);
        store<i32>(idx + (<usize>at << 2), m);
        store<i32>(c, at + 1);
      }
    }
  }
  const packed = alignLine(idx + (<usize>(M * K) << 2));
  const rowBytes = <usize>N << 2;
  const sStride = <usize>K << 2; // S[r, k] = s + k·4 + r·K·4
  for (let j0 = 0; j0 < N; j0 += CHUNK) {
    const jend = min(j0 + CHUNK, N);
    packChunk(dy, M, N, j0, jend, packed);
    for (let k = 0; k < K; k++) {
      const p0 = load<i32>(colPtr + (<usize>k << 2));
      const p1 = load<i32>(colPtr + (<usize>(k + 1) << 2));
      const sv = s + (<usize>k << 2);
      const dstRow = dw + <usize>k * rowBytes;
      let j = j0;
      for (; j + 32 <= jend; j += 32)
        gatherRows32(packed, CHUNK << 2, j - j0, idx, p0, p1, binary, sv, sStride, dstRow + (<usize>j << 2), accumulate);
      if (j < jend)
        gatherRowsTail(packed, CHUNK << 2, j - j0, jend - j0, idx, p0, p1, binary, sv, sStride, dstRow + (<usize>j << 2), accumulate);
    }
  }
}
