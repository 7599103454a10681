// The baseline of Deep Spiking Networks: the bias-free ReLU MLP the spiking MLP approximates, with ReLU on
// every layer (the output too, as in the authors' baseline), trained online (batch 1) by plain SGD on the
// squared error ½‖h_L − y‖², h_{l+1} = ReLU(W_lᵀ h_l). One step, on the backend's matrix-vector kernels:
//   δ_L = (h_L − y) ⊙ 1[h_L > 0],  δ_l = (W_l δ_{l+1}) ⊙ 1[h_l > 0],  W_l −= η h_l δ_{l+1}ᵀ,
// each δ_l computed before W_l changes. Weights W_l are [sizes[l], sizes[l+1]] as in the spiking MLP, so
// either network can run the other's weights. (Batch-1 GEMM would spend its time packing the matrices.)
import type { Backend } from "../backend/backend.js";
import { getBackend } from "../backend/registry.js";
import type { Storage } from "../backend/storage.js";
import { DivergenceError, ValueError } from "../errors.js";
import { checkWeights } from "./mlp_shape.js";

/** A bias-free ReLU MLP trained by online SGD on the squared error. */
export class ReluMlp {
  readonly sizes: readonly number[];
  private readonly backend: Backend;
  private readonly w: Storage[];
  /** Activations h_0 (the input) .. h_L, and the errors δ_1 .. δ_L (delta[l] for layer l's outputs). */
  private readonly h: Storage[];
  private readonly delta: Storage[];
  private disposed = false;

  /** A network with the given weights (copied) and learning rate η. */
  constructor(
    sizes: readonly number[],
    weights: readonly Float32Array[],
    readonly eta: number,
    backend?: Backend,
  ) {
    checkWeights(sizes, weights);
    if (!(Number.isFinite(eta) && eta >= 0 && eta <= 1e3)) throw new ValueError("eta", "a number in [0, 1000]", eta);
    this.sizes = [...sizes];
    const b = (this.backend = backend ?? getBackend());
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

  /** One SGD step on (x, label) with target onehot(label); returns the loss ½‖h_L − y‖² before the step. */
  trainSample(x: ArrayLike<number>, label: number): number {
    const L = this.w.length;
    const nOut = this.sizes[L];
    if (!Number.isInteger(label) || label < 0 || label >= nOut) throw new ValueError("label", `an integer in [0, ${nOut})`, label);
    const out = this.forward(x).f32();
    const dL = this.delta[L - 1].f32();
    let loss = 0;
    for (let j = 0; j < nOut; j++) {
      const d = out[j] - (j === label ? 1 : 0);
      loss += 0.5 * d * d;
      dL[j] = out[j] > 0 ? d : 0;
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
