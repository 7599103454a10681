// Herding quantizers: the invariants of Deep Spiking Networks' sigma-delta neurons on random inputs.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { HerdingQuantizer, herdCounts, herdingStep } from "../../src/dsn/herding.js";
import { LimitError, Rng, ValueError } from "../../src/index.js";

/** x values whose T·x − ½ is not within 1e-9 of an integer (where rounding of the running sum decides). */
const awayFromHalves = (T: number) => fc.double({ min: -3, max: 3, noNaN: true }).filter((x) => {
  const f = T * x - 0.5;
  return Math.abs(f - Math.round(f)) > 1e-9;
});

test("signed herder: |T·x − N| ≤ ½ for a constant input over T steps", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 60 }).chain((T) => fc.tuple(fc.constant(T), fc.array(awayFromHalves(T), { minLength: 1, maxLength: 8 }))), ([T, x]) => {
      const n = herdCounts(x, T, { signed: true });
      x.forEach((v, i) => assert.ok(Math.abs(T * v - n[i]) <= 0.5 + 1e-9, `unit ${i}: T·x = ${T * v}, N = ${n[i]}`));
    }),
    { numRuns: 300 },
  );
});

test("rectified herder: N_T = max(0, ⌈T·x − ½⌉) for a constant input", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 60 }).chain((T) => fc.tuple(fc.constant(T), fc.array(awayFromHalves(T), { minLength: 1, maxLength: 8 }))), ([T, x]) => {
      const n = herdCounts(x, T, { signed: false });
      x.forEach((v, i) => assert.equal(n[i], Math.max(0, Math.ceil(T * v - 0.5)), `unit ${i}, T·x = ${T * v}`));
    }),
    { numRuns: 300 },
  );
});

test("a step emits in order of |φ| (ties: lower unit) and leaves every unit within [−½, ½]", () => {
  const { phi, spikes } = herdingStep([0.25, 2.75, -1.75, 0.75], [0.5, 0, 0, 0], { signed: true });
  assert.deepEqual([...spikes], [1, 1, ~2, 0, 1, ~2, 3]);
  assert.deepEqual([...phi], [-0.25, -0.25, 0.25, -0.25]);
  fc.assert(
    fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 12 }), fc.boolean(), (x, signed) => {
      const step = herdingStep(new Float64Array(x.length), x, { signed });
      for (const v of step.phi) assert.ok(v <= 0.5 && (!signed || v >= -0.5));
      const priority = [...step.spikes].map((code, k) => ({ code, k }));
      // Spikes come out in non-increasing |φ| at the moment of emission: replay to check.
      const replay = Float64Array.from(x);
      let last = Infinity;
      for (const { code } of priority) {
        const u = code >= 0 ? code : ~code;
        const now = Math.abs(replay[u]);
        assert.ok(now <= last + 1e-12, "order of |φ|");
        last = now;
        replay[u] -= code >= 0 ? 1 : -1;
      }
    }),
  );
});

test("HerdingQuantizer: reset, noreset and random-shift starts; steps equal the pure function", () => {
  const x = [0.3, -0.4, 0.8];
  const reset = new HerdingQuantizer(3, { signed: true, start: "reset" });
  const noreset = new HerdingQuantizer(3, { signed: true, start: "noreset" });
  let phi: ArrayLike<number> = new Float64Array(3);
  for (let t = 0; t < 5; t++) {
    const pure = herdingStep(phi, x, { signed: true });
    assert.deepEqual([...reset.step(x)], [...pure.spikes]);
    noreset.step(x);
    phi = pure.phi;
  }
  reset.startSample();
  noreset.startSample();
  assert.deepEqual([...reset.state], [0, 0, 0]);
  assert.deepEqual([...noreset.state], Array.from(phi));
  const shifted = new HerdingQuantizer(1000, { signed: false, start: "random-shift", rng: new Rng(3) });
  const s = shifted.state;
  assert.ok(s.every((v) => v >= -0.5 && v < 0.5));
  assert.ok(Math.abs(s.reduce((a, b) => a + b, 0) / s.length) < 0.05, "U(−½, ½) has mean 0");
});

test("herding: bad input gives typed errors", () => {
  assert.throws(() => herdingStep([0, 0], [1], { signed: true }), ValueError);
  assert.throws(() => herdingStep([0], [Number.NaN], { signed: true }), /x\[0\]/);
  assert.throws(() => herdingStep([0], [1e300], { signed: true }), LimitError);
  assert.throws(() => herdCounts([0.5], -1, { signed: true }), ValueError);
  assert.throws(() => new HerdingQuantizer(0, { signed: true }), ValueError);
  assert.throws(() => new HerdingQuantizer(2, { signed: true, start: "random-shift" }), /rng/);
});
