/**
 * Reference GEMM: C[M,N] (+)= op(A)[M,K]·op(B)[K,N], row-major, with element offsets.
 * op(A) = A stored [M,K], or Aᵀ with A stored [K,M]; likewise B ([K,N] or [N,K]).
 */
export function gemmRef(
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
