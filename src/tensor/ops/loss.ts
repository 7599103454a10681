// Softmax family and losses.
import { ShapeError, ValueError } from "../../errors.js";
import { tensor } from "../creation.js";
import { allocTensor, backendOf, expectDType, record } from "../op_util.js";
import { normalizeAxis, sameShape, splitAtAxis } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { mul, neg, sub } from "./elementwise.js";
import { mean, sum } from "./reduce.js";

function softmaxOp(x: Tensor, axis: number, log: boolean): Tensor {
  const op = log ? "logSoftmax" : "softmax";
  expectDType(op, "float32", x);
  const ax = normalizeAxis(op, axis, x.rank);
  const backend = backendOf(op, x);
  const [outer, n, inner] = splitAtAxis(x.shape, ax);
  const out = allocTensor(x.shape, "float32", backend);
  backend.softmax(x.storage, out.storage, outer, n, inner, log);
  return record(out, op, [x], (g) => {
    const dx = allocTensor(x.shape, "float32", backend);
    backend.softmaxGrad(out.storage, g.storage, dx.storage, outer, n, inner, log);
    return [dx];
  });
}

/** softmax(x)_i = e^{x_i} / Σ_j e^{x_j} along an axis (default: last). */
export function softmax(x: Tensor, axis = -1): Tensor {
  return softmaxOp(x, axis, false);
}

/** log softmax(x)_i = x_i − log Σ_j e^{x_j} along an axis (default: last), computed stably. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return softmaxOp(x, axis, true);
}

/**
 * Mean cross-entropy of logits [B, C] against integer labels (B entries in [0, C)):
 * L = −(1/B) Σ_b log softmax(logits_b)[label_b].
 */
export function crossEntropy(logits: Tensor, labels: Tensor | readonly number[]): Tensor {
  if (logits.rank !== 2)
    throw new ShapeError("crossEntropy", "logits must be [batch, classes]", [logits.shape]);
  const [B, C] = logits.shape;
  const labelValues = Array.isArray(labels)
    ? (labels as readonly number[])
    : Array.from((labels as Tensor).storage.view());
  if (!Array.isArray(labels)) expectDType("crossEntropy", "int32", labels as Tensor);
  if (labelValues.length !== B) {
    throw new ShapeError("crossEntropy", `${labelValues.length} labels for a batch of ${B}`, [
      logits.shape,
      [labelValues.length],
    ]);
  }
  const oneHot = new Float32Array(B * C);
  labelValues.forEach((l, b) => {
    if (!Number.isInteger(l) || l < 0 || l >= C)
      throw new ValueError("crossEntropy: labels", `integers in [0, ${C})`, l);
    oneHot[b * C + l] = 1;
  });
  const target = tensor(oneHot, [B, C], { backend: logits.backend });
  return neg(mean(sum(mul(logSoftmax(logits, 1), target), 1)));
}

/** Mean squared error: mean((a − b)²). */
export function mse(a: Tensor, b: Tensor): Tensor {
  if (!sameShape(a.shape, b.shape)) throw new ShapeError("mse", "shapes differ", [a.shape, b.shape]);
  const d = sub(a, b);
  return mean(mul(d, d));
}
