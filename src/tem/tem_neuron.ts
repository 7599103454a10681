// The time-encoding machine: an integrate-and-fire neuron without leak, spike times by root finding.
import { checkedNumber, ValueError } from "../errors.js";
import type { Rng } from "../random/rng.js";
import type { PeriodicSignal } from "./fourier_signal.js";

/** Parameters of a TEM neuron (Adam 2022; defaults κ = δ = b = 1). */
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

/** Limits of `temEncode`: the work it may do before it stops with an error. */
export interface TemEncodeLimits {
  /** Most spikes returned (default 1,000,000). */
  maxSpikes?: number;
  /** Most bracketing steps of P/(8K) over the duration (default 100,000,000). */
  maxSteps?: number;
}

/**
 * Spike times in (0, duration] of the TEM driven by y: the integrator starts at −δ and rises at
 * (y(t) + b)/κ; it spikes on reaching +δ and drops by 2δ. So each spike t_{k+1} is the first t > t_k with
 *   g(t) = ∫_{t_k}^{t} (y + b) ds − 2κδ ≥ 0      (t₀ = 0).
 *
 * Why the first crossing is never missed: g′ = y + b and |g″| = |y′| ≤ M (`slopeBound`). On a step
 * [a, a + h], Taylor's theorem from both ends gives g(a + s) ≤ min(q₁(s), q₂(s)) with
 * q₁(s) = g(a) + g′(a)s + Ms²/2 and q₂(s) = g(b) − g′(b)(h − s) + M(h − s)²/2. Both are convex with the
 * same leading term, so q₁ − q₂ is linear and the bound's maximum over [0, h] is at s = 0, s = h or
 * the one point where q₁ = q₂. When g(b) < 0 and that maximum is below +tol (a rounding margin), the
 * step holds no crossing that float64 can decide: a maximum of g within rounding of 0 is taken as no
 * crossing (a tangency). Otherwise the step is halved, left half first. (With −tol there, a stretch
 * where g stays within rounding of 0, as where y + b touches 0 at the crossing, was halved down to
 * ulps in every branch: billions of steps.) A step with g(b) ≥ 0 on which
 * g′ ≥ (g′(a) + g′(b) − Mh)/2 > 0 holds exactly one crossing, and Newton steps safeguarded by bisection
 * find it to machine precision; halving stops at a width of a few ulps. Steps start at P/(8K).
 */
export function temEncode(y: PeriodicSignal, params: TemParams, duration: number, limits: TemEncodeLimits = {}): Float64Array {
  const { kappa, delta, bias } = checkTemParams(params);
  if (!(Number.isFinite(duration) && duration > 0)) throw new ValueError("temEncode: duration", "a finite number > 0", duration);
  const maxSpikes = checkedNumber("temEncode: maxSpikes", limits.maxSpikes ?? 1e6, (x) => x >= 1, "a number >= 1");
  const maxSteps = checkedNumber("temEncode: maxSteps", limits.maxSteps ?? 1e8, (x) => x >= 1, "a number >= 1");
  const target = 2 * kappa * delta;
  const h0 = y.period / (8 * y.bands);
  if (duration / h0 > maxSteps)
    throw new ValueError("temEncode: duration", `at most ${maxSteps * h0} (${maxSteps} bracketing steps of P/(8K) = ${h0}; raise maxSteps)`, duration);
  if (!Number.isFinite(target) || target <= 0) throw new ValueError("temEncode: 2·kappa·delta", "a finite number > 0", target);
  const tooMany = () =>
    new ValueError("temEncode: params", `at most ${maxSpikes} spikes in duration ${duration} (2κδ = ${target}, bias ${bias}); raise maxSpikes`, `more than ${maxSpikes}`);
  // The n spikes satisfy ∫_0^duration (y + b) = 2κδ·n + (a remainder < 2κδ), so n > ∫/(2κδ) − 1.
  if ((y.integral(0, duration) + bias * duration) / target - 1 > maxSpikes) throw tooMany();
  const M = y.slopeBound();
  let tk = 0;
  const g = (t: number) => y.integral(tk, t) + bias * (t - tk) - target;
  const slope = (t: number) => y.value(t) + bias;
  /** A bracket [lo, hi] of the first crossing in [a, b] (g(a) < 0, none before a), or undefined if none. */
  const search = (a: number, ga: number, da: number, b: number, gb: number, db: number): [number, number] | undefined => {
    const h = b - a;
    if (gb < 0) {
      const tol = 64 * Number.EPSILON * (target + Math.abs(ga) + Math.abs(gb) + Math.abs(bias) * (b - tk));
      let upper = Math.max(ga, gb);
      const B = da - db + M * h;
      if (B > 0) {
        const s = -(ga - gb + db * h - (M * h * h) / 2) / B;
        if (s > 0 && s < h) upper = Math.max(upper, ga + da * s + (M * s * s) / 2);
      }
      if (upper < tol) return undefined;
    } else if ((da + db - M * h) / 2 > 0) return [a, b];
    if (h <= 4 * Number.EPSILON * Math.max(1, Math.abs(b))) return gb >= 0 ? [a, b] : undefined;
    const m = a + h / 2;
    const gm = g(m);
    const dm = slope(m);
    const left = search(a, ga, da, m, gm, dm);
    if (left || gm >= 0) return left;
    return search(m, gm, dm, b, gb, db);
  };
  const spikes: number[] = [];
  for (;;) {
    let lo = tk;
    let glo = -target;
    let dlo = slope(lo);
    let bracket: [number, number] | undefined;
    while (!bracket) {
      if (lo >= duration) return Float64Array.from(spikes);
      const hi = Math.min(lo + h0, duration);
      const ghi = g(hi);
      const dhi = slope(hi);
      bracket = search(lo, glo, dlo, hi, ghi, dhi);
      [lo, glo, dlo] = [hi, ghi, dhi];
    }
    // g(lo) < 0 ≤ g(hi), one crossing: Newton from the midpoint, falling back to bisection outside the bracket.
    let [a, b] = bracket;
    let t = 0.5 * (a + b);
    for (let it = 0; it < 200 && b - a > 4 * Number.EPSILON * Math.max(1, b); it++) {
      const v = g(t);
      if (v === 0) {
        a = b = t;
        break;
      }
      if (v < 0) a = t;
      else b = t;
      const d = slope(t);
      const next = d > 0 ? t - v / d : NaN;
      t = next > a && next < b ? next : 0.5 * (a + b);
    }
    if (spikes.length >= maxSpikes) throw tooMany();
    tk = b;
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
