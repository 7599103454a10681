// Flatten every dimension after the first.
import { reshape } from "../tensor/ops/shape_ops.js";
import type { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";

/** [N, d1, d2, ...] → [N, d1·d2·...] (a view). */
export class Flatten extends Module {
  override readonly kind: string = "Flatten";
  forward(x: Tensor): Tensor {
    return reshape(x, [x.shape[0], -1]);
  }
}
