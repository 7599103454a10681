// The LIF quantizer and the theory of Moser & Lunglmayr (2024; docs/spike-trains.md): worked example, bounds on thousands of random trains.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import * as S from "../../src/index.js";
import * as ST from "../../src/spiketrain.js";
import * as T from "../../src/tasks.js";
import { trainArb } from "./arbitraries.js";

const thetas = [0.2, 0.3, 1];
const alphas = [0, 0.1, 0.8, 1, 2, 4, 10];

test("the worked example: mod gives (0, 1, 2, 0) and error 0.8; subtract and zero give 1.8", () => {
  const eta = ST.SpikeTrain.from([1, 2, 3, 4], [0.6, 0.7, 2.5, -0.4]);
  const mod = ST.lifQuantize(eta, { threshold: 1, reset: "mod" });
  assert.deepEqual([...mod.output.times], [2, 3]);
  assert.deepEqual([...mod.output.amplitudes], [1, 2]);
  assert.ok(Math.abs(ST.checkQuantization(eta, { threshold: 1 }).measured - 0.8) < 1e-12);
  for (const reset of ["subtract", "zero"] as const) {
    const c = ST.checkQuantization(eta, { threshold: 1, reset });
    assert.ok(Math.abs(c.measured - 1.8) < 1e-12, reset);
    assert.equal(c.holds, false);
  }
});

test("the tolerance-aware floor quantizes decimal inputs exactly (0.1 + 0.5 over ϑ = 0.2 is 3, not 2)", () => {
  // 0.1 + 0.5 = 0.6 in decimal, but (0.1 + 0.5) / 0.2 = 2.9999999999999996 in float64: a naive floor
  // would fire 0.4 and keep a residual of 0.2 = ϑ, a false violation of the quantization bound.
  assert.equal(Math.floor((0.1 + 0.5) / 0.2), 2);
  const eta = ST.SpikeTrain.from([1, 2], [0.1, 0.5]);
  const r = ST.lifQuantize(eta, { threshold: 0.2 });
  assert.ok(Math.abs(r.output.amplitudes[0] - 0.6) < 1e-15);
  assert.ok(Math.abs(r.residuals[1]) < 1e-15);
  assert.ok(ST.checkQuantization(eta, { threshold: 0.2 }).holds);
  assert.equal(ST.toleranceFloor(0.3 / 0.1), 3);
});

test("mod reset never violates the quantization bound or quasi-isometry (thousands of random trains)", () => {
  fc.assert(
    fc.property(trainArb(), trainArb(), fc.constantFrom(...thetas), fc.constantFrom(...alphas), (x, y, threshold, alpha) => {
      const p = { threshold, alpha, reset: "mod" as const };
      const q = ST.checkQuantization(x, p);
      assert.ok(q.holds, `quantization ${q.measured} vs ${q.bound}`);
      // the error's leaky partial sums are the residuals
      const r = ST.lifQuantize(x, p).residuals;
      assert.ok(Math.abs(q.measured - r.reduce((m, v) => Math.max(m, Math.abs(v)), 0)) < 1e-9);
      const qi = ST.checkQuasiIsometry(x, y, p);
      assert.ok(qi.upper.holds && qi.lower.holds, `quasi-isometry ${qi.upper.measured} vs ${qi.lower.bound}..${qi.upper.bound}`);
      const td = ST.checkThresholdDeviation(x, p, 0.1);
      assert.ok(td.holds, `threshold deviation ${td.measured} vs ${td.bound}`);
    }),
    { numRuns: 2000 },
  );
});

test("subtract and zero resets do violate the quantization bound on random trains; the checks report it", () => {
  for (const reset of ["subtract", "zero"] as const) {
    let violations = 0;
    fc.assert(
      fc.property(trainArb(), fc.constantFrom(...thetas), fc.constantFrom(...alphas), (x, threshold, alpha) => {
        if (!ST.checkQuantization(x, { threshold, alpha, reset }).holds) violations++;
      }),
      { numRuns: 500, seed: 7 },
    );
    assert.ok(violations > 50, `${reset}: ${violations} violations of 500`);
  }
});

test("time delay below the smallest gap and the multi-layer Lipschitz bound hold for mod reset", () => {
  fc.assert(
    fc.property(trainArb(), fc.constantFrom(...alphas), fc.double({ min: 0, max: 0.19, noNaN: true }), (x, alpha, dt) => {
      const c = ST.checkTimeDelay(x, alpha, dt);
      assert.ok(c.applicable);
      assert.ok(c.holds, `delay ${c.measured} vs ${c.bound}`);
    }),
    { numRuns: 500 },
  );
  const rng = new S.Rng(3);
  const layerW = (o: number, i: number) => Array.from({ length: o }, () => Array.from({ length: i }, () => rng.uniform() - 0.5));
  fc.assert(
    fc.property(fc.array(trainArb(15), { minLength: 3, maxLength: 3 }), fc.array(trainArb(15), { minLength: 3, maxLength: 3 }), fc.constantFrom(0, 0.8), (xs, ys, alpha) => {
      const layers = [
        { weights: layerW(4, 3), params: { threshold: 0.3, alpha } },
        { weights: layerW(2, 4), params: { threshold: 1, alpha } },
      ];
      const c = ST.checkLipschitz(xs, ys, layers);
      assert.ok(c.holds, `lipschitz ${c.measured} vs ${c.bound}`);
    }),
    { numRuns: 200 },
  );
});

test("bad quantizer parameters give typed errors", () => {
  const x = ST.SpikeTrain.from([1], [1]);
  assert.throws(() => ST.lifQuantize(x, { threshold: -1 }), /threshold/);
  assert.throws(() => ST.lifQuantize(x, { threshold: 1, alpha: -0.1 }), /alpha/);
  assert.throws(() => ST.lifQuantize(x, { threshold: 1, reset: "none" as "mod" }), /reset/);
});

test("each check fails a broken quantizer: one that doubles its output, one that drops spikes, one that emits nothing", () => {
  const mod = ST.lifOutput;
  const doubled: ST.Quantizer = (eta, p) => mod(eta, p).scale(2);
  const silent: ST.Quantizer = () => ST.SpikeTrain.empty();
  const lastDropped: ST.Quantizer = (eta, p) => {
    const out = mod(eta, p);
    return out.length > 0 ? ST.SpikeTrain.from([...out.times].slice(0, -1), [...out.amplitudes].slice(0, -1)) : out;
  };
  const p = { threshold: 1, alpha: 0, reset: "mod" as const };
  const x = ST.SpikeTrain.from([1, 2, 3, 4, 5], [2, 1.5, 2, 1, 2]);
  const y = ST.SpikeTrain.from([1.5, 2.5, 3.5], [-2, -1.5, -2]);
  // The correct quantizer passes every check on these trains ...
  assert.ok(ST.checkQuantization(x, p).holds && ST.checkQuasiIsometry(x, y, p).upper.holds && ST.checkQuasiIsometry(x, y, p).lower.holds);
  assert.ok(ST.checkThresholdDeviation(x, p, 0.5).holds && ST.checkDelayedOutput(x, p, 0.4).holds);
  const layer = [{ weights: [[1]], params: p }];
  assert.ok(ST.checkLipschitz([x], [y], layer).holds);
  // ... and a broken one fails each of them.
  assert.equal(ST.checkQuantization(x, p, lastDropped).holds, false);
  assert.equal(ST.checkQuasiIsometry(x, y, p, doubled).upper.holds, false);
  assert.equal(ST.checkQuasiIsometry(x, y, p, silent).lower.holds, false);
  assert.equal(ST.checkThresholdDeviation(x, p, 0.5, (eta, q) => (q.threshold === 1 ? mod(eta, q) : mod(eta, q).scale(-1))).holds, false);
  assert.equal(ST.checkDelayedOutput(x, p, 0.4, (eta, q) => (eta.times[0] === 1 ? mod(eta, q) : mod(eta, q).scale(3))).holds, false);
  assert.equal(ST.checkLipschitz([x], [y], layer, doubled).holds, false);
  // The time delay of the train alone runs no quantizer: it is a property of the norm.
  const d = ST.checkTimeDelay(x, 1, 0.4);
  assert.ok(d.applicable && d.holds);
});

test("analyze bounds: the checks that separate the resets separate them; the ones that cannot say so", () => {
  const r = T.boundTrials(300, 0);
  for (const check of ["quantization", "quasi_isometry", "threshold_deviation", "delayed_output", "lipschitz"] as const) assert.equal(r.violations.mod[check], 0, check);
  for (const reset of ["subtract", "zero"] as const) {
    assert.ok(r.violations[reset].quantization > 250, `${reset} quantization ${r.violations[reset].quantization}`);
    assert.ok(r.violations[reset].quasi_isometry > 150, `${reset} quasi-isometry ${r.violations[reset].quasi_isometry}`);
    assert.ok(r.violations[reset].threshold_deviation > 10, `${reset} threshold deviation ${r.violations[reset].threshold_deviation}`);
  }
  // Mod reset comes close to its quantization bound: the check is tight, not vacuous.
  assert.ok(r.closest.mod.quantization > 0.95 && r.closest.mod.quantization < 1);
  assert.ok(r.closest.mod.lipschitz > 0.4 && r.closest.mod.delayed_output > 0.5, JSON.stringify(r.closest.mod));
  assert.equal(r.time_delay_norm.violations, 0);
});
