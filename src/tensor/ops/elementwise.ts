// Elementwise ops with numpy broadcasting, and their gradients.
import type { DType } from "../../backend/storage.js";
import type { BinaryOpName, CompareOpName, UnaryOpName } from "../../backend/kernel_codes.js";
import { ValueError } from "../../errors.js";
import { full } from "../creation.js";
import { allocTensor, backendOf, expectDType, record } from "../op_util.js";
import { broadcastPlan, broadcastShapes } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { sumTo } from "./reduce.js";

function unaryOp(op: UnaryOpName, x: Tensor, p0 = 0, p1 = 0): Tensor {
  expectDType(op, "float32", x);
  const backend = backendOf(op, x);
  const out = allocTensor(x.shape, "float32", backend);
  backend.unary(op, x.storage, out.storage, p0, p1);
  return record(out, op, [x], (g) => {
    const dx = allocTensor(x.shape, "float32", backend);
    backend.unaryGrad(op, x.storage, out.storage, g.storage, dx.storage, p0, p1);
    return [dx];
  });
}

/** −x */
export function neg(x: Tensor): Tensor {
  return unaryOp("neg", x);
}
/** eˣ */
export function exp(x: Tensor): Tensor {
  return unaryOp("exp", x);
}
/** ln x */
export function log(x: Tensor): Tensor {
  return unaryOp("log", x);
}
/** |x| (gradient 0 at 0) */
export function abs(x: Tensor): Tensor {
  return unaryOp("abs", x);
}
/** √x */
export function sqrt(x: Tensor): Tensor {
  return unaryOp("sqrt", x);
}
/** max(x, 0) (gradient 0 at 0) */
export function relu(x: Tensor): Tensor {
  return unaryOp("relu", x);
}
/** 1 / (1 + e^{−x}) */
export function sigmoid(x: Tensor): Tensor {
  return unaryOp("sigmoid", x);
}
/** tanh x */
export function tanh(x: Tensor): Tensor {
  return unaryOp("tanh", x);
}
/** xᵖ for a scalar exponent p; d/dx = p·x^{p−1}. */
export function pow(x: Tensor, p: number): Tensor {
  if (!Number.isFinite(p)) throw new ValueError("pow: exponent", "a finite number", p);
  return unaryOp("pow", x, p);
}
/** min(max(x, lo), hi); the gradient passes where lo ≤ x ≤ hi. */
export function clamp(x: Tensor, lo: number, hi: number): Tensor {
  if (Number.isNaN(lo) || Number.isNaN(hi) || lo > hi)
    throw new ValueError("clamp: bounds", "lo <= hi", [lo, hi]);
  return unaryOp("clamp", x, lo, hi);
}
/** x·scale + shift. */
export function affine(x: Tensor, scale: number, shift: number): Tensor {
  return unaryOp("affine", x, scale, shift);
}

function binaryOp(op: BinaryOpName, a: Tensor, b: Tensor): Tensor {
  expectDType(op, "float32", a, b);
  const backend = backendOf(op, a, b);
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = allocTensor(shape, "float32", backend);
  backend.binary(op, a.storage, b.storage, out.storage, broadcastPlan(shape, [a.shape, b.shape]));
  return record(out, op, [a, b], (g) => {
    const [ga, gb] = binaryGrad(op, a, b, out, g);
    return [a.requiresGrad ? sumTo(ga, a.shape) : null, b.requiresGrad ? sumTo(gb, b.shape) : null];
  });
}

function binaryGrad(op: BinaryOpName, a: Tensor, b: Tensor, out: Tensor, g: Tensor): [Tensor, Tensor] {
  switch (op) {
    case "add":
      return [g, g];
    case "sub":
      return [g, neg(g)];
    case "mul":
      return [mul(g, b), mul(g, a)];
    case "div":
      return [div(g, b), neg(div(mul(g, out), b))];
    case "maximum": {
      const zero = full([], 0, { backend: g.backend });
      return [where(ge(a, b), g, zero), where(lt(a, b), g, zero)];
    }
    case "minimum": {
      const zero = full([], 0, { backend: g.backend });
      return [where(le(a, b), g, zero), where(gt(a, b), g, zero)];
    }
  }
}

function asTensor(x: Tensor | number, like: Tensor): Tensor {
  return typeof x === "number" ? full([], x, { backend: like.backend }) : x;
}

/** a + b (broadcasting; either may be a number). */
export function add(a: Tensor | number, b: Tensor | number): Tensor {
  if (typeof b === "number") return typeof a === "number" ? full([], a + b) : affine(a, 1, b);
  if (typeof a === "number") return affine(b, 1, a);
  return binaryOp("add", a, b);
}
/** a − b (broadcasting; either may be a number). */
export function sub(a: Tensor | number, b: Tensor | number): Tensor {
  if (typeof b === "number") return typeof a === "number" ? full([], a - b) : affine(a, 1, -b);
  if (typeof a === "number") return affine(b, -1, a);
  return binaryOp("sub", a, b);
}
/** a · b elementwise (broadcasting; either may be a number). */
export function mul(a: Tensor | number, b: Tensor | number): Tensor {
  if (typeof b === "number") return typeof a === "number" ? full([], a * b) : affine(a, b, 0);
  if (typeof a === "number") return affine(b, a, 0);
  return binaryOp("mul", a, b);
}
/** a / b elementwise (broadcasting; either may be a number). */
export function div(a: Tensor | number, b: Tensor | number): Tensor {
  if (typeof a === "number" && typeof b === "number") return full([], a / b);
  if (typeof a === "number") return binaryOp("div", asTensor(a, b as Tensor), b as Tensor);
  return binaryOp("div", a, asTensor(b, a));
}
/** Elementwise maximum (ties send the gradient to a). */
export function maximum(a: Tensor, b: Tensor | number): Tensor {
  return binaryOp("maximum", a, asTensor(b, a));
}
/** Elementwise minimum (ties send the gradient to a). */
export function minimum(a: Tensor, b: Tensor | number): Tensor {
  return binaryOp("minimum", a, asTensor(b, a));
}

function compareOp(op: CompareOpName, a: Tensor, b: Tensor | number): Tensor {
  const bt = asTensor(b, a);
  const backend = backendOf(op, a, bt);
  const shape = broadcastShapes(op, a.shape, bt.shape);
  const out = allocTensor(shape, "bool", backend);
  backend.compare(op, a.storage, bt.storage, out.storage, broadcastPlan(shape, [a.shape, bt.shape]));
  return out;
}

/** a > b as a bool tensor (no gradient). */
export function gt(a: Tensor, b: Tensor | number): Tensor {
  return compareOp("gt", a, b);
}
/** a ≥ b as a bool tensor (no gradient). */
export function ge(a: Tensor, b: Tensor | number): Tensor {
  return compareOp("ge", a, b);
}
/** a < b as a bool tensor (no gradient). */
export function lt(a: Tensor, b: Tensor | number): Tensor {
  return compareOp("lt", a, b);
}
/** a ≤ b as a bool tensor (no gradient). */
export function le(a: Tensor, b: Tensor | number): Tensor {
  return compareOp("le", a, b);
}
/** a = b as a bool tensor (no gradient). */
export function eq(a: Tensor, b: Tensor | number): Tensor {
  return compareOp("eq", a, b);
}
/** a ≠ b as a bool tensor (no gradient). */
export function ne(a: Tensor, b: Tensor | number): Tensor {
  return compareOp("ne", a, b);
}

/** cond ? a : b elementwise with broadcasting; cond is a bool tensor. Gradients flow to a and b where selected. */
export function where(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  expectDType("where", "bool", cond);
  if (a.dtype !== b.dtype) throw new ValueError("where: b", `dtype ${a.dtype} (as a)`, b.dtype);
  const backend = backendOf("where", cond, a, b);
  const shape = broadcastShapes("where", cond.shape, a.shape, b.shape);
  const dtype: DType = a.dtype;
  const out = allocTensor(shape, dtype, backend);
  backend.where(
    cond.storage,
    a.storage,
    b.storage,
    out.storage,
    broadcastPlan(shape, [cond.shape, a.shape, b.shape]),
  );
  return record(out, "where", [a, b], (g) => {
    const zero = full([], 0, { backend });
    return [
      a.requiresGrad ? sumTo(where(cond, g, zero), a.shape) : null,
      b.requiresGrad ? sumTo(where(cond, zero, g), b.shape) : null,
    ];
  });
}
