// Pooling layers over [N, C, H, W].
import { avgPool2d, maxPool2d, type Pool2dOptions } from "../tensor/ops/conv.js";
import type { Tensor } from "../tensor/tensor.js";
import { positiveInt } from "./init.js";
import { Module } from "./module.js";

/** A k×k pooling window with stride (default k), over a pooling op. */
abstract class Pool2dLayer extends Module {
  readonly stride: number;

  constructor(
    readonly kernelSize: number,
    stride: number | undefined,
    private readonly op: (x: Tensor, o: Pool2dOptions) => Tensor,
  ) {
    super();
    positiveInt(`${new.target.name}: kernelSize`, kernelSize);
    this.stride = positiveInt(`${new.target.name}: stride`, stride ?? kernelSize);
  }

  forward(x: Tensor): Tensor {
    return this.op(x, { kernelSize: this.kernelSize, stride: this.stride });
  }
}

/** Max over k×k windows (stride k unless given). On spikes it is an OR over the window. */
export class MaxPool2d extends Pool2dLayer {
  override readonly kind: string = "MaxPool2d";
  constructor(kernelSize: number, stride?: number) {
    super(kernelSize, stride, maxPool2d);
  }
}

/** Mean over k×k windows (stride k unless given). */
export class AvgPool2d extends Pool2dLayer {
  override readonly kind: string = "AvgPool2d";
  constructor(kernelSize: number, stride?: number) {
    super(kernelSize, stride, avgPool2d);
  }
}
