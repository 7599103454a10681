// 2-D convolution layer.
import { conv2d } from "../tensor/ops/conv.js";
import type { Tensor } from "../tensor/tensor.js";
import { type InitOptions, initBias, initWeight, positiveInt } from "./init.js";
import { Module } from "./module.js";

/** Options of Conv2d. */
export interface Conv2dOptions extends InitOptions {
  stride?: number;
  padding?: number;
  /** Add a bias (default true). */
  bias?: boolean;
}

/** out[n, o] = Σ_c W[o, c] ⋆ x[n, c] + b[o] over x [N, C, H, W] (PyTorch's Conv2d; W [out, in, k, k]). */
export class Conv2d extends Module {
  override readonly kind: string = "Conv2d";
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly stride: number;
  readonly padding: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number,
    options: Conv2dOptions = {},
  ) {
    super();
    positiveInt("Conv2d: inChannels", inChannels);
    positiveInt("Conv2d: outChannels", outChannels);
    positiveInt("Conv2d: kernelSize", kernelSize);
    this.stride = positiveInt("Conv2d: stride", options.stride ?? 1);
    this.padding = options.padding ?? 0;
    const fanIn = inChannels * kernelSize * kernelSize;
    const fanOut = outChannels * kernelSize * kernelSize;
    this.weight = this.addParameter(
      "weight",
      initWeight([outChannels, inChannels, kernelSize, kernelSize], fanIn, fanOut, options),
    );
    this.bias = options.bias === false ? null : this.addParameter("bias", initBias(outChannels, fanIn, options.rng));
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding });
  }
}
