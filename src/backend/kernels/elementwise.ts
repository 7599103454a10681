// The elementwise family: fills and copies, unary ops and their gradients, broadcasting binary ops,
// comparisons and select, and axpy. Codes of the ops are shared with the wasm kernels (kernel_codes.ts).
import { BinaryOp, type BinaryOpName, type CompareOpName, UnaryOp, type UnaryOpName } from "../kernel_codes.js";
import type { Storage, TypedArray } from "../storage.js";
import { type BroadcastPlan, broadcastRows, coalescePlan } from "./broadcast_rows.js";
import { type KernelFamily, REFERENCE } from "./family.js";

/** The elementwise kernels. */
export interface ElementwiseKernels {
  fill(x: Storage, value: number): void;
  copy(src: Storage, dst: Storage): void;
  /** General strided copy (also casts between dtypes); `accumulate` adds into dst (float32 only). */
  stridedCopy(
    src: Storage,
    srcOffset: number,
    srcStrides: readonly number[],
    dst: Storage,
    dstOffset: number,
    dstStrides: readonly number[],
    shape: readonly number[],
    accumulate: boolean,
  ): void;
  unary(op: UnaryOpName, x: Storage, out: Storage, p0: number, p1: number): void;
  unaryGrad(op: UnaryOpName, x: Storage, y: Storage, g: Storage, dx: Storage, p0: number, p1: number): void;
  binary(op: BinaryOpName, a: Storage, b: Storage, out: Storage, plan: BroadcastPlan): void;
  compare(op: CompareOpName, a: Storage, b: Storage, out: Storage, plan: BroadcastPlan): void;
  /** out = cond ? a : b with broadcasting (plan strides in the order cond, a, b). */
  where(cond: Storage, a: Storage, b: Storage, out: Storage, plan: BroadcastPlan): void;
  /** y += alpha·x, in place. */
  axpy(y: Storage, x: Storage, alpha: number): void;
}

/** y = f(x) for a unary op (see UnaryOp for the parameters). */
function unaryValue(op: UnaryOpName, x: number, p0: number, p1: number): number {
  switch (op) {
    case "neg":
      return -x;
    case "exp":
      return Math.exp(x);
    case "log":
      return Math.log(x);
    case "abs":
      return Math.abs(x);
    case "sqrt":
      return Math.sqrt(x);
    case "relu":
      return Math.max(x, 0);
    case "sigmoid":
      return 1 / (1 + Math.exp(-x));
    case "tanh":
      return Math.tanh(x);
    case "pow":
      return Math.fround(x) ** p0;
    case "clamp":
      return Math.min(Math.max(x, p0), p1);
    case "affine":
      return Math.fround(x * p0) + p1;
  }
}

/** dx = g·f′(x), from input x and output y of the unary op. */
function unaryGradValue(
  op: UnaryOpName,
  x: number,
  y: number,
  g: number,
  p0: number,
  p1: number,
): number {
  switch (op) {
    case "neg":
      return -g;
    case "exp":
      return g * y;
    case "log":
      return g / x;
    case "abs":
      return x > 0 ? g : x < 0 ? -g : 0;
    case "sqrt":
      return (g * 0.5) / y;
    case "relu":
      return x > 0 ? g : 0;
    case "sigmoid":
      return g * y * (1 - y);
    case "tanh":
      return g * (1 - y * y);
    case "pow":
      return p0 === 0 ? 0 : g * p0 * x ** (p0 - 1);
    case "clamp":
      return x >= p0 && x <= p1 ? g : 0;
    case "affine":
      return g * p0;
  }
}

/** Applies a unary op to every element. */
function unaryRef(op: UnaryOpName, x: Float32Array, out: Float32Array, p0: number, p1: number): void {
  const q0 = Math.fround(p0);
  const q1 = Math.fround(p1);
  for (let i = 0; i < x.length; i++) out[i] = unaryValue(op, x[i], q0, q1);
}

/** Applies the gradient of a unary op to every element. */
function unaryGradRef(
  op: UnaryOpName,
  x: Float32Array,
  y: Float32Array,
  g: Float32Array,
  dx: Float32Array,
  p0: number,
  p1: number,
): void {
  const q0 = Math.fround(p0);
  const q1 = Math.fround(p1);
  for (let i = 0; i < x.length; i++) dx[i] = unaryGradValue(op, x[i], y[i], g[i], q0, q1);
}

/** z = a ∘ b for a binary op (maximum/minimum propagate NaN). */
function binaryValue(op: BinaryOpName, a: number, b: number): number {
  switch (op) {
    case "add":
      return a + b;
    case "sub":
      return a - b;
    case "mul":
      return a * b;
    case "div":
      return a / b;
    case "maximum":
      return Math.max(a, b);
    case "minimum":
      return Math.min(a, b);
  }
}

/** Broadcasting binary op. */
function binaryRef(
  op: BinaryOpName,
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  plan: BroadcastPlan,
): void {
  const { rows, n, offsets, inner } = broadcastRows(plan);
  const [sa, sb] = inner;
  let o = 0;
  for (let r = 0; r < rows; r++) {
    let ia = offsets[0][r];
    let ib = offsets[1][r];
    for (let j = 0; j < n; j++) {
      out[o++] = binaryValue(op, a[ia], b[ib]);
      ia += sa;
      ib += sb;
    }
  }
}

function compareValue(op: CompareOpName, a: number, b: number): boolean {
  switch (op) {
    case "gt":
      return a > b;
    case "ge":
      return a >= b;
    case "lt":
      return a < b;
    case "le":
      return a <= b;
    case "eq":
      return a === b;
    case "ne":
      return a !== b;
  }
}

/** Broadcasting comparison into a bool (uint8) output. */
function compareRef(
  op: CompareOpName,
  a: TypedArray,
  b: TypedArray,
  out: Uint8Array,
  plan: BroadcastPlan,
): void {
  const { rows, n, offsets, inner } = broadcastRows(plan);
  let o = 0;
  for (let r = 0; r < rows; r++) {
    let ia = offsets[0][r];
    let ib = offsets[1][r];
    for (let j = 0; j < n; j++) {
      out[o++] = compareValue(op, a[ia], b[ib]) ? 1 : 0;
      ia += inner[0];
      ib += inner[1];
    }
  }
}

/** Broadcasting select: out = cond ? a : b. */
function whereRef(
  cond: Uint8Array,
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  plan: BroadcastPlan,
): void {
  const { rows, n, offsets, inner } = broadcastRows(plan);
  let o = 0;
  for (let r = 0; r < rows; r++) {
    let ic = offsets[0][r];
    let ia = offsets[1][r];
    let ib = offsets[2][r];
    for (let j = 0; j < n; j++) {
      out[o++] = cond[ic] ? a[ia] : b[ib];
      ic += inner[0];
      ia += inner[1];
      ib += inner[2];
    }
  }
}

/** y += alpha·x. */
function axpyRef(y: Float32Array, x: Float32Array, alpha: number): void {
  const a = Math.fround(alpha);
  for (let i = 0; i < y.length; i++) y[i] += Math.fround(a * x[i]);
}

/** Strided copy over `shape` (adds into dst when `accumulate`). */
export function stridedCopyRef(
  src: TypedArray,
  srcOffset: number,
  srcStrides: readonly number[],
  dst: TypedArray,
  dstOffset: number,
  dstStrides: readonly number[],
  shape: readonly number[],
  accumulate: boolean,
): void {
  if (shape.some((d) => d === 0)) return;
  const { rows, n, offsets, inner } = broadcastRows(coalescePlan({ shape, strides: [srcStrides, dstStrides] }));
  const contiguous = !accumulate && inner[0] === 1 && inner[1] === 1;
  for (let r = 0; r < rows; r++) {
    let is = srcOffset + offsets[0][r];
    let id = dstOffset + offsets[1][r];
    if (contiguous) {
      dst.set(src.subarray(is, is + n), id);
      continue;
    }
    for (let j = 0; j < n; j++) {
      dst[id] = accumulate ? dst[id] + src[is] : src[is];
      is += inner[0];
      id += inner[1];
    }
  }
}

const u8 = (s: Storage) => s.view() as Uint8Array;

/** The wasm binary kernel's rank: plans of higher rank run the reference code. */
const WASM_BINARY_RANK = 4;

/** The elementwise family. Fills, copies, comparisons and select run the reference code on wasm. */
export const elementwiseFamily: KernelFamily<ElementwiseKernels> = {
  reference: {
    fill: (x, value) => x.view().fill(value),
    copy: (src, dst) => dst.view().set(src.view()),
    stridedCopy: (src, srcOffset, srcStrides, dst, dstOffset, dstStrides, shape, accumulate) =>
      stridedCopyRef(src.view(), srcOffset, srcStrides, dst.view(), dstOffset, dstStrides, shape, accumulate),
    unary: (op, x, out, p0, p1) => unaryRef(op, x.f32(), out.f32(), p0, p1),
    unaryGrad: (op, x, y, g, dx, p0, p1) => unaryGradRef(op, x.f32(), y.f32(), g.f32(), dx.f32(), p0, p1),
    binary: (op, a, b, out, plan) => binaryRef(op, a.f32(), b.f32(), out.f32(), plan),
    compare: (op, a, b, out, plan) => compareRef(op, a.view(), b.view(), u8(out), plan),
    where: (cond, a, b, out, plan) => whereRef(u8(cond), a.view(), b.view(), out.view(), plan),
    axpy: (y, x, alpha) => axpyRef(y.f32(), x.f32(), alpha),
  },
  wasm: {
    fill: REFERENCE,
    copy: REFERENCE,
    stridedCopy: REFERENCE,
    unary: (w) => (op, x, out, p0, p1) => w.exports.unary(UnaryOp[op], x.ptr, out.ptr, x.length, p0, p1),
    unaryGrad: (w) => (op, x, y, g, dx, p0, p1) => w.exports.unaryGrad(UnaryOp[op], x.ptr, y.ptr, g.ptr, dx.ptr, x.length, p0, p1),
    binary: (w) => (op, a, b, out, plan) => {
      const r = plan.shape.length;
      if (r > WASM_BINARY_RANK) {
        binaryRef(op, a.f32(), b.f32(), out.f32(), plan);
        return;
      }
      // The kernel takes rank-4 plans: leading dimensions of size 1 with stride 0.
      const pad = WASM_BINARY_RANK - r;
      const d = [1, 1, 1, 1];
      const sa = [0, 0, 0, 0];
      const sb = [0, 0, 0, 0];
      for (let i = 0; i < r; i++) {
        d[pad + i] = plan.shape[i];
        sa[pad + i] = plan.strides[0][i];
        sb[pad + i] = plan.strides[1][i];
      }
      w.exports.binary(BinaryOp[op], a.ptr, b.ptr, out.ptr, d[0], d[1], d[2], d[3], sa[0], sa[1], sa[2], sa[3], sb[0], sb[1], sb[2], sb[3]);
    },
    compare: REFERENCE,
    where: REFERENCE,
    axpy: (w) => (y, x, alpha) => w.exports.axpy(y.ptr, x.ptr, alpha, y.length),
  },
};
