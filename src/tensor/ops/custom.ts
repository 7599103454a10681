// User-defined differentiable ops.
import { noGrad } from "../engine.js";
import { record, viewOf } from "../op_util.js";
import type { Tensor } from "../tensor.js";

/**
 * A differentiable op with a hand-written backward: `forward` computes the output from the inputs
 * (without recording a graph); `backward` returns one gradient per input (null for none) from the output
 * gradient, the inputs and the output. Surrogate spike functions are built this way.
 */
export function customOp(
  name: string,
  inputs: readonly Tensor[],
  forward: (...inputs: Tensor[]) => Tensor,
  backward: (grad: Tensor, inputs: readonly Tensor[], output: Tensor) => readonly (Tensor | null)[],
): Tensor {
  let out = noGrad(() => forward(...inputs));
  // A forward that returns one of its inputs must not turn that input into a graph node.
  if (inputs.includes(out)) out = viewOf(out, out.shape);
  return record(out, name, inputs, (g) => backward(g, inputs, out));
}
