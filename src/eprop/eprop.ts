// e-prop (eligibility propagation; Bellec et al. 2020): online gradients for a recurrent layer of LIF or
// adaptive LIF neurons with a leaky readout, without a backward pass through time. Each synapse keeps an
// eligibility trace that is exact for its neuron's own dynamics; a learning signal from the readout's
// error at the same step multiplies it.
import { LimitError, ShapeError, ValueError } from "../errors.js";
import { alifParams } from "../neurons/alif_params.js";
import { defaultRng, type Rng } from "../random/rng.js";
import { resolveSurrogate, type SurrogateSpec, surrogateDerivative } from "../surrogate/surrogate.js";
import { tensor } from "../tensor/creation.js";
import { keep } from "../tensor/engine.js";
import type { Tensor } from "../tensor/tensor.js";

/** Options of an e-prop network. */
export interface EpropOptions {
  inputs: number;
  hidden: number;
  outputs: number;
  /** "lif" (default) or "alif" (threshold adaptation, as in ALIF). */
  neuron?: "lif" | "alif";
  /** Recurrent weights between the hidden neurons (default true). */
  recurrent?: boolean;
  /** Membrane leak β (default 0.9). */
  beta?: number;
  /** Baseline threshold θ (default 1). */
  threshold?: number;
  /** ALIF: adaptation decay ρ (default e^(−1/200)) and strength γ (default 1.8). */
  rho?: number;
  gamma?: number;
  /** Leak of the readout κ ∈ [0, 1) (default 0.8). */
  kappa?: number;
  /** Pseudo-derivative ψ = σ′(m − A) by surrogate name (default fast_sigmoid) and parameter. */
  surrogate?: string;
  surrogateParam?: number;
  /** Generator of the initial weights (default: the global one). */
  rng?: Rng;
}

/** Gradients of the loss with respect to every weight, as Float32Arrays in the weights' layouts. */
export interface EpropGradients {
  input: Float32Array;
  recurrent: Float32Array | null;
  output: Float32Array;
  bias: Float32Array;
}

/** What one pass over a batch returns. */
export interface EpropPass {
  /** The loss: mean over steps and samples of the cross-entropy of the readout. */
  loss: number;
  /** The readout y [T, B, outputs] (class scores: its mean over T). */
  readout: Float32Array;
  grads: EpropGradients;
}

/** Largest layer sizes. */
const MAX_UNITS = 1 << 16;
/** Most synapses (inputs·hidden + hidden·hidden): each keeps up to four float64 traces. */
const MAX_SYNAPSES = 1 << 24;

/**
 * A recurrent layer of LIF or ALIF neurons and a leaky readout, trained by e-prop. Per step t and sample
 * (reset subtracted and, in the eligibility, treated as a constant as e-prop does):
 *   I[t] = x[t]·W_in + z[t−1]·W_rec
 *   a[t] = ρ·a[t−1] + (1 − ρ)·z[t−1],   A[t] = θ + γ·a[t]    (LIF: γ = 0)
 *   m[t] = β·m[t−1] + I[t] − A[t]·z[t−1],   z[t] = H(m[t] − A[t]),   ψ[t] = σ′(m[t] − A[t])
 *   y[t] = κ·y[t−1] + z[t]·W_out + b,   E = mean over t and samples of CE(softmax(y[t]), label)
 * Eligibility of synapse i → j (input x_i, or z_i[t−1] for W_rec):
 *   ε_a[t] = ρ·ε_a[t−1] + (1 − ρ)·e[t−1],   ε_m[t] = β·ε_m[t−1] + x_i[t] − γ·z_j[t−1]·ε_a[t]
 *   e[t] = ψ_j[t]·(ε_m[t] − γ·ε_a[t]),       ē[t] = κ·ē[t−1] + e[t]
 * Learning signal L_j[t] = Σ_k W_out[j, k]·∂E/∂y_k[t]; gradient ΔW_ji = Σ_t L_j[t]·ē_ji[t]. Without
 * recurrent weights these are exactly BPTT's gradients (with the reset detached); with them, e-prop drops
 * the paths through other neurons' spikes.
 */
export class EpropNetwork {
  readonly inputs: number;
  readonly hidden: number;
  readonly outputs: number;
  readonly neuron: "lif" | "alif";
  readonly beta: number;
  readonly threshold: number;
  readonly rho: number;
  readonly gamma: number;
  readonly kappa: number;
  readonly surrogate: SurrogateSpec;
  /** W_in [inputs, hidden], W_rec [hidden, hidden] (null without), W_out [hidden, outputs], b [outputs]: kept tensors an optimizer can step. */
  readonly weights: { input: Tensor; recurrent: Tensor | null; output: Tensor; bias: Tensor };

  constructor(o: EpropOptions) {
    for (const key of ["inputs", "hidden", "outputs"] as const)
      if (!(Number.isInteger(o[key]) && o[key] >= 1 && o[key] <= MAX_UNITS)) throw new ValueError(`EpropNetwork: ${key}`, `an integer in [1, ${MAX_UNITS}]`, o[key]);
    const synapses = o.inputs * o.hidden + (o.recurrent === false ? 0 : o.hidden * o.hidden);
    if (synapses > MAX_SYNAPSES) throw new LimitError("synapses", `${synapses} input and recurrent synapses, more than ${MAX_SYNAPSES} (each keeps its eligibility traces): fewer inputs or hidden neurons`);
    this.inputs = o.inputs;
    this.hidden = o.hidden;
    this.outputs = o.outputs;
    this.neuron = o.neuron ?? "lif";
    if (this.neuron !== "lif" && this.neuron !== "alif") throw new ValueError("EpropNetwork: neuron", "lif | alif", this.neuron);
    const p = alifParams({ beta: o.beta ?? 0.9, threshold: o.threshold, rho: o.rho, gamma: this.neuron === "lif" ? 0 : o.gamma }, "EpropNetwork");
    this.beta = p.beta;
    this.threshold = p.threshold;
    this.rho = p.rho;
    this.gamma = p.gamma;
    this.kappa = o.kappa ?? 0.8;
    if (!(this.kappa >= 0 && this.kappa < 1)) throw new ValueError("EpropNetwork: kappa", "a number in [0, 1)", this.kappa);
    this.surrogate = resolveSurrogate(o.surrogate ?? "fast_sigmoid", o.surrogateParam);
    const rng = o.rng ?? defaultRng();
    const uniform = (n: number, bound: number) => Float32Array.from({ length: n }, () => (2 * rng.uniform() - 1) * bound);
    const param = (data: Float32Array, shape: number[]) => {
      const t = tensor(data, shape);
      t.requiresGrad = true;
      return keep(t);
    };
    const { inputs: nIn, hidden: n, outputs: K } = this;
    this.weights = {
      input: param(uniform(nIn * n, Math.sqrt(6 / nIn)), [nIn, n]),
      recurrent: o.recurrent === false ? null : param(uniform(n * n, 1 / Math.sqrt(n)), [n, n]),
      output: param(uniform(n * K, 1 / Math.sqrt(n)), [n, K]),
      bias: param(new Float32Array(K), [K]),
    };
  }

  /** The weights as a list (input, recurrent where there is one, output, bias), for an optimizer. */
  parameters(): Tensor[] {
    const w = this.weights;
    return w.recurrent ? [w.input, w.recurrent, w.output, w.bias] : [w.input, w.output, w.bias];
  }

  /**
   * One forward pass over x [T, B, inputs] (row-major) with the class of every sample, computing the
   * loss and the e-prop gradients online: the traces advance with the network, step by step, and no
   * step is stored for later.
   */
  pass(x: Float32Array, shape: readonly [number, number, number], labels: ArrayLike<number>): EpropPass {
    const [T, B, nIn] = shape;
    if (nIn !== this.inputs || x.length !== T * B * nIn || !(T >= 1 && B >= 1)) throw new ShapeError("EpropNetwork.pass", `x must be [T, B, ${this.inputs}]`, [[...shape], [x.length]]);
    if (labels.length !== B) throw new ValueError("EpropNetwork.pass: labels", `${B} labels`, labels.length);
    const n = this.hidden;
    const K = this.outputs;
    for (let b = 0; b < B; b++) if (!(Number.isInteger(labels[b]) && labels[b] >= 0 && labels[b] < K)) throw new ValueError(`EpropNetwork.pass: labels[${b}]`, `a class in [0, ${K})`, labels[b]);
    const wIn = this.weights.input.dataFloat32();
    const wRec = this.weights.recurrent?.dataFloat32() ?? null;
    const wOut = this.weights.output.dataFloat32();
    const bias = this.weights.bias.dataFloat32();
    const { beta, threshold, rho, gamma, kappa } = this;
    const adaptive = gamma !== 0;
    const psiOf = (u: number) => surrogateDerivative(this.surrogate.name, u, this.surrogate.param);
    const gIn = new Float64Array(nIn * n);
    const gRec = wRec ? new Float64Array(n * n) : null;
    const gOut = new Float64Array(n * K);
    const gBias = new Float64Array(K);
    const readout = new Float32Array(T * B * K);
    let loss = 0;
    const scale = 1 / (T * B);
    // Traces of one sample; the samples are independent.
    const synapses = (pre: number) => ({ m: new Float64Array(pre * n), a: adaptive ? new Float64Array(pre * n) : null, e: adaptive ? new Float64Array(pre * n) : null, bar: new Float64Array(pre * n) });
    const inTrace = synapses(nIn);
    const recTrace = wRec ? synapses(n) : null;
    const m = new Float64Array(n);
    const a = new Float64Array(n);
    const z = new Float64Array(n);
    const zPrev = new Float64Array(n);
    const psi = new Float64Array(n);
    const current = new Float64Array(n);
    const signal = new Float64Array(n);
    const y = new Float64Array(K);
    const zBar = new Float64Array(n);
    const delta = new Float64Array(K);
    for (let b = 0; b < B; b++) {
      for (const arr of [m, a, z, y, zBar, inTrace.m, inTrace.bar, inTrace.a, inTrace.e, recTrace?.m, recTrace?.bar, recTrace?.a, recTrace?.e]) arr?.fill(0);
      let biasBar = 0;
      for (let t = 0; t < T; t++) {
        zPrev.set(z);
        const xt = (t * B + b) * nIn;
        current.fill(0);
        for (let i = 0; i < nIn; i++) {
          const xi = x[xt + i];
          if (xi !== 0) for (let j = 0; j < n; j++) current[j] += xi * wIn[i * n + j];
        }
        if (wRec) for (let i = 0; i < n; i++) if (zPrev[i] !== 0) for (let j = 0; j < n; j++) current[j] += zPrev[i] * wRec[i * n + j];
        for (let j = 0; j < n; j++) {
          a[j] = rho * a[j] + (1 - rho) * zPrev[j];
          const A = threshold + gamma * a[j];
          m[j] = beta * m[j] + current[j] - A * zPrev[j];
          z[j] = m[j] - A > 0 ? 1 : 0;
          psi[j] = psiOf(m[j] - A);
        }
        // Readout, its error and the learning signal.
        let max = -Infinity;
        for (let k = 0; k < K; k++) {
          let s = kappa * y[k] + bias[k];
          for (let j = 0; j < n; j++) if (z[j] !== 0) s += wOut[j * K + k];
          y[k] = s;
          readout[(t * B + b) * K + k] = s;
          max = Math.max(max, s);
        }
        let norm = 0;
        for (let k = 0; k < K; k++) norm += Math.exp(y[k] - max);
        const label = labels[b];
        loss += (Math.log(norm) + max - y[label]) * scale;
        for (let k = 0; k < K; k++) delta[k] = (Math.exp(y[k] - max) / norm - (k === label ? 1 : 0)) * scale;
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += wOut[j * K + k] * delta[k];
          signal[j] = s;
          zBar[j] = kappa * zBar[j] + z[j];
          for (let k = 0; k < K; k++) gOut[j * K + k] += zBar[j] * delta[k];
        }
        biasBar = kappa * biasBar + 1;
        for (let k = 0; k < K; k++) gBias[k] += biasBar * delta[k];
        const step = { zPrev, psi, signal };
        this.advance(inTrace, nIn, (i) => x[xt + i], step, gIn);
        if (recTrace && gRec) this.advance(recTrace, n, (i) => zPrev[i], step, gRec);
      }
    }
    return { loss, readout, grads: { input: Float32Array.from(gIn), recurrent: gRec ? Float32Array.from(gRec) : null, output: Float32Array.from(gOut), bias: Float32Array.from(gBias) } };
  }

  /**
   * Advances the eligibility traces of the synapses from `pre` presynaptic inputs (input(i) at this step)
   * to every hidden neuron by one step, given the step's ψ and learning signal, and adds L_j·ē_ji to the gradient.
   */
  private advance(
    trace: { m: Float64Array; a: Float64Array | null; e: Float64Array | null; bar: Float64Array },
    pre: number,
    input: (i: number) => number,
    step: { zPrev: Float64Array; psi: Float64Array; signal: Float64Array },
    grad: Float64Array,
  ): void {
    const n = this.hidden;
    const { beta, rho, gamma, kappa } = this;
    const { zPrev, psi, signal } = step;
    for (let i = 0; i < pre; i++) {
      const xi = input(i);
      const row = i * n;
      for (let j = 0; j < n; j++) {
        const s = row + j;
        let e: number;
        if (trace.a && trace.e) {
          trace.a[s] = rho * trace.a[s] + (1 - rho) * trace.e[s];
          trace.m[s] = beta * trace.m[s] + xi - gamma * zPrev[j] * trace.a[s];
          e = psi[j] * (trace.m[s] - gamma * trace.a[s]);
          trace.e[s] = e;
        } else {
          trace.m[s] = beta * trace.m[s] + xi;
          e = psi[j] * trace.m[s];
        }
        trace.bar[s] = kappa * trace.bar[s] + e;
        grad[s] += signal[j] * trace.bar[s];
      }
    }
  }
}
