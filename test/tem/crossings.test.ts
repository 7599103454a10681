// The time-encoding machine's spike times against an independent dense scan with bisection, on 1,000
// random signals (in a file of its own: it takes seconds, and the faster unit tests of tem/ run without it).
import assert from "node:assert/strict";
import { test } from "node:test";
import * as S from "../../src/index.js";
import * as TEM from "../../src/tem.js";
import { denseSpikes } from "./dense_spikes.js";

test("first crossings on 1,000 random signals equal a dense scan with bisection", () => {
  // Independent reference: a dense scan on a grid of 5e-3 (1/25 of P/(8K)) with bisection.
  const rng = new S.Rng(7);
  let mismatches = 0;
  for (let n = 0; n < 1000; n++) {
    const y = TEM.FourierSignal.random(rng, 10, 10);
    // Biases from 1.5 to 5: y + b dips below zero on many signals (y ranges over about ±10).
    const p = { kappa: 0.05 + 0.3 * rng.uniform(), delta: 1, bias: 1.5 + 3.5 * rng.uniform() };
    const got = TEM.temEncode(y, p, 10);
    const want = denseSpikes(y, p, 10, 5e-3);
    if (got.length !== want.length || want.some((t, k) => Math.abs(t - got[k]) > 1e-9)) mismatches++;
  }
  assert.equal(mismatches, 0);
});
