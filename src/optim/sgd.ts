// Stochastic gradient descent with momentum and weight decay.
import { ValueError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { Optimizer } from "./optimizer.js";

/** Options of SGD. */
export interface SGDOptions {
  lr?: number;
  /** Momentum μ (default 0). */
  momentum?: number;
  /** L2 weight decay λ added to the gradient (default 0). */
  weightDecay?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
}

/**
 * PyTorch's SGD: g ← g + λw; v ← μv + g; w ← w − lr·(nesterov ? g + μv : v) (v = g on the first step).
 */
export class SGD extends Optimizer {
  readonly momentum: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;

  constructor(params: readonly Tensor[], options: SGDOptions = {}) {
    super(params, options.lr ?? 0.01, options.momentum ? ["velocity"] : []);
    this.momentum = options.momentum ?? 0;
    this.weightDecay = options.weightDecay ?? 0;
    this.nesterov = options.nesterov ?? false;
    if (!(this.momentum >= 0 && this.momentum < 1)) throw new ValueError("SGD: momentum", "a number in [0, 1)", this.momentum);
    if (!(this.weightDecay >= 0)) throw new ValueError("SGD: weightDecay", "a number >= 0", this.weightDecay);
  }

  protected update(i: number, w: Float32Array, g: Float32Array): void {
    const { lr, momentum: mu, weightDecay: wd } = this;
    const v = mu ? this.slots.velocity[i] : null;
    const first = this.stepCount === 1;
    for (let j = 0; j < w.length; j++) {
      let d = g[j] + wd * w[j];
      if (v) {
        v[j] = first ? d : mu * v[j] + d;
        d = this.nesterov ? d + mu * v[j] : v[j];
      }
      w[j] -= lr * d;
    }
  }
}
