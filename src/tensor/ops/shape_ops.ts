// Ops that move data without arithmetic: reshape (a view), permute, slice, concat, stack, indexSelect,
// plus detach, cast and moving between backends.
import type { BackendName } from "../../backend/backend.js";
import type { DType } from "../../backend/storage.js";
import { backendByName } from "../../backend/registry.js";
import { ShapeError, ValueError } from "../../errors.js";
import { tensor } from "../creation.js";
import { allocTensor, backendOf, expectDType, record, viewOf } from "../op_util.js";
import { normalizeAxis, sameShape, sizeOf, splitAtAxis, stridesOf } from "../shape.js";
import type { Tensor } from "../tensor.js";

/** The same data with another shape (one dimension may be −1). Shares storage: no copy. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1 || shape.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new ShapeError("reshape", "dimensions must be non-negative integers, with at most one -1", [
      x.shape,
      shape,
    ]);
  }
  const known = sizeOf(shape.filter((d) => d !== -1));
  const resolved = shape.map((d) => (d === -1 ? (known === 0 ? 0 : x.size / known) : d));
  if (sizeOf(resolved) !== x.size || resolved.some((d) => !Number.isInteger(d))) {
    throw new ShapeError("reshape", `cannot view ${x.size} elements as the new shape`, [x.shape, shape]);
  }
  const out = viewOf(x, resolved);
  return record(out, "reshape", [x], (g) => [viewOf(g, x.shape)]);
}

/** Reorders the axes: out.shape[i] = x.shape[perm[i]] (a copy). */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  const norm = perm.map((p) => normalizeAxis("permute", p, x.rank));
  if (norm.length !== x.rank || new Set(norm).size !== x.rank) {
    throw new ValueError("permute: perm", `a permutation of ${x.rank} axes`, perm);
  }
  const backend = backendOf("permute", x);
  const shape = norm.map((p) => x.shape[p]);
  const out = allocTensor(shape, x.dtype, backend);
  const xs = stridesOf(x.shape);
  backend.stridedCopy(
    x.storage,
    0,
    norm.map((p) => xs[p]),
    out.storage,
    0,
    stridesOf(shape),
    shape,
    false,
  );
  const inverse = new Array<number>(norm.length);
  norm.forEach((p, i) => {
    inverse[p] = i;
  });
  return record(out, "permute", [x], (g) => [permute(g, inverse)]);
}

/** Swaps two axes (default: the last two). */
export function transpose(x: Tensor, axis0 = -2, axis1 = -1): Tensor {
  if (x.rank < 2) throw new ShapeError("transpose", "needs at least 2 dimensions", [x.shape]);
  const a = normalizeAxis("transpose", axis0, x.rank);
  const b = normalizeAxis("transpose", axis1, x.rank);
  const perm = x.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return permute(x, perm);
}

/**
 * The block starting at `begin` with extent `size` (−1: to the end), like tf.slice. A copy.
 * Gradient: the output gradient placed into a zero tensor of x's shape.
 */
export function slice(x: Tensor, begin: readonly number[], size: readonly number[]): Tensor {
  if (begin.length !== x.rank || size.length !== x.rank) {
    throw new ShapeError("slice", `begin and size need ${x.rank} entries`, [x.shape, begin, size]);
  }
  const shape = size.map((s, i) => (s === -1 ? x.shape[i] - begin[i] : s));
  for (let i = 0; i < x.rank; i++) {
    if (!Number.isInteger(begin[i]) || begin[i] < 0 || shape[i] < 0 || begin[i] + shape[i] > x.shape[i]) {
      throw new ShapeError(
        "slice",
        `axis ${i}: [${begin[i]}, ${begin[i] + shape[i]}) is outside [0, ${x.shape[i]})`,
        [x.shape],
      );
    }
  }
  const backend = backendOf("slice", x);
  const xs = stridesOf(x.shape);
  const offset = begin.reduce((o, b, i) => o + b * xs[i], 0);
  const out = allocTensor(shape, x.dtype, backend);
  backend.stridedCopy(x.storage, offset, xs, out.storage, 0, stridesOf(shape), shape, false);
  // The gradient is g in the slice's region, zero elsewhere; the backward pass adds it into the input's
  // gradient in place (accumulateInto), so the T slices of a time loop fill one gradient.
  const addInto = (g: Tensor, into: Tensor) => backend.stridedCopy(g.storage, 0, stridesOf(shape), into.storage, offset, xs, shape, true);
  return record(
    out,
    "slice",
    [x],
    (g) => {
      const dx = allocTensor(x.shape, "float32", backend);
      backend.fill(dx.storage, 0);
      addInto(g, dx);
      return [dx];
    },
    addInto,
  );
}

/** Joins tensors along an existing axis. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new ValueError("concat: tensors", "at least one tensor", tensors);
  const first = tensors[0];
  const ax = normalizeAxis("concat", axis, first.rank);
  for (const t of tensors) {
    if (
      t.rank !== first.rank ||
      t.dtype !== first.dtype ||
      t.shape.some((d, i) => i !== ax && d !== first.shape[i])
    ) {
      throw new ShapeError("concat", `shapes differ off axis ${ax} (or dtypes differ)`, [
        first.shape,
        t.shape,
      ]);
    }
  }
  const backend = backendOf("concat", ...tensors);
  const shape = first.shape.map((d, i) => (i === ax ? tensors.reduce((n, t) => n + t.shape[ax], 0) : d));
  const out = allocTensor(shape, first.dtype, backend);
  const os = stridesOf(shape);
  const offsets: number[] = [];
  let at = 0;
  for (const t of tensors) {
    offsets.push(at * os[ax]);
    backend.stridedCopy(t.storage, 0, stridesOf(t.shape), out.storage, at * os[ax], os, t.shape, false);
    at += t.shape[ax];
  }
  return record(out, "concat", tensors, (g) => {
    return tensors.map((t, k) => {
      if (!t.requiresGrad) return null;
      const dt = allocTensor(t.shape, "float32", backend);
      backend.stridedCopy(g.storage, offsets[k], os, dt.storage, 0, stridesOf(t.shape), t.shape, false);
      return dt;
    });
  });
}

/** Joins same-shape tensors along a new axis. */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new ValueError("stack: tensors", "at least one tensor", tensors);
  const shape = tensors[0].shape;
  for (const t of tensors)
    if (!sameShape(t.shape, shape)) throw new ShapeError("stack", "shapes differ", [shape, t.shape]);
  const ax = normalizeAxis("stack", axis, shape.length + 1);
  const expanded = [...shape.slice(0, ax), 1, ...shape.slice(ax)];
  return concat(
    tensors.map((t) => reshape(t, expanded)),
    ax,
  );
}

/** Selects entries along an axis by integer indices: out = x.take(indices, axis). Gradient: scatter-add. */
export function indexSelect(x: Tensor, axis: number, indices: Tensor | readonly number[]): Tensor {
  expectDType("indexSelect", "float32", x);
  const ax = normalizeAxis("indexSelect", axis, x.rank);
  const idx =
    Array.isArray(indices) || !("storage" in indices)
      ? tensor(indices as readonly number[], [(indices as readonly number[]).length], {
          dtype: "int32",
          backend: x.backend,
        })
      : (indices as Tensor);
  expectDType("indexSelect", "int32", idx);
  if (idx.rank !== 1) throw new ShapeError("indexSelect", "indices must be 1-D", [idx.shape]);
  const n = x.shape[ax];
  for (const i of idx.storage.i32()) {
    if (i < 0 || i >= n) throw new ValueError("indexSelect: indices", `integers in [0, ${n})`, i);
  }
  const backend = backendOf("indexSelect", x, idx);
  const [outer, , inner] = splitAtAxis(x.shape, ax);
  const shape = x.shape.map((d, i) => (i === ax ? idx.size : d));
  const out = allocTensor(shape, "float32", backend);
  backend.gather(x.storage, idx.storage, out.storage, outer, n, inner);
  return record(out, "indexSelect", [x], (g) => {
    const dx = allocTensor(x.shape, "float32", backend);
    backend.fill(dx.storage, 0);
    backend.scatterAdd(g.storage, idx.storage, dx.storage, outer, n, inner);
    return [dx];
  });
}

/** The same data, cut from the autograd graph (shares storage). */
export function detach(x: Tensor): Tensor {
  const out = viewOf(x, x.shape);
  return out;
}

/** A copy converted to another dtype (float → int truncates toward zero; bool is x ≠ 0). No gradient. */
export function cast(x: Tensor, dtype: DType): Tensor {
  const out = allocTensor(x.shape, dtype, x.backend);
  if (dtype === "bool") {
    const src = x.storage.view();
    const dst = out.storage.view();
    for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
  } else {
    x.backend.stridedCopy(x.storage, 0, [1], out.storage, 0, [1], [x.size], false);
  }
  return out;
}

/** A copy on another backend (gradient flows back across). */
export function toBackend(x: Tensor, name: BackendName): Tensor {
  const target = backendByName(name);
  const out = allocTensor(x.shape, x.dtype, target);
  out.storage.view().set(x.storage.view());
  return record(out, "toBackend", [x], (g) => [toBackend(g, x.backend.name)]);
}
