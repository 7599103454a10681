// Prony's method over several channels: the annihilating filter, complex polynomial roots, and the Diracs' amplitudes.
import { Matrix, SingularValueDecomposition } from "ml-matrix";
import { ValueError } from "../errors.js";
import { solveMinNorm } from "./one_layer.js";

/** A complex number [re, im]. */
export type Complex = readonly [number, number];

const mul = (a: Complex, b: Complex): Complex => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const sub = (a: Complex, b: Complex): Complex => [a[0] - b[0], a[1] - b[1]];
const add = (a: Complex, b: Complex): Complex => [a[0] + b[0], a[1] + b[1]];
const div = (a: Complex, b: Complex): Complex => {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
};
const abs = (a: Complex): number => Math.hypot(a[0], a[1]);

/**
 * The filter h (N + 1 taps) that annihilates every channel's coefficients: for coefficients
 * ĉ_m = Σ_n A_n u_n^m (m = −M … M, index m + M in each channel), Σ_l h_l ĉ_{m−l} = 0 for all m with
 * m − N ≥ −M, in all channels at once. h is the right singular vector of the smallest singular value of
 * the stacked system (complex, embedded as a real system of twice the size).
 */
export function annihilatingFilter(channels: readonly (readonly Complex[])[], N: number): Complex[] {
  if (!Number.isInteger(N) || N < 1) throw new ValueError("annihilatingFilter: N", "a positive integer", N);
  const rows: number[][] = [];
  for (const c of channels) {
    const M = (c.length - 1) / 2;
    for (let m = -M + N; m <= M; m++) {
      const re = new Array(2 * (N + 1)).fill(0);
      const im = new Array(2 * (N + 1)).fill(0);
      for (let l = 0; l <= N; l++) {
        const [a, b] = c[m - l + M];
        // (a + jb)(x + jy) = (ax − by) + j(bx + ay), unknowns [x_0..x_N, y_0..y_N]
        re[l] = a;
        re[N + 1 + l] = -b;
        im[l] = b;
        im[N + 1 + l] = a;
      }
      rows.push(re, im);
    }
  }
  if (rows.length < 2 * N) throw new ValueError("annihilatingFilter: channels", `at least ${N} equations for ${N} Diracs`, rows.length / 2);
  // N equations for N + 1 taps leave fewer rows than columns, and a thin SVD would not hold the null
  // space: zero rows (which change no solution) make the system square.
  while (rows.length < 2 * (N + 1)) rows.push(new Array(2 * (N + 1)).fill(0));
  const svd = new SingularValueDecomposition(new Matrix(rows));
  const s = svd.diagonal;
  let smallest = 0;
  for (let i = 1; i < s.length; i++) if (s[i] < s[smallest]) smallest = i;
  const V = svd.rightSingularVectors;
  return Array.from({ length: N + 1 }, (_, l): Complex => [V.get(l, smallest), V.get(N + 1 + l, smallest)]);
}

/** p(z) = Σ_k coeffs[k]·z^{n−k} (highest degree first) at z, by Horner. */
function horner(coeffs: readonly Complex[], z: Complex): Complex {
  let acc: Complex = [0, 0];
  for (const c of coeffs) acc = add(mul(acc, z), c);
  return acc;
}

/**
 * The n roots of p(z) = Σ_k coeffs[k] z^{n−k} (leading coefficient nonzero): Durand–Kerner (Weierstrass)
 * iterations from points spread on a circle, then Newton polishing of each root on p.
 */
export function polynomialRoots(coeffs: readonly Complex[]): Complex[] {
  const n = coeffs.length - 1;
  if (n < 1) return [];
  const lead = coeffs[0];
  if (abs(lead) === 0) throw new ValueError("polynomialRoots: coeffs[0]", "a nonzero leading coefficient", lead);
  const monic = coeffs.map((c) => div(c, lead));
  const radius = 1 + Math.max(...monic.slice(1).map(abs));
  let z: Complex[] = Array.from({ length: n }, (_, k) => {
    const a = (2 * Math.PI * k) / n + 0.4;
    return [0.5 * radius * Math.cos(a), 0.5 * radius * Math.sin(a)];
  });
  for (let it = 0; it < 2000; it++) {
    let change = 0;
    z = z.map((zi, i) => {
      let den: Complex = [1, 0];
      z.forEach((zj, j) => {
        if (j !== i) den = mul(den, sub(zi, zj));
      });
      const step = div(horner(monic, zi), den);
      change = Math.max(change, abs(step));
      return sub(zi, step);
    });
    if (change < 1e-15 * radius) break;
  }
  // Newton polishing with the derivative's coefficients.
  const deriv = monic.slice(0, -1).map((c, k): Complex => [c[0] * (n - k), c[1] * (n - k)]);
  return z.map((zi) => {
    let r = zi;
    for (let it = 0; it < 5; it++) {
      const d = horner(deriv, r);
      if (abs(d) === 0) break;
      r = sub(r, div(horner(monic, r), d));
    }
    return r;
  });
}

/**
 * Real amplitudes A_n of Diracs at known times τ_n, from one channel's coefficients ĉ_m (m = −M … M,
 * index m + M): the least-squares fit of ĉ_m = (1/P) Σ_n A_n e^{−jωmτ_n}, ω = 2π/P, over all 2M + 1
 * coefficients, the real and imaginary parts of each as two real equations (minimum norm where the
 * times do not determine the amplitudes).
 */
export function diracAmplitudes(coeffs: readonly Complex[], times: readonly number[], period: number): Float64Array {
  if (coeffs.length % 2 !== 1) throw new ValueError("diracAmplitudes: coeffs", "an odd count (m = −M … M)", coeffs.length);
  if (!(Number.isFinite(period) && period > 0)) throw new ValueError("diracAmplitudes: period", "a finite number > 0", period);
  const bad = times.findIndex((t) => !Number.isFinite(t));
  if (bad >= 0) throw new ValueError(`diracAmplitudes: times[${bad}]`, "a finite number", times[bad]);
  const M = (coeffs.length - 1) / 2;
  const w = (2 * Math.PI) / period;
  const rows: number[][] = [];
  const rhs: number[] = [];
  for (let m = -M; m <= M; m++) {
    rows.push(times.map((t) => Math.cos(w * m * t) / period));
    rhs.push(coeffs[m + M][0]);
  }
  for (let m = -M; m <= M; m++) {
    rows.push(times.map((t) => -Math.sin(w * m * t) / period));
    rhs.push(coeffs[m + M][1]);
  }
  return solveMinNorm(rows, rhs, times.length).weights;
}
