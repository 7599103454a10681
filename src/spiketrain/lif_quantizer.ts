// The LIF neuron as a spike-train quantizer (Moser & Lunglmayr 2024): exact, event by event, no time stepping.
import { ValueError } from "../errors.js";
import { SpikeTrain } from "./spike_train.js";

/** Reset after a threshold crossing. */
export type QuantizerReset = "mod" | "subtract" | "zero";

/** Parameters of the quantizing LIF. */
export interface QuantizerParams {
  /** Threshold ϑ > 0. */
  threshold: number;
  /** Leak rate α ≥ 0 (default 0). */
  alpha?: number;
  /** "mod" (default), "subtract" or "zero". */
  reset?: QuantizerReset;
  /** Emit only positive spikes (negative potentials are kept, never fired) (default false: signed spikes). */
  positiveOnly?: boolean;
}

/** Output train, and the potential before and the residual after each input spike. */
export interface QuantizerResult {
  output: SpikeTrain;
  potentials: Float64Array;
  residuals: Float64Array;
}

/**
 * Relative tolerance of the floor ⌊|u|/ϑ⌋: a quotient within 1e-9·max(1, q) below an integer counts as that
 * integer, so decimal inputs quantize exactly (0.9/0.3 = 2.9999999999999996 gives 3, not 2). Inputs that
 * truly lie within that distance below a multiple of ϑ are rounded up: their residual is then −ϑ·1e-9.
 */
export const FLOOR_TOLERANCE = 1e-9;

/** ⌊q⌋ with the tolerance of FLOOR_TOLERANCE. */
export function toleranceFloor(q: number): number {
  return Math.floor(q + FLOOR_TOLERANCE * Math.max(1, q));
}

/**
 * u_k = e^{−α(t_k − t_{k−1})} r_{k−1} + a_k (r₀ = 0); when |u_k| ≥ ϑ:
 *   mod: o_k = sgn(u_k)·⌊|u_k|/ϑ⌋·ϑ, r_k = u_k − o_k;  subtract: o_k = sgn(u_k)·ϑ, r_k = u_k − o_k;
 *   zero: o_k = sgn(u_k)·ϑ, r_k = 0;   otherwise o_k = 0, r_k = u_k.
 * Spikes only at input times; zero outputs are dropped from the train.
 */
export function lifQuantize(eta: SpikeTrain, params: QuantizerParams): QuantizerResult {
  const theta = params.threshold;
  if (!(Number.isFinite(theta) && theta > 0)) throw new ValueError("threshold", "a finite number > 0", theta);
  const alpha = params.alpha ?? 0;
  if (!(Number.isFinite(alpha) && alpha >= 0)) throw new ValueError("alpha", "a finite number >= 0", alpha);
  const reset = params.reset ?? "mod";
  if (reset !== "mod" && reset !== "subtract" && reset !== "zero") throw new ValueError("reset", `"mod", "subtract" or "zero"`, reset);
  const n = eta.length;
  const potentials = new Float64Array(n);
  const residuals = new Float64Array(n);
  const outT: number[] = [];
  const outA: number[] = [];
  let r = 0;
  for (let k = 0; k < n; k++) {
    const decay = k > 0 && alpha > 0 ? Math.exp(-alpha * (eta.times[k] - eta.times[k - 1])) : 1;
    const u = decay * r + eta.amplitudes[k];
    potentials[k] = u;
    const count = toleranceFloor(Math.abs(u) / theta);
    const fires = count >= 1 && (!params.positiveOnly || u > 0);
    if (fires) {
      const o = Math.sign(u) * (reset === "mod" ? count : 1) * theta;
      r = reset === "zero" ? 0 : u - o;
      outT.push(eta.times[k]);
      outA.push(o);
    } else r = u;
    residuals[k] = r;
  }
  return { output: SpikeTrain.from(outT, outA), potentials, residuals };
}
