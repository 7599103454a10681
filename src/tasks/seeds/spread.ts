// Results over several seeds: their mean and spread, and the rule by which two of them differ. A result
// of one seed is not a finding; a difference within the spread of the seeds is a tie.
import { ValueError } from "../../errors.js";

/** One quantity measured with n seeds. */
export interface Spread {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 in the denominator; 0 for one seed). */
  sd: number;
  min: number;
  max: number;
  /** The values, in seed order. */
  values: number[];
}

/** Mean, sample standard deviation and range of `values` (one per seed; at least one, all finite). */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new ValueError("spread: values", "at least one value", 0);
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new ValueError(`spread: values[${i}]`, "a finite number", v);
  });
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { n, mean, sd, min: Math.min(...values), max: Math.max(...values), values: [...values] };
}

/** How two spreads compare: "higher" or "lower" when every value of one lies beyond every value of the other; else "tie". */
export type SpreadOrder = "higher" | "lower" | "tie";

/**
 * a against b: "higher" when min(a) > max(b), "lower" when max(a) < min(b), otherwise (the ranges of the
 * seeds overlap) "tie". With one seed on either side there is no spread to go beyond, so always "tie".
 */
export function compareSpreads(a: Spread, b: Spread): SpreadOrder {
  if (a.n < 2 || b.n < 2) return "tie";
  if (a.min > b.max) return "higher";
  if (a.max < b.min) return "lower";
  return "tie";
}

/** "m ± sd" of `scale`·values with `digits` decimals (one seed: just the value). */
export function formatSpread(s: Spread, digits = 2, scale = 1): string {
  const m = (scale * s.mean).toFixed(digits);
  return s.n > 1 ? `${m} ± ${(scale * s.sd).toFixed(digits)}` : m;
}

/** Seeds base, base + 1, …, base + n − 1 (wrapping below 2³²). */
export function seedList(base: number, n: number): number[] {
  if (!(Number.isInteger(n) && n >= 1 && n <= 1000)) throw new ValueError("seeds", "an integer in [1, 1000]", n);
  return Array.from({ length: n }, (_, k) => (base + k) % 2 ** 32);
}

/** Standard error √(p(1 − p)/n) of an accuracy or error rate p measured on n images (sampling of the test set alone). */
export function rateStandardError(p: number, n: number): number {
  if (!(p >= 0 && p <= 1)) throw new ValueError("rateStandardError: p", "a rate in [0, 1]", p);
  if (!(Number.isInteger(n) && n >= 1)) throw new ValueError("rateStandardError: n", "an integer >= 1", n);
  return Math.sqrt((p * (1 - p)) / n);
}
