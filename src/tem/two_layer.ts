// Two-layer TEM training (Adam 2022): recover hidden spikes from output spikes, then both weight matrices.
import { Rng } from "../random/rng.js";
import { checkSetup } from "./limits.js";
import { hungarian, kMeans } from "./clustering.js";
import { FourierSignal, TrigSignal, trigIntegrals } from "./fourier_signal.js";
import { frobeniusError, solveMinNorm, trainOneLayer } from "./one_layer.js";
import { annihilatingFilter, type Complex, diracAmplitudes, polynomialRoots } from "./prony.js";
import { increasingTimes, jitterTimes, type TemParams, temEncode } from "./tem_neuron.js";

/**
 * What an output neuron sees of hidden spikes at τ_n with weights A_n: unit Diracs made P-periodic and
 * bandlimited to |m| < K′, y(t) = Σ_n A_n (1/P)(1 + 2 Σ_{m=1}^{K′−1} cos ω_m (t − τ_n)).
 */
export function diracStream(times: readonly number[], amplitudes: readonly number[], bands: number, period: number): TrigSignal {
  const a = new Float64Array(bands);
  const b = new Float64Array(bands);
  const w = (2 * Math.PI) / period;
  times.forEach((t, n) => {
    a[0] += amplitudes[n] / period;
    for (let m = 1; m < bands; m++) {
      a[m] += (2 * amplitudes[n] * Math.cos(w * m * t)) / period;
      b[m] += (2 * amplitudes[n] * Math.sin(w * m * t)) / period;
    }
  });
  return new TrigSignal(a, b, period);
}

/**
 * Fourier coefficients ĉ_m (m = −(K′−1) … K′−1) of an output neuron's input, from its spike times: each
 * interval after the first gives ∫y = 2κδ − bΔt, linear in (a₀, a_m, b_m), solved by least squares.
 */
export function inputCoefficients(spikes: Float64Array, params: TemParams, bands: number, period: number): { coeffs: Complex[]; rank: number } {
  const w = (2 * Math.PI) / period;
  const rows: number[][] = [];
  const rhs: number[] = [];
  for (let k = 1; k < spikes.length; k++) {
    const t0 = spikes[k - 1];
    const t1 = spikes[k];
    const row = [t1 - t0];
    const sines: number[] = [];
    for (let m = 1; m < bands; m++) {
      const [c, s] = trigIntegrals(w * m, t0, t1);
      row.push(c);
      sines.push(s);
    }
    rows.push([...row, ...sines]);
    rhs.push(2 * params.kappa * params.delta - params.bias * (t1 - t0));
  }
  const fit = solveMinNorm(rows, rhs, 2 * bands - 1);
  const x = fit.weights;
  const coeffs: Complex[] = [];
  for (let m = -(bands - 1); m < bands; m++) {
    const k = Math.abs(m);
    if (k === 0) coeffs.push([x[0], 0]);
    else coeffs.push([x[k] / 2, (m > 0 ? -1 : 1) * (x[bands - 1 + k] / 2)]);
  }
  return { coeffs, rank: fit.rank };
}

/** Settings of a two-layer experiment (Adam 2022: 2 → 2 → 4; layer 1 κ = 10, δ = 1, b = 10; layer 2 κ = δ = b = 1). */
export interface TwoLayerSetup {
  inputs: number;
  hidden: number;
  outputs: number;
  examples: number;
  /** Duration over which the output neurons are observed (the hidden layer spikes over one period). */
  exposure: number;
  /** Standard deviation of Gaussian noise on the output spike times (0: exact). */
  jitter: number;
  hiddenParams: TemParams;
  outputParams: TemParams;
  /** Input bands K and the band K′ in which the output layer sees the hidden Diracs. */
  bands: number;
  diracBands: number;
  period: number;
  seed: number;
}

/** The two-layer settings of Adam 2022. */
export const TWO_LAYER_DEFAULTS: TwoLayerSetup = {
  inputs: 2,
  hidden: 2,
  outputs: 4,
  examples: 2,
  exposure: 38,
  jitter: 0,
  hiddenParams: { kappa: 10, delta: 1, bias: 10 },
  outputParams: { kappa: 1, delta: 1, bias: 1 },
  bands: 10,
  diracBands: 8,
  period: 10,
  seed: 0,
};

/** What a two-layer experiment measured (errors at the best permutation of hidden units). */
export interface TwoLayerOutcome {
  error_w1: number;
  error_w2: number;
  /** Output spikes over all examples. */
  spikes: number;
  /** Hidden spikes over all examples (the Diracs to recover). */
  hidden_spikes: number;
  /** Rank of each output's coefficient system, per example (full: 2K′ − 1). */
  rank: number[];
  /** Largest error of a recovered hidden spike time (after matching). */
  time_error: number;
}

/**
 * Draws W₁, W₂ ~ U[0, 1), inputs per example; the hidden TEMs spike over one period, the output TEMs over
 * `exposure`. Recovery uses output spikes only: coefficients by least squares, Dirac times by one
 * annihilating filter over all output channels, amplitudes per channel, k-means on the amplitude vectors
 * (centroids = W₂, labels = hidden spike trains), W₁ by one-layer training; errors at the best
 * permutation (Hungarian algorithm).
 */
export function runTwoLayer(setup: Partial<TwoLayerSetup> = {}): TwoLayerOutcome {
  const s = { ...TWO_LAYER_DEFAULTS, ...setup };
  checkSetup(s, ["inputs", "hidden", "outputs", "examples", "bands", "diracBands"]);
  const rng = new Rng(s.seed);
  const noise = new Rng(s.seed + 2);
  const w1 = Array.from({ length: s.hidden }, () => Float64Array.from({ length: s.inputs }, () => rng.uniform()));
  const w2 = Array.from({ length: s.outputs }, () => Float64Array.from({ length: s.hidden }, () => rng.uniform()));
  const P = s.period;
  const M = s.diracBands - 1;
  const points: number[][] = [];
  const pointTimes: { example: number; time: number }[] = [];
  const trueTimes: number[][][] = [];
  const ranks: number[] = [];
  let spikes = 0;
  let hiddenSpikes = 0;
  const exampleInputs: FourierSignal[][] = [];
  for (let e = 0; e < s.examples; e++) {
    const inputs = Array.from({ length: s.inputs }, () => FourierSignal.random(rng, s.bands, P));
    exampleInputs.push(inputs);
    const hidden = w1.map((row) => Array.from(temEncode(FourierSignal.combine(inputs, row), s.hiddenParams, P)));
    trueTimes.push(hidden);
    const times = hidden.flat();
    const owner = hidden.flatMap((h, i) => h.map(() => i));
    hiddenSpikes += times.length;
    const channels = w2.map((row) => {
      const y = diracStream(times, owner.map((h) => row[h]), s.diracBands, P);
      const out = jitterTimes(temEncode(y, s.outputParams, s.exposure), s.jitter, noise);
      spikes += out.length;
      const { coeffs, rank } = inputCoefficients(out, s.outputParams, s.diracBands, P);
      ranks.push(rank);
      return coeffs;
    });
    // The filter's equations: 2M − N + 1 per channel (none once N > 2M); it needs at least N of them.
    const N = times.length;
    if (N === 0 || s.outputs * Math.max(0, 2 * M - N + 1) < N) continue;
    const h = annihilatingFilter(channels, N);
    // H(u) = Σ_l h_l u^{−l} vanishes at u_n = e^{−jωτ_n}: the roots of Σ_l h_l u^{N−l}.
    const roots = polynomialRoots(h);
    const w = (2 * Math.PI) / P;
    const found = roots.map(([re, im]) => ((((-Math.atan2(im, re) / w) % P) + P) % P));
    const amps = channels.map((c) => diracAmplitudes(c, found, P));
    found.forEach((t, n) => {
      points.push(amps.map((a) => a[n]));
      pointTimes.push({ example: e, time: t });
    });
  }
  // No example recovered (too few output spikes everywhere): nothing to cluster, every learned weight 0.
  const km = points.length > 0 ? kMeans(points, Math.min(s.hidden, points.length), new Rng(s.seed + 1)) : { centroids: [], labels: [] };
  // W₂ learned: centroids as columns; hidden trains per example from the labels.
  const w2Learned = w2.map((_, j) => Float64Array.from({ length: s.hidden }, (_, h) => km.centroids[h]?.[j] ?? 0));
  const examples = exampleInputs.map((inputs, e) => ({
    inputs,
    // Failed recoveries (too few output spikes) can give coinciding or non-finite times: keep a valid train.
    spikes: Array.from({ length: s.hidden }, (_, h) =>
      increasingTimes(Float64Array.from(pointTimes.filter((p, n) => p.example === e && km.labels[n] === h).map((p) => p.time))),
    ),
  }));
  const w1Learned = trainOneLayer(examples, s.hiddenParams).map((f) => f.weights);
  // Best permutation of hidden units: cost of matching learned unit b to true unit a.
  const cost = w1.map((_, a) =>
    w1.map((_, b) => w2.reduce((acc, row, j) => acc + (row[a] - w2Learned[j][b]) ** 2, 0) + w1[a].reduce((acc, v, i) => acc + (v - w1Learned[b][i]) ** 2, 0)),
  );
  const perm = hungarian(cost);
  const w1Perm = w1.map((_, a) => w1Learned[perm[a]]);
  const w2Perm = w2.map((_, j) => Float64Array.from(w1.map((_, a) => w2Learned[j][perm[a]])));
  let timeError = 0;
  examples.forEach((ex, e) =>
    trueTimes[e].forEach((tr, a) => {
      const got = ex.spikes[perm[a]];
      if (got.length !== tr.length) timeError = Infinity;
      else tr.forEach((t, k) => (timeError = Math.max(timeError, Math.abs(t - got[k]))));
    }),
  );
  return {
    error_w1: frobeniusError(w1Perm, w1),
    error_w2: frobeniusError(w2Perm, w2),
    spikes,
    hidden_spikes: hiddenSpikes,
    rank: ranks,
    time_error: timeError,
  };
}
