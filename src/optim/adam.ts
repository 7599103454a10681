// Adam and AdamW.
import { ValueError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { Optimizer } from "./optimizer.js";

/** Options of Adam and AdamW. */
export interface AdamOptions {
  lr?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Adam: L2 penalty added to the gradient; AdamW: decoupled decay of the weights (default 0 / 0.01). */
  weightDecay?: number;
}

/**
 * Adam (Kingma & Ba), as PyTorch computes it:
 *   m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,  w ← w − lr·(m/(1 − β₁ᵗ)) / (√(v/(1 − β₂ᵗ)) + ε)
 * with g ← g + λw (L2) for Adam.
 */
export class Adam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** Decoupled weight decay (AdamW): w ← w − lr·λ·w before the Adam step. */
  protected readonly decoupled: boolean = false;

  constructor(params: readonly Tensor[], options: AdamOptions = {}, defaultDecay = 0) {
    super(params, options.lr ?? 1e-3, ["m", "v"]);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? defaultDecay;
    for (const [n, b] of [["beta1", this.beta1], ["beta2", this.beta2]] as const)
      if (!(b >= 0 && b < 1)) throw new ValueError(`Adam: ${n}`, "a number in [0, 1)", b);
    if (!(this.eps > 0)) throw new ValueError("Adam: eps", "a number > 0", this.eps);
    if (!(this.weightDecay >= 0)) throw new ValueError("Adam: weightDecay", "a number >= 0", this.weightDecay);
  }

  protected update(i: number, w: Float32Array, g: Float32Array): void {
    const { lr, beta1: b1, beta2: b2, eps, weightDecay: wd } = this;
    const m = this.slots.m[i];
    const v = this.slots.v[i];
    const c1 = 1 - b1 ** this.stepCount;
    const c2 = 1 - b2 ** this.stepCount;
    const stepSize = lr / c1;
    const l2 = this.decoupled ? 0 : wd;
    const shrink = this.decoupled ? 1 - lr * wd : 1;
    for (let j = 0; j < w.length; j++) {
      const gj = g[j] + l2 * w[j];
      m[j] = b1 * m[j] + (1 - b1) * gj;
      v[j] = b2 * v[j] + (1 - b2) * gj * gj;
      w[j] = w[j] * shrink - (stepSize * m[j]) / (Math.sqrt(v[j] / c2) + eps);
    }
  }
}

/** AdamW (Loshchilov & Hutter): Adam with decoupled weight decay w ← w(1 − lr·λ); default λ = 0.01. */
export class AdamW extends Adam {
  protected override readonly decoupled: boolean = true;

  constructor(params: readonly Tensor[], options: AdamOptions = {}) {
    super(params, options, 0.01);
  }
}
