// 2-D convolution layer.
import { conv2d } from "../tensor/ops/conv.js";
import type { Tensor } from "../tensor/tensor.js";
import { ConvLayer, type ConvOptions } from "./conv_layer.js";

/** Options of Conv2d. */
export type Conv2dOptions = ConvOptions;

/** out[n, o] = Σ_c W[o, c] ⋆ x[n, c] + b[o] over x [N, C, H, W] (PyTorch's Conv2d; W [out, in, k, k]). */
export class Conv2d extends ConvLayer {
  override readonly kind: string = "Conv2d";

  constructor(inChannels: number, outChannels: number, kernelSize: number, options: Conv2dOptions = {}) {
    super(inChannels, outChannels, kernelSize, 2, options, "Conv2d");
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding });
  }
}
