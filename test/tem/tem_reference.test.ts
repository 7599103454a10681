// The time-encoding core against second implementations written out here (k-means draw by draw: seeds,
// ties, empty clusters, the best restart), and the edges the first mutation run found untested.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../../src/index.js";
import * as TEM from "../../src/tem.js";
import { solveMinNorm } from "../../src/tem/one_layer.js";
import { assertDenseSpikes } from "./dense_spikes.js";
import { diracCoefficients } from "./prony_reference.js";
import { throwsValueError } from "../helpers.js";

/** k-means written out a second time: k-means++ seeds drawn in the same order, Lloyd to a fixed point, the best restart by inertia (the first of equals). */
function kMeansReference(points: number[][], k: number, rng: Rng, restarts: number) {
  const dist2 = (a: number[], b: number[]) => a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0);
  const nearest = (p: number[], cs: number[][]) => {
    let best = 0;
    for (let i = 1; i < cs.length; i++) if (dist2(p, cs[i]) < dist2(p, cs[best])) best = i;
    return best;
  };
  let best: { centroids: number[][]; labels: number[]; inertia: number } | undefined;
  for (let r = 0; r < restarts; r++) {
    const cs = [points[rng.int(points.length)].slice()];
    while (cs.length < k) {
      const d = points.map((p) => Math.min(...cs.map((c) => dist2(p, c))));
      let u = rng.uniform() * d.reduce((a, b) => a + b, 0);
      let i = 0;
      for (; i < d.length - 1 && u >= d[i]; i++) u -= d[i];
      cs.push(points[i].slice());
    }
    let labels: number[] = [];
    for (;;) {
      const next = points.map((p) => nearest(p, cs));
      const done = next.every((l, n) => l === labels[n]);
      labels = next;
      cs.forEach((c, i) => {
        const members = points.filter((_, n) => labels[n] === i);
        if (members.length > 0) for (let d = 0; d < c.length; d++) c[d] = members.reduce((s, p) => s + p[d], 0) / members.length;
      });
      if (done) break;
    }
    const inertia = points.reduce((s, p, n) => s + dist2(p, cs[labels[n]]), 0);
    if (best === undefined || inertia < best.inertia) best = { centroids: cs, labels, inertia };
  }
  return best!;
}

test("k-means equals a second implementation draw by draw: seeds, ties to the first centroid, empty clusters, the best restart", () => {
  const rng = new Rng(21);
  const gauss = Array.from({ length: 40 }, (_, n) => [3 * (n % 4) + rng.normal(), rng.normal()]);
  const cases: [number[][], number, number, number][] = [
    [gauss, 3, 1, 1],
    [gauss, 4, 5, 2],
    [gauss, 4, 3, 3],
    // Equidistant points: ties go to the lower-numbered centroid.
    [[[0], [1], [2], [3], [4], [5]], 2, 4, 4],
    [[[0, 0], [2, 0], [1, 1], [1, -1], [5, 5]], 2, 6, 5],
    // Lloyd empties a cluster here; it keeps its centroid.
    [[[1, 9], [7, 6], [3, 6], [4, 7], [4, 8], [8, 5]], 3, 1, 8],
    // Fewer distinct points than k: a seed repeats and its cluster stays empty.
    [[[5, 6], [5, 6], [3, 9], [5, 6]], 3, 1, 201],
  ];
  for (const [pts, k, restarts, seed] of cases) {
    const got = TEM.kMeans(pts, k, new Rng(seed), restarts);
    const want = kMeansReference(pts, k, new Rng(seed), restarts);
    assert.deepEqual(got.labels, want.labels, `labels, seed ${seed}`);
    assert.deepEqual(got.centroids, want.centroids, `centroids, seed ${seed}`);
    assert.equal(got.inertia, want.inertia);
    assert.ok(got.centroids.flat().every(Number.isFinite), `seed ${seed}: finite centroids`);
  }
});

test("a non-square cost matrix is refused with the row lengths it has", () => {
  throwsValueError(() => TEM.hungarian([[1, 2], [3]]), /hungarian: cost: expected a square matrix, got \[2,1\]/);
});

test("signals at their edges: a one-band trigonometric signal is a constant; a mismatched combination names what it got", () => {
  const flat = new TEM.TrigSignal(Float64Array.from([0.75]), Float64Array.from([0]), 2);
  assert.deepEqual([flat.bands, flat.value(0.3), flat.integral(1, 3), flat.slopeBound()], [1, 0.75, 1.5, 0]);
  const a = new TEM.FourierSignal([1, 2], 5);
  throwsValueError(() => TEM.FourierSignal.combine([a, new TEM.FourierSignal([1, 2], 6)], [1, 1]), /expected period 5 and 2 bands, got \[6,2\]/);
});

test("least squares at its edges: a zero system, the rank tolerance max(m, n)·σ₁·ε, a mismatched example named by what it has", () => {
  // All-zero rows: σ₁ = 0 = tolerance, nothing above it: rank 0 and w = 0.
  const zero = solveMinNorm([[0, 0]], [1], 2);
  assert.deepEqual([[...zero.weights], zero.rank, zero.residual], [[0, 0], 0, 1]);
  // 100 rows, 2 columns, σ₂/σ₁ = 1e-14 ≈ 45ε: below 100·σ₁·ε (rank 1), above 2·σ₁·ε.
  const rows = Array.from({ length: 100 }, (_, m) => (m % 2 === 0 ? [1, 0] : [0, 1e-14]));
  assert.equal(solveMinNorm(rows, new Array(100).fill(1), 2).rank, 1);
  const x = new TEM.FourierSignal([1, 0.3], 10);
  throwsValueError(() => TEM.trainOneLayer([{ inputs: [x], spikes: [Float64Array.from([1])] }, { inputs: [x, x], spikes: [Float64Array.from([1])] }], TEM.DEFAULT_TEM), /examples\[1\]: expected 1 inputs and 1 spike trains, got \[2,1\]/);
});

test("the annihilating filter from exactly N equations (fewer rows than taps), and a constant polynomial", () => {
  // Two channels of three coefficients (M = 1) give one equation each: N = 2 Diracs from 2 equations.
  const P = 10;
  const w = (2 * Math.PI) / P;
  const times = [2.1, 6.3];
  const roots = TEM.polynomialRoots(TEM.annihilatingFilter([diracCoefficients(times, [1, 0.5], 1, P), diracCoefficients(times, [0.3, 1.2], 1, P)], 2));
  const found = roots.map(([re, im]) => (((-Math.atan2(im, re) / w) % P) + P) % P).sort((a, b) => a - b);
  found.forEach((t, n) => assert.ok(Math.abs(t - times[n]) < 1e-9, `time ${t} vs ${times[n]}`));
  // Degree 0 has no roots, whatever the constant (zero included).
  assert.deepEqual(TEM.polynomialRoots([[0, 0]]), []);
});

test("a step that ends above the threshold but dips below it inside is searched, not taken whole: the first crossing, not a later one", () => {
  // Found by comparing with a search that takes every step ending at g ≥ 0 as one bracket: that one
  // returns 8.1406 for spike 538, where the first crossing is at 8.0689.
  const y = new TEM.FourierSignal(
    [0.09706007014028728, 0.5318330489099026, 0.9733879836276174, 0.9015765560325235, 0.7357413440477103, 0.6438965711276978, 0.15833375859074295, 0.720496145542711, 0.948287756415084, 0.114567561307922],
    10,
  );
  const p = { kappa: 0.026606107857078315, delta: 1, bias: 3.663779511814937 };
  const got = TEM.temEncode(y, p, 10);
  assertDenseSpikes(y, p, 10, got);
});

test("crossings where y + b touches zero: the search halves to rounding width, and each spike still reaches 2κδ", () => {
  // y = 1 + cos(πt), b = 0, 2κδ = 1: the integral from one spike reaches 1 exactly where y = 0 (t = 1, 3)
  // with zero slope, and at t = 2, 4 with slope 2. Near a zero-slope crossing g ~ −c(t* − t)³, so the
  // time is only defined to about ε^{1/3} ≈ 1e-5.
  const y = new TEM.FourierSignal([1, 0.5], 2);
  const p = { kappa: 0.5, delta: 1, bias: 0 };
  const got = TEM.temEncode(y, p, 4.5);
  assert.equal(got.length, 4);
  got.forEach((t, k) => assert.ok(Math.abs(t - (k + 1)) < 1e-4, `spike ${k}: ${t}`));
  let tk = 0;
  for (const t of got) {
    assert.ok(y.integral(tk, t) + p.bias * (t - tk) - 1 >= 0, `g(${t}) ≥ 0`);
    tk = t;
  }
});

test("temEncode's limits with a step of P/(8K) ≠ 1 and at the edge of the count bound; 2κδ underflowing to 0", () => {
  const y = new TEM.FourierSignal([1, 0.1], 8);
  // P/(8K) = 0.5: a duration of 10 takes 20 steps.
  assert.throws(() => TEM.temEncode(y, TEM.DEFAULT_TEM, 10, { maxSteps: 19 }), /at most 9\.5 \(19 bracketing steps of P\/\(8K\) = 0\.5/);
  assert.ok(TEM.temEncode(y, TEM.DEFAULT_TEM, 10, { maxSteps: 20 }).length > 0);
  // y = 1, b = 1, 2κδ = 0.1 over 0.52: 10 spikes, 0.05 apart; the bound before the search is
  // (0.52 + 0.52)/0.1 − 1 = 9.4 ≤ 10.
  const flat = new TEM.FourierSignal([1], 8);
  assert.equal(TEM.temEncode(flat, { kappa: 0.05, delta: 1, bias: 1 }, 0.52, { maxSpikes: 10 }).length, 10);
  assert.throws(() => TEM.temEncode(flat, { kappa: 1e-200, delta: 1e-200, bias: 1 }, 1), /temEncode: 2·kappa·delta: expected a finite number > 0, got 0/);
});

test("two layers without hidden spikes, and input coefficients with δ ≠ 1", () => {
  // 2κδ = 2e6 is never reached within one period: no hidden spikes, nothing to recover, zero weights learned.
  const r = TEM.runTwoLayer({ hiddenParams: { kappa: 1e6, delta: 1, bias: 10 } });
  assert.deepEqual([r.hidden_spikes, r.time_error], [0, 0]);
  const rng = new Rng(TEM.TWO_LAYER_DEFAULTS.seed);
  const w1 = Array.from({ length: 2 }, () => Array.from({ length: 2 }, () => rng.uniform()));
  const w2 = Array.from({ length: 4 }, () => Array.from({ length: 2 }, () => rng.uniform()));
  const zero = (w: number[][]) => w.map((row) => row.map(() => 0));
  assert.deepEqual([r.error_w1, r.error_w2], [TEM.frobeniusError(w1, zero(w1)), TEM.frobeniusError(w2, zero(w2))]);
  // Each interval gives ∫y = 2κδ − bΔt: with δ = 2, κ = 0.25 the right-hand side is 1 − bΔt, not 2κ/δ − bΔt.
  const y = TEM.diracStream([1.5, 6], [2, 0.5], 3, 10);
  const p = { kappa: 0.25, delta: 2, bias: 2 };
  const fit = TEM.inputCoefficients(TEM.temEncode(y, p, 40), p, 3, 10);
  assert.ok(Math.abs(fit.coeffs[2][0] - y.cosines[0]) < 1e-10, `ĉ₀ ${fit.coeffs[2][0]} vs ${y.cosines[0]}`);
});

test("two layers with six inputs: exact up to permutation where W₁'s share of the matching cost is the larger, with a time error measured (not 0)", () => {
  // Six inputs make W₁'s part of the cost of matching learned to true hidden units outweigh W₂'s
  // (four outputs), so a matching that weighed only one of them, or their difference, would pick wrong.
  for (const seed of [0, 3, 4, 5]) {
    const r = TEM.runTwoLayer({ inputs: 6, seed, examples: 3 });
    assert.ok(r.error_w1 < 1e-8 && r.error_w2 < 1e-8, `seed ${seed}: ${r.error_w1}, ${r.error_w2}`);
    assert.ok(r.time_error > 0 && r.time_error < 1e-9, `seed ${seed}: time error ${r.time_error}`);
  }
});

test("maxSteps = 1 is a valid limit: a duration of one bracketing step", () => {
  // P/(8K) = 1 for P = 8, K = 1: a duration of 1 is one step.
  assert.deepEqual([...TEM.temEncode(new TEM.FourierSignal([1], 8), TEM.DEFAULT_TEM, 1, { maxSteps: 1 })], [1]);
});
