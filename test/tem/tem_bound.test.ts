// The bound on g within a step of temEncode's search, tested where it decides: signals found by
// comparing temEncode with copies of it whose bound was changed (a survivor of the tem mutation rerun).
import assert from "node:assert/strict";
import { test } from "node:test";
import * as TEM from "../../src/tem.js";
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
