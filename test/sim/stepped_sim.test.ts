// The time-stepped simulator: agreement with the exact event-driven one as dt → 0, and the W5 network.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as S from "../../src/index.js";

test("time-stepped spike times converge to the exact event-driven ones as dt → 0", () => {
  const spec = S.parseNetwork({ neurons: { count: 1, tau: 0.02, threshold: 1, reset: "zero", refractory: 0.002, bias: 80 } }, "n");
  const exact = S.simulateEvents(spec, { duration: 0.2 }).spikes[0].times;
  const errors = [1e-4, 1e-5, 1e-6].map((dt) => {
    const stepped = S.simulateStepped(spec, { duration: 0.2, dt }).spikeTimes[0];
    assert.equal(stepped.length, exact.length, `dt ${dt}`);
    return Math.max(...exact.map((t, k) => Math.abs(t - stepped[k])));
  });
  assert.ok(errors[0] > errors[1] && errors[1] > errors[2], `errors ${errors}`);
  assert.ok(errors[2] < 1e-4, `errors ${errors}`);
});

test("a small W5-style network fires near the rate the drive and coupling imply; bad options are rejected", () => {
  const net = S.w5Network(1, 1000);
  assert.ok(Math.abs(net.synapses.pre.length - 0.02 * 1000 * 1000) < 4 * Math.sqrt(20000));
  const r = S.simulateStepped(net, { duration: 0.2, dt: 1e-4, seed: 2 });
  assert.ok(r.meanRateHz > 2 && r.meanRateHz < 40, `rate ${r.meanRateHz}`);
  assert.ok(Math.abs(r.externalEvents - 1000 * 2200 * 0.2) < 5 * Math.sqrt(1000 * 2200 * 0.2));
  assert.throws(() => S.simulateStepped(net, { duration: 1, dt: 0 }), S.ValueError);
});
