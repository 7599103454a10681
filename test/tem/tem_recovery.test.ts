// The two-layer recovery where its counts decide: the amplitude fit against its normal equations, and a
// run with exactly as many filter equations as hidden spikes (survivors of the tem mutation rerun).
import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../../src/index.js";
import * as TEM from "../../src/tem.js";
import { assertClose } from "../helpers.js";

/** Solves G x = r by Gaussian elimination with partial pivoting (G small and nonsingular). */
function solveSmall(G: number[][], r: number[]): number[] {
  const n = r.length;
  const a = G.map((row, i) => [...row, r[i]]);
  for (let c = 0; c < n; c++) {
    const p = a.reduce((best, row, i) => (i >= c && Math.abs(row[c]) > Math.abs(a[best][c]) ? i : best), c);
    [a[c], a[p]] = [a[p], a[c]];
    for (let i = c + 1; i < n; i++) {
      const f = a[i][c] / a[c][c];
      for (let k = c; k <= n; k++) a[i][k] -= f * a[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) x[i] = (a[i][n] - a[i].slice(i + 1, n).reduce((s, v, k) => s + v * x[i + 1 + k], 0)) / a[i][i];
  return x;
}

/** ĉ_m = (1/P) Σ_n A_n e^{−jωmτ_n}, m = −M … M. */
function diracCoefficients(times: number[], amps: number[], M: number, P: number): TEM.Complex[] {
  const w = (2 * Math.PI) / P;
  return Array.from({ length: 2 * M + 1 }, (_, i): TEM.Complex => {
    const m = i - M;
    return [times.reduce((s, t, n) => s + (amps[n] * Math.cos(w * m * t)) / P, 0), times.reduce((s, t, n) => s - (amps[n] * Math.sin(w * m * t)) / P, 0)];
  });
}

test("diracAmplitudes: exact coefficients give the amplitudes back; noisy ones the solution of the normal equations over all 2M + 1 coefficients", () => {
  const rng = new Rng(3);
  const P = 10;
  const M = 3;
  const w = (2 * Math.PI) / P;
  for (let trial = 0; trial < 5; trial++) {
    const times = [1.3 + rng.uniform(), 4.2 + rng.uniform(), 7.5 + rng.uniform()];
    const amps = times.map(() => 0.2 + rng.uniform());
    const exact = diracCoefficients(times, amps, M, P);
    assertClose(TEM.diracAmplitudes(exact, times, P), amps, 1e-12, 1e-10, "exact amplitudes");
    // Noise that keeps ĉ_{−m} = conj(ĉ_m), as coefficients of a real signal do.
    const noisy = exact.map((c) => [c[0], c[1]] as [number, number]);
    for (let m = 0; m <= M; m++) {
      const [dr, di] = [0.01 * rng.normal(), m === 0 ? 0 : 0.01 * rng.normal()];
      noisy[M + m][0] += dr;
      noisy[M + m][1] += di;
      if (m > 0) {
        noisy[M - m][0] += dr;
        noisy[M - m][1] -= di;
      }
    }
    // Σ_m |ĉ_m − (1/P) Σ_n A_n e^{−jωmτ_n}|² is least at G A = r with
    // G_nk = (1/P²) Σ_m cos ωm(τ_n − τ_k) and r_n = (1/P) Σ_m Re(ĉ_m e^{jωmτ_n}).
    const ms = Array.from({ length: 2 * M + 1 }, (_, i) => i - M);
    const G = times.map((tn) => times.map((tk) => ms.reduce((s, m) => s + Math.cos(w * m * (tn - tk)), 0) / (P * P)));
    const r = times.map((tn) => ms.reduce((s, m) => s + noisy[m + M][0] * Math.cos(w * m * tn) - noisy[m + M][1] * Math.sin(w * m * tn), 0) / P);
    const want = solveSmall(G, r);
    const got = TEM.diracAmplitudes(noisy, times, P);
    assertClose(got, want, 1e-10, 1e-8, "noisy amplitudes");
    assert.ok(Math.max(...want.map((a, n) => Math.abs(a - amps[n]))) > 1e-4, "the noise moves the fit");
  }
});

test("diracAmplitudes: two Diracs at one time share their total equally (the minimum-norm fit)", () => {
  const P = 10;
  const c = diracCoefficients([2.5, 6], [0.9, 0.4], 2, P);
  assertClose(TEM.diracAmplitudes(c, [2.5, 2.5, 6], P), [0.45, 0.45, 0.4], 1e-12, 1e-10, "amplitudes");
});

test("runTwoLayer recovers an example with exactly as many filter equations as hidden spikes", () => {
  // 2 output channels, K′ = 5 (M = 4) and N = 6 hidden spikes: 2·(2·4 − 6 + 1) = 6 equations for 6 Diracs.
  const r = TEM.runTwoLayer({ seed: 0, examples: 1, inputs: 2, hidden: 2, outputs: 2, diracBands: 5, hiddenParams: { kappa: 10, delta: 1, bias: 6 }, exposure: 60 });
  assert.equal(r.hidden_spikes, 6);
  assert.ok(r.time_error < 1e-8, `time error ${r.time_error}`);
  assert.ok(r.error_w1 < 1e-6 && r.error_w2 < 1e-6, `weight errors ${r.error_w1}, ${r.error_w2}`);
});
