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
