// Batch normalisation over channels of [N, C, H, W], statistics shared over time steps.
import { ShapeError, ValueError } from "../errors.js";
import { ones, zeros } from "../tensor/creation.js";
import { noGrad } from "../tensor/engine.js";
import { add, div, mul, sqrt, sub } from "../tensor/ops/elementwise.js";
import { mean } from "../tensor/ops/reduce.js";
import { reshape } from "../tensor/ops/shape_ops.js";
import type { Tensor } from "../tensor/tensor.js";
import { positiveInt } from "./init.js";
import { Module } from "./module.js";

/** Options of BatchNorm2d. */
export interface BatchNorm2dOptions {
  eps?: number;
  /** Weight of the new batch in the running averages (default 0.1, as PyTorch). */
  momentum?: number;
}

/**
 * y = γ·(x − μ_c)/√(σ²_c + ε) + β per channel c. In training, μ and σ² are taken over all rows of the
 * batch, which for a spiking network are all T·B rows (one statistic for every time step, as in
 * threshold-dependent BN); running averages (unbiased variance) are used in evaluation.
 */
export class BatchNorm2d extends Module {
  override readonly kind: string = "BatchNorm2d";
  readonly weight: Tensor;
  readonly bias: Tensor;
  readonly runningMean: Tensor;
  readonly runningVar: Tensor;
  readonly eps: number;
  readonly momentum: number;

  constructor(
    readonly channels: number,
    options: BatchNorm2dOptions = {},
  ) {
    super();
    positiveInt("BatchNorm2d: channels", channels);
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum ?? 0.1;
    if (!(this.eps > 0)) throw new ValueError("BatchNorm2d: eps", "a number > 0", this.eps);
    if (!(this.momentum >= 0 && this.momentum <= 1))
      throw new ValueError("BatchNorm2d: momentum", "a number in [0, 1]", this.momentum);
    this.weight = this.addParameter("weight", ones([channels]));
    this.bias = this.addParameter("bias", zeros([channels]));
    this.runningMean = this.addBuffer("running_mean", zeros([channels]));
    this.runningVar = this.addBuffer("running_var", ones([channels]));
  }

  forward(x: Tensor): Tensor {
    const C = this.channels;
    if (x.rank !== 4 || x.shape[1] !== C) throw new ShapeError("BatchNorm2d", `input must be [N, ${C}, H, W]`, [x.shape]);
    const perChannel = (t: Tensor) => reshape(t, [1, C, 1, 1]);
    let mu: Tensor;
    let variance: Tensor;
    if (this.training) {
      mu = mean(x, [0, 2, 3], true);
      const centred = sub(x, mu);
      variance = mean(mul(centred, centred), [0, 2, 3], true);
      const n = x.size / C;
      noGrad(() => {
        const rm = this.runningMean.storage.f32();
        const rv = this.runningVar.storage.f32();
        const m = mu.dataFloat32();
        const v = variance.dataFloat32();
        const k = this.momentum;
        for (let c = 0; c < C; c++) {
          rm[c] = (1 - k) * rm[c] + k * m[c];
          rv[c] = (1 - k) * rv[c] + k * v[c] * (n > 1 ? n / (n - 1) : 1);
        }
      });
    } else {
      mu = perChannel(this.runningMean);
      variance = perChannel(this.runningVar);
    }
    const xHat = div(sub(x, mu), sqrt(add(variance, this.eps)));
    return add(mul(xHat, perChannel(this.weight)), perChannel(this.bias));
  }
}
