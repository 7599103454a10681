// Reverse-mode automatic differentiation: ops record the graph (Tensor.node) with record(); backward()
// walks it. Every op imports record (through op_util), so loading any op installs Tensor.backward().
import { ShapeError, SnnkitError } from "../errors.js";
import { isGradEnabled, keep, noGrad, tidy } from "./engine.js";
import { allocTensor } from "./alloc_tensor.js";
import { sameShape } from "./shape.js";
import { type GradNode, Tensor } from "./tensor.js";

/**
 * Records `out` as computed by `op` from `inputs`, if gradients are enabled and some input requires grad.
 * An op of one input may also give `accumulateInto` (GradNode), which the backward pass then uses.
 */
export function record(out: Tensor, op: string, inputs: readonly Tensor[], backward: GradNode["backward"], accumulateInto?: GradNode["accumulateInto"]): Tensor {
  if (!isGradEnabled() || !inputs.some((t) => t.requiresGrad)) return out;
  out.requiresGrad = true;
  out.node = accumulateInto ? { op, inputs, backward, accumulateInto } : { op, inputs, backward };
  return out;
}

/** A float32 tensor of x's shape on x's backend, filled with `value`, or a copy of x. */
function newLike(x: Tensor, value?: number): Tensor {
  // allocTensor: running out of backend memory is a LimitError, as for every op's output.
  const out = allocTensor(x.shape, "float32", x.backend);
  if (value === undefined) x.backend.copy(x.storage, out.storage);
  else x.backend.fill(out.storage, value);
  return out;
}

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
      // Gradient sums the pass made itself and has handed to no backward: safe to add into in place.
      const owned = new Set<Tensor>();
      const addInto = (input: Tensor, gi: Tensor): void => {
        const prev = grads.get(input);
        if (!prev) grads.set(input, gi);
        else if (owned.has(prev)) prev.backend.axpy(prev.storage, gi.storage, 1);
        else {
          const sum = newLike(prev);
          sum.backend.axpy(sum.storage, gi.storage, 1);
          grads.set(input, sum);
          owned.add(sum);
        }
      };
      if (grad) grads.set(root, grad);
      else {
        grads.set(root, newLike(root, 1));
      }
      for (const t of reverseTopological(root)) {
        const g = grads.get(t);
        if (!g) continue;
        // From here g may be returned as (a view of) an input's gradient: no longer added into in place.
        owned.delete(g);
        if (!t.node) {
          accumulateLeaf(t, g);
          continue;
        }
        const node = t.node;
        if (node.accumulateInto && node.inputs.length === 1) {
          const input = node.inputs[0];
          if (!input.requiresGrad) continue;
          let into = grads.get(input);
          if (!into || !owned.has(into)) {
            const fresh: Tensor = into ? newLike(into) : newLike(input, 0);
            into = fresh;
            grads.set(input, fresh);
            owned.add(fresh);
          }
          node.accumulateInto(g, into);
          continue;
        }
        const inputGrads = node.backward(g);
        if (inputGrads.length !== node.inputs.length) {
          throw new SnnkitError(
            `backward of ${node.op}: returned ${inputGrads.length} gradients for ${node.inputs.length} inputs`,
          );
        }
        node.inputs.forEach((input, k) => {
          const gi = inputGrads[k];
          if (!gi || !input.requiresGrad) return;
          if (!sameShape(gi.shape, input.shape)) {
            throw new ShapeError(`backward of ${node.op}`, `gradient for input ${k} has the wrong shape`, [
              gi.shape,
              input.shape,
            ]);
          }
          addInto(input, gi);
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
  leaf.grad = keep(newLike(g));
}

Tensor.backwardPass = backward;
