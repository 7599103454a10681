// The reduction family: kernels over the middle axis of a [outer, n, inner] view (sum, max with its index,
// softmax and its gradient, gather and its adjoint scatter-add).
import type { Storage } from "../storage.js";
import { type KernelFamily, REFERENCE } from "./family.js";

/** The reductions, each over the middle axis of [outer, n, inner]. */
export interface ReduceKernels {
  reduceSum(x: Storage, out: Storage, outer: number, n: number, inner: number): void;
  /** Max over the middle axis; `idx` (int32) receives the first index of the maximum, if given. */
  reduceMax(x: Storage, out: Storage, idx: Storage | null, outer: number, n: number, inner: number): void;
  /** Softmax (or log-softmax) over the middle axis of [outer, n, inner]. */
  softmax(x: Storage, out: Storage, outer: number, n: number, inner: number, log: boolean): void;
  /** Gradient of softmax (or log-softmax) from its output y and upstream g. */
  softmaxGrad(y: Storage, g: Storage, dx: Storage, outer: number, n: number, inner: number, log: boolean): void;
  /** out[o, j, i] = x[o, idx[j], i]; indices are checked by the caller. */
  gather(x: Storage, idx: Storage, out: Storage, outer: number, n: number, inner: number): void;
  /** dx[o, idx[j], i] += g[o, j, i] (dx zeroed by the caller). */
  scatterAdd(g: Storage, idx: Storage, dx: Storage, outer: number, n: number, inner: number): void;
}

/** out[o, i] = Σ_k x[o, k, i] (accumulated in float64). */
function reduceSumRef(
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
function reduceMaxRef(
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
function softmaxRef(
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
function softmaxGradRef(
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
function gatherRef(
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
function scatterAddRef(
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

/** The reduction family. Softmax, gather and scatter-add run the reference code on wasm (not hot in training). */
export const reduceFamily: KernelFamily<ReduceKernels> = {
  reference: {
    reduceSum: (x, out, outer, n, inner) => reduceSumRef(x.f32(), out.f32(), outer, n, inner),
    reduceMax: (x, out, idx, outer, n, inner) => reduceMaxRef(x.f32(), out.f32(), idx ? idx.i32() : null, outer, n, inner),
    softmax: (x, out, outer, n, inner, log) => softmaxRef(x.f32(), out.f32(), outer, n, inner, log),
    softmaxGrad: (y, g, dx, outer, n, inner, log) => softmaxGradRef(y.f32(), g.f32(), dx.f32(), outer, n, inner, log),
    gather: (x, idx, out, outer, n, inner) => gatherRef(x.f32(), idx.i32(), out.f32(), outer, n, inner),
    scatterAdd: (g, idx, dx, outer, n, inner) => scatterAddRef(g.f32(), idx.i32(), dx.f32(), outer, n, inner),
  },
  wasm: {
    reduceSum: (w) => (x, out, outer, n, inner) => w.exports.reduceSum(x.ptr, out.ptr, outer, n, inner),
    reduceMax: (w) => (x, out, idx, outer, n, inner) => w.exports.reduceMax(x.ptr, out.ptr, idx ? idx.ptr : 0, outer, n, inner),
    softmax: REFERENCE,
    softmaxGrad: REFERENCE,
    gather: REFERENCE,
    scatterAdd: REFERENCE,
  },
};
