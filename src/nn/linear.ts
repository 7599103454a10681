// Fully connected layer.
import { matmul } from "../tensor/ops/matmul.js";
import { add } from "../tensor/ops/elementwise.js";
import { ShapeError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { type InitOptions, initBias, initWeight, positiveInt } from "./init.js";
import { Module } from "./module.js";

/** Options of Linear. */
export interface LinearOptions extends InitOptions {
  /** Add a bias (default true). */
  bias?: boolean;
}

/**
 * y = x·W + b over rows x [N, in]; W is stored [in, out] (the transpose of PyTorch's layout) so that a
 * spike input runs the spike-sparse product, which sums rows of W (singly or as tabulated groups of four)
 * instead of multiplying.
 */
export class Linear extends Module {
  override readonly kind: string = "Linear";
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    positiveInt("Linear: inFeatures", inFeatures);
    positiveInt("Linear: outFeatures", outFeatures);
    this.weight = this.addParameter("weight", initWeight([inFeatures, outFeatures], inFeatures, outFeatures, options));
    this.bias = options.bias === false ? null : this.addParameter("bias", initBias(outFeatures, inFeatures, options.rng));
  }

  forward(x: Tensor): Tensor {
    if (x.rank !== 2 || x.shape[1] !== this.inFeatures)
      throw new ShapeError("Linear", `input must be [N, ${this.inFeatures}]`, [x.shape]);
    const y = matmul(x, this.weight);
    return this.bias ? add(y, this.bias) : y;
  }
}
