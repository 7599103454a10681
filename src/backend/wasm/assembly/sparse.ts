// Spike-sparse products: work proportional to the nonzeros of the (spike) operand S.

/** Number of nonzero floats in x[0..n). */
export function countNonzero(x: usize, n: i32): i32 {
  let count = 0;
  for (let i = 0; i < n; i++) if (load<f32>(x + (<usize>i << 2)) != 0) count++;
  return count;
}

/** y[n] += a · x[n] for one row (SIMD). */
@inline function addScaledRow(y: usize, x: usize, a: f32, n: i32): void {
  let j = 0;
  if (a == 1) {
    for (; j + 8 <= n; j += 8) {
      const o = <usize>j << 2;
      v128.store(y + o, f32x4.add(v128.load(y + o), v128.load(x + o)));
      v128.store(y + o, f32x4.add(v128.load(y + o, 16), v128.load(x + o, 16)), 16);
    }
  } else {
    const av = f32x4.splat(a);
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(av, v128.load(x + o))));
    }
  }
  for (; j < n; j++) {
    const o = <usize>j << 2;
    store<f32>(y + o, load<f32>(y + o) + a * load<f32>(x + o));
  }
}

/** out[M,N] = S[M,K] · W[K,N], adding row k of W (scaled by S[m,k]) for every nonzero S[m,k]. */
export function spmm(s: usize, w: usize, out: usize, M: i32, K: i32, N: i32): void {
  memory.fill(out, 0, <usize>(M * N) << 2);
  for (let m = 0; m < M; m++) {
    const row = out + (<usize>(m * N) << 2);
    const sRow = s + (<usize>(m * K) << 2);
    for (let k = 0; k < K; k++) {
      const a = load<f32>(sRow + (<usize>k << 2));
      if (a != 0) addScaledRow(row, w + (<usize>(k * N) << 2), a, N);
    }
  }
}

/** dW[K,N] (+)= S[M,K]ᵀ · dY[M,N], adding row m of dY into row k of dW for every nonzero S[m,k]. */
export function spmmTransposed(s: usize, dy: usize, dw: usize, M: i32, K: i32, N: i32, accumulate: bool): void {
  if (!accumulate) memory.fill(dw, 0, <usize>(K * N) << 2);
  for (let m = 0; m < M; m++) {
    const sRow = s + (<usize>(m * K) << 2);
    const gRow = dy + (<usize>(m * N) << 2);
    for (let k = 0; k < K; k++) {
      const a = load<f32>(sRow + (<usize>k << 2));
      if (a != 0) addScaledRow(dw + (<usize>(k * N) << 2), gRow, a, N);
    }
  }
}
