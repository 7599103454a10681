// The 2-D pooling family (NCHW): max pooling (with the index of each window's maximum, for the backward
// pass) and average pooling (padding counts as zeros).
import type { Storage } from "../storage.js";
import type { Conv2dGeometry } from "./conv.js";
import type { KernelFamily } from "./family.js";

/** The pooling kernels (g.OC is unused: pooling keeps the channels). */
export interface PoolKernels {
  maxPool2dForward(x: Storage, out: Storage, idx: Storage, g: Conv2dGeometry): void;
  maxPool2dBackward(dy: Storage, idx: Storage, dx: Storage, g: Conv2dGeometry): void;
  avgPool2dForward(x: Storage, out: Storage, g: Conv2dGeometry): void;
  avgPool2dBackward(dy: Storage, dx: Storage, g: Conv2dGeometry): void;
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
function maxPool2dRef(x: Float32Array, out: Float32Array, idx: Int32Array, g: Conv2dGeometry): void {
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
function maxPool2dBackwardRef(
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
function avgPool2dRef(x: Float32Array, out: Float32Array, g: Conv2dGeometry): void {
  const plane = g.H * g.W;
  forEachWindow(g, (p, oi, taps) => {
    let s = 0;
    for (const t of taps) s += x[p * plane + t];
    out[oi] = s / (g.kh * g.kw);
  });
}

/** The adjoint of average pooling. */
function avgPool2dBackwardRef(dy: Float32Array, dx: Float32Array, g: Conv2dGeometry): void {
  const plane = g.H * g.W;
  const acc = new Float64Array(dx.length);
  forEachWindow(g, (p, oi, taps) => {
    for (const t of taps) acc[p * plane + t] += dy[oi] / (g.kh * g.kw);
  });
  dx.set(acc);
}

/** The wasm pooling kernels' geometry arguments: planes (N·C), H, W, kh, kw, sh, sw, ph, pw, OH, OW. */
const poolArgs = (g: Conv2dGeometry): [number, number, number, number, number, number, number, number, number, number, number] => [
  g.N * g.C,
  g.H,
  g.W,
  g.kh,
  g.kw,
  g.sh,
  g.sw,
  g.ph,
  g.pw,
  g.OH,
  g.OW,
];

/** The pooling family. */
export const poolFamily: KernelFamily<PoolKernels> = {
  reference: {
    maxPool2dForward: (x, out, idx, g) => maxPool2dRef(x.f32(), out.f32(), idx.i32(), g),
    maxPool2dBackward: (dy, idx, dx, g) => maxPool2dBackwardRef(dy.f32(), idx.i32(), dx.f32(), g),
    avgPool2dForward: (x, out, g) => avgPool2dRef(x.f32(), out.f32(), g),
    avgPool2dBackward: (dy, dx, g) => avgPool2dBackwardRef(dy.f32(), dx.f32(), g),
  },
  wasm: {
    maxPool2dForward: (w) => (x, out, idx, g) => w.exports.maxPool2dForward(x.ptr, out.ptr, idx.ptr, ...poolArgs(g)),
    maxPool2dBackward: (w) => (dy, idx, dx, g) => w.exports.maxPool2dBackward(dy.ptr, idx.ptr, dx.ptr, g.N * g.C, g.H * g.W, g.OH * g.OW),
    avgPool2dForward: (w) => (x, out, g) => w.exports.avgPool2dForward(x.ptr, out.ptr, ...poolArgs(g)),
    avgPool2dBackward: (w) => (dy, dx, g) => w.exports.avgPool2dBackward(dy.ptr, dx.ptr, ...poolArgs(g)),
  },
};
