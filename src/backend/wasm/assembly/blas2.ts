// Matrix-vector kernels (BLAS level 2) of the gemm family; see src/backend/kernels/gemm.ts.

/** Σ a[k]·b[k] over n floats, four lanes then the tail. */
@inline function dot(a: usize, b: usize, n: i32): f32 {
  let acc = f32x4.splat(0);
  let k = 0;
  for (; k + 4 <= n; k += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(a + (<usize>k << 2)), v128.load(b + (<usize>k << 2))));
  let s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  for (; k < n; k++) s += load<f32>(a + (<usize>k << 2)) * load<f32>(b + (<usize>k << 2));
  return s;
}

/** y[n] += s·x[n] for n floats. */
@inline function axpyRow(y: usize, x: usize, s: f32, n: i32): void {
  const sv = f32x4.splat(s);
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const o = <usize>k << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(sv, v128.load(x + o))));
  }
  for (; k < n; k++) {
    const o = <usize>k << 2;
    store<f32>(y + o, load<f32>(y + o) + s * load<f32>(x + o));
  }
}

/**
 * A [M, N] row-major. trans = false: y[M] (+)= A·x[N], one dot product per row. trans = true:
 * y[N] (+)= Aᵀ·x[M], the rows of A weighted by x (rows with x[m] = 0 skipped).
 */
export function gemv(a: usize, x: usize, y: usize, M: i32, N: i32, trans: bool, accumulate: bool): void {
  if (!trans) {
    for (let m = 0; m < M; m++) {
      const s = dot(a + (<usize>(m * N) << 2), x, N);
      const at = y + (<usize>m << 2);
      store<f32>(at, accumulate ? load<f32>(at) + s : s);
    }
    return;
  }
  if (!accumulate) memory.fill(y, 0, <usize>N << 2);
  for (let m = 0; m < M; m++) {
    const s = load<f32>(x + (<usize>m << 2));
    if (s != 0) axpyRow(y, a + (<usize>(m * N) << 2), s, N);
  }
}

/** A [M, N] += (alpha·x[m])·y for every row m with alpha·x[m] ≠ 0 (the rank-1 update of BLAS ger). */
export function ger(a: usize, x: usize, y: usize, M: i32, N: i32, alpha: f32): void {
  for (let m = 0; m < M; m++) {
    const s = alpha * load<f32>(x + (<usize>m << 2));
    if (s != 0) axpyRow(a + (<usize>(m * N) << 2), y, s, N);
  }
}
