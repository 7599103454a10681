// The two-layer recovery where its counts decide: the roots' backward and forward errors, the amplitude
// fit against its normal equations, and a run with exactly as many filter equations as hidden spikes
// (survivors of the tem mutation rerun).
import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../../src/index.js";
import * as TEM from "../../src/tem.js";
import { assertClose, throwsValueError } from "../helpers.js";
import { diracCoefficients, monicFromRoots } from "./prony_reference.js";

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

test("polynomialRoots is backward stable and as accurate as each root's condition allows", () => {
  // Backward error |p(z)| / Σ|a_k||z|^{n−k} in ulps; forward error against the first-order bound
  // ε·cond(z_i), cond(z_i) = Σ|a_k||z_i|^{n−k} / |p′(z_i)|, p′(z_i) = Π_{j≠i}(z_i − z_j). Half the
  // polynomials have roots clustered in an arc of 18°, where the roots are ill-conditioned.
  const rng = new Rng(6);
  let backward = 0;
  let forward = 0;
  for (let trial = 0; trial < 400; trial++) {
    const n = 2 + Math.floor(12 * rng.uniform());
    const arc = trial % 2 === 0 ? 0.1 * Math.PI : 2 * Math.PI;
    const roots = Array.from({ length: n }, (): TEM.Complex => {
      const [a, r] = [arc * rng.uniform(), 0.5 + rng.uniform()];
      return [r * Math.cos(a), r * Math.sin(a)];
    });
    const poly = monicFromRoots(roots);
    const scale = (z: TEM.Complex) => poly.reduce((s, c) => s * Math.hypot(z[0], z[1]) + Math.hypot(c[0], c[1]), 0);
    const got = TEM.polynomialRoots(poly);
    assert.equal(got.length, n);
    for (const z of got) {
      let p: TEM.Complex = [0, 0];
      for (const c of poly) p = [p[0] * z[0] - p[1] * z[1] + c[0], p[0] * z[1] + p[1] * z[0] + c[1]];
      backward = Math.max(backward, Math.hypot(p[0], p[1]) / scale(z) / Number.EPSILON);
    }
    roots.forEach((z, i) => {
      const derivative = roots.reduce((d, q, j) => (j === i ? d : d * Math.hypot(z[0] - q[0], z[1] - q[1])), 1);
      const error = Math.min(...got.map((q) => Math.hypot(q[0] - z[0], q[1] - z[1])));
      forward = Math.max(forward, error / ((Number.EPSILON * scale(z)) / derivative));
    });
  }
  assert.ok(backward <= 4, `backward error ${backward} ulps`);
  assert.ok(forward <= 64, `forward error ${forward} × ε·cond`);
});

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

test("diracAmplitudes names a bad argument", () => {
  const c: TEM.Complex[] = [[0, 0], [1, 0], [0, 0]];
  throwsValueError(() => TEM.diracAmplitudes(c.slice(0, 2), [1], 10), /^diracAmplitudes: coeffs/);
  throwsValueError(() => TEM.diracAmplitudes(c, [1], 0), /^diracAmplitudes: period/);
  throwsValueError(() => TEM.diracAmplitudes(c, [1, Number.NaN], 10), /^diracAmplitudes: times\[1\]/);
  throwsValueError(() => TEM.diracAmplitudes(c, [Number.POSITIVE_INFINITY, 1], 10), /^diracAmplitudes: times\[0\]/);
});

test("runTwoLayer recovers an example with exactly as many filter equations as hidden spikes", () => {
  // 2 output channels, K′ = 5 (M = 4) and N = 6 hidden spikes: 2·(2·4 − 6 + 1) = 6 equations for 6 Diracs.
  const r = TEM.runTwoLayer({ seed: 0, examples: 1, inputs: 2, hidden: 2, outputs: 2, diracBands: 5, hiddenParams: { kappa: 10, delta: 1, bias: 6 }, exposure: 60 });
  assert.equal(r.hidden_spikes, 6);
  assert.ok(r.time_error < 1e-8, `time error ${r.time_error}`);
  assert.ok(r.error_w1 < 1e-6 && r.error_w2 < 1e-6, `weight errors ${r.error_w1}, ${r.error_w2}`);
});
