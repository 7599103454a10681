// Written-out references for Prony's method, shared by the tem tests: Dirac coefficients and a
// polynomial from its roots.
import type * as TEM from "../../src/tem.js";

/** ĉ_m = (1/P) Σ_n A_n e^{−jωmτ_n}, m = −M … M (index m + M), ω = 2π/P. */
export function diracCoefficients(times: readonly number[], amps: readonly number[], M: number, P: number): TEM.Complex[] {
  const w = (2 * Math.PI) / P;
  return Array.from({ length: 2 * M + 1 }, (_, i): TEM.Complex => {
    const m = i - M;
    return [times.reduce((s, t, n) => s + (amps[n] * Math.cos(w * m * t)) / P, 0), times.reduce((s, t, n) => s - (amps[n] * Math.sin(w * m * t)) / P, 0)];
  });
}

/** The monic polynomial Π_k (z − r_k) as coefficients Σ_k a_k z^{n−k}, highest degree first. */
export function monicFromRoots(roots: readonly TEM.Complex[]): TEM.Complex[] {
  let poly: TEM.Complex[] = [[1, 0]];
  for (const [rr, ri] of roots) {
    const next: [number, number][] = [...poly.map((c): [number, number] => [c[0], c[1]]), [0, 0]];
    poly.forEach((c, k) => {
      next[k + 1][0] -= c[0] * rr - c[1] * ri;
      next[k + 1][1] -= c[0] * ri + c[1] * rr;
    });
    poly = next;
  }
  return poly;
}
