// The 2-D convolution family (NCHW). The reference kernels are direct loops over the definition; on wasm,
// the batch is split over the kernel threads by image ranges, and spike inputs (all 0/1, at most half
// active) take the spike-product kernels (assembly/conv_spikes.ts) instead of im2col + GEMM.
import type { Storage } from "../storage.js";
import { splitRange, type WasmContext } from "../wasm/wasm_context.js";
import type { ThreadedKernel } from "../wasm/kernel_threads.js";
import type { KernelFamily } from "./family.js";

/** Geometry of a 2-D convolution or pooling window over NCHW data. */
export interface Conv2dGeometry {
  readonly N: number;
  readonly C: number;
  readonly H: number;
  readonly W: number;
  /** Output channels (conv only; pooling keeps C). */
  readonly OC: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly ph: number;
  readonly pw: number;
  readonly OH: number;
  readonly OW: number;
}

/** The convolution kernels. */
export interface ConvKernels {
  conv2dForward(x: Storage, w: Storage, out: Storage, g: Conv2dGeometry): void;
  conv2dBackwardInput(dy: Storage, w: Storage, dx: Storage, g: Conv2dGeometry): void;
  conv2dBackwardWeight(x: Storage, dy: Storage, dw: Storage, g: Conv2dGeometry): void;
}

/** out[n,o,y,x] = Σ_{c,i,j} w[o,c,i,j]·x[n, c, y·sh − ph + i, x·sw − pw + j] (zero padding). */
function conv2dRef(x: Float32Array, w: Float32Array, out: Float32Array, g: Conv2dGeometry): void {
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
function conv2dBackwardInputRef(
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
function conv2dBackwardWeightRef(
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

/** Largest spike density at which convolutions take the spike-product path. */
const SPIKE_CONV_MAX_DENSITY = 0.5;

const convArgs = (g: Conv2dGeometry): number[] => [g.N, g.C, g.H, g.W, g.OC, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.OH, g.OW];

/**
 * Runs a conv kernel over the batch split into image ranges, one per thread, each with its own
 * temporary block of `tempFloats(images)` floats (and GEMM scratch for the GEMM kernels). The two
 * operands are [pointer, floats per image] (0: shared by all images, the weights); `output(i, n0)` is
 * where part i, starting at image n0, writes. Returns the number of parts.
 */
function convByImages(
  w: WasmContext,
  kernel: ThreadedKernel,
  g: Conv2dGeometry,
  first: [number, number],
  second: [number, number],
  output: (i: number, n0: number) => number,
): number {
  const ohw = g.OH * g.OW;
  const spikes = kernel === "conv2dSpikeForward" || kernel === "conv2dSpikeBackwardWeight";
  const tempFloats = (n: number) => (spikes ? w.exports.convSpikeTempFloats : w.exports.convTempFloats)(n, g.C, g.kh, g.kw, g.OC, ohw);
  const ranges = splitRange(g.N, w.partsFor(2 * g.N * g.OC * ohw * g.C * g.kh * g.kw), 1);
  const temps = ranges.map(([n0, n1]) => 4 * tempFloats(n1 - n0));
  const ptrs = temps.map((bytes) => w.allocator.alloc(bytes));
  try {
    w.runParts(
      ranges.map(([n0, n1], i) => ({
        kernel,
        args: [
          first[0] + 4 * n0 * first[1],
          second[0] + 4 * n0 * second[1],
          output(i, n0),
          ...convArgs({ ...g, N: n1 - n0 }),
          ptrs[i],
          ...(spikes ? [] : [w.scratchOf(i)]),
        ],
      })),
    );
  } finally {
    ptrs.forEach((ptr, i) => w.allocator.free(ptr, temps[i]));
  }
  return ranges.length;
}

/**
 * Whether x is a spike tensor (every value 0 or 1) at most half active: then the spike-product
 * convolution beats im2col + GEMM (measured with `npm run bench`, bench/results/).
 */
function isSpikeInput(w: WasmContext, x: Storage): boolean {
  const ones = w.exports.binaryNonzeros(x.ptr, x.length);
  return ones >= 0 && ones <= SPIKE_CONV_MAX_DENSITY * x.length;
}

/** Runs fn with w [OC, C·kh·kw] transposed to [C·kh·kw, OC] in a temporary block. */
function withTransposed<R>(w: WasmContext, weights: Storage, rows: number, cols: number, fn: (wt: number) => R): R {
  return w.withTemp(rows * cols, (wt) => {
    w.exports.transposeBatched(weights.ptr, wt, 1, rows, cols);
    return fn(wt);
  });
}

/** The convolution family. */
export const convFamily: KernelFamily<ConvKernels> = {
  reference: {
    conv2dForward: (x, weights, out, g) => conv2dRef(x.f32(), weights.f32(), out.f32(), g),
    conv2dBackwardInput: (dy, weights, dx, g) => conv2dBackwardInputRef(dy.f32(), weights.f32(), dx.f32(), g),
    conv2dBackwardWeight: (x, dy, dw, g) => conv2dBackwardWeightRef(x.f32(), dy.f32(), dw.f32(), g),
  },
  wasm: {
    conv2dForward: (w) => (x, weights, out, g) => {
      const [xImage, outImage, ckk] = [g.C * g.H * g.W, g.OC * g.OH * g.OW, g.C * g.kh * g.kw];
      const output = (_: number, n0: number) => out.ptr + 4 * n0 * outImage;
      if (isSpikeInput(w, x))
        withTransposed(w, weights, g.OC, ckk, (wt) => convByImages(w, "conv2dSpikeForward", g, [x.ptr, xImage], [wt, 0], output));
      else convByImages(w, "conv2dForward", g, [x.ptr, xImage], [weights.ptr, 0], output);
    },
    conv2dBackwardInput: (w) => (dy, weights, dx, g) => {
      const dxImage = g.C * g.H * g.W;
      convByImages(w, "conv2dBackwardInput", g, [dy.ptr, g.OC * g.OH * g.OW], [weights.ptr, 0], (_, n0) => dx.ptr + 4 * n0 * dxImage);
    },
    conv2dBackwardWeight: (w) => (x, dy, dw, g) => {
      // Each image range sums its own weight gradient (part 0 into the result) and the partial sums are
      // added after, so dw's rounding depends on the thread count (the other kernels' results do not).
      // Spike inputs give the gradient transposed ([C·kh·kw, OC]), transposed back at the end.
      const spikes = isSpikeInput(w, x);
      const bytes = dw.length * 4;
      const result = spikes ? w.allocator.alloc(bytes) : dw.ptr;
      const partials: number[] = [];
      try {
        const kernel = spikes ? "conv2dSpikeBackwardWeight" : "conv2dBackwardWeight";
        const parts = convByImages(w, kernel, g, [x.ptr, g.C * g.H * g.W], [dy.ptr, g.OC * g.OH * g.OW], (i) => {
          if (i === 0) return result;
          partials.push(w.allocator.alloc(bytes));
          return partials[partials.length - 1];
        });
        for (let i = 1; i < parts; i++) w.exports.axpy(result, partials[i - 1], 1, dw.length);
        if (spikes) w.exports.transposeBatched(result, dw.ptr, 1, g.C * g.kh * g.kw, g.OC);
      } finally {
        for (const p of partials) w.allocator.free(p, bytes);
        if (spikes) w.allocator.free(result, bytes);
      }
    },
  },
};
