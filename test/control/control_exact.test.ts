// The control core to its edges: every setting of the cart-pole and of a policy at its boundary, the
// seeding and the observation noise written out draw by draw, the failure limits exactly where
// CartPole-v1 puts them, and a rollout checked against a second, hand-written loop of the policy.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as S from "../../src/index.js";
import { throwsValueError } from "../helpers.js";
import * as Ctl from "../../src/control.js";


test("every cart-pole setting to its boundary: constants in (0, max], maxSteps in [1, 1e9], observation noise in [0, 1000]", () => {
  for (const [name, max] of [
    ["gravity", 1e6],
    ["cartMass", 1e6],
    ["poleMass", 1e6],
    ["halfPoleLength", 1e6],
    ["forceMagnitude", 1e6],
    ["positionLimit", 1e6],
    ["dt", 1],
    ["angleLimit", Math.PI],
  ] as const) {
    assert.equal(new Ctl.CartPole({ [name]: max })[name], max);
    for (const v of [max * 1.0001, 0, -1, Number.NaN, Number.POSITIVE_INFINITY]) throwsValueError(() => new Ctl.CartPole({ [name]: v }), new RegExp(name));
  }
  for (const steps of [1, 1e9]) assert.equal(new Ctl.CartPole({ maxSteps: steps }).maxSteps, steps);
  for (const steps of [0, 1e9 + 1, 2.5, Number.NaN]) throwsValueError(() => new Ctl.CartPole({ maxSteps: steps }), /maxSteps/);
  for (const noise of [0, 1000]) assert.equal(new Ctl.CartPole({ observationNoise: noise }).observationNoise, noise);
  for (const noise of [1000.001, -1e-9, Number.NaN]) throwsValueError(() => new Ctl.CartPole({ observationNoise: noise }), /observationNoise/);
  throwsValueError(() => new Ctl.CartPole().setState([0, 0, 0]), /state/);
  throwsValueError(() => new Ctl.CartPole().setState([0, 0, 0, 0, 0]), /state/);
  // A new environment has no episode in progress.
  throwsValueError(() => new Ctl.CartPole().step(1), /reset/);
});

test("seeding written out: start states are 0.1·u − 0.05 from the environment's generator, or from Rng(seed) when reset(seed) is given", () => {
  const starts = (rng: S.Rng, n: number) => Array.from({ length: n }, () => Float64Array.from({ length: 4 }, () => 0.1 * rng.uniform() - 0.05));
  const env = new Ctl.CartPole({ seed: 5 });
  const want = starts(new S.Rng(5), 3);
  // Consecutive resets without a seed go on along one stream (no draws are spent on noise at σ = 0).
  for (const w of want) assert.deepEqual(env.reset(), w);
  assert.deepEqual(env.reset(11), starts(new S.Rng(11), 1)[0]);
  // The default seed is 0.
  assert.deepEqual(new Ctl.CartPole().reset(), starts(new S.Rng(0), 1)[0]);
});

test("observation noise written out: the policy sees state + σ·n, the draws following the start state's in the episode's generator", () => {
  const sigma = 0.25;
  const env = new Ctl.CartPole({ observationNoise: sigma });
  const twin = new Ctl.CartPole();
  const rng = new S.Rng(9);
  const start = Array.from({ length: 4 }, () => 0.1 * rng.uniform() - 0.05);
  const noisy = (state: ArrayLike<number>) => Array.from(state, (v) => v + sigma * rng.normal());
  assert.deepEqual(Array.from(env.reset(9)), noisy(start));
  twin.setState(start);
  for (let t = 0; t < 3; t++) {
    const a = t % 2;
    const got = env.step(a);
    const truth = twin.step(a);
    assert.deepEqual(Array.from(got.observation), noisy(truth.observation), `step ${t}`);
    assert.deepEqual(env.getState(), truth.observation, "the dynamics use the true state");
  }
});

test("failure is past the limits, not at them (CartPole-v1: |x| > 2.4, |θ| > 12°)", () => {
  const env = new Ctl.CartPole();
  const limit = (12 * 2 * Math.PI) / 360;
  // With no velocity a step leaves the positions where they are: exactly at each limit, still alive.
  for (const state of [
    [2.4, 0, 0, 0],
    [-2.4, 0, 0, 0],
    [0, 0, limit, 0],
    [0, 0, -limit, 0],
  ]) {
    env.setState(state);
    const r = env.step(1);
    assert.equal(r.terminated, false, `at ${state}`);
  }
  env.setState([2.4, 1e-9 / 0.02, 0, 0]);
  assert.equal(env.step(1).terminated, true);
});

/** A policy shape with one observation value's worth of defaults. */
const shape = (s: Partial<Ctl.PolicyShape> = {}): Ctl.PolicyShape => ({ scales: Ctl.CARTPOLE_SCALES, hidden: 3, actions: 2, steps: 2, tau: 4, ...s });

test("every policy setting to its boundary, and the rollout's arguments", () => {
  const ok = (s: Partial<Ctl.PolicyShape>) => assert.doesNotThrow(() => Ctl.checkPolicyShape(shape(s)));
  ok({ scales: [1] });
  ok({ scales: new Array(1000).fill(1) });
  throwsValueError(() => Ctl.checkPolicyShape(shape({ scales: [] })), /observations/);
  throwsValueError(() => Ctl.checkPolicyShape(shape({ scales: new Array(1001).fill(1) })), /observations/);
  for (const v of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) throwsValueError(() => Ctl.checkPolicyShape(shape({ scales: [1, v] })), /scales\[1\]/);
  for (const [name, max] of [
    ["hidden", 100_000],
    ["actions", 1000],
    ["steps", 1000],
  ] as const) {
    ok({ [name]: 1 });
    ok({ [name]: max });
    for (const v of [0, max + 1, 1.5]) throwsValueError(() => Ctl.checkPolicyShape(shape({ [name]: v })), new RegExp(name));
  }
  ok({ tau: 1e6 });
  ok({ tau: 1e-9 });
  for (const v of [0, -1, 1e6 * 1.0001, Number.NaN, Number.POSITIVE_INFINITY]) throwsValueError(() => Ctl.checkPolicyShape(shape({ tau: v })), /tau/);
  throwsValueError(() => Ctl.encodeObservation([0, 0, 0], Ctl.CARTPOLE_SCALES, new Float32Array(8)), /observation/);
  const s = shape({ hidden: 1 });
  const p = new Float32Array(Ctl.policySize(s));
  const env = () => new Ctl.CartPole({ maxSteps: 1 });
  throwsValueError(() => Ctl.rollout(s, [p, p], [env()], [0, 1]), /rollout/);
  throwsValueError(() => Ctl.rollout(s, [p, p], [env(), env()], [0]), /rollout/);
  for (const k of [1, 100_000]) assert.deepEqual(Ctl.rollout(s, [p], [env()], [0], { engine: "event", substeps: k }).returns, [1]);
  for (const k of [0, 100_001, 2.5]) throwsValueError(() => Ctl.rollout(s, [p], [env()], [0], { engine: "event", substeps: k }), /substeps/);
  for (const n of [1, 100_000]) assert.equal(Ctl.meanReturn(s, p, env, n, 0), 1);
  for (const n of [0, 100_001, 1.5]) throwsValueError(() => Ctl.meanReturn(s, p, env, n, 0), /episodes/);
});

/** An environment of `actions` actions that records what it is asked, with a constant observation. */
class Recorder implements Ctl.Environment {
  readonly observationSize = 4;
  readonly actions: number[] = [];
  constructor(
    readonly actionCount: number,
    private readonly length: number,
  ) {}
  reset(): Float64Array {
    this.actions.length = 0;
    return Float64Array.of(1, -1, 0.1, 0);
  }
  step(action: number): Ctl.EnvironmentStep {
    this.actions.push(action);
    return { observation: Float64Array.of(1, -1, 0.1, 0), reward: 1, terminated: this.actions.length >= this.length, truncated: false };
  }
}

test("a rollout against a second loop written out: currents x·W_in + b held for `steps` coarse-LIF steps of the shape's τ, state carried, argmax of counts·W_out", () => {
  const s = shape({ hidden: 4, actions: 3, steps: 3, tau: 1.7 });
  const rng = new S.Rng(3);
  const p = Float32Array.from({ length: Ctl.policySize(s) }, () => rng.normal());
  // W_out[h, a] = a: the scores rise with the action index whenever a neuron spikes, so the argmax must
  // look past action 1 to action 2.
  const nIn = 8;
  const outAt = nIn * s.hidden + s.hidden;
  for (let h = 0; h < s.hidden; h++) for (let a = 0; a < s.actions; a++) p[outAt + h * s.actions + a] = a;
  for (let h = 0; h < s.hidden; h++) p[nIn * s.hidden + h] = 2; // a bias that makes every neuron spike
  const env = new Recorder(3, 5);
  const r = Ctl.rollout(s, [p], [env], [0], { raster: true });
  assert.deepEqual(r.returns, [5]);
  assert.deepEqual(env.actions, [2, 2, 2, 2, 2]);
  // The hidden counts per environment step, by hand: a = e^{−1/τ}, b = τ(1 − a), c = τ(1 − b);
  // v′ = (1 − s)(a·v + b·I) + s·c·I, then s′ = H(v′ − 1) (H(0) = ½ is never met here).
  const x = new Float32Array(nIn);
  Ctl.encodeObservation([1, -1, 0.1, 0], s.scales, x);
  const I = Array.from({ length: s.hidden }, (_, h) => Math.fround(x.reduce((acc, xi, i) => acc + xi * p[i * s.hidden + h], 0) + p[nIn * s.hidden + h]));
  const a = Math.exp(-1 / s.tau);
  const b = s.tau * (1 - a);
  const c = s.tau * (1 - b);
  const v = new Array<number>(s.hidden).fill(0);
  const spiked = new Array<boolean>(s.hidden).fill(false);
  assert.equal(r.raster?.length, 5);
  for (let t = 0; t < 5; t++) {
    const counts = v.map((_, h) => {
      let n = 0;
      for (let k = 0; k < s.steps; k++) {
        v[h] = spiked[h] ? c * I[h] : a * v[h] + b * I[h];
        spiked[h] = v[h] >= 1;
        n += spiked[h] ? 1 : 0;
      }
      return n;
    });
    assert.deepEqual(Array.from(r.raster?.[t] ?? []), counts, `environment step ${t}`);
  }
});

test("the raster is member 0's and only when asked, on both engines; meanReturn plays seeds seed, seed + 1, …", () => {
  const s = shape({ hidden: 2 });
  const p = new Float32Array(Ctl.policySize(s));
  for (const engine of ["coarse", "event"] as const) {
    const short = new Recorder(2, 2);
    const long = new Recorder(2, 6);
    const r = Ctl.rollout(s, [p, p], [short, long], [0, 0], { raster: true, engine });
    assert.deepEqual(r.returns, [2, 6]);
    assert.equal(r.raster?.length, 2, `${engine}: member 0 lived 2 steps`);
    assert.equal(Ctl.rollout(s, [p, p], [new Recorder(2, 2), new Recorder(2, 6)], [0, 0], { engine }).raster, undefined);
  }
  // A policy that pushes by the pole's lean: returns depend on the start state, so on the seeds.
  const lean = shape({ hidden: 2, tau: 2 });
  const q = new Float32Array(Ctl.policySize(lean));
  q[4 * 2 + 0] = 30; // θ on → hidden 0
  q[5 * 2 + 1] = 30; // θ off → hidden 1
  q[8 * 2 + 2 + 1] = 1; // hidden 0 → push right
  q[8 * 2 + 2 + 2] = 1; // hidden 1 → push left
  const make = () => new Ctl.CartPole({ maxSteps: 200 });
  const each = [7, 8, 9, 10].map((seed) => Ctl.meanReturn(lean, q, make, 1, seed));
  assert.ok(new Set(each).size > 1, `returns ${each} should differ by start state`);
  assert.equal(Ctl.meanReturn(lean, q, make, 4, 7), each.reduce((x, y) => x + y, 0) / 4);
});

test("encodeObservation: an observation of the wrong length is refused by its length, the values split into on and off channels", () => {
  const out = new Float32Array(8);
  throwsValueError(() => Ctl.encodeObservation([0.1, 0.2, 0.3], Ctl.CARTPOLE_SCALES, out), /observation.*4 values/);
  throwsValueError(() => Ctl.encodeObservation([0.1, 0.2, 0.3, 0.4, 0.5], Ctl.CARTPOLE_SCALES, out), /observation.*4 values/);
  Ctl.encodeObservation([1.2, -1.5, 0, 0.35], Ctl.CARTPOLE_SCALES, out);
  assert.deepEqual(Array.from(out), [0.5, 0, 0, 0.5, 0, 0, 0.1, 0].map(Math.fround));
});
