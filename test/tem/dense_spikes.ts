// An independent reference for temEncode's spike times, shared by the tem tests.
import assert from "node:assert/strict";
import type * as TEM from "../../src/tem.js";

/**
 * First crossings by a dense scan and bisection: g(t) = ∫_{t_k}^t (y + b) − 2κδ is evaluated on a grid
 * of step dt from each spike, and the first grid step where g ≥ 0 is bisected 80 times.
 */
export function denseSpikes(y: TEM.PeriodicSignal, p: TEM.TemParams, duration: number, dt: number): number[] {
  const target = 2 * p.kappa * p.delta;
  const out: number[] = [];
  let tk = 0;
  const g = (t: number) => y.integral(tk, t) + p.bias * (t - tk) - target;
  let lo = 0;
  for (let j = 1; ; j++) {
    const hi = Math.min(tk + j * dt, duration);
    if (g(hi) >= 0) {
      let [a, b] = [lo, hi];
      for (let it = 0; it < 80; it++) [a, b] = g((a + b) / 2) >= 0 ? [a, (a + b) / 2] : [(a + b) / 2, b];
      out.push(b);
      [tk, lo, j] = [b, b, 0];
    } else if (hi >= duration) return out;
    else lo = hi;
  }
}

/** Asserts that temEncode's spikes over [0, duration] equal the dense scan's (step 1e-3) to 1e-9. */
export function assertDenseSpikes(y: TEM.PeriodicSignal, p: TEM.TemParams, duration: number, got: Float64Array): void {
  const want = denseSpikes(y, p, duration, 1e-3);
  assert.equal(got.length, want.length, "spike count");
  want.forEach((t, k) => assert.ok(Math.abs(got[k] - t) < 1e-9, `spike ${k}: ${got[k]} vs ${t}`));
}
