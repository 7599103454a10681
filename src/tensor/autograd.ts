// Reverse-mode automatic differentiation over the graph recorded by ops (Tensor.node).
import { ShapeError, SnnkitError } from "../errors.js";
import { keep, noGrad, tidy } from "./engine.js";
import { allocTensor } from "./op_util.js";
import { clone } from "./ops/reduce.js";
import { sameShape } from "./shape.js";
import { Tensor } from "./tensor.js";

/** Tensors reachable from root through recorded nodes, in reverse topological order (root first). */
function reverseTopological(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: [Tensor, boolean][] = [[root, false]];
  while (stack.length > 0) {
    const [t, expanded] = stack.pop()!;
    if (expanded) {
      order.push(t);
      continue;
    }
    if (visited.has(t)) continue;
    visited.add(t);
    stack.push([t, true]);
    if (t.node)
      for (const input of t.node.inputs)
        if (input.requiresGrad && !visited.has(input)) stack.push([input, false]);
  }
  return order.reverse();
}

/**
 * Computes d(root)/d(leaf) for every leaf that requires grad and adds it to leaf.grad. root must be a
 * scalar unless `grad` (d(loss)/d(root), same shape as root) is given. Intermediate gradients are freed
 * before returning; the graph itself stays usable until its tensors are disposed.
 */
export function backward(root: Tensor, grad?: Tensor): void {
  if (!root.requiresGrad)
    throw new SnnkitError(
      "backward: tensor does not require grad (no input requires grad, or it was computed under noGrad)",
    );
  if (grad && !sameShape(grad.shape, root.shape))
    throw new ShapeError("backward", "grad must have the shape of the tensor", [grad.shape, root.shape]);
  if (!grad && root.size !== 1)
    throw new ShapeError("backward", "needs a scalar, or an explicit grad", [root.shape]);
  tidy(() =>
    noGrad(() => {
      const grads = new Map<Tensor, Tensor>();
      if (grad) grads.set(root, grad);
      else {
        const one = allocTensor(root.shape, "float32", root.backend);
        root.backend.fill(one.storage, 1);
        grads.set(root, one);
      }
      for (const t of reverseTopological(root)) {
        const g = grads.get(t);
        if (!g) continue;
        if (!t.node) {
          accumulateLeaf(t, g);
          continue;
        }
        const inputGrads = t.node.backward(g);
        if (inputGrads.length !== t.node.inputs.length) {
          throw new SnnkitError(
            `backward of ${t.node.op}: returned ${inputGrads.length} gradients for ${t.node.inputs.length} inputs`,
          );
        }
        t.node.inputs.forEach((input, k) => {
          const gi = inputGrads[k];
          if (!gi || !input.requiresGrad) return;
          if (!sameShape(gi.shape, input.shape)) {
            throw new ShapeError(`backward of ${t.node!.op}`, `gradient for input ${k} has the wrong shape`, [
              gi.shape,
              input.shape,
            ]);
          }
          const prev = grads.get(input);
          if (!prev) grads.set(input, gi);
          else {
            const sum = clone(prev);
            sum.backend.axpy(sum.storage, gi.storage, 1);
            grads.set(input, sum);
          }
        });
      }
    }),
  );
}

function accumulateLeaf(leaf: Tensor, g: Tensor): void {
  if (leaf.grad && !leaf.grad.isDisposed) {
    leaf.backend.axpy(leaf.grad.storage, g.storage, 1);
    return;
  }
  leaf.grad = keep(clone(g));
}

Tensor.backwardPass = backward;
