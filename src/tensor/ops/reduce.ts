// Reductions (sum, mean, max, argmax) and the broadcasting pair sumTo / broadcastTo.
import { ShapeError, ValueError } from "../../errors.js";
import { allocTensor, backendOf, expectDType, record, viewOf } from "../op_util.js";
import {
  broadcastShapes,
  broadcastStrides,
  normalizeAxis,
  sameShape,
  sizeOf,
  splitAtAxis,
  stridesOf,
} from "../shape.js";
import type { Tensor } from "../tensor.js";

function axesOf(op: string, x: Tensor, axis: number | readonly number[] | undefined): number[] {
  const list = axis === undefined ? x.shape.map((_, i) => i) : typeof axis === "number" ? [axis] : [...axis];
  const norm = list.map((a) => normalizeAxis(op, a, x.rank));
  if (new Set(norm).size !== norm.length) throw new ValueError(`${op}: axis`, "distinct axes", axis);
  return norm.sort((p, q) => q - p);
}

function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  return keepDims
    ? shape.map((d, i) => (axes.includes(i) ? 1 : d))
    : shape.filter((_, i) => !axes.includes(i));
}

/** Sum over one axis, keeping it as size 1 (no autograd; building block). */
function sumAxisKeep(x: Tensor, axis: number): Tensor {
  const backend = x.backend;
  const [outer, n, inner] = splitAtAxis(x.shape, axis);
  const out = allocTensor(
    x.shape.map((d, i) => (i === axis ? 1 : d)),
    "float32",
    backend,
  );
  backend.reduceSum(x.storage, out.storage, outer, n, inner);
  return out;
}

/** Σ over the given axes (all axes by default). */
export function sum(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  expectDType("sum", "float32", x);
  const axes = axesOf("sum", x, axis);
  let cur = x;
  for (const a of axes) cur = sumAxisKeep(cur, a);
  if (axes.length === 0) cur = clone(x);
  const outShape = reducedShape(x.shape, axes, keepDims);
  const out = keepDims ? cur : viewOf(cur, outShape);
  return record(out, "sum", [x], (g) => [broadcastTo(viewOf(g, reducedShape(x.shape, axes, true)), x.shape)]);
}

/** Mean over the given axes (all axes by default). */
export function mean(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  const axes = axesOf("mean", x, axis);
  const count = axes.reduce((n, a) => n * x.shape[a], 1);
  const s = sum(x, axis, keepDims);
  return mulScalar(s, 1 / count);
}

function mulScalar(x: Tensor, c: number): Tensor {
  const backend = x.backend;
  const out = allocTensor(x.shape, "float32", backend);
  backend.unary("affine", x.storage, out.storage, c, 0);
  return record(out, "mul", [x], (g) => {
    const dx = allocTensor(x.shape, "float32", backend);
    backend.unary("affine", g.storage, dx.storage, c, 0);
    return [dx];
  });
}

function maxAlong(
  op: string,
  x: Tensor,
  axis: number | undefined,
): { values: Tensor; indices: Tensor; ax: number; src: Tensor } {
  expectDType(op, "float32", x);
  const src = axis === undefined ? viewOf(x, [x.size]) : x;
  const ax = axis === undefined ? 0 : normalizeAxis(op, axis, x.rank);
  if (src.shape[ax] === 0) throw new ShapeError(op, "cannot reduce an empty axis", [x.shape]);
  const [outer, n, inner] = splitAtAxis(src.shape, ax);
  const keepShape = src.shape.map((d, i) => (i === ax ? 1 : d));
  const values = allocTensor(keepShape, "float32", x.backend);
  const indices = allocTensor(keepShape, "int32", x.backend);
  x.backend.reduceMax(src.storage, values.storage, indices.storage, outer, n, inner);
  return { values, indices, ax, src };
}

/**
 * Maximum over one axis (or over all elements when axis is undefined). The gradient goes to the first
 * position of the maximum.
 */
export function max(x: Tensor, axis?: number, keepDims = false): Tensor {
  const { values, indices, ax, src } = maxAlong("max", x, axis);
  const outShape =
    axis === undefined ? (keepDims ? x.shape.map(() => 1) : []) : reducedShape(x.shape, [ax], keepDims);
  const out = viewOf(values, outShape);
  return record(out, "max", [x], (g) => {
    const dx = allocTensor(x.shape, "float32", x.backend);
    const [outer, n, inner] = splitAtAxis(src.shape, ax);
    const d = dx.storage.f32();
    d.fill(0);
    const gi = g.storage.f32();
    const idx = indices.storage.i32();
    for (let o = 0; o < outer; o++)
      for (let i = 0; i < inner; i++) d[(o * n + idx[o * inner + i]) * inner + i] = gi[o * inner + i];
    return [dx];
  });
}

/** Index of the maximum over one axis (int32; all elements flattened when axis is undefined). */
export function argmax(x: Tensor, axis?: number, keepDims = false): Tensor {
  const { indices, ax } = maxAlong("argmax", x, axis);
  const outShape = axis === undefined ? [] : reducedShape(x.shape, [ax], keepDims);
  return viewOf(indices, outShape);
}

/** Sums g (shape of a broadcast result) down to `shape`: the gradient of broadcasting. */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  const s = sum(g, axes, true);
  return sizeOf(s.shape) === sizeOf(shape) ? viewOf(s, shape) : s;
}

/** Copies x into the broadcast shape (numpy rules). Gradient: sumTo. */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  const target = broadcastShapes("broadcastTo", x.shape, shape);
  if (!sameShape(target, shape)) throw new ShapeError("broadcastTo", "cannot broadcast", [x.shape, shape]);
  const backend = backendOf("broadcastTo", x);
  const out = allocTensor(shape, x.dtype, backend);
  backend.stridedCopy(
    x.storage,
    0,
    broadcastStrides(x.shape, shape),
    out.storage,
    0,
    stridesOf(shape),
    shape,
    false,
  );
  return record(out, "broadcastTo", [x], (g) => [sumTo(g, x.shape)]);
}

/** A copy of x with its own storage. Gradient: identity. */
export function clone(x: Tensor): Tensor {
  const out = allocTensor(x.shape, x.dtype, x.backend);
  x.backend.copy(x.storage, out.storage);
  return record(out, "clone", [x], (g) => [g]);
}
