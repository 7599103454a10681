// Time-encoding machines and one-layer training by spike-time constraints (Adam 2022; docs/time-encoding.md).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as S from "../../src/index.js";
import * as TEM from "../../src/tem.js";
import * as T from "../../src/tasks.js";

describe("time-encoding machines", () => {
  test("Fourier signals: closed-form integral equals Simpson quadrature; combination is linear", () => {
    const rng = new S.Rng(1);
    const x = TEM.FourierSignal.random(rng, 10, 10);
    const simpson = (a: number, b: number, n = 20000) => {
      const h = (b - a) / n;
      let s = x.value(a) + x.value(b);
      for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * x.value(a + i * h);
      return (s * h) / 3;
    };
    for (const [a, b] of [[0, 10], [1.3, 2.9], [7.1, 23.4]]) assert.ok(Math.abs(x.integral(a, b) - simpson(a, b)) < 1e-9);
    const y = TEM.FourierSignal.random(rng, 10, 10);
    const z = TEM.FourierSignal.combine([x, y], [2, -0.5]);
    assert.ok(Math.abs(z.value(3.7) - (2 * x.value(3.7) - 0.5 * y.value(3.7))) < 1e-12);
    assert.throws(() => new TEM.FourierSignal([], 10), S.ValueError);
    assert.throws(() => new TEM.FourierSignal([1], 0), S.ValueError);
  });

  test("TEM with a constant input spikes at t_k = k·2κδ/(c + b)", () => {
    const p = { kappa: 1.5, delta: 0.8, bias: 0.7 };
    const c = 1.9;
    const spikes = TEM.temEncode(new TEM.FourierSignal([c], 10), p, 20);
    const dt = (2 * p.kappa * p.delta) / (c + p.bias);
    assert.equal(spikes.length, Math.floor(20 / dt));
    spikes.forEach((t, k) => assert.ok(Math.abs(t - (k + 1) * dt) < 1e-12, `spike ${k}: ${t} vs ${(k + 1) * dt}`));
  });

  test("the reported miss: a crossing inside a step where y + b turns negative is found (0.60172, not 0.94270)", () => {
    const y = new TEM.FourierSignal([0.478571, 0.282363, 0.41854, 0.415897, 0.771308, 0.737951, 0.473227, 0.501897, 0.835665, 0.719879], 10);
    const t = Array.from(TEM.temEncode(y, { kappa: 0.1, delta: 1, bias: 3.308258 }, 10));
    const k = t.findIndex((x) => Math.abs(x - 0.47376) < 1e-5);
    assert.ok(k >= 0, "the spike at 0.47376");
    assert.ok(Math.abs(t[k + 1] - 0.60172) < 1e-5, `next spike ${t[k + 1]}`);
  });

  test("temEncode stops with an error instead of producing unbounded spikes or steps", () => {
    const y = new TEM.FourierSignal([0.5, 0.2], 10);
    assert.throws(() => TEM.temEncode(y, { kappa: 1e-300, delta: 1, bias: 1 }, 10), /temEncode: params.*maxSpikes/);
    assert.throws(() => TEM.temEncode(y, { kappa: 1, delta: 1, bias: 1e308 }, 10), /maxSpikes/);
    assert.throws(() => TEM.temEncode(y, { kappa: 1, delta: 1, bias: 1 }, 1e308), /temEncode: duration.*maxSteps/);
    assert.throws(() => TEM.temEncode(y, { kappa: 1e300, delta: 1e300, bias: 1 }, 10), /2·kappa·delta/);
    assert.throws(() => TEM.temEncode(y, { kappa: 1, delta: 1, bias: 1 }, 10, { maxSpikes: 3 }), /at most 3 spikes/);
    assert.equal(TEM.temEncode(y, { kappa: 1, delta: 1, bias: 1 }, 10, { maxSpikes: 8 }).length, 7);
  });

  test("every inter-spike interval satisfies ∫y = 2κδ − bΔt to solver precision", () => {
    const rng = new S.Rng(2);
    const inputs = Array.from({ length: 4 }, () => TEM.FourierSignal.random(rng));
    const p = { kappa: 1, delta: 1, bias: 1 };
    const y = TEM.FourierSignal.combine(inputs, [0.3, 0.9, 0.1, 0.6]);
    const t = TEM.temEncode(y, p, 30);
    assert.ok(t.length > 20);
    for (let k = 1; k < t.length; k++) {
      const err = y.integral(t[k - 1], t[k]) - (2 * p.kappa * p.delta - p.bias * (t[k] - t[k - 1]));
      assert.ok(Math.abs(err) < 1e-12, `interval ${k}: ${err}`);
    }
  });

  test("a well-determined system recovers W to 1e-9, and the learned weights satisfy every interval", () => {
    const r = T.runOneLayer({ examples: 5, exposure: 9 });
    assert.ok(r.determined);
    assert.deepEqual(r.rank, [20, 20, 20, 20, 20]);
    assert.ok(r.error <= 1e-9, `error ${r.error}`);
    assert.ok(r.residual <= 1e-9, `residual ${r.residual}`);
  });

  test("one example is under-determined (rank K = 10 < 20 inputs) and is reported as such", () => {
    const r = T.runOneLayer({ examples: 1, exposure: 9 });
    assert.equal(r.determined, false);
    assert.ok(r.rank.every((k) => k === 10), `ranks ${r.rank}`);
    assert.ok(r.error > 1, `error ${r.error}`);
    // The minimum-norm solution still satisfies the equations it was given.
    assert.ok(r.residual < 1e-9);
  });

  test("with jittered spike times the error falls as examples are added", () => {
    const errs = [8, 32, 128].map((examples) => T.runOneLayer({ examples, exposure: 9, jitter: 1e-4, seed: 3 }).error);
    assert.ok(errs[0] > errs[1] && errs[1] > errs[2], `errors ${errs}`);
  });

  test("bad parameters give typed errors", () => {
    const x = new TEM.FourierSignal([1], 10);
    assert.throws(() => TEM.temEncode(x, { kappa: 0, delta: 1, bias: 1 }, 5), /kappa/);
    assert.throws(() => TEM.temEncode(x, { kappa: 1, delta: -1, bias: 1 }, 5), /delta/);
    assert.throws(() => TEM.temEncode(x, { kappa: 1, delta: 1, bias: 1 }, 0), /duration/);
    assert.throws(() => TEM.trainOneLayer([], TEM.DEFAULT_TEM), S.ValueError);
    assert.throws(() => TEM.trainOneLayer([{ inputs: [], spikes: [new Float64Array([1])] }], TEM.DEFAULT_TEM), /inputs/);
    assert.throws(
      () => TEM.trainOneLayer([{ inputs: [x], spikes: [new Float64Array([2, 1])] }], TEM.DEFAULT_TEM),
      /strictly increasing/,
    );
    assert.throws(() => T.runOneLayer({ examples: 0 }), S.ValueError);
    assert.throws(() => TEM.jitterTimes(new Float64Array([1, 2]), -0.1, new S.Rng(0)), /sigma/);
    assert.deepEqual([...TEM.increasingTimes(new Float64Array([3, NaN, 1, 3, 2]))], [1, 2, 3]);
  });
});

test("the one-layer sweeps: one example under-determined, exact recovery with more, error growing with jitter", () => {
  const r = T.oneLayerSweeps(0, true);
  const at = (n: number, exposure: number) => r.examples.find((p) => p.examples === n && p.exposure === exposure)!;
  assert.equal(at(1, 9).determined, false);
  assert.ok(at(5, 9).error < 1e-9 && at(5, 9).determined);
  const e = r.jitter.map((p) => p.error);
  assert.ok(e[0] < e[1] && e[1] < e[2], `errors ${e}`);
  for (const svg of [r.plots.examples, r.plots.jitter]) assert.match(svg, /^<svg[^>]*>[\s\S]*<polyline/);
});
