// The cart-pole: one step against the equations written out here, the limits, the episode rules, seeding.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as Ctl from "../../src/control.js";

/** CartPole-v1's step, written out independently: constants of Barto, Sutton & Anderson (1983). */
function expectedStep(s: number[], push: number): number[] {
  const [g, mc, mp, l, f, dt] = [9.8, 1.0, 0.1, 0.5, 10, 0.02];
  const [x, v, th, w] = s;
  const F = push === 1 ? f : -f;
  const total = mc + mp;
  const tmp = (F + mp * l * w * w * Math.sin(th)) / total;
  const thAcc = (g * Math.sin(th) - Math.cos(th) * tmp) / (l * (4 / 3 - (mp * Math.cos(th) ** 2) / total));
  const xAcc = tmp - (mp * l * thAcc * Math.cos(th)) / total;
  return [x + dt * v, v + dt * xAcc, th + dt * w, w + dt * thAcc];
}

test("one step follows the cart-pole equations (explicit Euler) from edge states too", () => {
  const env = new Ctl.CartPole();
  for (const state of [
    [0, 0, 0, 0],
    [0.3, -0.7, 0.15, 1.2],
    [-2.3, 1.5, -0.2, -2.5],
    [1, 0, Math.PI / 2 - 0.1, 3],
  ])
    for (const a of [0, 1]) {
      env.setState(state);
      const r = env.step(a);
      const e = expectedStep(state, a);
      for (let i = 0; i < 4; i++) assert.ok(Math.abs(r.observation[i] - e[i]) < 1e-12, `state ${state}, action ${a}, component ${i}`);
      assert.equal(r.reward, 1);
    }
  // Upright and still, the push accelerates the cart its way and tips the pole the other way.
  env.setState([0, 0, 0, 0]);
  let r = env.step(1);
  assert.ok(r.observation[1] > 0 && r.observation[3] < 0);
  env.setState([0, 0, 0, 0]);
  r = env.step(0);
  assert.ok(r.observation[1] < 0 && r.observation[3] > 0);
});

test("episodes fail past ±12° or ±2.4 m (the failing step still rewarded), end after 500 steps, and need a reset", () => {
  const env = new Ctl.CartPole();
  const limit = (12 * 2 * Math.PI) / 360;
  env.setState([0, 0, limit - 0.001, 1]);
  const fell = env.step(1);
  assert.equal(fell.terminated, true);
  assert.equal(fell.reward, 1);
  assert.throws(() => env.step(0), /reset/);
  env.setState([2.39, 1, 0, 0]);
  assert.equal(env.step(1).terminated, true);
  env.setState([2.39, 0, 0, 0]);
  assert.equal(env.step(1).terminated, false, "exactly at the start the cart has not moved yet");
  // Balanced by hand (push against the lean) the episode is truncated at the step limit.
  const short = new Ctl.CartPole({ maxSteps: 50 });
  let obs = short.reset(3);
  let steps = 0;
  for (;;) {
    const s = short.step(obs[2] + 0.5 * obs[3] > 0 ? 1 : 0);
    steps++;
    obs = s.observation;
    if (s.terminated || s.truncated) {
      assert.equal(s.truncated, true);
      break;
    }
  }
  assert.equal(steps, 50);
});

test("reset draws each component uniformly in ±0.05, seeded; bad settings and actions give typed errors", () => {
  const a = new Ctl.CartPole({ seed: 7 });
  const b = new Ctl.CartPole({ seed: 7 });
  for (let k = 0; k < 50; k++) {
    const o = a.reset();
    assert.deepEqual(o, b.reset());
    assert.ok(o.every((v) => Math.abs(v) <= 0.05));
  }
  assert.deepEqual(new Ctl.CartPole().reset(5), new Ctl.CartPole({ seed: 1 }).reset(5));
  assert.throws(() => a.step(2), /action/);
  assert.throws(() => a.step(0.5), /action/);
  assert.throws(() => new Ctl.CartPole({ dt: 0 }), /dt/);
  assert.throws(() => new Ctl.CartPole({ maxSteps: 1.5 }), /maxSteps/);
  assert.throws(() => a.setState([0, 0, Number.NaN, 0]), /state\[2\]/);
});

test("the harder variant: observations carry Gaussian noise of the stated σ, the dynamics use the true state", () => {
  const env = new Ctl.CartPole({ observationNoise: 0.1, seed: 3 });
  const plain = new Ctl.CartPole({ seed: 3 });
  let obs = env.reset(8);
  assert.deepEqual(plain.reset(8), env.getState(), "the same start state with and without noise");
  let [sum, sq, n] = [0, 0, 0];
  for (let k = 0; k < 200; k++) {
    for (let i = 0; i < 4; i++) {
      const d = obs[i] - env.getState()[i];
      sum += d;
      sq += d * d;
      n++;
    }
    const a = k % 2;
    const r = env.step(a);
    const p = plain.step(a);
    assert.deepEqual(env.getState(), plain.getState(), "noise does not touch the dynamics");
    obs = r.observation;
    if (r.terminated || r.truncated) {
      assert.equal(p.terminated || p.truncated, true);
      obs = env.reset(9 + k);
      plain.reset(9 + k);
    }
  }
  const mean = sum / n;
  const sd = Math.sqrt(sq / n - mean * mean);
  assert.ok(Math.abs(mean) < 0.02 && Math.abs(sd / 0.1 - 1) < 0.1, `noise mean ${mean}, sd ${sd}`);
  // Seeded: the same episode seed gives the same noisy observations.
  assert.deepEqual(new Ctl.CartPole({ observationNoise: 0.1 }).reset(4), new Ctl.CartPole({ observationNoise: 0.1 }).reset(4));
  assert.throws(() => new Ctl.CartPole({ observationNoise: -1 }), /observationNoise/);
});
