// Rng.poisson against the Poisson law: mean and variance within their sampling error for λ on both sides
// of the inversion/rejection switch (10), the probabilities of a moderate λ by a chi-square test, and
// logGamma against factorials.
import assert from "node:assert/strict";
import { test } from "node:test";
import { logGamma, Rng } from "../../src/random/rng.js";
import { ValueError } from "../../src/errors.js";

test("logGamma(n + 1) = ln n! (to 1e-12 relative), and Γ(1/2) = √π", () => {
  let lnFact = 0;
  for (let n = 1; n <= 170; n++) {
    lnFact += Math.log(n);
    assert.ok(Math.abs(logGamma(n + 1) - lnFact) <= 1e-12 * Math.max(1, lnFact), `n = ${n}`);
  }
  assert.ok(Math.abs(logGamma(0.5) - Math.log(Math.sqrt(Math.PI))) < 1e-14);
});

test("Poisson draws: mean and variance λ (within 5 standard errors) for λ from 0.2 to 5000; 0 for λ = 0; bad λ refused", () => {
  const rng = new Rng(42);
  for (const lambda of [0.2, 3, 9.99, 10, 31, 250, 5000]) {
    const n = 40_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const k = rng.poisson(lambda);
      assert.ok(Number.isInteger(k) && k >= 0);
      sum += k;
      sq += k * k;
    }
    const mean = sum / n;
    const variance = sq / n - mean * mean;
    assert.ok(Math.abs(mean - lambda) < 5 * Math.sqrt(lambda / n), `λ ${lambda}: mean ${mean}`);
    // The sample variance's standard error is about λ·√(2/n) (plus λ/n from the fourth cumulant).
    assert.ok(Math.abs(variance - lambda) < 5 * Math.sqrt((2 * lambda * lambda + lambda) / n), `λ ${lambda}: variance ${variance}`);
  }
  assert.equal(rng.poisson(0), 0);
  for (const bad of [-1, Number.NaN, Infinity]) assert.throws(() => rng.poisson(bad), ValueError);
});

test("Poisson draws of λ = 25 (rejection) follow the law's probabilities (chi-square, 30 cells)", () => {
  const rng = new Rng(7);
  const lambda = 25;
  const n = 100_000;
  const counts = new Array<number>(60).fill(0);
  for (let i = 0; i < n; i++) counts[Math.min(59, rng.poisson(lambda))]++;
  // Cells k = 10 … 39, with the tails pooled into the first and last.
  const pmf = (k: number) => Math.exp(-lambda + k * Math.log(lambda) - logGamma(k + 1));
  let chi2 = 0;
  let cells = 0;
  let lowObs = 0;
  let lowExp = 0;
  for (let k = 0; k <= 10; k++) [lowObs, lowExp] = [lowObs + counts[k], lowExp + n * pmf(k)];
  chi2 += (lowObs - lowExp) ** 2 / lowExp;
  cells++;
  for (let k = 11; k < 40; k++) {
    const e = n * pmf(k);
    chi2 += (counts[k] - e) ** 2 / e;
    cells++;
  }
  let highObs = 0;
  let highExp = n;
  for (let k = 0; k < 40; k++) highExp -= n * pmf(k);
  for (let k = 40; k < 60; k++) highObs += counts[k];
  chi2 += (highObs - highExp) ** 2 / highExp;
  cells++;
  // 31 cells, 30 degrees of freedom: the 99.9 % point is 59.7.
  assert.ok(chi2 < 59.7, `chi-square ${chi2.toFixed(1)} over ${cells} cells`);
});
