// The spike-train core to its edges: every argument at its boundary, Poisson trains draw by draw, each
// bound check's bound written out with ϑ ≠ 1 and its verdict exactly at the bound (through quantizers
// made for the purpose), and the sparsity search against a brute-force enumeration.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { Rng } from "../../src/index.js";
import * as ST from "../../src/spiketrain.js";
import { trainArb } from "./arbitraries.js";
import { throwsValueError } from "../helpers.js";

const train = (times: number[], amps?: number[]) => ST.SpikeTrain.from(times, amps);
const arr = (a: ArrayLike<number>) => Array.from(a);

test("every argument of the trains and norms to its boundary", () => {
  const eta = train([1, 2], [0.5, -1]);
  assert.equal(ST.alexiewiczNorm(eta, 0), 0.5);
  for (const a of [-1e-12, Number.NaN, Number.POSITIVE_INFINITY]) throwsValueError(() => ST.alexiewiczNorm(eta, a), /alpha/);
  for (const dt of [0, -1, Number.NaN]) throwsValueError(() => ST.alexiewiczNormSampled([1, 2], dt), /dt/);
  throwsValueError(() => ST.alexiewiczNormSampled([1, Number.NaN], 0.1), /f\[1\]/);
  assert.equal(ST.victorPurpuraDistance(eta, train([1.5]), 0), 1);
  for (const q of [-1e-12, Number.NaN]) throwsValueError(() => ST.victorPurpuraDistance(eta, eta, q), /q/);
  for (const theta of [0, -1, Number.NaN]) throwsValueError(() => ST.lifQuantize(eta, { threshold: theta }), /threshold/);
  // Unsorted times name the spike and the one before it.
  throwsValueError(() => ST.SpikeTrain.from([0, 2, 1]), /times\[2\].*times\[1\] = 2/);
  for (const dt of [0, -0.1, Number.NaN]) throwsValueError(() => ST.SpikeTrain.fromRaster([1, 0, 1], dt), /dt/);
  throwsValueError(() => ST.SpikeTrain.fromRaster([1, Number.NaN], 0.1), /raster\[1\]/);
  const r = ST.SpikeTrain.fromRaster([0, 2, 0, -1], 0.5, 3);
  assert.deepEqual([arr(r.times), arr(r.amplitudes)], [[3.5, 4.5], [2, -1]]);
  for (const v of [-1e-9, Number.NaN, Number.POSITIVE_INFINITY]) {
    throwsValueError(() => ST.SpikeTrain.poisson(v, 1, new Rng(0)), /rate/);
    throwsValueError(() => ST.SpikeTrain.poisson(1, v, new Rng(0)), /duration/);
  }
  assert.equal(ST.SpikeTrain.poisson(0, 5, new Rng(0)).length, 0);
  assert.equal(ST.SpikeTrain.poisson(3, 0, new Rng(0)).length, 0);
  for (const c of [Number.NaN, Number.POSITIVE_INFINITY]) {
    throwsValueError(() => eta.scale(c), /c/);
    throwsValueError(() => eta.delay(c), /d/);
  }
  throwsValueError(() => ST.checkTimeDelay(eta, 0, -1e-12), /dt/);
  throwsValueError(() => ST.checkTimeDelay(eta, 0, Number.NaN), /dt/);
  throwsValueError(() => ST.checkDelayedOutput(eta, { threshold: 1 }, -1e-12), /dt/);
  throwsValueError(() => ST.checkDelayedOutput(eta, { threshold: 1 }, Number.NaN), /dt/);
  assert.equal(ST.checkTimeDelay(eta, 0, 0).measured, 0);
  // No delay through the LIF: the output is compared with itself.
  assert.equal(ST.checkDelayedOutput(eta, { threshold: 1 }, 0).measured, 0);
  throwsValueError(() => ST.checkThresholdDeviation(eta, { threshold: 0.5 }, -0.5), /dTheta/);
  throwsValueError(() => ST.checkThresholdDeviation(eta, { threshold: 0.5 }, Number.NaN), /dTheta/);
  assert.doesNotThrow(() => ST.checkThresholdDeviation(eta, { threshold: 0.5 }, -0.25));
  throwsValueError(() => ST.spikingLayer([eta, eta], [[1]], { threshold: 1 }), /W row/);
  throwsValueError(() => ST.checkLipschitz([eta], [eta], [{ weights: [[1]], params: { threshold: 1 } }, { weights: [[1]], params: { threshold: 1, alpha: 0.5 } }]), /leak/);
  const twenty = train(Array.from({ length: 20 }, (_, k) => k + 1), new Array(20).fill(0.25));
  assert.equal(ST.sparsityCheck(twenty, 1).holds, true);
  throwsValueError(() => ST.sparsityCheck(train(Array.from({ length: 21 }, (_, k) => k + 1)), 1), /at most 20/);
});

test("Poisson trains written out: cumulative exponential gaps on [0, duration), a gap of 0 adds no spike", () => {
  const rate = 4;
  const draws = new Rng(12);
  const want: number[] = [];
  for (let s = draws.exponential(rate); s < 3; s += draws.exponential(rate)) want.push(s);
  assert.deepEqual(arr(ST.SpikeTrain.poisson(rate, 3, new Rng(12)).times), want);
  // A spike that would fall exactly at the end is outside [0, duration).
  const first = new Rng(12).exponential(rate);
  assert.equal(ST.SpikeTrain.poisson(rate, first, new Rng(12)).length, 0);
  // A generator that returns a gap of 0 would repeat a time: the train stays strictly increasing.
  const gaps = [0.5, 0, 0.25, 10];
  const stub = { exponential: () => gaps.shift() ?? 10 } as unknown as Rng;
  const p = ST.SpikeTrain.poisson(1, 2, stub, 0.5);
  assert.deepEqual([arr(p.times), arr(p.amplitudes)], [[0.5, 0.75], [0.5, 0.5]]);
});

test("train algebra: equal times sort stably and add in order, zeros are kept unless dropped, windows are [t₀, t₁), no train shares another's arrays", () => {
  // Equal times add left to right: (1 + 10¹⁶) − 10¹⁶ = 0 in float64, not 1.
  const merged = ST.SpikeTrain.from([5, 2, 5, 5], [1, 7, 1e16, -1e16], { sort: true });
  assert.deepEqual([arr(merged.times), arr(merged.amplitudes)], [[2, 5], [7, 0]]);
  const eta = train([1, 2, 3], [0.5, -1, 2]);
  const zero = eta.sub(eta);
  assert.deepEqual([arr(zero.times), arr(zero.amplitudes)], [[1, 2, 3], [0, 0, 0]]);
  assert.equal(eta.sub(eta, true).length, 0);
  assert.deepEqual(arr(eta.add(train([2, 4], [1, 1])).amplitudes), [0.5, 0, 2, 1]);
  assert.deepEqual(arr(eta.window(2, 3).times), [2]);
  assert.deepEqual(arr(eta.window(1, 3.5).times), [1, 2, 3]);
  const scaled = eta.scale(2);
  const delayed = eta.delay(1);
  scaled.times[0] = 99;
  delayed.amplitudes[0] = 99;
  assert.deepEqual([arr(eta.times), arr(eta.amplitudes)], [[1, 2, 3], [0.5, -1, 2]]);
});

test("the quantizer's floor tolerance grows with the quotient; positive-only neurons keep negative potentials", () => {
  assert.equal(ST.toleranceFloor(1e6 - 1e-4), 1e6);
  assert.equal(ST.toleranceFloor(1e6 - 1e-2), 1e6 - 1);
  assert.equal(ST.toleranceFloor(2 - 3e-9), 1);
  // u = −1.5 (no spike, kept), then 0.7 − 1.5·e^{−α} … with α = 0: −1.5 + 2.2 = 0.7 (no spike), then 0.7 + 0.6 = 1.3 fires 1.
  const r = ST.lifQuantize(train([1, 2, 3], [-1.5, 2.2, 0.6]), { threshold: 1, positiveOnly: true });
  assert.deepEqual(arr(r.potentials).map((v) => Math.round(v * 1e12) / 1e12), [-1.5, 0.7, 1.3]);
  assert.deepEqual([arr(r.output.times), arr(r.output.amplitudes)], [[3], [1]]);
  const signed = ST.lifQuantize(train([1, 2, 3], [-1.5, 2.2, 0.6]), { threshold: 1 });
  assert.deepEqual(arr(signed.output.amplitudes), [-1, 1, 1]);
});

/** A quantizer made for a check: whatever it returns is what the check measures. */
const scaleBy =
  (k: number): ST.Quantizer =>
  (eta) =>
    eta.scale(k);

test("each bound check: the bound written out with ϑ ≠ 1, and its verdict exactly at the bound", () => {
  const theta = 0.25;
  const one = train([1], [1]);
  // Quantization, strict: an error of exactly ϑ does not hold.
  const q = ST.checkQuantization(train([1], [theta]), { threshold: theta }, () => ST.SpikeTrain.empty());
  assert.deepEqual(q, { measured: theta, bound: theta, holds: false });
  // Quasi-isometry: din = ‖η₁ − η₂‖ = 1, bounds din ± 2ϑ = 1.5 and 0.5; outputs 1.5 and 0.5 apart sit on them.
  const up = ST.checkQuasiIsometry(one, ST.SpikeTrain.empty(), { threshold: theta }, scaleBy(1.5));
  assert.deepEqual(up.upper, { measured: 1.5, bound: 1.5, holds: false });
  assert.deepEqual(up.lower, { measured: 1.5, bound: 0.5, holds: true });
  const down = ST.checkQuasiIsometry(one, ST.SpikeTrain.empty(), { threshold: theta }, scaleBy(0.5));
  assert.deepEqual(down.lower, { measured: 0.5, bound: 0.5, holds: false });
  // Threshold deviation: the quantizer is asked with ϑ + Δϑ; bound 2ϑ + Δϑ.
  const seen: number[] = [];
  const square: ST.Quantizer = (_eta, p) => {
    seen.push(p.threshold);
    return train([1], [5 * p.threshold]);
  };
  const td = ST.checkThresholdDeviation(one, { threshold: 0.5 }, 0.25, square);
  assert.deepEqual(seen, [0.75, 0.5]);
  assert.deepEqual(td, { measured: 1.25, bound: 1.25, holds: false });
  // Time delay of a train: applicable below the smallest gap (here 0.5), A_max + (e^{αΔt} − 1)(‖η‖_α + A_max).
  const gaps = train([0, 1, 1.5, 3.5], [1, -0.5, 0.75, 0.25]);
  const alpha = 0.7;
  for (const [dt, applicable] of [
    [0.49, true],
    [0.5, false],
    [0.75, false],
  ] as const) {
    const c = ST.checkTimeDelay(gaps, alpha, dt);
    assert.equal(c.applicable, applicable, `Δt = ${dt}`);
    const want = 1 + Math.expm1(alpha * dt) * (ST.alexiewiczNorm(gaps, alpha) + 1);
    assert.ok(Math.abs(c.bound - want) < 1e-12, `bound at Δt = ${dt}`);
  }
  assert.equal(ST.checkTimeDelay(one, alpha, 100).applicable, true, "one spike has no gap");
  // Past the smallest gap the delay bound can fail: two spikes of +1 delayed by 1 leave partial sums up to 2 > A_max.
  assert.equal(ST.checkTimeDelay(train([0, 0.1]), 0, 1).holds, false);
  // Time delay through the LIF: the delay bound plus 2ϑ, strict.
  const d = ST.checkDelayedOutput(one, { threshold: theta }, 0.25, scaleBy(1.5));
  assert.deepEqual(d, { measured: 1.5, bound: 1.5, holds: false, applicable: true });
  assert.equal(ST.checkDelayedOutput(gaps, { threshold: theta }, 0.5).applicable, false);
  assert.equal(ST.checkDelayedOutput(gaps, { threshold: theta }, 0.25).applicable, true);
  // Lipschitz: e_L ≤ ‖W‖_∞ e_{L−1} + 2ϑ per layer; with no layers the measured error is the bound, and holds.
  const lip0 = ST.checkLipschitz([one], [ST.SpikeTrain.empty()], []);
  assert.deepEqual(lip0, { measured: 1, bound: 1, holds: true });
  const lip = ST.checkLipschitz([one], [ST.SpikeTrain.empty()], [{ weights: [[-2]], params: { threshold: theta } }], scaleBy(1));
  assert.deepEqual(lip, { measured: 2, bound: 2 * 1 + 2 * theta, holds: true });
});

/** The least ‖s‖₁ over s on η's times with amplitudes in ϑ·{−M … M} and ‖η − s‖_A < ϑ, by enumerating every s. */
function bruteSparsity(eta: ST.SpikeTrain, theta: number, M: number): number {
  let best = Infinity;
  const n = eta.length;
  const choice = new Array<number>(n).fill(-M);
  for (;;) {
    let partial = 0;
    let ok = true;
    for (let k = 0; k < n && ok; k++) {
      partial += eta.amplitudes[k] - choice[k] * theta;
      ok = Math.abs(partial) < theta * (1 - 1e-12);
    }
    if (ok) best = Math.min(best, choice.reduce((s, m) => s + Math.abs(m) * theta, 0));
    let k = 0;
    while (k < n && choice[k] === M) choice[k++] = -M;
    if (k === n) return best;
    choice[k]++;
  }
}

test("the sparsity search equals a brute-force enumeration, and mod reset reaches the minimum", () => {
  fc.assert(
    fc.property(trainArb(5), fc.constantFrom(0.5, 0.75), (eta, theta) => {
      const r = ST.sparsityCheck(eta, theta);
      const M = Math.ceil(eta.amplitudes.reduce((s, a) => s + Math.abs(a), 0) / theta) + 1;
      assert.ok(Math.abs(r.minL1 - bruteSparsity(eta, theta, M)) < 1e-9, `search ${r.minL1}`);
      assert.equal(r.holds, true);
    }),
    { numRuns: 150 },
  );
  // The worked example: mod fires (0, 1, 2, 0)·ϑ, ‖s‖₁ = 3ϑ, and nothing sparser keeps the error below ϑ.
  const eta = train([1, 2, 3, 4], [0.3, 0.35, 1.25, -0.2]);
  assert.deepEqual(ST.sparsityCheck(eta, 0.5), { modL1: 1.5, minL1: 1.5, holds: true });
  // Where the quantizer's tolerant floor rounds up (3ϑ less one part in 10¹⁰ fires 3ϑ, leaving −10⁻¹⁰ϑ),
  // firing 2ϑ and keeping a residual just below ϑ is sparser: the search finds it, and the check says so.
  const edge = ST.sparsityCheck(train([1], [1.5 * (1 - 1e-10)]), 0.5);
  assert.deepEqual([edge.modL1, edge.minL1, edge.holds], [1.5, 1, false]);
});
