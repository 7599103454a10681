// temEncode relies only on the PeriodicSignal contract (closed-form values and integrals, |y′| ≤ slopeBound),
// not on band limits: a piecewise-linear rate y + b puts the extreme cases of that bound in one step, and
// the first crossing of each is a root of a quadratic, solved here in closed form.
import assert from "node:assert/strict";
import { test } from "node:test";
import type * as TEM from "../../src/tem.js";
import { temEncode } from "../../src/tem.js";
import { assertDenseSpikes } from "./dense_spikes.js";

/** The P-periodic signal through the knots (t_i, v_i), t₀ = 0 < … < t_n = P with v_n = v₀, linear between them. */
class PiecewiseLinearSignal implements TEM.PeriodicSignal {
  readonly period: number;
  readonly bands = 1;
  /** ∫ over [0, t_i] for each knot. */
  private readonly areas: number[];

  constructor(
    private readonly knots: number[],
    private readonly values: number[],
  ) {
    assert.equal(knots[0], 0);
    assert.equal(values[0], values[values.length - 1]);
    this.period = knots[knots.length - 1];
    this.areas = [0];
    for (let i = 1; i < knots.length; i++) this.areas.push(this.areas[i - 1] + ((values[i - 1] + values[i]) / 2) * (knots[i] - knots[i - 1]));
  }

  /** t as whole periods n and a phase u in [0, P), with i the knot that ends u's piece. */
  private locate(t: number): { n: number; u: number; i: number } {
    const n = Math.floor(t / this.period);
    const u = t - n * this.period;
    return { n, u, i: this.knots.findIndex((k, j) => j > 0 && u <= k) };
  }

  /** The value at phase u on the piece ending at knot i. */
  private onPiece(u: number, i: number): number {
    const [t0, t1, v0, v1] = [this.knots[i - 1], this.knots[i], this.values[i - 1], this.values[i]];
    return v0 + ((v1 - v0) * (u - t0)) / (t1 - t0);
  }

  value(t: number): number {
    const { u, i } = this.locate(t);
    return this.onPiece(u, i);
  }

  /** ∫ from 0 to t, by whole periods and the trapezoid up to t (exact for a linear piece). */
  private primitive(t: number): number {
    const { n, u, i } = this.locate(t);
    return n * this.areas[this.areas.length - 1] + this.areas[i - 1] + ((this.values[i - 1] + this.onPiece(u, i)) / 2) * (u - this.knots[i - 1]);
  }

  integral(t0: number, t1: number): number {
    return this.primitive(t1) - this.primitive(t0);
  }

  slopeBound(): number {
    let m = 0;
    for (let i = 1; i < this.knots.length; i++) m = Math.max(m, Math.abs(this.values[i] - this.values[i - 1]) / (this.knots[i] - this.knots[i - 1]));
    return m;
  }
}

test("a rate that dips below 0 inside one step longer than 1 (P/8 = 4): the first of its three crossings, not a later one", () => {
  // y + b falls with slope 1 from 1.5 at t = 0 to −0.5 at t = 2 and rises back to 1.5 at t = 4, so within
  // the first step g = ∫₀ᵗ (y + b) − 2κδ = 1.5t − t²/2 − 1.05 (t ≤ 2) rises through 0, falls below it and
  // rises again. The bound's slope test compares g′(a) + g′(b) = 3 with Mh = 4 (not M/h = 0.25) and halves.
  const y = new PiecewiseLinearSignal([0, 2, 4, 8, 32], [1, -1, 1, -3, 1]);
  const p = { kappa: 0.525, delta: 1, bias: 0.5 };
  const got = temEncode(y, p, 64);
  assert.ok(Math.abs(got[0] - (1.5 - Math.sqrt(1.5 ** 2 - 2 * 1.05))) < 1e-12, `first spike ${got[0]}`);
  assertDenseSpikes(y, p, 64, got);
});

test("Newton's step from the middle of a bracket lands far past it: the crossing is bisected inside the bracket", () => {
  // y + b = 0.01 + |t − 1| on [0, 2] (then down to −5.99 at t = 9 and back up by t = 16), 2κδ = 0.924:
  // the bracket is the first step [0, 2], with its one crossing at t = 1.9 where
  // g = 0.51 + 0.01(t − 1) + (t − 1)²/2 − 0.924 = 0. From the midpoint g(1) = −0.414 and g′(1) = 0.01, so
  // Newton proposes t = 42.4, far outside [1, 2], where g < 0 again; it must be refused.
  const y = new PiecewiseLinearSignal([0, 1, 2, 9, 16], [0.01, -0.99, 0.01, -6.99, 0.01]);
  const p = { kappa: 0.462, delta: 1, bias: 1 };
  const got = temEncode(y, p, 16);
  assert.ok(Math.abs(got[0] - 1.9) < 1e-12, `first spike ${got[0]}`);
  assertDenseSpikes(y, p, 16, got);
});

test("the piecewise-linear signal keeps the contract: its integral is the sum of its values, and slopeBound bounds its slope", () => {
  const y = new PiecewiseLinearSignal([0, 1, 2, 9, 16], [0.01, -0.99, 0.01, -6.99, 0.01]);
  let sum = 0;
  const n = 160_000;
  for (let i = 0; i < n; i++) sum += y.value(((i + 0.5) * 40) / n) * (40 / n);
  assert.ok(Math.abs(y.integral(0, 40) - sum) < 1e-6);
  assert.ok(Math.abs(y.integral(3, 37) - (y.integral(0, 37) - y.integral(0, 3))) < 1e-12);
  for (let i = 0; i < 1000; i++) {
    const t = i * 0.0371;
    assert.ok(Math.abs(y.value(t + 1e-6) - y.value(t)) <= y.slopeBound() * 1e-6 + 1e-12);
  }
});
