// One-layer TEM training: every inter-spike interval is a linear equation in one row of W (Adam 2022).
import { Matrix, SingularValueDecomposition } from "ml-matrix";
import { ValueError } from "../errors.js";
import { FourierSignal } from "./fourier_signal.js";
import { checkTemParams, type TemParams, temEncode } from "./tem_neuron.js";

/** One training example: the input signals and, per output neuron, its spike times. */
export interface TemExample {
  readonly inputs: readonly FourierSignal[];
  readonly spikes: readonly Float64Array[];
}

/** The least-squares solution of one output neuron's stacked interval equations. */
export interface NeuronFit {
  /** Learned row of W (one weight per input). */
  weights: Float64Array;
  /** Rank of the stacked system (numerical, tolerance max(m, n)·σ₁·ε). */
  rank: number;
  /** Number of interval equations. */
  equations: number;
  /** rank = number of inputs: W's row is identifiable; otherwise the minimum-norm solution is only one of many. */
  determined: boolean;
  /** max over the equations of |Σ_i W_i ∫x_i − (2κδ − bΔt)|. */
  residual: number;
}

/**
 * Learns W (outputs × inputs) from spike times: for output j and consecutive spikes t_k < t_{k+1}
 * (k ≥ 1: the interval from 0 to the first spike is not used),
 *   Σ_i W_ji ∫_{t_k}^{t_{k+1}} x_i dt = 2κδ − b (t_{k+1} − t_k).
 * The equations of all intervals of all examples are stacked and solved per output neuron by minimum-norm
 * least squares through the SVD (ml-matrix), singular values below max(m, n)·σ₁·ε treated as zero.
 */
export function trainOneLayer(examples: readonly TemExample[], params: TemParams | readonly TemParams[]): NeuronFit[] {
  if (examples.length === 0) throw new ValueError("trainOneLayer: examples", "at least one example", 0);
  const I = examples[0].inputs.length;
  const J = examples[0].spikes.length;
  if (I === 0) throw new ValueError("trainOneLayer: inputs", "at least one input signal", 0);
  if (J === 0) throw new ValueError("trainOneLayer: spikes", "spike times of at least one output neuron", 0);
  examples.forEach((e, n) => {
    if (e.inputs.length !== I || e.spikes.length !== J)
      throw new ValueError(`trainOneLayer: examples[${n}]`, `${I} inputs and ${J} spike trains`, [e.inputs.length, e.spikes.length]);
    e.spikes.forEach((s, j) => {
      for (let k = 0; k < s.length; k++)
        if (!Number.isFinite(s[k]) || (k > 0 && !(s[k] > s[k - 1])))
          throw new ValueError(`trainOneLayer: examples[${n}].spikes[${j}]`, "finite, strictly increasing times", s[k]);
    });
  });
  const paramsOf = (j: number) => checkTemParams(Array.isArray(params) ? (params as TemParams[])[j] : (params as TemParams), `output ${j}`);
  return Array.from({ length: J }, (_, j) => {
    const { kappa, delta, bias } = paramsOf(j);
    const rows: number[][] = [];
    const rhs: number[] = [];
    for (const e of examples) {
      const s = e.spikes[j];
      for (let k = 1; k < s.length; k++) {
        const t0 = s[k - 1];
        const t1 = s[k];
        rows.push(e.inputs.map((x) => x.integral(t0, t1)));
        rhs.push(2 * kappa * delta - bias * (t1 - t0));
      }
    }
    return solveMinNorm(rows, rhs, I);
  });
}

/** Minimum-norm least squares of rows·w = rhs (SVD, numerical rank); an empty system gives w = 0, rank 0. */
export function solveMinNorm(rows: number[][], rhs: number[], n: number): NeuronFit {
  if (rows.length === 0) return { weights: new Float64Array(n), rank: 0, equations: 0, determined: false, residual: 0 };
  const A = new Matrix(rows);
  const svd = new SingularValueDecomposition(A, { autoTranspose: true });
  const s = svd.diagonal;
  const tol = Math.max(rows.length, n) * s[0] * Number.EPSILON;
  const U = svd.leftSingularVectors;
  const V = svd.rightSingularVectors;
  const w = new Float64Array(n);
  let rank = 0;
  for (let r = 0; r < s.length; r++) {
    if (!(s[r] > tol)) continue;
    rank++;
    let ub = 0;
    for (let m = 0; m < rows.length; m++) ub += U.get(m, r) * rhs[m];
    const scale = ub / s[r];
    for (let i = 0; i < n; i++) w[i] += V.get(i, r) * scale;
  }
  let residual = 0;
  rows.forEach((row, m) => {
    let v = -rhs[m];
    for (let i = 0; i < n; i++) v += row[i] * w[i];
    residual = Math.max(residual, Math.abs(v));
  });
  return { weights: w, rank, equations: rows.length, determined: rank === n, residual };
}

/** Frobenius norm ‖A − B‖_F of two matrices given as rows. */
export function frobeniusError(a: readonly ArrayLike<number>[], b: readonly ArrayLike<number>[]): number {
  let s = 0;
  a.forEach((row, j) => {
    for (let i = 0; i < row.length; i++) s += (row[i] - b[j][i]) ** 2;
  });
  return Math.sqrt(s);
}

/** The spike trains of a TEM layer y_j = Σ_i W_ji x_i over [0, duration], with optional Gaussian jitter on the times. */
export function encodeLayer(
  inputs: readonly FourierSignal[],
  weights: readonly ArrayLike<number>[],
  params: TemParams,
  duration: number,
): Float64Array[] {
  return weights.map((row) => temEncode(FourierSignal.combine(inputs, row), params, duration));
}
