// The resonance experiment of Moser & Lunglmayr 2024: the error surface of the LIF quantizer under a small perturbation.
import { ValueError } from "../../errors.js";
import { type QuantizerReset, lifQuantize } from "../../spiketrain/lif_quantizer.js";
import { alexiewiczNorm } from "../../spiketrain/norms.js";
import { SpikeTrain } from "../../spiketrain/spike_train.js";

/** Error surface of one reset mode: error[i][j] at alphas[i], ps[j]. */
export interface ResonanceSurface {
  reset: QuantizerReset;
  alphas: number[];
  ps: number[];
  error: number[][];
  /** max over p of the error, per α; and the α where it peaks. */
  worstByAlpha: number[];
  peakAlpha: number;
}

/**
 * ‖LIF(η + ν_p) − LIF(η)‖_{A,α} for the perturbation ν_p = p δ(t − 2.3) − p δ(t − 5.85) + p δ(t − 7), over a
 * grid of α ∈ [0, αmax] and p ∈ [0, 1], for a fixed train η and threshold ϑ (authors' notebook).
 */
export function resonanceSurface(
  eta: SpikeTrain,
  threshold: number,
  reset: QuantizerReset,
  grid: { alphaMax?: number; alphaSteps?: number; pSteps?: number } = {},
): ResonanceSurface {
  const alphaMax = grid.alphaMax ?? 10;
  const na = grid.alphaSteps ?? 41;
  const np = grid.pSteps ?? 21;
  if (!(na >= 2 && np >= 2)) throw new ValueError("grid", "at least 2 steps in α and p", [na, np]);
  const alphas = Array.from({ length: na }, (_, i) => (alphaMax * i) / (na - 1));
  const ps = Array.from({ length: np }, (_, j) => j / (np - 1));
  const error = alphas.map((alpha) => {
    const base = lifQuantize(eta, { threshold, alpha, reset }).output;
    return ps.map((p) => {
      const nu = SpikeTrain.from([2.3, 5.85, 7], [p, -p, p]);
      const out = lifQuantize(eta.add(nu), { threshold, alpha, reset }).output;
      return alexiewiczNorm(out.sub(base), alpha);
    });
  });
  const worstByAlpha = error.map((row) => Math.max(...row));
  const peak = worstByAlpha.indexOf(Math.max(...worstByAlpha));
  return { reset, alphas, ps, error, worstByAlpha, peakAlpha: alphas[peak] };
}

/** Where a surface's worst error over p peaks along α, and whether that peak lies strictly inside the α range. */
export interface ResonancePeak {
  /** The worst error over p at the peak, and the α where it is reached first. */
  peakError: number;
  peakAlpha: number;
  /** The worst error over p at α = 0 and at α = αmax. */
  atZero: number;
  atMax: number;
  /** True when the peak exceeds both ends by more than `tolerance`: resonance at an intermediate leak. */
  interior: boolean;
}

/** The α-peak of a surface's worst error over p (interior when it exceeds both ends by more than `tolerance`). */
export function resonancePeak(s: ResonanceSurface, tolerance = 1e-9): ResonancePeak {
  const w = s.worstByAlpha;
  const peakError = Math.max(...w);
  const [atZero, atMax] = [w[0], w[w.length - 1]];
  return { peakError, peakAlpha: s.alphas[w.indexOf(peakError)], atZero, atMax, interior: peakError > Math.max(atZero, atMax) + tolerance };
}

/** One row of the resonance trials: a reset mode and threshold over every train. */
export interface ResonanceTrialRow {
  reset: QuantizerReset;
  threshold: number;
  trains: number;
  /** Trains whose worst error peaks strictly inside the α range. */
  interior: number;
  /** Per train (in seed order): its peak. */
  peaks: (ResonancePeak & { seed: number })[];
}

/**
 * The resonance experiment over several random trains (seeds, in the authors' settings): for every reset
 * mode and threshold, in how many trains the worst error over p peaks at an intermediate α, and where.
 * `train(seed)` draws the train η of a seed.
 */
export function resonanceTrials(
  train: (seed: number) => SpikeTrain,
  seeds: readonly number[],
  thresholds: readonly number[],
  grid: { alphaMax?: number; alphaSteps?: number; pSteps?: number } = {},
): ResonanceTrialRow[] {
  if (seeds.length === 0) throw new ValueError("resonanceTrials: seeds", "at least one train", 0);
  if (thresholds.length === 0) throw new ValueError("resonanceTrials: thresholds", "at least one threshold", 0);
  const trains = seeds.map((seed) => ({ seed, eta: train(seed) }));
  const rows: ResonanceTrialRow[] = [];
  for (const threshold of thresholds)
    for (const reset of ["mod", "subtract", "zero"] as const) {
      const peaks = trains.map(({ seed, eta }) => ({ seed, ...resonancePeak(resonanceSurface(eta, threshold, reset, grid)) }));
      rows.push({ reset, threshold, trains: trains.length, interior: peaks.filter((p) => p.interior).length, peaks });
    }
  return rows;
}
