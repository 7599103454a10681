// Reference spike-sparse products: only the nonzero entries of S do work.

/** out[M,N] = S[M,K]·W[K,N], adding S[m,k]·W[k,:] for each nonzero S[m,k]. */
export function spmmRef(
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
export function spmmTransposedRef(
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
