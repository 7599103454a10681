// Reference 2-D convolution and pooling (NCHW), written as direct loops over the definition.
import type { Conv2dGeometry } from "../backend.js";

/** out[n,o,y,x] = Σ_{c,i,j} w[o,c,i,j]·x[n, c, y·sh − ph + i, x·sw − pw + j] (zero padding). */
export function conv2dRef(x: Float32Array, w: Float32Array, out: Float32Array, g: Conv2dGeometry): void {
  const { N, C, H, W, OC, kh, kw, sh, sw, ph, pw, OH, OW } = g;
  for (let n = 0; n < N; n++)
    for (let o = 0; o < OC; o++)
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++) {
          let s = 0;
          for (let c = 0; c < C; c++)
            for (let i = 0; i < kh; i++) {
              const y = oy * sh - ph + i;
              if (y < 0 || y >= H) continue;
              for (let j = 0; j < kw; j++) {
                const xx = ox * sw - pw + j;
                if (xx < 0 || xx >= W) continue;
                s += w[((o * C + c) * kh + i) * kw + j] * x[((n * C + c) * H + y) * W + xx];
              }
            }
          out[((n * OC + o) * OH + oy) * OW + ox] = s;
        }
}

/** Visits every (input index, weight index, output index) triple of the convolution. */
function forEachTap(g: Conv2dGeometry, visit: (xi: number, wi: number, oi: number) => void): void {
  const { N, C, H, W, OC, kh, kw, sh, sw, ph, pw, OH, OW } = g;
  for (let n = 0; n < N; n++)
    for (let o = 0; o < OC; o++)
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++) {
          const oi = ((n * OC + o) * OH + oy) * OW + ox;
          for (let c = 0; c < C; c++)
            for (let i = 0; i < kh; i++) {
              const y = oy * sh - ph + i;
              if (y < 0 || y >= H) continue;
              for (let j = 0; j < kw; j++) {
                const xx = ox * sw - pw + j;
                if (xx < 0 || xx >= W) continue;
                visit(((n * C + c) * H + y) * W + xx, ((o * C + c) * kh + i) * kw + j, oi);
              }
            }
        }
}

/** dx = ∂(conv)/∂x applied to dy. */
export function conv2dBackwardInputRef(
  dy: Float32Array,
  w: Float32Array,
  dx: Float32Array,
  g: Conv2dGeometry,
): void {
  const acc = new Float64Array(dx.length);
  forEachTap(g, (xi, wi, oi) => {
    acc[xi] += w[wi] * dy[oi];
  });
  dx.set(acc);
}

/** dw = ∂(conv)/∂w applied to dy. */
export function conv2dBackwardWeightRef(
  x: Float32Array,
  dy: Float32Array,
  dw: Float32Array,
  g: Conv2dGeometry,
): void {
  const acc = new Float64Array(dw.length);
  forEachTap(g, (xi, wi, oi) => {
    acc[wi] += x[xi] * dy[oi];
  });
  dw.set(acc);
}

/** Visits every pooling window: visit(plane, output index, list of input indices in the plane). */
function forEachWindow(g: Conv2dGeometry, visit: (p: number, oi: number, taps: number[]) => void): void {
  const { N, C, H, W, kh, kw, sh, sw, ph, pw, OH, OW } = g;
  const taps: number[] = [];
  for (let p = 0; p < N * C; p++)
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++) {
        taps.length = 0;
        for (let i = 0; i < kh; i++) {
          const y = oy * sh - ph + i;
          if (y < 0 || y >= H) continue;
          for (let j = 0; j < kw; j++) {
            const xx = ox * sw - pw + j;
            if (xx >= 0 && xx < W) taps.push(y * W + xx);
          }
        }
        visit(p, (p * OH + oy) * OW + ox, taps);
      }
}

/** Max pooling; idx gets the in-plane index of each window's maximum (first on ties, NaN wins). */
export function maxPool2dRef(x: Float32Array, out: Float32Array, idx: Int32Array, g: Conv2dGeometry): void {
  const plane = g.H * g.W;
  forEachWindow(g, (p, oi, taps) => {
    let best = Number.NEGATIVE_INFINITY;
    let bestI = -1;
    for (const t of taps) {
      const v = x[p * plane + t];
      if (bestI < 0 || v > best || (Number.isNaN(v) && !Number.isNaN(best))) {
        best = v;
        bestI = t;
      }
    }
    out[oi] = best;
    idx[oi] = bestI;
  });
}

/** Routes each output gradient to its window's maximum. */
export function maxPool2dBackwardRef(
  dy: Float32Array,
  idx: Int32Array,
  dx: Float32Array,
  g: Conv2dGeometry,
): void {
  const plane = g.H * g.W;
  const outPlane = g.OH * g.OW;
  dx.fill(0);
  for (let k = 0; k < dy.length; k++) if (idx[k] >= 0) dx[Math.floor(k / outPlane) * plane + idx[k]] += dy[k];
}

/** Average pooling (padding counts as zeros: divides by kh·kw). */
export function avgPool2dRef(x: Float32Array, out: Float32Array, g: Conv2dGeometry): void {
  const plane = g.H * g.W;
  forEachWindow(g, (p, oi, taps) => {
    let s = 0;
    for (const t of taps) s += x[p * plane + t];
    out[oi] = s / (g.kh * g.kw);
  });
}

/** The adjoint of average pooling. */
export function avgPool2dBackwardRef(dy: Float32Array, dx: Float32Array, g: Conv2dGeometry): void {
  const plane = g.H * g.W;
  const acc = new Float64Array(dx.length);
  forEachWindow(g, (p, oi, taps) => {
    for (const t of taps) acc[p * plane + t] += dy[oi] / (g.kh * g.kw);
  });
  dx.set(acc);
}
