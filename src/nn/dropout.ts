// Dropout with one mask per sample shared over all time steps.
import { ValueError } from "../errors.js";
import { defaultRng, type Rng } from "../random/rng.js";
import { bernoulli } from "../tensor/creation.js";
import { mul } from "../tensor/ops/elementwise.js";
import type { Tensor } from "../tensor/tensor.js";
import { Module, type TimeMode } from "./module.js";

/**
 * Training: y = x·m/(1 − p) with m ~ Bernoulli(1 − p) drawn once per sample and feature and reused at
 * every step (x is [T, B, ...]; a mask that changed every step would act as input noise). Evaluation: y = x.
 */
export class Dropout extends Module {
  override readonly kind: string = "Dropout";
  override readonly time: TimeMode = "temporal";
  private readonly rng: Rng;

  constructor(
    readonly p = 0.5,
    rng?: Rng,
  ) {
    super();
    if (!(p >= 0 && p < 1)) throw new ValueError("Dropout: p", "a probability in [0, 1)", p);
    this.rng = rng ?? defaultRng();
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const mask = bernoulli(1 - this.p, [1, ...x.shape.slice(1)], { rng: this.rng });
    return mul(x, mul(mask, 1 / (1 - this.p)));
  }
}
