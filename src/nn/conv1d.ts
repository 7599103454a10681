// 1-D convolution layer (PyTorch's and NIR's Conv1d): the 2-D convolution over a height of one.
import { ShapeError } from "../errors.js";
import { conv2d } from "../tensor/ops/conv.js";
import { reshape } from "../tensor/ops/shape_ops.js";
import type { Tensor } from "../tensor/tensor.js";
import { ConvLayer, type ConvOptions } from "./conv_layer.js";

/** Options of Conv1d. */
export type Conv1dOptions = ConvOptions;

/**
 * out[n, o, l] = Σ_c Σ_k W[o, c, k]·x[n, c, l·stride + k − padding] + b[o] over x [N, C, L]
 * (cross-correlation with zero padding, as PyTorch's Conv1d; W [out, in, k]).
 */
export class Conv1d extends ConvLayer {
  override readonly kind: string = "Conv1d";

  constructor(inChannels: number, outChannels: number, kernelSize: number, options: Conv1dOptions = {}) {
    super(inChannels, outChannels, kernelSize, 1, options, "Conv1d");
  }

  forward(x: Tensor): Tensor {
    if (x.rank !== 3 || x.shape[1] !== this.inChannels) throw new ShapeError("Conv1d", `input must be [N, ${this.inChannels}, L]`, [x.shape]);
    const [N, C, L] = x.shape;
    const w = reshape(this.weight, [this.outChannels, C, 1, this.kernelSize]);
    const y = conv2d(reshape(x, [N, C, 1, L]), w, this.bias, { stride: [1, this.stride], padding: [0, this.padding] });
    return reshape(y, [N, this.outChannels, y.shape[3]]);
  }
}
