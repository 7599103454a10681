// The baseline of Deep Spiking Networks: the bias-free ReLU MLP the spiking MLP approximates, with ReLU on
// every layer (the output too, as in the authors' baseline), trained online (batch 1) by plain SGD on a
// squared error, h_{l+1} = ReLU(W_lᵀ h_l). With k = 2 for Σ(h_L − y)² (the authors' baseline) and k = 1
// for ½Σ(h_L − y)² (the loss whose SGD step the spiking MLP's update equals), one step on the backend's
// matrix-vector kernels is
//   δ_L = k(h_L − y) ⊙ 1[h_L > 0],  δ_l = (W_l δ_{l+1}) ⊙ 1[h_l > 0],  W_l −= η h_l δ_{l+1}ᵀ,
// each δ_l computed before W_l changes. Weights W_l are [sizes[l], sizes[l+1]] as in the spiking MLP, so
// either network can run the other's weights. (Batch-1 GEMM would spend its time packing the matrices.)
import type { Backend } from "../backend/backend.js";
import { getBackend } from "../backend/registry.js";
import type { Storage } from "../backend/storage.js";
import { DivergenceError, ValueError } from "../errors.js";
import { checkWeights } from "./mlp_shape.js";

/**
 * The loss of the ReLU baseline: "squared-error" Σ(h_L − y)², as the authors' baseline (its SGD step is
 * 2η(h_L − y)), or "half-squared-error" ½Σ(h_L − y)², whose step η(h_L − y) is the one the spiking MLP's
 * update takes with exact counts.
 */
export const RELU_LOSSES = ["squared-error", "half-squared-error"] as const;
/** A loss of the ReLU baseline. */
export type ReluLoss = (typeof RELU_LOSSES)[number];

/** Options of a ReLU MLP. */
export interface ReluMlpOptions {
  /** Compute backend (default: the current one). */
  backend?: Backend;
  /** The loss SGD minimises (default "squared-error", the authors'). */
  loss?: ReluLoss;
}

/** A bias-free ReLU MLP trained by online SGD on a squared error. */
export class ReluMlp {
  readonly sizes: readonly number[];
  private readonly backend: Backend;
  private readonly w: Storage[];
  /** Activations h_0 (the input) .. h_L, and the errors δ_1 .. δ_L (delta[l] for layer l's outputs). */
  private readonly h: Storage[];
  private readonly delta: Storage[];
  private disposed = false;
  /** The loss SGD minimises. */
  readonly loss: ReluLoss;

  /** A network with the given weights (copied) and learning rate η. */
  constructor(
    sizes: readonly number[],
    weights: readonly Float32Array[],
    readonly eta: number,
    options: ReluMlpOptions = {},
  ) {
    checkWeights(sizes, weights);
    if (!(Number.isFinite(eta) && eta >= 0 && eta <= 1e3)) throw new ValueError("eta", "a number in [0, 1000]", eta);
    this.loss = options.loss ?? "squared-error";
    if (!RELU_LOSSES.includes(this.loss)) throw new ValueError("loss", RELU_LOSSES.join(" or "), this.loss);
    this.sizes = [...sizes];
    const b = (this.backend = options.backend ?? getBackend());
    this.w = weights.map((wl) => {
      const s = b.alloc("float32", wl.length);
      s.f32().set(wl);
      return s;
    });
    this.h = sizes.map((n) => b.alloc("float32", n));
    this.delta = sizes.slice(1).map((n) => b.alloc("float32", n));
  }

  /** Copies of the weights. */
  weights(): Float32Array[] {
    this.checkAlive();
    return this.w.map((s) => Float32Array.from(s.f32()));
  }

  private checkAlive(): void {
    if (this.disposed) throw new ValueError("ReluMlp", "a network that was not disposed", "a disposed network");
  }

  /** h_L for x, leaving every h_l in place for a backward pass. */
  private forward(x: ArrayLike<number>): Storage {
    this.checkAlive();
    const n = this.sizes[0];
    if (x.length !== n) throw new ValueError("x", `${n} values`, `${x.length} values`);
    const h0 = this.h[0].f32();
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(x[i])) throw new ValueError(`x[${i}]`, "a finite number", x[i]);
      h0[i] = x[i];
    }
    const b = this.backend;
    for (let l = 0; l < this.w.length; l++) {
      const [a, out] = [this.w[l], this.h[l + 1]];
      b.gemv({ a, x: this.h[l], y: out, M: this.sizes[l], N: this.sizes[l + 1], trans: true, accumulate: false });
      b.unary("relu", out, out, 0, 0);
    }
    return this.h[this.w.length];
  }

  /** One SGD step on (x, label) with target onehot(label); returns the loss (Σ or ½Σ of (h_L − y)²) before the step. */
  trainSample(x: ArrayLike<number>, label: number): number {
    const L = this.w.length;
    const nOut = this.sizes[L];
    if (!Number.isInteger(label) || label < 0 || label >= nOut) throw new ValueError("label", `an integer in [0, ${nOut})`, label);
    const out = this.forward(x).f32();
    const dL = this.delta[L - 1].f32();
    const k = this.loss === "squared-error" ? 2 : 1;
    let loss = 0;
    for (let j = 0; j < nOut; j++) {
      const d = out[j] - (j === label ? 1 : 0);
      loss += (k / 2) * d * d;
      dL[j] = out[j] > 0 ? k * d : 0;
    }
    if (!Number.isFinite(loss)) throw new DivergenceError(`ReLU MLP: the loss is ${loss} before the update (lower eta)`);
    const b = this.backend;
    for (let l = L - 1; l >= 0; l--) {
      const [M, N] = [this.sizes[l], this.sizes[l + 1]];
      if (l > 0) {
        b.gemv({ a: this.w[l], x: this.delta[l], y: this.delta[l - 1], M, N, trans: false, accumulate: false });
        const [d, h] = [this.delta[l - 1].f32(), this.h[l].f32()];
        for (let i = 0; i < M; i++) if (!(h[i] > 0)) d[i] = 0;
      }
      b.ger({ a: this.w[l], x: this.h[l], y: this.delta[l], M, N, alpha: -this.eta });
    }
    return loss;
  }

  /** The network's output h_L for x. */
  predict(x: ArrayLike<number>): Float32Array {
    return Float32Array.from(this.forward(x).f32());
  }

  /** Frees the backend storage. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of [...this.w, ...this.h, ...this.delta]) s.free();
  }
}
