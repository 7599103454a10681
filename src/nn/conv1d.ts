// 1-D convolution layer (PyTorch's and NIR's Conv1d): the 2-D convolution over a height of one.
import { ShapeError } from "../errors.js";
import { conv2d } from "../tensor/ops/conv.js";
import { reshape } from "../tensor/ops/shape_ops.js";
import type { Tensor } from "../tensor/tensor.js";
import { type InitOptions, initBias, initWeight, positiveInt } from "./init.js";
import { Module } from "./module.js";

/** Options of Conv1d. */
export interface Conv1dOptions extends InitOptions {
  stride?: number;
  padding?: number;
  /** Add a bias (default true). */
  bias?: boolean;
}

/**
 * out[n, o, l] = Σ_c Σ_k W[o, c, k]·x[n, c, l·stride + k − padding] + b[o] over x [N, C, L]
 * (cross-correlation with zero padding, as PyTorch's Conv1d; W [out, in, k]).
 */
export class Conv1d extends Module {
  override readonly kind: string = "Conv1d";
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly stride: number;
  readonly padding: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number,
    options: Conv1dOptions = {},
  ) {
    super();
    positiveInt("Conv1d: inChannels", inChannels);
    positiveInt("Conv1d: outChannels", outChannels);
    positiveInt("Conv1d: kernelSize", kernelSize);
    this.stride = positiveInt("Conv1d: stride", options.stride ?? 1);
    this.padding = options.padding ?? 0;
    this.weight = this.addParameter("weight", initWeight([outChannels, inChannels, kernelSize], inChannels * kernelSize, outChannels * kernelSize, options));
    this.bias = options.bias === false ? null : this.addParameter("bias", initBias(outChannels, inChannels * kernelSize, options.rng));
  }

  forward(x: Tensor): Tensor {
    if (x.rank !== 3 || x.shape[1] !== this.inChannels) throw new ShapeError("Conv1d", `input must be [N, ${this.inChannels}, L]`, [x.shape]);
    const [N, C, L] = x.shape;
    const w = reshape(this.weight, [this.outChannels, C, 1, this.kernelSize]);
    const y = conv2d(reshape(x, [N, C, 1, L]), w, this.bias, { stride: [1, this.stride], padding: [0, this.padding] });
    return reshape(y, [N, this.outChannels, y.shape[3]]);
  }
}
