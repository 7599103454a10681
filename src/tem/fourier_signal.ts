// Real periodic bandlimited signals x(t) = Σ_{|m|<K} c_m e^{j2πmt/P} with c_{−m} = c_m (the inputs of Adam 2022).
import { ValueError } from "../errors.js";
import type { Rng } from "../random/rng.js";

/** A real P-periodic signal with closed-form values and integrals (what a TEM can encode exactly). */
export interface PeriodicSignal {
  readonly period: number;
  /** Band limit K: frequencies |m| < K. */
  readonly bands: number;
  value(t: number): number;
  integral(t0: number, t1: number): number;
  /** An upper bound on |x′(t)| over all t (the root finder of `temEncode` relies on it). */
  slopeBound(): number;
}

/**
 * x(t) = c₀ + 2 Σ_{m=1}^{K−1} c_m cos(2πmt/P): the real signal whose Fourier coefficients are c_m = c_{−m}.
 * Stored as the K coefficients c₀ … c_{K−1}. Values and integrals are closed form (float64).
 */
export class FourierSignal implements PeriodicSignal {
  readonly coefficients: Float64Array;

  constructor(
    coefficients: ArrayLike<number>,
    readonly period: number,
  ) {
    if (!(Number.isFinite(period) && period > 0)) throw new ValueError("FourierSignal: period", "a finite number > 0", period);
    if (coefficients.length < 1) throw new ValueError("FourierSignal: coefficients", "at least one coefficient", coefficients.length);
    this.coefficients = Float64Array.from(coefficients);
    this.coefficients.forEach((c, m) => {
      if (!Number.isFinite(c)) throw new ValueError(`FourierSignal: coefficients[${m}]`, "a finite number", c);
    });
  }

  /** Number K of coefficients (the band limit: |m| < K). */
  get bands(): number {
    return this.coefficients.length;
  }

  /** x(t). */
  value(t: number): number {
    const c = this.coefficients;
    const w = (2 * Math.PI) / this.period;
    let s = c[0];
    for (let m = 1; m < c.length; m++) s += 2 * c[m] * Math.cos(w * m * t);
    return s;
  }

  /** ∫_{t₀}^{t₁} x dt = c₀(t₁ − t₀) + 2 Σ_{m≥1} c_m (sin ω_m t₁ − sin ω_m t₀)/ω_m, ω_m = 2πm/P. */
  integral(t0: number, t1: number): number {
    const c = this.coefficients;
    const w = (2 * Math.PI) / this.period;
    let s = c[0] * (t1 - t0);
    for (let m = 1; m < c.length; m++) {
      const wm = w * m;
      // sin a − sin b = 2 cos((a + b)/2) sin((a − b)/2): exact for short intervals.
      s += (2 * c[m] * 2 * Math.cos((wm * (t1 + t0)) / 2) * Math.sin((wm * (t1 - t0)) / 2)) / wm;
    }
    return s;
  }

  /** |x′(t)| ≤ Σ_{m≥1} 2|c_m| ω_m. */
  slopeBound(): number {
    const w = (2 * Math.PI) / this.period;
    let s = 0;
    for (let m = 1; m < this.coefficients.length; m++) s += 2 * Math.abs(this.coefficients[m]) * w * m;
    return s;
  }

  /** Σ_i w_i x_i: a signal with the same period and band. */
  static combine(signals: readonly FourierSignal[], weights: ArrayLike<number>): FourierSignal {
    if (signals.length === 0 || signals.length !== weights.length)
      throw new ValueError("FourierSignal.combine: weights", `${signals.length} weights for ${signals.length} signals (at least one)`, weights.length);
    const { period, bands } = signals[0];
    const c = new Float64Array(bands);
    signals.forEach((x, i) => {
      if (x.period !== period || x.bands !== bands)
        throw new ValueError(`FourierSignal.combine: signals[${i}]`, `period ${period} and ${bands} bands`, [x.period, x.bands]);
      for (let m = 0; m < bands; m++) c[m] += weights[i] * x.coefficients[m];
    });
    return new FourierSignal(c, period);
  }

  /** A signal with coefficients c_m ~ U[0, 1) (Adam 2022's settings: P = 10, K = 10). */
  static random(rng: Rng, bands = 10, period = 10): FourierSignal {
    return new FourierSignal(Array.from({ length: bands }, () => rng.uniform()), period);
  }
}

/**
 * x(t) = a₀ + Σ_{m=1}^{K−1} (a_m cos ω_m t + b_m sin ω_m t), ω_m = 2πm/P: any real signal of band K,
 * with complex Fourier coefficients ĉ₀ = a₀, ĉ_{±m} = (a_m ∓ j b_m)/2.
 */
export class TrigSignal implements PeriodicSignal {
  constructor(
    readonly cosines: Float64Array,
    readonly sines: Float64Array,
    readonly period: number,
  ) {
    if (!(Number.isFinite(period) && period > 0)) throw new ValueError("TrigSignal: period", "a finite number > 0", period);
    if (cosines.length < 1 || sines.length !== cosines.length)
      throw new ValueError("TrigSignal: sines", `${cosines.length} coefficients (as many as cosines, at least 1)`, sines.length);
  }

  get bands(): number {
    return this.cosines.length;
  }

  value(t: number): number {
    const w = (2 * Math.PI) / this.period;
    let s = this.cosines[0];
    for (let m = 1; m < this.bands; m++) s += this.cosines[m] * Math.cos(w * m * t) + this.sines[m] * Math.sin(w * m * t);
    return s;
  }

  /** |x′(t)| ≤ Σ_{m≥1} ω_m √(a_m² + b_m²). */
  slopeBound(): number {
    const w = (2 * Math.PI) / this.period;
    let s = 0;
    for (let m = 1; m < this.bands; m++) s += w * m * Math.hypot(this.cosines[m], this.sines[m]);
    return s;
  }

  integral(t0: number, t1: number): number {
    const w = (2 * Math.PI) / this.period;
    let s = this.cosines[0] * (t1 - t0);
    for (let m = 1; m < this.bands; m++) {
      const [c, sn] = trigIntegrals(w * m, t0, t1);
      s += this.cosines[m] * c + this.sines[m] * sn;
    }
    return s;
  }
}

/** ∫_{t₀}^{t₁} cos ωt dt and ∫_{t₀}^{t₁} sin ωt dt, written with half-angle products (no cancellation for short intervals). */
export function trigIntegrals(w: number, t0: number, t1: number): [number, number] {
  const half = Math.sin((w * (t1 - t0)) / 2);
  const mid = (w * (t1 + t0)) / 2;
  return [(2 * Math.cos(mid) * half) / w, (2 * Math.sin(mid) * half) / w];
}
