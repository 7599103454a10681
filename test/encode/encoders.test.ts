// Encoders: rates, first-spike times and deltas against their definitions.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as S from "../../src/index.js";

test("rate coding: spike frequency equals the intensity; seeded", () => {
  const x = S.tensor([0, 0.2, 0.7, 1], [1, 4]);
  const T = 4000;
  const s = S.rateEncode(x, T, new S.Rng(1));
  assert.deepEqual(s.shape, [T, 1, 4]);
  const v = s.dataFloat32();
  const rate = [0, 1, 2, 3].map((j) => v.filter((_, i) => i % 4 === j).reduce((a, b) => a + b, 0) / T);
  assert.equal(rate[0], 0);
  assert.equal(rate[3], 1);
  for (const [j, p] of [[1, 0.2], [2, 0.7]] as const)
    assert.ok(Math.abs(rate[j] - p) < 4 * Math.sqrt((p * (1 - p)) / T), `rate ${rate[j]} vs ${p}`);
  assert.deepEqual(S.rateEncode(x, 10, new S.Rng(2)).dataFloat32(), S.rateEncode(x, 10, new S.Rng(2)).dataFloat32());
  assert.throws(() => S.rateEncode(S.tensor([1.5], [1]), 3), S.ValueError);
  assert.throws(() => S.rateEncode(x, 0), S.ValueError);
});

test("latency coding: one spike at t = (1 − x)(T − 1) (linear) or τ ln(x/(x − θ)) (log)", () => {
  const x = S.tensor([1, 0.5, 0.1, 0], [4]);
  const T = 11;
  const v = S.latencyEncode(x, T).dataFloat32();
  const times = [0, 1, 2, 3].map((j) => [...Array(T).keys()].filter((t) => v[t * 4 + j] === 1));
  assert.deepEqual(times, [[0], [5], [9], []]);
  const lg = S.latencyEncode(x, T, { mode: "log", tau: 5, threshold: 0.05 }).dataFloat32();
  const logTimes = [0, 1, 2, 3].map((j) => [...Array(T).keys()].filter((t) => lg[t * 4 + j] === 1));
  const expect = (xi: number) => Math.round(Math.min(5 * Math.log(xi / (xi - 0.05)), T - 1));
  assert.deepEqual(logTimes, [[expect(1)], [expect(0.5)], [expect(0.1)], []]);
  assert.throws(() => S.latencyEncode(x, T, { mode: "cubic" as "log" }), S.ValueError);
});

test("delta coding: ±1 where the change since the last step reaches θ; direct coding repeats the input", () => {
  const seq = S.tensor([0, 0, 0.5, 0.55, 0.2, 0.2], [6, 1]);
  assert.deepEqual(Array.from(S.deltaEncode(seq, { threshold: 0.3 }).dataFloat32()), [0, 0, 1, 0, 0, 0]);
  assert.deepEqual(Array.from(S.deltaEncode(seq, { threshold: 0.3, offSpikes: true }).dataFloat32()), [0, 0, 1, 0, -1, 0]);
  const d = S.directEncode(S.tensor([1, 2], [1, 2]), 3);
  assert.deepEqual(d.shape, [3, 1, 2]);
  assert.deepEqual(Array.from(d.dataFloat32()), [1, 2, 1, 2, 1, 2]);
  assert.throws(() => S.deltaEncode(seq, { threshold: 0 }), S.ValueError);
});
