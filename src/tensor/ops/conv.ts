// 2-D convolution and pooling over NCHW tensors.
import type { Conv2dGeometry } from "../../backend/kernels/conv.js";
import { ShapeError, ValueError } from "../../errors.js";
import { allocTensor, backendOf, expectDType, record } from "../op_util.js";
import type { Tensor } from "../tensor.js";
import { add } from "./elementwise.js";
import { reshape } from "./shape_ops.js";

/** Stride and zero padding of a 2-D window, as a number or [height, width]. */
export interface Window2dOptions {
  stride?: number | readonly [number, number];
  padding?: number | readonly [number, number];
}

function pair(name: string, v: number | readonly [number, number], min: number): [number, number] {
  const p: [number, number] = typeof v === "number" ? [v, v] : [v[0], v[1]];
  if (!p.every((x) => Number.isInteger(x) && x >= min)) throw new ValueError(name, `integers >= ${min}`, v);
  return p;
}

function geometry(
  op: string,
  x: Tensor,
  OC: number,
  kh: number,
  kw: number,
  options: Window2dOptions,
  defaultStride: [number, number],
): Conv2dGeometry {
  if (x.rank !== 4) throw new ShapeError(op, "input must be [N, C, H, W]", [x.shape]);
  const [N, C, H, W] = x.shape;
  const [sh, sw] = pair(`${op}: stride`, options.stride ?? defaultStride, 1);
  const [ph, pw] = pair(`${op}: padding`, options.padding ?? 0, 0);
  if (!(kh >= 1 && kw >= 1)) throw new ValueError(`${op}: kernel size`, "integers >= 1", [kh, kw]);
  const OH = Math.floor((H + 2 * ph - kh) / sh) + 1;
  const OW = Math.floor((W + 2 * pw - kw) / sw) + 1;
  if (OH < 1 || OW < 1)
    throw new ShapeError(op, `window ${kh}×${kw} does not fit the padded input`, [x.shape]);
  return { N, C, H, W, OC, kh, kw, sh, sw, ph, pw, OH, OW };
}

/**
 * out[n, o] = Σ_c w[o, c] ⋆ x[n, c] (+ bias[o]): cross-correlation as in PyTorch's conv2d.
 * x: [N, C, H, W]; w: [OC, C, kh, kw]; bias: [OC].
 */
export function conv2d(
  x: Tensor,
  w: Tensor,
  bias: Tensor | null = null,
  options: Window2dOptions = {},
): Tensor {
  expectDType("conv2d", "float32", x, w);
  if (w.rank !== 4) throw new ShapeError("conv2d", "weight must be [OC, C, kh, kw]", [w.shape]);
  if (x.rank === 4 && w.shape[1] !== x.shape[1]) {
    throw new ShapeError("conv2d", `input has ${x.shape[1]} channels, weight expects ${w.shape[1]}`, [
      x.shape,
      w.shape,
    ]);
  }
  const g = geometry("conv2d", x, w.shape[0], w.shape[2], w.shape[3], options, [1, 1]);
  const backend = backendOf("conv2d", x, w);
  const out = allocTensor([g.N, g.OC, g.OH, g.OW], "float32", backend);
  backend.conv2dForward(x.storage, w.storage, out.storage, g);
  const y = record(out, "conv2d", [x, w], (dy) => {
    let dx: Tensor | null = null;
    let dw: Tensor | null = null;
    if (x.requiresGrad) {
      dx = allocTensor(x.shape, "float32", backend);
      backend.conv2dBackwardInput(dy.storage, w.storage, dx.storage, g);
    }
    if (w.requiresGrad) {
      dw = allocTensor(w.shape, "float32", backend);
      backend.conv2dBackwardWeight(x.storage, dy.storage, dw.storage, g);
    }
    return [dx, dw];
  });
  if (!bias) return y;
  if (bias.rank !== 1 || bias.shape[0] !== g.OC)
    throw new ShapeError("conv2d", `bias must be [${g.OC}]`, [bias.shape]);
  return add(y, reshape(bias, [1, g.OC, 1, 1]));
}

/** Options of pooling: window size, stride (default: the window) and padding. */
export interface Pool2dOptions extends Window2dOptions {
  kernelSize: number | readonly [number, number];
}

function poolGeometry(op: string, x: Tensor, options: Pool2dOptions): Conv2dGeometry {
  expectDType(op, "float32", x);
  const [kh, kw] = pair(`${op}: kernelSize`, options.kernelSize, 1);
  const g = geometry(op, x, x.rank === 4 ? x.shape[1] : 0, kh, kw, options, [kh, kw]);
  if (g.ph * 2 > kh || g.pw * 2 > kw)
    throw new ValueError(`${op}: padding`, "at most half the window", options.padding);
  return g;
}

/** Max over each window; the gradient goes to the window's (first) maximum. */
export function maxPool2d(x: Tensor, options: Pool2dOptions): Tensor {
  const g = poolGeometry("maxPool2d", x, options);
  const backend = x.backend;
  const out = allocTensor([g.N, g.C, g.OH, g.OW], "float32", backend);
  const idx = allocTensor([g.N, g.C, g.OH, g.OW], "int32", backend);
  backend.maxPool2dForward(x.storage, out.storage, idx.storage, g);
  return record(out, "maxPool2d", [x], (dy) => {
    const dx = allocTensor(x.shape, "float32", backend);
    backend.maxPool2dBackward(dy.storage, idx.storage, dx.storage, g);
    return [dx];
  });
}

/** Mean over each window (zero padding counted, as PyTorch's count_include_pad). */
export function avgPool2d(x: Tensor, options: Pool2dOptions): Tensor {
  const g = poolGeometry("avgPool2d", x, options);
  const backend = x.backend;
  const out = allocTensor([g.N, g.C, g.OH, g.OW], "float32", backend);
  backend.avgPool2dForward(x.storage, out.storage, g);
  return record(out, "avgPool2d", [x], (dy) => {
    const dx = allocTensor(x.shape, "float32", backend);
    backend.avgPool2dBackward(dy.storage, dx.storage, g);
    return [dx];
  });
}
