// The bound on g within a step of temEncode's search, tested where it decides: signals found by
// comparing temEncode with copies of it whose bound was changed (survivors of the tem mutation reruns);
// and the search's work limits checked by their own names.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as TEM from "../../src/tem.js";
import { ValueError } from "../../src/index.js";
import { caught } from "../helpers.js";
import { assertDenseSpikes } from "./dense_spikes.js";

test("the bound's maximum sits where q₁ = q₂ (B = g′(a) − g′(b) + Mh): with B = g′(a) + g′(b) the crossing near 6.0 is missed", () => {
  // A copy with that B returns 6.5369 for spike 57, where the first crossing is at 5.9993.
  const y = new TEM.FourierSignal(
    [0.27824909053742886, 0.13445919030345976, 0.6183620616793633, 0.8702163295820355, 0.6612792036030442, 0.1745359431952238, 0.09584216959774494, 0.9320376869291067, 0.09139207936823368, 0.9888728121295571],
    10,
  );
  const p = { kappa: 0.09888686277437955, delta: 1, bias: 1.523682871251367 };
  const got = TEM.temEncode(y, p, 10);
  assertDenseSpikes(y, p, 10, got);
  assert.ok(Math.abs(got[57] - 5.999268061851216) < 1e-9);
});

test("the bound's vertex with B = g′(a) + g′(b) + Mh misses the one crossing of a cosine that peaks just past 2κδ", () => {
  // y = cos(2πt/10 − φ), b = 0.118: g rises to a maximum just above 0 near t = 4.4 and falls again
  // within one step. A copy with that B returns no spike here (a survivor of the tem rerun).
  const phi = 1.0852017422541766;
  const y = new TEM.TrigSignal(Float64Array.from([0, Math.cos(phi)]), Float64Array.from([0, Math.sin(phi)]), 10);
  const p = { kappa: 3.5094101744745756 / 2, delta: 1, bias: 0.11820540348999209 };
  const got = TEM.temEncode(y, p, 6.41572284344799);
  assertDenseSpikes(y, p, 6.41572284344799, got);
  assert.equal(got.length, 1);
  assert.ok(Math.abs(got[0] - 4.375469567786278) < 1e-9);
});

test("temEncode's limits are refused by their own name below 1, and 1 is a valid limit of each", () => {
  const one = new TEM.FourierSignal([1], 8);
  const p = { kappa: 1, delta: 1, bias: 1 };
  for (const v of [0, -3]) {
    assert.equal(caught(() => TEM.temEncode(one, p, 1, { maxSpikes: v }), ValueError).argument, "temEncode: maxSpikes");
    assert.equal(caught(() => TEM.temEncode(one, p, 1, { maxSteps: v }), ValueError).argument, "temEncode: maxSteps");
  }
  // y + b = 2 and 2κδ = 2: one spike at t = 1, within one bracketing step of P/(8K) = 1.
  assert.deepEqual([...TEM.temEncode(one, p, 1, { maxSpikes: 1, maxSteps: 1 })], [1]);
});

test("Newton starts inside the bracket: where y + b < 0 just after 0, a start before 0 would see g ≥ 0 there", () => {
  // y + b = 1 − 6cos(2πt/10): the integral first falls, so just before 0 it lies above 2κδ = 1 (a copy
  // that starts Newton at (a − b)/2 reports a spike at −0.3125; a survivor of the tem rerun).
  const y = new TEM.TrigSignal(Float64Array.from([0, -6]), Float64Array.from([0, 0]), 10);
  const p = { kappa: 0.5, delta: 1, bias: 1 };
  const got = TEM.temEncode(y, p, 10);
  assertDenseSpikes(y, p, 10, got);
  assert.ok(Math.abs(got[0] - 4.417499010380103) < 1e-9);
});
