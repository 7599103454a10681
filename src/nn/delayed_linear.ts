// A fully connected layer whose every synapse has its own axonal delay, fixed or learned (learnable
// delays as a dilated temporal convolution with a Gaussian kernel: Hammouamri, Khalfaoui-Hassani &
// Masquelier 2023).
import { ShapeError, ValueError } from "../errors.js";
import { defaultRng } from "../random/rng.js";
import { rand, tensor, zeros } from "../tensor/creation.js";
import { add, clamp, div, exp, mul, sub } from "../tensor/ops/elementwise.js";
import { matmul } from "../tensor/ops/matmul.js";
import { concat, reshape, slice } from "../tensor/ops/shape_ops.js";
import type { Tensor } from "../tensor/tensor.js";
import { type InitOptions, initBias, initWeight, positiveInt } from "./init.js";
import { type LayerRun, type LayerState, Module, type TimeMode } from "./module.js";

/** Longest delay in steps a layer may have. */
const MAX_DELAY = 4096;

/** Options of DelayedLinear. */
export interface DelayedLinearOptions extends InitOptions {
  /** Longest delay D in steps; every delay lies in [0, D]. */
  maxDelay: number;
  /** Initial delays in steps, one per synapse, row-major [in, out] (default: drawn uniformly in [0, D] from `rng`). */
  delays?: readonly number[];
  /** Learn the delays (default false: whole steps, fixed). */
  learnDelays?: boolean;
  /** Width σ of the Gaussian in steps while learning (default D/2; lower it as training goes, e.g. to 0.5). */
  sigma?: number;
  /** Add a bias (default true). */
  bias?: boolean;
}

/**
 * y_j[t] = Σ_i Σ_{k=0..D} W_ij·g_ij(k)·x_i[t − k] + b_j over x [T, B, in] (x before step 0 is 0), with
 *   fixed delays:    g_ij(k) = 1 if k = round(d_ij), else 0 (y_j[t] = Σ_i W_ij·x_i[t − d_ij] + b_j);
 *   learned delays:  g_ij(k) = exp(−(k − d_ij)²/2σ²) / Σ_k′ exp(−(k′ − d_ij)²/2σ²), d_ij ∈ [0, D] a parameter,
 * so that the gradient reaches each delay through its kernel (a temporal convolution with D + 1 taps).
 * roundDelays() turns learned delays into fixed whole steps, as at inference after training.
 */
export class DelayedLinear extends Module {
  override readonly kind: string = "DelayedLinear";
  override readonly time: TimeMode = "temporal";
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  /** The delays d [in, out] in steps: a parameter while they are learned. */
  readonly delays: Tensor;
  readonly maxDelay: number;
  /** Width σ of the learned delays' kernels; may be lowered during training. */
  sigma: number;
  private learned: boolean;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: DelayedLinearOptions,
  ) {
    super();
    positiveInt("DelayedLinear: inFeatures", inFeatures);
    positiveInt("DelayedLinear: outFeatures", outFeatures);
    const D = options.maxDelay;
    if (!(Number.isInteger(D) && D >= 0 && D <= MAX_DELAY)) throw new ValueError("DelayedLinear: maxDelay", `an integer in [0, ${MAX_DELAY}]`, D);
    this.maxDelay = D;
    this.sigma = options.sigma ?? Math.max(D / 2, 0.5);
    if (!(this.sigma > 0 && this.sigma <= MAX_DELAY)) throw new ValueError("DelayedLinear: sigma", `a number in (0, ${MAX_DELAY}]`, this.sigma);
    this.learned = options.learnDelays ?? false;
    const n = inFeatures * outFeatures;
    let d: Float32Array;
    if (options.delays) {
      if (options.delays.length !== n) throw new ValueError("DelayedLinear: delays", `${n} delays (in × out)`, `${options.delays.length}`);
      const bad = options.delays.findIndex((v) => !(v >= 0 && v <= D));
      if (bad >= 0) throw new ValueError(`DelayedLinear: delays[${bad}]`, `a delay in [0, ${D}] steps`, options.delays[bad]);
      d = Float32Array.from(options.delays);
    } else {
      d = rand([n], { low: 0, high: D, rng: options.rng ?? defaultRng() }).dataFloat32().slice();
    }
    if (!this.learned) d = d.map(Math.round);
    const delays = tensor(d, [inFeatures, outFeatures]);
    this.delays = this.learned ? this.addParameter("delays", delays) : this.addBuffer("delays", delays);
    this.weight = this.addParameter("weight", initWeight([inFeatures, outFeatures], inFeatures, outFeatures, options));
    this.bias = options.bias === false ? null : this.addParameter("bias", initBias(outFeatures, inFeatures, options.rng));
  }

  /** Whether the delays are learned (Gaussian kernels) rather than fixed whole steps. */
  get learnsDelays(): boolean {
    return this.learned;
  }

  /** Fixes the delays at their nearest whole steps (in [0, D]) and stops learning them. */
  roundDelays(): void {
    const d = this.delays.storage.f32();
    for (let i = 0; i < d.length; i++) d[i] = Math.round(Math.min(Math.max(d[i], 0), this.maxDelay));
    this.delays.requiresGrad = false;
    this.learned = false;
  }

  /** The taps k with their kernels W ⊙ g(k) [in, out]: every k for learned delays; for fixed ones, the delays some synapse has. */
  private taps(): { k: number; kernel: Tensor }[] {
    const D = this.maxDelay;
    if (!this.learned) {
      const d = this.delays.dataFloat32();
      return [...new Set(d)].map((k) => ({ k, kernel: mul(this.weight, tensor(d.map((v) => (v === k ? 1 : 0)), this.delays.shape)) }));
    }
    const d = clamp(this.delays, 0, D);
    const gauss = Array.from({ length: D + 1 }, (_, k) => {
      const u = sub(d, k);
      return exp(mul(mul(u, u), -1 / (2 * this.sigma * this.sigma)));
    });
    const total = gauss.reduce((s, g) => add(s, g));
    return gauss.map((g, k) => ({ k, kernel: mul(this.weight, div(g, total)) }));
  }

  forward(x: Tensor): Tensor {
    return this.runFrom(x, null).output;
  }

  /** forward() continuing a sequence: the state is the last D inputs [D, B, in] (zeros at the start). */
  override runFrom(x: Tensor, state: LayerState | null): LayerRun {
    if (x.rank !== 3 || x.shape[2] !== this.inFeatures) throw new ShapeError("DelayedLinear", `input must be [T, B, ${this.inFeatures}]`, [x.shape]);
    const [T, B] = x.shape;
    const D = this.maxDelay;
    const history = state?.history ?? zeros([D, B, this.inFeatures], { backend: x.backend });
    if (history.shape.join(",") !== [D, B, this.inFeatures].join(",")) throw new ShapeError("DelayedLinear", `state.history must be [${D}, ${B}, ${this.inFeatures}]`, [history.shape]);
    const all = D > 0 ? concat([history, x], 0) : x;
    let y: Tensor | null = null;
    for (const { k, kernel } of this.taps()) {
      // The inputs k steps back for every step of this run: rows D − k .. D − k + T of `all`.
      const back = reshape(slice(all, [D - k, 0, 0], [T, B, this.inFeatures]), [T * B, this.inFeatures]);
      const part = matmul(back, kernel);
      y = y ? add(y, part) : part;
    }
    let out = reshape(y!, [T, B, this.outFeatures]);
    if (this.bias) out = add(out, this.bias);
    const final: LayerState = D > 0 ? { history: slice(all, [T, 0, 0], [D, B, this.inFeatures]) } : {};
    return { output: out, spikes: null, final };
  }
}
