// What the convolution layers share: channels, a square kernel, stride, zero padding, and their weights.
import type { Tensor } from "../tensor/tensor.js";
import { type InitOptions, initBias, initWeight, positiveInt } from "./init.js";
import { Module } from "./module.js";

/** Options of a convolution layer. */
export interface ConvOptions extends InitOptions {
  stride?: number;
  padding?: number;
  /** Add a bias (default true). */
  bias?: boolean;
}

/** A convolution of `dims` spatial dimensions: weight [out, in, k, …] (k once per dimension), He-uniform by default, and a bias [out]; errors name the layer as `where`. */
export abstract class ConvLayer extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly stride: number;
  readonly padding: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number,
    dims: 1 | 2,
    options: ConvOptions,
    where: string,
  ) {
    super();
    positiveInt(`${where}: inChannels`, inChannels);
    positiveInt(`${where}: outChannels`, outChannels);
    positiveInt(`${where}: kernelSize`, kernelSize);
    this.stride = positiveInt(`${where}: stride`, options.stride ?? 1);
    this.padding = options.padding ?? 0;
    const window = kernelSize ** dims;
    const kernel = Array.from({ length: dims }, () => kernelSize);
    this.weight = this.addParameter("weight", initWeight([outChannels, inChannels, ...kernel], inChannels * window, outChannels * window, options));
    this.bias = options.bias === false ? null : this.addParameter("bias", initBias(outChannels, inChannels * window, options.rng));
  }
}
