// Spike trains, the Alexiewicz norms and the usual distances against definitions and hand-computed cases.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import * as S from "../../src/index.js";
import * as ST from "../../src/spiketrain.js";
import { trainArb } from "./arbitraries.js";

test("construction: unsorted, repeated or non-finite times are rejected unless sorting is asked for", () => {
  assert.throws(() => ST.SpikeTrain.from([1, 0.5]), /strictly increasing/);
  assert.throws(() => ST.SpikeTrain.from([1, 1]), /strictly increasing/);
  assert.throws(() => ST.SpikeTrain.from([NaN]), S.ValueError);
  assert.throws(() => ST.SpikeTrain.from([1], [Infinity]), S.ValueError);
  assert.throws(() => ST.SpikeTrain.from([1, 2], [1]), S.ValueError);
  const s = ST.SpikeTrain.from([2, 1, 2], [1, 3, 0.5], { sort: true });
  assert.deepEqual([...s.times], [1, 2]);
  assert.deepEqual([...s.amplitudes], [3, 1.5]);
  const r = ST.SpikeTrain.fromRaster([0, 1, 0, -2], 0.5, 1);
  assert.deepEqual([...r.times], [1.5, 2.5]);
  assert.deepEqual([...r.amplitudes], [1, -2]);
  const p = ST.SpikeTrain.poisson(20, 100, new S.Rng(1));
  assert.ok(Math.abs(p.length - 2000) < 4 * Math.sqrt(2000), `${p.length} spikes`);
});

test("algebra: sum merges and adds at equal times; difference, scaling, delay, window", () => {
  const a = ST.SpikeTrain.from([1, 2, 3], [1, 1, 1]);
  const b = ST.SpikeTrain.from([2, 2.5], [-1, 4]);
  const s = a.add(b);
  assert.deepEqual([...s.times], [1, 2, 2.5, 3]);
  assert.deepEqual([...s.amplitudes], [1, 0, 4, 1]);
  assert.deepEqual([...a.add(b, true).times], [1, 2.5, 3]);
  assert.equal(ST.alexiewiczNorm(a.sub(a)), 0);
  assert.deepEqual([...a.scale(-2).amplitudes], [-2, -2, -2]);
  assert.deepEqual([...a.delay(0.5).times], [1.5, 2.5, 3.5]);
  assert.deepEqual([...a.window(1.5, 3).times], [2]);
});

test("Alexiewicz norms: the recurrence equals the definition; norm axioms hold", () => {
  fc.assert(
    fc.property(trainArb(), trainArb(), fc.constantFrom(0, 0.1, 0.8, 2), fc.double({ min: -3, max: 3, noNaN: true }), (x, y, alpha, c) => {
      // definition: max_k |Σ_{i≤k} e^{−α(t_k − t_i)} a_i|
      let def = 0;
      for (let k = 0; k < x.length; k++) {
        let s = 0;
        for (let i = 0; i <= k; i++) s += Math.exp(-alpha * (x.times[k] - x.times[i])) * x.amplitudes[i];
        def = Math.max(def, Math.abs(s));
      }
      const n = ST.alexiewiczNorm(x, alpha);
      assert.ok(Math.abs(n - def) <= 1e-12 * Math.max(1, def));
      assert.ok(ST.alexiewiczNorm(x.add(y), alpha) <= n + ST.alexiewiczNorm(y, alpha) + 1e-12);
      assert.ok(Math.abs(ST.alexiewiczNorm(x.scale(c), alpha) - Math.abs(c) * n) <= 1e-12 * Math.max(1, n));
      assert.equal(n === 0, x.amplitudes.every((a) => a === 0));
    }),
    { numRuns: 500 },
  );
  // continuous form for a sampled constant signal c on [0, T]: |c|·T (α = 0), |c|(1 − e^{−αT})/α (α > 0)
  const f = new Array(1000).fill(-0.7);
  assert.ok(Math.abs(ST.alexiewiczNormSampled(f, 0.01) - 7) < 1e-12);
  assert.ok(Math.abs(ST.alexiewiczNormSampled(f, 0.01, 0.5) - (0.7 * (1 - Math.exp(-5))) / 0.5) < 1e-12);
});

test("van Rossum and Victor–Purpura distances against hand-computed cases", () => {
  const one = ST.SpikeTrain.from([1]);
  const empty = ST.SpikeTrain.empty();
  assert.ok(Math.abs(ST.vanRossumDistance(one, empty, 2) - Math.sqrt(0.5)) < 1e-15);
  assert.equal(ST.vanRossumDistance(one, one, 2), 0);
  // {1} vs {1 + d}: D² = ½(1 + 1 − 2e^{−d/τ}) = 1 − e^{−d/τ}
  const d = 0.3;
  assert.ok(Math.abs(ST.vanRossumDistance(one, ST.SpikeTrain.from([1 + d]), 0.5) - Math.sqrt(1 - Math.exp(-d / 0.5))) < 1e-15);
  assert.equal(ST.victorPurpuraDistance(one, ST.SpikeTrain.from([1.5]), 1), 0.5);
  assert.equal(ST.victorPurpuraDistance(one, ST.SpikeTrain.from([1.5]), 10), 2);
  assert.equal(ST.victorPurpuraDistance(empty, ST.SpikeTrain.from([1, 2, 3]), 1), 3);
  assert.equal(ST.victorPurpuraDistance(ST.SpikeTrain.from([1, 2]), ST.SpikeTrain.from([1.1, 5]), 1), 0.1 + 2);
  assert.throws(() => ST.vanRossumDistance(one, one, 0), S.ValueError);
});
