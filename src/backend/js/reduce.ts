// Reference reductions over the middle axis of [outer, n, inner].

/** out[o, i] = Σ_k x[o, k, i] (accumulated in float64). */
export function reduceSumRef(
  x: Float32Array,
  out: Float32Array,
  outer: number,
  n: number,
  inner: number,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += x[(o * n + k) * inner + i];
      out[o * inner + i] = s;
    }
  }
}

/** out[o, i] = max_k x[o, k, i]; idx gets the first k of the maximum (NaN wins). */
export function reduceMaxRef(
  x: Float32Array,
  out: Float32Array,
  idx: Int32Array | null,
  outer: number,
  n: number,
  inner: number,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = Number.NEGATIVE_INFINITY;
      let bestK = 0;
      for (let k = 0; k < n; k++) {
        const v = x[(o * n + k) * inner + i];
        if (v > best || (Number.isNaN(v) && !Number.isNaN(best))) {
          best = v;
          bestK = k;
        }
      }
      out[o * inner + i] = best;
      if (idx) idx[o * inner + i] = bestK;
    }
  }
}

/** Softmax or log-softmax over the middle axis (max-shifted for stability). */
export function softmaxRef(
  x: Float32Array,
  out: Float32Array,
  outer: number,
  n: number,
  inner: number,
  log: boolean,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (k: number) => (o * n + k) * inner + i;
      let m = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < n; k++) m = Math.max(m, x[at(k)]);
      let s = 0;
      for (let k = 0; k < n; k++) s += Math.exp(x[at(k)] - m);
      const logS = Math.log(s);
      for (let k = 0; k < n; k++) out[at(k)] = log ? x[at(k)] - m - logS : Math.exp(x[at(k)] - m) / s;
    }
  }
}

/**
 * Gradient of softmax, dx = y·(g − Σ g·y), or of log-softmax, dx = g − softmax·Σ g, over the middle axis.
 */
export function softmaxGradRef(
  y: Float32Array,
  g: Float32Array,
  dx: Float32Array,
  outer: number,
  n: number,
  inner: number,
  log: boolean,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (k: number) => (o * n + k) * inner + i;
      let s = 0;
      for (let k = 0; k < n; k++) s += log ? g[at(k)] : g[at(k)] * y[at(k)];
      for (let k = 0; k < n; k++) {
        const j = at(k);
        dx[j] = log ? g[j] - Math.exp(y[j]) * s : y[j] * (g[j] - s);
      }
    }
  }
}

/** out[o, j, i] = x[o, idx[j], i] for j < idx.length. */
export function gatherRef(
  x: Float32Array,
  idx: Int32Array,
  out: Float32Array,
  outer: number,
  n: number,
  inner: number,
): void {
  const m = idx.length;
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < m; j++) {
      const src = (o * n + idx[j]) * inner;
      const dst = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) out[dst + i] = x[src + i];
    }
}

/** dx[o, idx[j], i] += g[o, j, i]. */
export function scatterAddRef(
  g: Float32Array,
  idx: Int32Array,
  dx: Float32Array,
  outer: number,
  n: number,
  inner: number,
): void {
  const m = idx.length;
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < m; j++) {
      const dst = (o * n + idx[j]) * inner;
      const src = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) dx[dst + i] += g[src + i];
    }
}
