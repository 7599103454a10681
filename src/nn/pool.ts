// Pooling layers over [N, C, H, W].
import { avgPool2d, maxPool2d } from "../tensor/ops/conv.js";
import type { Tensor } from "../tensor/tensor.js";
import { positiveInt } from "./init.js";
import { Module } from "./module.js";

/** Max over k×k windows (stride k unless given). On spikes it is an OR over the window. */
export class MaxPool2d extends Module {
  constructor(
    readonly kernelSize: number,
    readonly stride: number = kernelSize,
  ) {
    super();
    positiveInt("MaxPool2d: kernelSize", kernelSize);
    positiveInt("MaxPool2d: stride", stride);
  }
  forward(x: Tensor): Tensor {
    return maxPool2d(x, { kernelSize: this.kernelSize, stride: this.stride });
  }
}

/** Mean over k×k windows (stride k unless given). */
export class AvgPool2d extends Module {
  constructor(
    readonly kernelSize: number,
    readonly stride: number = kernelSize,
  ) {
    super();
    positiveInt("AvgPool2d: kernelSize", kernelSize);
    positiveInt("AvgPool2d: stride", stride);
  }
  forward(x: Tensor): Tensor {
    return avgPool2d(x, { kernelSize: this.kernelSize, stride: this.stride });
  }
}
