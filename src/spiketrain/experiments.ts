// The resonance experiment and the sparsity property of SPECS §1.
import { ValueError } from "../errors.js";
import { type QuantizerReset, lifQuantize, toleranceFloor } from "./lif_quantizer.js";
import { alexiewiczNorm } from "./norms.js";
import { SpikeTrain } from "./spike_train.js";

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

/**
 * Sparsity (leak 0): the least ‖s‖₁ = Σ|s_k| over trains s on η's spike times with amplitudes in ϑℤ and
 * ‖η − s‖_A < ϑ, by exhaustive search (each step's residual r_k = r_{k−1} + a_k − s_k must stay in
 * (−ϑ, ϑ), which leaves at most two choices of s_k), beside the ‖·‖₁ of the mod-reset output.
 */
export function sparsityCheck(eta: SpikeTrain, threshold: number): { modL1: number; minL1: number; holds: boolean } {
  if (eta.length > 20) throw new ValueError("sparsityCheck: eta", "at most 20 spikes (exhaustive search)", eta.length);
  const mod = lifQuantize(eta, { threshold, reset: "mod" }).output;
  const modL1 = mod.amplitudes.reduce((s, a) => s + Math.abs(a), 0);
  let best = Infinity;
  const search = (k: number, r: number, l1: number): void => {
    if (l1 >= best + 1e-12) return;
    if (k === eta.length) {
      best = Math.min(best, l1);
      return;
    }
    const u = r + eta.amplitudes[k];
    const lo = toleranceFloor(u / threshold);
    for (const m of [lo - 1, lo, lo + 1]) {
      const next = u - m * threshold;
      if (Math.abs(next) < threshold * (1 - 1e-12)) search(k + 1, next, l1 + Math.abs(m) * threshold);
    }
  };
  search(0, 0, 0);
  return { modL1, minL1: best, holds: modL1 <= best + 1e-9 };
}
