// Shape arithmetic: sizes, strides, broadcasting and axis normalization.
import type { BroadcastPlan } from "../backend/kernels/broadcast_rows.js";
import { ShapeError, ValueError } from "../errors.js";

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (contiguous) strides of a shape, in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Checks that every dimension is a non-negative integer. */
export function checkShape(op: string, shape: readonly number[]): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0)
      throw new ValueError(`${op}: shape`, "non-negative integer dimensions", shape);
  }
}

/** Whether two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The numpy broadcast of several shapes; throws a ShapeError naming the op when they do not broadcast. */
export function broadcastShapes(op: string, ...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = rank - s.length + i;
      const d = s[i];
      if (out[j] === 1) out[j] = d;
      else if (d !== 1 && d !== out[j]) throw new ShapeError(op, "shapes do not broadcast", shapes);
    }
  }
  return out;
}

/** Element strides for reading `shape` broadcast to `outShape` (0 on broadcast dimensions). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const own = stridesOf(shape);
  const offset = outShape.length - shape.length;
  return outShape.map((_, j) => {
    const i = j - offset;
    if (i < 0 || shape[i] === 1) return 0;
    return own[i];
  });
}

/**
 * A broadcast plan for operands of the given shapes into `outShape`, with adjacent dimensions merged
 * wherever every operand allows it (so most plans have rank 1 or 2).
 */
export function broadcastPlan(outShape: readonly number[], shapes: (readonly number[])[]): BroadcastPlan {
  const strides = shapes.map((s) => broadcastStrides(s, outShape));
  const dims: number[] = [];
  const merged: number[][] = shapes.map(() => []);
  for (let j = 0; j < outShape.length; j++) {
    const d = outShape[j];
    if (d === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && strides.every((s, k) => merged[k][last] === s[j] * d)) {
      dims[last] *= d;
      strides.forEach((s, k) => {
        merged[k][last] = s[j];
      });
    } else {
      dims.push(d);
      strides.forEach((s, k) => {
        merged[k].push(s[j]);
      });
    }
  }
  if (dims.length === 0) return { shape: [1], strides: shapes.map(() => [0]) };
  return { shape: dims, strides: merged };
}

/** Normalizes a possibly negative axis for a tensor of rank `rank`. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= rank) {
    throw new ValueError(`${op}: axis`, `an integer in [${-rank}, ${rank - 1}]`, axis);
  }
  return a;
}

/** [outer, n, inner] view of a shape around one axis. */
export function splitAtAxis(shape: readonly number[], axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis], sizeOf(shape.slice(axis + 1))];
}
