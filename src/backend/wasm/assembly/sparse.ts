// Spike-sparse products: work proportional to the nonzeros of the (spike) operand S.

/** Columns of W (or dY) per cache chunk: the chunk's rows stay in L2 while every row of S passes over them. */
const CHUNK: i32 = 128;

/** Ints of scratch spmm/spmmTransposed need: the larger of the weighted path's (index lists for up to M·K nonzeros, row/column pointers, a packed chunk) and the spike path's (spikeTableScratchInts). */
export function spmmScratchInts(M: i32, K: i32): i32 {
  return max(M * K + M + 2 * K + 24 + max(M, K) * CHUNK, max(spikeTableScratchInts(M, K), spikeTableScratchInts(K, M)));
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
function spmmWeighted(s: usize, w: usize, out: usize, M: i32, K: i32, N: i32, scratch: usize): void {
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
function spmmTransposedWeighted(
  s: usize, dy: usize, dw: usize, M: i32, K: i32, N: i32, accumulate: bool, scratch: usize,
): void {
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

// ---- Spike (binary) operands: four-spike lookup tables ("method of four Russians") ----
// For S ∈ {0,1}, group the summed rows of B in fours: a group's 16 subset sums are tabulated once per
// 32-column chunk, and each output row adds one table row per nonzero 4-bit code of its spikes instead
// of one B row per spike. At spike density d that is 1 − (1 − d)⁴ additions per group of four instead of
// 4d (0.76 vs 1.2 at d = 0.3), for 11 table additions per group and chunk.

/** Groups of four source rows per table block; a block's table (128·16 rows of 32 floats) is 256 KiB. */
const GROUPS_PER_BLOCK: i32 = 128;
/** Columns per table row (eight SIMD registers). */
const TABLE_COLS: i32 = 32;

/** The number of ones in x[0..n) when every value is 0 or 1, else −1. */
export function binaryNonzeros(x: usize, n: i32): i32 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  let ones = i32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    const isOne = f32x4.eq(v, one);
    if (!i32x4.all_true(v128.or(f32x4.eq(v, zero), isOne))) return -1;
    ones = i32x4.sub(ones, isOne); // lanes of isOne are −1 where v = 1
  }
  let count = i32x4.extract_lane(ones, 0) + i32x4.extract_lane(ones, 1) + i32x4.extract_lane(ones, 2) + i32x4.extract_lane(ones, 3);
  for (; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    if (v == 1) count++;
    else if (v != 0) return -1;
  }
  return count;
}

/**
 * Whether the table product beats summing one row per spike for `rows` output rows over `depth` inputs with
 * `ones` spikes in all: per group of four inputs and 32-column chunk, a table costs 15 row operations
 * (4 copies, 11 additions) and then each row adds 1 − (1 − d)⁴ table rows instead of 4d weight rows.
 */
function tablePays(rows: i32, depth: i32, ones: i32): bool {
  const d = <f64>ones / (<f64>rows * <f64>depth);
  const q = 1 - d;
  return <f64>rows * (1 - q * q * q * q) + 15 < <f64>rows * 4 * d;
}

/** Groups of four rows in `depth` rows. */
@inline function groupsOf(depth: i32): i32 {
  return (depth + 3) >> 2;
}
/** Table blocks of G groups. */
@inline function blocksOf(G: i32): i32 {
  return (G + GROUPS_PER_BLOCK - 1) / GROUPS_PER_BLOCK;
}
/** Where the entry lists start in a lists block: after the [rows, G] bytes of codes. */
@inline function entriesAt(lists: usize, rows: i32, G: i32): usize {
  return alignLine(lists + <usize>(rows * G));
}
/** Where the (row, block) bounds start: after the entries (at most one per code). */
@inline function boundsAt(lists: usize, rows: i32, G: i32): usize {
  return entriesAt(lists, rows, G) + (<usize>(rows * G) << 2);
}

/** Ints of the spike path's lists (codes, entries, bounds) for `rows` output rows over `depth` source rows. */
function spikeListsInts(rows: i32, depth: i32): i32 {
  const G = groupsOf(depth);
  return ((rows * G + 3) >> 2) + 16 + rows * G + rows * blocksOf(G) + 1 + 16;
}

/** Floats of one thread's table buffer for `depth` source rows: a block's table and a 32-float tail row. */
export function spikeTableFloats(depth: i32): i32 {
  return min(groupsOf(depth), GROUPS_PER_BLOCK) * 16 * TABLE_COLS + TABLE_COLS;
}

/** Ints of scratch for a whole table product (lists and one table buffer). */
function spikeTableScratchInts(rows: i32, depth: i32): i32 {
  return spikeListsInts(rows, depth) + spikeTableFloats(depth) + 16;
}

/** codes[m·G + g] = the 4-bit code of spikes S[m, 4g .. 4g+3] (bit i: S[m, 4g+i] ≠ 0), S row-major [M, K]. */
function codesOfRows(s: usize, M: i32, K: i32, codes: usize): void {
  const G = groupsOf(K);
  const zero = f32x4.splat(0);
  for (let m = 0; m < M; m++) {
    const row = s + (<usize>(m * K) << 2);
    const dst = codes + <usize>(m * G);
    let g = 0;
    for (; 4 * g + 4 <= K; g++) store<u8>(dst + g, i32x4.bitmask(f32x4.ne(v128.load(row + (<usize>g << 4)), zero)));
    if (g < G) {
      let c = 0;
      for (let i = 0; 4 * g + i < K; i++) if (load<f32>(row + (<usize>(4 * g + i) << 2)) != 0) c |= 1 << i;
      store<u8>(dst + g, c);
    }
  }
}

/** codes[k·G + g] = the 4-bit code of spikes S[4g .. 4g+3, k] (bit i: S[4g+i, k] ≠ 0), S row-major [M, K]. */
function codesOfColumns(s: usize, M: i32, K: i32, codes: usize): void {
  const G = groupsOf(M);
  const zero = f32x4.splat(0);
  for (let g = 0; g < G; g++) {
    const rows = min(4, M - 4 * g);
    const top = s + (<usize>(4 * g * K) << 2);
    let k = 0;
    // Four columns at a time: OR the rows' nonzero masks, each masked to its bit.
    for (; k + 4 <= K; k += 4) {
      let code = i32x4.splat(0);
      for (let i = 0; i < rows; i++) {
        const v = v128.load(top + (<usize>(i * K + k) << 2));
        code = v128.or(code, v128.and(f32x4.ne(v, zero), i32x4.splat(1 << i)));
      }
      const at = codes + <usize>(k * G + g);
      store<u8>(at, <u8>i32x4.extract_lane(code, 0));
      store<u8>(at + <usize>G, <u8>i32x4.extract_lane(code, 1));
      store<u8>(at + <usize>(2 * G), <u8>i32x4.extract_lane(code, 2));
      store<u8>(at + <usize>(3 * G), <u8>i32x4.extract_lane(code, 3));
    }
    for (; k < K; k++) {
      let c = 0;
      for (let i = 0; i < rows; i++) if (load<f32>(top + (<usize>(i * K + k) << 2)) != 0) c |= 1 << i;
      store<u8>(codes + <usize>(k * G + g), <u8>c);
    }
  }
}

/**
 * From codes [rows, G], the table rows each output row adds: entries (g − block start)·16 + code for the
 * nonzero codes, ordered by row and block; bounds[r·blocks + b] is where (row r, block b) starts.
 */
function tableEntries(codes: usize, rows: i32, G: i32, entries: usize, bounds: usize): void {
  const blocks = blocksOf(G);
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const row = codes + <usize>(r * G);
    for (let b = 0; b < blocks; b++) {
      store<i32>(bounds + (<usize>(r * blocks + b) << 2), n);
      const g0 = b * GROUPS_PER_BLOCK;
      const g1 = min(G, g0 + GROUPS_PER_BLOCK);
      for (let g = g0; g < g1; g++) {
        const c = <i32>load<u8>(row + g);
        if (c != 0) {
          store<i32>(entries + (<usize>n << 2), ((g - g0) << 4) | c);
          n++;
        }
      }
    }
  }
  store<i32>(bounds + (<usize>(rows * blocks) << 2), n);
}

/**
 * The subset sums of groups g0 .. g1 of B [depth, N], columns j0 .. j0+w (w ≤ 32, zero-padded to 32):
 * table row (g − g0)·16 + c = Σ over the set bits i of c of B[4g + i, j0 ..].
 */
function buildTable(b: usize, depth: i32, N: i32, g0: i32, g1: i32, j0: i32, w: i32, table: usize): void {
  const zero = f32x4.splat(0);
  const rowBytes: usize = <usize>TABLE_COLS << 2;
  for (let g = g0; g < g1; g++) {
    const base = table + <usize>((g - g0) << 4) * rowBytes;
    for (let q: usize = 0; q < rowBytes; q += 16) v128.store(base + q, zero);
    for (let i = 0; i < 4; i++) {
      const e = 1 << i;
      const single = base + <usize>e * rowBytes;
      const k = 4 * g + i;
      if (k >= depth) {
        for (let q: usize = 0; q < rowBytes; q += 16) v128.store(single + q, zero);
      } else if (w == TABLE_COLS) {
        memory.copy(single, b + (<usize>(k * N + j0) << 2), rowBytes);
      } else {
        memory.fill(single, 0, rowBytes);
        memory.copy(single, b + (<usize>(k * N + j0) << 2), <usize>w << 2);
      }
      for (let c = 1; c < e; c++) {
        const dst = base + <usize>(e + c) * rowBytes;
        const other = base + <usize>c * rowBytes;
        for (let q: usize = 0; q < rowBytes; q += 16) v128.store(dst + q, f32x4.add(v128.load(single + q), v128.load(other + q)));
      }
    }
  }
}

/**
 * The spike path's preparation for spmm (transposed = false: output rows are S's rows) or spmmTransposed
 * (true: output rows are S's columns): when S is binary and the table pays, writes the codes and entry lists
 * into `lists` (spmmListsInts ints) and returns 1; returns 0 when S is binary but the table does not pay,
 * and −1 when S holds a value other than 0 or 1 (one scan decides both).
 */
export function spikeTablePrepare(s: usize, M: i32, K: i32, transposed: bool, lists: usize): i32 {
  const rows = transposed ? K : M;
  const depth = transposed ? M : K;
  if (rows <= 0) return 1;
  const ones = binaryNonzeros(s, M * K);
  if (ones < 0) return -1;
  if (!tablePays(rows, depth, ones)) return 0;
  if (transposed) codesOfColumns(s, M, K, lists);
  else codesOfRows(s, M, K, lists);
  const G = groupsOf(depth);
  tableEntries(lists, rows, G, entriesAt(lists, rows, G), boundsAt(lists, rows, G));
  return 1;
}

/**
 * Columns j0 .. j1 (j0 a multiple of 32) of a prepared spike product: out[rows, N] (+)= Σ over each row's
 * table entries, the tables built from the source B [depth, N] (W for spmm, dY for spmmTransposed) in
 * `table` (spikeTableFloats floats). Threads take disjoint column ranges with their own table buffers.
 */
export function spikeTableColumns(
  lists: usize, rows: i32, depth: i32, b: usize, N: i32, out: usize, accumulate: bool, j0: i32, j1: i32,
  table: usize,
): void {
  const G = groupsOf(depth);
  if (G == 0) {
    if (!accumulate) for (let r = 0; r < rows; r++) memory.fill(out + (<usize>(r * N + j0) << 2), 0, <usize>(j1 - j0) << 2);
    return;
  }
  const blocks = blocksOf(G);
  const entries = entriesAt(lists, rows, G);
  const bounds = boundsAt(lists, rows, G);
  const tail = table + (<usize>(min(G, GROUPS_PER_BLOCK) * 16 * TABLE_COLS) << 2);
  const rowBytes: usize = <usize>TABLE_COLS << 2;
  for (let jc = j0; jc < j1; jc += TABLE_COLS) {
    const w = min(TABLE_COLS, j1 - jc);
    for (let blk = 0; blk < blocks; blk++) {
      const g0 = blk * GROUPS_PER_BLOCK;
      buildTable(b, depth, N, g0, min(G, g0 + GROUPS_PER_BLOCK), jc, w, table);
      const acc = accumulate || blk > 0;
      for (let r = 0; r < rows; r++) {
        const at = r * blocks + blk;
        const p0 = load<i32>(bounds + (<usize>at << 2));
        const p1 = load<i32>(bounds + (<usize>(at + 1) << 2));
        const dst = out + (<usize>(r * N + jc) << 2);
        if (w == TABLE_COLS) {
          gatherRows32(table, rowBytes, 0, entries, p0, p1, true, 0, 0, dst, acc);
        } else {
          if (acc) memory.copy(tail, dst, <usize>w << 2);
          gatherRows32(table, rowBytes, 0, entries, p0, p1, true, 0, 0, tail, acc);
          memory.copy(dst, tail, <usize>w << 2);
        }
      }
    }
  }
}

/** Ints of the lists block spikeTablePrepare fills. */
export function spmmListsInts(M: i32, K: i32): i32 {
  return max(spikeListsInts(M, K), spikeListsInts(K, M));
}

/**
 * out[M,N] = S[M,K] · W[K,N]. Spike operands (all 0/1) run the four-spike table product where it pays
 * (tablePays); other operands sum the W rows of their nonzeros (CSR), without multiplications for spikes.
 * `scratch` holds spmmScratchInts(M, K) ints.
 */
export function spmm(s: usize, w: usize, out: usize, M: i32, K: i32, N: i32, binaryOnly: bool, scratch: usize): bool {
  if (M <= 0 || N <= 0) return true;
  const status = spikeTablePrepare(s, M, K, false, scratch);
  if (status == 1) spikeTableColumns(scratch, M, K, w, N, out, false, 0, N, alignLine(scratch + (<usize>spikeListsInts(M, K) << 2)));
  else if (status < 0 && binaryOnly) return false;
  else spmmWeighted(s, w, out, M, K, N, scratch);
  return true;
}

/** dW[K,N] (+)= S[M,K]ᵀ · dY[M,N], with the same two paths as spmm (codes of S's columns for spikes). */
export function spmmTransposed(
  s: usize, dy: usize, dw: usize, M: i32, K: i32, N: i32, accumulate: bool, scratch: usize,
): void {
  if (K <= 0 || N <= 0) return;
  if (spikeTablePrepare(s, M, K, true, scratch) == 1)
    spikeTableColumns(scratch, K, M, dy, N, dw, accumulate, 0, N, alignLine(scratch + (<usize>spikeListsInts(K, M) << 2)));
  else spmmTransposedWeighted(s, dy, dw, M, K, N, accumulate, scratch);
}
