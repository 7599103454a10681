// The time-encoding machine: an integrate-and-fire neuron without leak, spike times by root finding.
import { checkedNumber, ValueError } from "../errors.js";
import type { Rng } from "../random/rng.js";
import type { PeriodicSignal } from "./fourier_signal.js";

/** Parameters of a TEM neuron (SPECS §2; defaults κ = δ = b = 1). */
export interface TemParams {
  /** Integration constant κ > 0. */
  kappa: number;
  /** Threshold δ > 0: the integrator runs from −δ to +δ. */
  delta: number;
  /** Bias b added to the input. */
  bias: number;
}

/** The default TEM parameters κ = δ = b = 1. */
export const DEFAULT_TEM: TemParams = { kappa: 1, delta: 1, bias: 1 };

/** Checks κ > 0, δ > 0 and a finite bias, naming the bad one. */
export function checkTemParams(p: TemParams, where = "TEM"): TemParams {
  if (!(Number.isFinite(p.kappa) && p.kappa > 0)) throw new ValueError(`${where}: kappa`, "a finite number > 0", p.kappa);
  if (!(Number.isFinite(p.delta) && p.delta > 0)) throw new ValueError(`${where}: delta`, "a finite number > 0", p.delta);
  if (!Number.isFinite(p.bias)) throw new ValueError(`${where}: bias`, "a finite number", p.bias);
  return p;
}

/**
 * Spike times in (0, duration] of the TEM driven by y: the integrator starts at −δ and rises at
 * (y(t) + b)/κ; it spikes on reaching +δ and drops by 2δ. So each spike t_{k+1} solves
 *   ∫_{t_k}^{t_{k+1}} (y + b) dt = 2κδ      (t₀ = 0).
 * Root finding on the closed-form integral: the first crossing is bracketed by steps of P/(8K) (so
 * the integrand changes sign at most once per step when it changes sign at all), then refined by
 * Newton steps safeguarded by bisection to machine precision.
 */
export function temEncode(y: PeriodicSignal, params: TemParams, duration: number): Float64Array {
  const { kappa, delta, bias } = checkTemParams(params);
  if (!(Number.isFinite(duration) && duration > 0)) throw new ValueError("temEncode: duration", "a finite number > 0", duration);
  const target = 2 * kappa * delta;
  const h = y.period / (8 * y.bands);
  const g = (t0: number, t: number) => y.integral(t0, t) + bias * (t - t0) - target;
  const spikes: number[] = [];
  let tk = 0;
  for (;;) {
    let lo = tk;
    let hi = Math.min(tk + h, duration);
    while (g(tk, hi) < 0) {
      if (hi >= duration) return Float64Array.from(spikes);
      lo = hi;
      hi = Math.min(hi + h, duration);
    }
    // g(lo) < 0 ≤ g(hi): Newton from the midpoint, falling back to bisection outside the bracket.
    let t = 0.5 * (lo + hi);
    for (let it = 0; it < 200 && hi - lo > 4 * Number.EPSILON * Math.max(1, hi); it++) {
      const v = g(tk, t);
      if (v === 0) {
        lo = hi = t;
        break;
      }
      if (v < 0) lo = t;
      else hi = t;
      const slope = y.value(t) + bias;
      const next = slope > 0 ? t - v / slope : NaN;
      t = next > lo && next < hi ? next : 0.5 * (lo + hi);
    }
    tk = hi;
    spikes.push(tk);
  }
}

/** The finite times, sorted, with repeats dropped: a valid (strictly increasing) spike train. */
export function increasingTimes(times: Float64Array): Float64Array {
  const t = times.filter(Number.isFinite).sort();
  return t.filter((v, k) => k === 0 || v > t[k - 1]);
}

/** Spike times plus N(0, σ²) noise each, made a valid train again (increasingTimes). σ = 0 returns them as they are. */
export function jitterTimes(times: Float64Array, sigma: number, rng: Rng): Float64Array {
  checkedNumber("jitterTimes: sigma", sigma, (x) => x >= 0, "a number >= 0");
  return sigma === 0 ? times : increasingTimes(times.map((t) => t + sigma * rng.normal()));
}
