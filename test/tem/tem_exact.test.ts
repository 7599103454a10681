// The time-encoding core to its edges: every setting at its boundary, the signals' values, integrals
// and slope bounds against their formulas written out, the spike search's limits exactly where they
// apply, minimum-norm least squares on systems solved by hand, k-means and the annihilating filter's
// inputs checked, and a two-layer run's bookkeeping against a second, hand-written run of its encoders.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../../src/index.js";
import * as TEM from "../../src/tem.js";
import { solveMinNorm } from "../../src/tem/one_layer.js";
import { assertClose, throwsValueError } from "../helpers.js";


test("every experiment size, exposure and jitter to its boundary", () => {
  const ok = { inputs: 1, bands: 1, diracBands: 1, examples: 1, exposure: 1, jitter: 0 };
  const sizes = ["inputs", "bands", "diracBands", "examples"] as const;
  const limits = { inputs: 1000, bands: 1000, diracBands: 1000, examples: 100_000 };
  assert.deepEqual(TEM.TEM_LIMITS, { neurons: 1000, examples: 100_000, bands: 1000, exposure: 1e6, jitter: 1e6 });
  for (const k of sizes) {
    assert.doesNotThrow(() => TEM.checkSetup({ ...ok, [k]: limits[k] }, sizes));
    for (const v of [0, limits[k] + 1, 1.5, Number.NaN]) throwsValueError(() => TEM.checkSetup({ ...ok, [k]: v }, sizes), new RegExp(`^${k}: expected an integer in \\[1, ${limits[k]}\\]`));
  }
  // Only the named sizes are checked.
  assert.doesNotThrow(() => TEM.checkSetup<"bands" | "inputs">({ ...ok, inputs: 0 }, ["bands"]));
  assert.doesNotThrow(() => TEM.checkSetup({ ...ok, exposure: 1e6, jitter: 1e6 }, sizes));
  for (const v of [0, -1, 1e6 * 1.0001, Number.NaN]) throwsValueError(() => TEM.checkSetup({ ...ok, exposure: v }, sizes), /^exposure/);
  for (const v of [-1e-12, 1e6 * 1.0001, Number.NaN]) throwsValueError(() => TEM.checkSetup({ ...ok, jitter: v }, sizes), /^jitter/);
});

test("TEM parameters and temEncode's limits, each at its boundary", () => {
  assert.deepEqual(TEM.DEFAULT_TEM, { kappa: 1, delta: 1, bias: 1 });
  const p = { kappa: 1, delta: 1, bias: 0 };
  assert.equal(TEM.checkTemParams(p), p);
  for (const v of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    throwsValueError(() => TEM.checkTemParams({ ...p, kappa: v }, "here"), /^here: kappa/);
    throwsValueError(() => TEM.checkTemParams({ ...p, delta: v }), /^TEM: delta/);
  }
  for (const v of [Number.NaN, Number.POSITIVE_INFINITY]) throwsValueError(() => TEM.checkTemParams({ ...p, bias: v }), /^TEM: bias/);
  throwsValueError(() => TEM.temEncode(new TEM.FourierSignal([1], 8), p, Number.POSITIVE_INFINITY), /duration/);
  // y = 1, b = 1, κ = δ = 1: a spike every 2κδ/(y + b) = 1, the one at t = duration included.
  const one = new TEM.FourierSignal([1], 8);
  assert.deepEqual([...TEM.temEncode(one, { kappa: 1, delta: 1, bias: 1 }, 5)], [1, 2, 3, 4, 5]);
  // Bracketing steps of P/(8K) = 1: ten steps cover a duration of 10, nine do not.
  assert.equal(TEM.temEncode(one, { kappa: 1, delta: 1, bias: 1 }, 10, { maxSteps: 10 }).length, 10);
  throwsValueError(() => TEM.temEncode(one, { kappa: 1, delta: 1, bias: 1 }, 10, { maxSteps: 9 }), /temEncode: duration: expected at most 9 \(9 bracketing steps of P\/\(8K\) = 1/);
  for (const v of [0, 0.5, Number.NaN]) {
    throwsValueError(() => TEM.temEncode(one, DEFAULT, 5, { maxSpikes: v }), /maxSpikes/);
    throwsValueError(() => TEM.temEncode(one, DEFAULT, 5, { maxSteps: v }), /maxSteps/);
  }
  // y = 2cos(2πt/10) with no bias over half a period: ∫ = 0, so the count bound before the search
  // cannot catch it, yet 3 spikes come on the rising quarter (∫₀^2.5 y = 10/π ≈ 3.18 > 3 · 2κδ).
  const wave = new TEM.FourierSignal([0, 1], 10);
  const half = { kappa: 0.5, delta: 1, bias: 0 };
  assert.equal(TEM.temEncode(wave, half, 5, { maxSpikes: 3 }).length, 3);
  throwsValueError(() => TEM.temEncode(wave, half, 5, { maxSpikes: 2 }), /at most 2 spikes in duration 5/);
});

const DEFAULT = TEM.DEFAULT_TEM;

test("each spike is the first time the integral reaches 2κδ, in the same float64 arithmetic", () => {
  const rng = new Rng(31);
  for (let n = 0; n < 20; n++) {
    const y = TEM.FourierSignal.random(rng, 6, 10);
    const p = { kappa: 0.2 + rng.uniform(), delta: 0.5 + rng.uniform(), bias: 1 + 2 * rng.uniform() };
    const t = TEM.temEncode(y, p, 20);
    assert.ok(t.length > 5);
    const target = 2 * p.kappa * p.delta;
    let tk = 0;
    for (const s of t) {
      const g = (u: number) => y.integral(tk, u) + p.bias * (u - tk) - target;
      assert.ok(g(s) >= 0, `g(${s}) = ${g(s)}`);
      assert.ok(g(s - 1e-9) < 0, `g just before ${s}`);
      tk = s;
    }
    // No further spike before the duration.
    assert.ok(y.integral(tk, 20) + p.bias * (20 - tk) - target < 0);
  }
});

test("Fourier signals: values, integrals and slope bounds against their formulas", () => {
  const c = [0.4, -0.7, 0.25];
  const P = 3;
  const x = new TEM.FourierSignal(c, P);
  assert.equal(x.bands, 3);
  assert.equal(x.period, P);
  const w = (2 * Math.PI) / P;
  const value = (t: number) => c[0] + 2 * c[1] * Math.cos(w * t) + 2 * c[2] * Math.cos(2 * w * t);
  const integral = (a: number, b: number) =>
    c[0] * (b - a) + (2 * c[1] * (Math.sin(w * b) - Math.sin(w * a))) / w + (2 * c[2] * (Math.sin(2 * w * b) - Math.sin(2 * w * a))) / (2 * w);
  for (const t of [0, 0.37, 1.9, -2.2]) assertClose([x.value(t)], [value(t)], 1e-14, 0, `value(${t})`);
  for (const [a, b] of [[0, 1], [0.3, 2.8], [-1, 4.1]]) assertClose([x.integral(a, b)], [integral(a, b)], 1e-13, 0, `integral(${a}, ${b})`);
  assertClose([x.slopeBound()], [2 * 0.7 * w + 2 * 0.25 * 2 * w], 1e-14, 0, "slope bound");
  // A single cosine's bound is its largest slope, reached at a quarter period.
  const cos = new TEM.FourierSignal([0, -0.5], 4);
  assertClose([cos.slopeBound()], [(2 * Math.PI) / 4], 1e-15, 0, "single-mode bound");
  assertClose([(cos.value(1 + 1e-6) - cos.value(1 - 1e-6)) / 2e-6], [cos.slopeBound()], 1e-7, 0, "slope at P/4");
  for (const v of [Number.NaN, Number.POSITIVE_INFINITY, -1, 0]) throwsValueError(() => new TEM.FourierSignal([1], v), /FourierSignal: period/);
  throwsValueError(() => new TEM.FourierSignal([1, 2, Number.NaN], 1), /FourierSignal: coefficients\[2\]: expected a finite number/);
  throwsValueError(() => new TEM.FourierSignal([], 1), /at least one coefficient/);
  // Coefficients are copied.
  const src = [1, 2];
  const copy = new TEM.FourierSignal(src, 1);
  src[0] = 9;
  assert.equal(copy.coefficients[0], 1);
});

test("combining and drawing Fourier signals", () => {
  const a = new TEM.FourierSignal([1, 2], 5);
  const b = new TEM.FourierSignal([0.5, -1], 5);
  assert.deepEqual([...TEM.FourierSignal.combine([a, b], [2, 3]).coefficients], [3.5, 1]);
  assert.equal(TEM.FourierSignal.combine([a], [1]).period, 5);
  throwsValueError(() => TEM.FourierSignal.combine([], []), /combine: weights: expected 0 weights for 0 signals/);
  throwsValueError(() => TEM.FourierSignal.combine([a, b], [1]), /combine: weights/);
  throwsValueError(() => TEM.FourierSignal.combine([a, new TEM.FourierSignal([1, 2], 6)], [1, 1]), /combine: signals\[1\]: expected period 5 and 2 bands/);
  throwsValueError(() => TEM.FourierSignal.combine([a, new TEM.FourierSignal([1, 2, 3], 5)], [1, 1]), /signals\[1\]/);
  const draws = new Rng(8);
  const r = TEM.FourierSignal.random(new Rng(8));
  assert.equal(r.bands, 10);
  assert.equal(r.period, 10);
  assert.deepEqual([...r.coefficients], Array.from({ length: 10 }, () => draws.uniform()));
  const s = TEM.FourierSignal.random(new Rng(8), 3, 2);
  assert.deepEqual([s.bands, s.period], [3, 2]);
});

test("trigonometric signals and integrals against their formulas", () => {
  const P = 4;
  const w = (2 * Math.PI) / P;
  const cosines = Float64Array.from([0.3, 0.5, -0.2]);
  const sines = Float64Array.from([0, -0.4, 0.9]);
  const x = new TEM.TrigSignal(cosines, sines, P);
  assert.equal(x.bands, 3);
  const value = (t: number) => 0.3 + 0.5 * Math.cos(w * t) - 0.4 * Math.sin(w * t) - 0.2 * Math.cos(2 * w * t) + 0.9 * Math.sin(2 * w * t);
  const integral = (a: number, b: number) =>
    0.3 * (b - a) +
    (0.5 * (Math.sin(w * b) - Math.sin(w * a)) + 0.4 * (Math.cos(w * b) - Math.cos(w * a))) / w +
    (-0.2 * (Math.sin(2 * w * b) - Math.sin(2 * w * a)) - 0.9 * (Math.cos(2 * w * b) - Math.cos(2 * w * a))) / (2 * w);
  for (const t of [0, 0.8, 3.3]) assertClose([x.value(t)], [value(t)], 1e-14, 0, `value(${t})`);
  for (const [a, b] of [[0, 1], [0.4, 3.9], [-2, 1.5]]) assertClose([x.integral(a, b)], [integral(a, b)], 1e-13, 0, `integral(${a}, ${b})`);
  assertClose([x.slopeBound()], [w * Math.hypot(0.5, 0.4) + 2 * w * Math.hypot(0.2, 0.9)], 1e-14, 0, "slope bound");
  const [ci, si] = TEM.trigIntegrals(1.7, 0.2, 1.1);
  assertClose([ci], [(Math.sin(1.7 * 1.1) - Math.sin(1.7 * 0.2)) / 1.7], 1e-15, 0, "∫cos");
  assertClose([si], [(Math.cos(1.7 * 0.2) - Math.cos(1.7 * 1.1)) / 1.7], 1e-15, 0, "∫sin");
  for (const v of [0, Number.NaN]) throwsValueError(() => new TEM.TrigSignal(cosines, sines, v), /TrigSignal: period/);
  throwsValueError(() => new TEM.TrigSignal(cosines, sines.subarray(1), P), /TrigSignal: sines: expected 3 coefficients/);
  throwsValueError(() => new TEM.TrigSignal(new Float64Array(0), new Float64Array(0), P), /TrigSignal: sines/);
});

test("spike trains made valid, and jitter drawn draw by draw", () => {
  assert.deepEqual([...TEM.increasingTimes(new Float64Array([5, Number.POSITIVE_INFINITY, 10, -1, 10, 2]))], [-1, 2, 5, 10]);
  assert.deepEqual([...TEM.increasingTimes(new Float64Array(0))], []);
  const t = Float64Array.from([1, 2, 3, 4]);
  assert.equal(TEM.jitterTimes(t, 0, new Rng(0)), t);
  const draws = new Rng(4);
  const want = TEM.increasingTimes(t.map((v) => v + 0.3 * draws.normal()));
  assert.deepEqual([...TEM.jitterTimes(t, 0.3, new Rng(4))], [...want]);
  for (const v of [Number.NaN, Number.POSITIVE_INFINITY]) throwsValueError(() => TEM.jitterTimes(t, v, new Rng(0)), /jitterTimes: sigma/);
});

test("minimum-norm least squares on systems solved by hand", () => {
  // Empty: zero weights, rank 0.
  const empty = solveMinNorm([], [], 2);
  assert.deepEqual([[...empty.weights], empty.rank, empty.equations, empty.determined, empty.residual], [[0, 0], 0, 0, false, 0]);
  // Under-determined x + y = 2: the minimum-norm solution is (1, 1).
  const under = solveMinNorm([[1, 1]], [2], 2);
  assertClose([under.weights[0]], [1], 1e-15, 0, "w0");
  assertClose([under.weights[1]], [1], 1e-15, 0, "w1");
  assert.deepEqual([under.rank, under.equations, under.determined], [1, 1, false]);
  assert.ok(under.residual < 1e-15);
  // Inconsistent x = 0, x = 2, x = 4: least squares x = 2, residual 2.
  const over = solveMinNorm([[1], [1], [1]], [0, 2, 4], 1);
  assertClose([over.weights[0]], [2], 1e-15, 0, "x");
  assert.deepEqual([over.rank, over.equations, over.determined], [1, 3, true]);
  assertClose([over.residual], [2], 1e-14, 0, "residual");
  // Square and regular: 2x + y = 5, x − y = 1 → (2, 1).
  const square = solveMinNorm([[2, 1], [1, -1]], [5, 1], 2);
  assertClose([square.weights[0]], [2], 1e-14, 0, "x");
  assertClose([square.weights[1]], [1], 1e-14, 0, "y");
  assert.equal(square.rank, 2);
  // Rows equal to within rounding: rank 1 by the tolerance max(m, n)·σ₁·ε, not 2.
  const near = solveMinNorm([[1, 1], [1, 1 + 1e-17]], [1, 1], 2);
  assert.equal(near.rank, 1);
  // A second singular value just above the tolerance counts.
  const above = solveMinNorm([[1, 0], [0, 1e-14]], [1, 1e-14], 2);
  assert.equal(above.rank, 2);
  assertClose([above.weights[1]], [1], 1e-9, 0, "y");
  const z = [Float64Array.from([1, 2]), Float64Array.from([3, 4])];
  assert.equal(TEM.frobeniusError(z, [[1, 0], [0, 4]]), Math.sqrt(4 + 9));
});

test("one-layer training: shapes checked per example, per-output parameters, first interval unused", () => {
  const x = new TEM.FourierSignal([1, 0.3], 10);
  const y = new TEM.FourierSignal([0.5, -0.2], 10);
  throwsValueError(() => TEM.trainOneLayer([{ inputs: [x], spikes: [] }], DEFAULT), /trainOneLayer: spikes/);
  throwsValueError(
    () => TEM.trainOneLayer([{ inputs: [x], spikes: [Float64Array.from([1])] }, { inputs: [x, y], spikes: [Float64Array.from([1])] }], DEFAULT),
    /trainOneLayer: examples\[1\]: expected 1 inputs and 1 spike trains/,
  );
  throwsValueError(() => TEM.trainOneLayer([{ inputs: [x], spikes: [Float64Array.from([1]), Float64Array.from([])] }, { inputs: [x], spikes: [Float64Array.from([1])] }], DEFAULT), /examples\[1\]/);
  throwsValueError(() => TEM.trainOneLayer([{ inputs: [x], spikes: [Float64Array.from([1, Number.NaN])] }], DEFAULT), /examples\[0\]\.spikes\[0\]/);
  throwsValueError(() => TEM.trainOneLayer([{ inputs: [x], spikes: [Float64Array.from([1, 1])] }], DEFAULT), /strictly increasing/);
  throwsValueError(() => TEM.trainOneLayer([{ inputs: [x], spikes: [Float64Array.from([Number.NaN])] }], DEFAULT), /spikes\[0\]/);
  throwsValueError(() => TEM.trainOneLayer([{ inputs: [x], spikes: [Float64Array.from([1])] }], { kappa: 0, delta: 1, bias: 1 }), /output 0: kappa/);
  // Two outputs with their own parameters: W = [[0.7, 0.2], [0.1, 0.9]] is recovered row by row.
  const rng = new Rng(3);
  const W = [[0.7, 0.2], [0.1, 0.9]];
  const params = [{ kappa: 0.5, delta: 1, bias: 2 }, { kappa: 0.3, delta: 0.8, bias: 1.5 }];
  const examples = Array.from({ length: 3 }, () => {
    const inputs = [TEM.FourierSignal.random(rng, 4, 10), TEM.FourierSignal.random(rng, 4, 10)];
    return { inputs, spikes: W.map((row, j) => TEM.temEncode(TEM.FourierSignal.combine(inputs, row), params[j], 12)) };
  });
  const fits = TEM.trainOneLayer(examples, params);
  fits.forEach((f, j) => {
    assert.ok(f.determined);
    f.weights.forEach((v, i) => assertClose([v], [W[j][i]], 1e-9, 0, `W[${j}][${i}]`));
    // Each example gives one equation per interval between spikes, none for the first spike.
    assert.equal(f.equations, examples.reduce((s, e) => s + e.spikes[j].length - 1, 0));
  });
  // encodeLayer is temEncode on each row's combination.
  const layer = TEM.encodeLayer(examples[0].inputs, W, params[0], 12);
  W.forEach((row, j) => assert.deepEqual([...layer[j]], [...TEM.temEncode(TEM.FourierSignal.combine(examples[0].inputs, row), params[0], 12)]));
  // One spike per train gives no equation: zero weights, rank 0.
  const none = TEM.trainOneLayer([{ inputs: [x, y], spikes: [Float64Array.from([3])] }], DEFAULT)[0];
  assert.deepEqual([[...none.weights], none.rank, none.equations], [[0, 0], 0, 0]);
});

test("k-means: a Lloyd fixed point, its inertia recomputed, k at its limits", () => {
  const rng = new Rng(9);
  const pts = Array.from({ length: 30 }, () => [rng.normal(), rng.normal(), rng.normal()]);
  const dist2 = (a: number[], b: number[]) => a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0);
  for (const k of [1, 2, 4]) {
    const km = TEM.kMeans(pts, k, new Rng(k));
    assert.equal(km.centroids.length, k);
    let inertia = 0;
    pts.forEach((p, n) => {
      const d = km.centroids.map((c) => dist2(p, c));
      assert.equal(d[km.labels[n]], Math.min(...d), `point ${n} is nearest its centroid`);
      inertia += d[km.labels[n]];
    });
    assertClose([km.inertia], [inertia], 1e-12, 0, "inertia");
    km.centroids.forEach((c, i) => {
      const members = pts.filter((_, n) => km.labels[n] === i);
      assert.ok(members.length > 0);
      c.forEach((v, d) => assertClose([v], [members.reduce((s, p) => s + p[d], 0) / members.length], 1e-12, 0, `centroid ${i}`));
    });
  }
  // k = 1: the mean, whatever the restarts.
  const one = TEM.kMeans(pts, 1, new Rng(0), 1);
  assert.deepEqual(one.labels, new Array(30).fill(0));
  // k = n on distinct points: every point its own cluster, inertia 0 (k-means++ never picks a point twice).
  const few = [[0, 0], [1, 0], [0, 1], [5, 5], [5, 6]];
  for (let seed = 0; seed < 10; seed++) {
    const km = TEM.kMeans(few, 5, new Rng(seed), 1);
    assert.equal(km.inertia, 0);
    assert.equal(new Set(km.labels).size, 5);
  }
  // Restarts keep the best: many restarts are never worse than one.
  const many = TEM.kMeans(pts, 4, new Rng(2), 20);
  assert.ok(many.inertia <= TEM.kMeans(pts, 4, new Rng(2), 1).inertia);
  for (const k of [0, 31, 1.5, Number.NaN]) throwsValueError(() => TEM.kMeans(pts, k, new Rng(0)), /kMeans: k: expected an integer in \[1, 30\]/);
});

test("k-means++ seeding: with one restart, two far clusters are found from any seed", () => {
  // Points at 0 and at 100 (5 each): k-means++ picks the second seed in the other cluster with
  // probability ≥ 1 − 1e-3, and Lloyd from those seeds splits them exactly.
  const pts = [...Array.from({ length: 5 }, (_, i) => [i * 0.01]), ...Array.from({ length: 5 }, (_, i) => [100 + i * 0.01])];
  for (let seed = 0; seed < 20; seed++) {
    const km = TEM.kMeans(pts, 2, new Rng(seed), 1);
    assert.notEqual(km.labels[0], km.labels[5], `seed ${seed}`);
    assert.ok(km.inertia < 0.01, `seed ${seed}: ${km.inertia}`);
  }
});

test("Hungarian assignment: non-square costs are refused; real-valued and negative costs", () => {
  throwsValueError(() => TEM.hungarian([[1, 2], [3]]), /hungarian: cost: expected a square matrix/);
  assert.deepEqual(TEM.hungarian([]), []);
  assert.deepEqual(TEM.hungarian([[-5]]), [0]);
  assert.deepEqual(TEM.hungarian([[0.5, -2.5, 1], [-1, 0.25, 3], [2, 2, -0.75]]), [1, 0, 2]);
  assert.deepEqual(TEM.hungarian([[4, 1, 3], [2, 0, 5], [3, 2, 2]]), [1, 0, 2]);
});

test("the annihilating filter and polynomial roots at their edges", () => {
  const c: TEM.Complex[] = [[1, 0], [0.5, 0.1], [0.2, 0.3]];
  for (const N of [0, 1.5, Number.NaN]) throwsValueError(() => TEM.annihilatingFilter([c], N), /annihilatingFilter: N/);
  // Three coefficients (M = 1) give one equation for one Dirac; two Diracs need two.
  assert.equal(TEM.annihilatingFilter([c], 1).length, 2);
  throwsValueError(() => TEM.annihilatingFilter([c], 2), /annihilatingFilter: channels: expected at least 2 equations for 2 Diracs, got 1/);
  // One Dirac at τ with amplitude A: ĉ_m = A u^m, u = e^{−jωτ}; the filter's root is u.
  const P = 10;
  const w = (2 * Math.PI) / P;
  const tau = 3.3;
  const u: TEM.Complex = [Math.cos(w * tau), -Math.sin(w * tau)];
  const cm = (m: number): TEM.Complex => [0.7 * Math.cos(m * w * tau), -0.7 * Math.sin(m * w * tau)];
  const h = TEM.annihilatingFilter([[cm(-2), cm(-1), cm(0), cm(1), cm(2)]], 1);
  const [root] = TEM.polynomialRoots(h);
  assertClose([root[0]], [u[0]], 1e-12, 0, "Re u");
  assertClose([root[1]], [u[1]], 1e-12, 0, "Im u");
  assert.deepEqual(TEM.polynomialRoots([[2, 0]]), []);
  throwsValueError(() => TEM.polynomialRoots([[0, 0], [1, 0]]), /polynomialRoots: coeffs\[0\]/);
  // Linear and quadratic with a complex leading coefficient: 2j(z − 1)(z + 3j).
  const lead: TEM.Complex = [0, 2];
  const [lin] = TEM.polynomialRoots([lead, [0, -2]]);
  assertClose([lin[0]], [1], 1e-15, 0, "Re");
  assertClose([lin[1]], [0], 1e-15, 0, "Im");
  const quad = TEM.polynomialRoots([lead, [-6, -2], [6, 0]]);
  const want = [[1, 0], [0, -3]];
  for (const r of want) assert.ok(quad.some((q) => Math.hypot(q[0] - r[0], q[1] - r[1]) < 1e-12), `root ${r}: got ${quad}`);
  // A double root: Durand–Kerner converges slowly there; the roots are still within 1e-6.
  const dbl = TEM.polynomialRoots([[1, 0], [-4, 0], [4, 0]]);
  for (const q of dbl) assert.ok(Math.hypot(q[0] - 2, q[1]) < 1e-6, `double root: ${q}`);
});

test("Dirac streams and input coefficients against their formulas", () => {
  const P = 10;
  const w = (2 * Math.PI) / P;
  const y = TEM.diracStream([1.5, 6], [2, -0.5], 3, P);
  assert.deepEqual([y.bands, y.period], [3, P]);
  assertClose([y.cosines[0]], [(2 - 0.5) / P], 1e-16, 0, "a₀");
  for (const m of [1, 2]) {
    assertClose([y.cosines[m]], [(2 * (2 * Math.cos(w * m * 1.5) - 0.5 * Math.cos(w * m * 6))) / P], 1e-15, 0, `a_${m}`);
    assertClose([y.sines[m]], [(2 * (2 * Math.sin(w * m * 1.5) - 0.5 * Math.sin(w * m * 6))) / P], 1e-15, 0, `b_${m}`);
  }
  assertClose([y.sines[0]], [0], 0, 0, "b₀");
  // Fewer than two spikes give no equation: every coefficient zero, rank 0.
  const none = TEM.inputCoefficients(Float64Array.from([4]), DEFAULT, 3, P);
  assert.equal(none.rank, 0);
  assert.equal(none.coeffs.length, 5);
  assert.ok(none.coeffs.every(([re, im]) => re === 0 && im === 0));
  // The coefficients are ĉ_{±m} = (a_m ∓ j b_m)/2, in the order m = −2 … 2.
  const p = { kappa: 0.5, delta: 1, bias: 2 };
  const fit = TEM.inputCoefficients(TEM.temEncode(y, p, 40), p, 3, P);
  assert.equal(fit.rank, 5);
  const want: TEM.Complex[] = [
    [y.cosines[2] / 2, y.sines[2] / 2],
    [y.cosines[1] / 2, y.sines[1] / 2],
    [y.cosines[0], 0],
    [y.cosines[1] / 2, -y.sines[1] / 2],
    [y.cosines[2] / 2, -y.sines[2] / 2],
  ];
  fit.coeffs.forEach((c, i) => {
    assertClose([c[0]], [want[i][0]], 1e-10, 0, `Re ĉ[${i}]`);
    assertClose([c[1]], [want[i][1]], 1e-10, 0, `Im ĉ[${i}]`);
  });
});

test("a two-layer run's counts and ranks equal a second, hand-written run of its encoders", () => {
  for (const setup of [
    { seed: 4, exposure: 20 },
    { seed: 5, exposure: 38, examples: 3, hidden: 3, outputs: 5, bands: 6, diracBands: 7, period: 8 },
    { seed: 0, diracBands: 2 },
  ]) {
    const s = { ...TEM.TWO_LAYER_DEFAULTS, ...setup };
    const r = TEM.runTwoLayer(setup);
    const rng = new Rng(s.seed);
    const w1 = Array.from({ length: s.hidden }, () => Array.from({ length: s.inputs }, () => rng.uniform()));
    const w2 = Array.from({ length: s.outputs }, () => Array.from({ length: s.hidden }, () => rng.uniform()));
    let spikes = 0;
    let hidden = 0;
    const ranks: number[] = [];
    for (let e = 0; e < s.examples; e++) {
      const inputs = Array.from({ length: s.inputs }, () => TEM.FourierSignal.random(rng, s.bands, s.period));
      const trains = w1.map((row) => [...TEM.temEncode(TEM.FourierSignal.combine(inputs, row), s.hiddenParams, s.period)]);
      hidden += trains.flat().length;
      for (const row of w2) {
        const y = TEM.diracStream(trains.flat(), trains.flatMap((t, h) => t.map(() => row[h])), s.diracBands, s.period);
        const out = TEM.temEncode(y, s.outputParams, s.exposure);
        spikes += out.length;
        ranks.push(TEM.inputCoefficients(out, s.outputParams, s.diracBands, s.period).rank);
      }
    }
    assert.deepEqual([r.spikes, r.hidden_spikes, r.rank], [spikes, hidden, ranks]);
    // The second setup has 12 hidden spikes per example and 2·6 − 12 + 1 = 1 filter equation per output
    // channel: 5 < 12, so no example can be recovered (and none is tried). The third has none at all
    // (2M = 2 < N): nothing to cluster, every learned weight 0, so the errors are the true weights' norms.
    if (setup.seed !== 4) assert.equal(r.time_error, Number.POSITIVE_INFINITY);
    if (setup.seed === 0) {
      const zero = (w: number[][]) => w.map((row) => row.map(() => 0));
      assert.deepEqual([r.error_w1, r.error_w2], [TEM.frobeniusError(w1, zero(w1)), TEM.frobeniusError(w2, zero(w2))]);
    }
  }
  assert.deepEqual(TEM.TWO_LAYER_DEFAULTS, {
    inputs: 2,
    hidden: 2,
    outputs: 4,
    examples: 2,
    exposure: 38,
    jitter: 0,
    hiddenParams: { kappa: 10, delta: 1, bias: 10 },
    outputParams: { kappa: 1, delta: 1, bias: 1 },
    bands: 10,
    diracBands: 8,
    period: 10,
    seed: 0,
  });
  for (const k of ["inputs", "outputs", "examples", "bands", "diracBands"]) throwsValueError(() => TEM.runTwoLayer({ [k]: 0 }), new RegExp(`^${k}`));
  throwsValueError(() => TEM.runTwoLayer({ jitter: -1 }), /^jitter/);
  throwsValueError(() => TEM.runTwoLayer({ exposure: 0 }), /^exposure/);
});
