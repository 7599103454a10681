// The spiking cart-pole policy and its evolution strategy.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as S from "../../src/index.js";
import { createEs, createPg, DEFAULT_ES, DEFAULT_PG, esGeneration, pgUpdate, returnsToGo } from "../../src/tasks.js";
import * as Tr from "../../src/transfer.js";
import * as Ctl from "../../src/control.js";

const shape: Ctl.PolicyShape = { scales: Ctl.CARTPOLE_SCALES, hidden: 6, actions: 2, steps: 2, tau: 4 };

test("observations become on/off currents of the scaled values", () => {
  const out = new Float32Array(8);
  Ctl.encodeObservation([1.2, -3, 0.105, 0], Ctl.CARTPOLE_SCALES, out);
  assert.deepEqual(Array.from(out), [0.5, 0, 0, 1, 0.5, 0, 0, 0].map(Math.fround));
  assert.throws(() => Ctl.encodeObservation([0, 0, Number.NaN, 0], Ctl.CARTPOLE_SCALES, out), /observation\[2\]/);
  assert.throws(() => Ctl.encodeObservation([0, 0], Ctl.CARTPOLE_SCALES, out), /observation/);
});

test("rollout: members are independent, the readout picks the action, bad shapes are refused", () => {
  const rng = new S.Rng(3);
  const n = Ctl.policySize(shape);
  assert.equal(n, 8 * 6 + 6 + 6 * 2);
  const params = Array.from({ length: 5 }, () => Float32Array.from({ length: n }, () => rng.normal()));
  const together = Ctl.rollout(shape, params, params.map(() => new Ctl.CartPole()), [1, 2, 3, 4, 5]).returns;
  const alone = params.map((p, i) => Ctl.rollout(shape, [p], [new Ctl.CartPole()], [i + 1]).returns[0]);
  assert.deepEqual(together, alone);
  // A readout that always prefers action 1 (push right) plays the open-loop episode of pushing right.
  const right = new Float32Array(n);
  right.fill(2, 8 * 6, 8 * 6 + 6); // a bias of 2: every hidden neuron spikes from the first coarse step on
  for (let h = 0; h < 6; h++) right[8 * 6 + 6 + 2 * h + 1] = 1;
  const env = new Ctl.CartPole();
  env.reset(9);
  let steps = 0;
  for (;;) {
    steps++;
    const r = env.step(1);
    if (r.terminated || r.truncated) break;
  }
  assert.equal(Ctl.rollout(shape, [right], [new Ctl.CartPole()], [9]).returns[0], steps);
  assert.throws(() => Ctl.rollout(shape, [new Float32Array(3)], [new Ctl.CartPole()], [0]), /params\[0\]/);
  assert.throws(() => Ctl.rollout({ ...shape, hidden: 0 }, [], [], []), /hidden/);
  assert.throws(() => Ctl.rollout(shape, params, [new Ctl.CartPole()], [0]), /as many environments/);
});

test("the evolution strategy lifts the spiking policy far above a random one within a few seconds", () => {
  const s = createEs({ ...DEFAULT_ES, seed: 1 });
  const start = Ctl.meanReturn(s.shape, s.params, () => new Ctl.CartPole(), 20, 500);
  for (let g = 0; g < 15; g++) esGeneration(s);
  const after = Ctl.meanReturn(s.shape, s.params, () => new Ctl.CartPole(), 20, 500);
  // Seeded, so one number: 13.3 → 302.4 over these 20 episodes (500 is the most an episode can earn).
  assert.ok(start < 30 && after > 250, `mean return ${start} → ${after}`);
  assert.equal(s.history.length, 15);
  // Seeded: the same run gives the same parameters.
  const again = createEs({ ...DEFAULT_ES, seed: 1 });
  for (let g = 0; g < 15; g++) esGeneration(again);
  assert.deepEqual(again.params, s.params);
  assert.throws(() => createEs({ ...DEFAULT_ES, pairs: 0 }), /pairs/);
  assert.throws(() => createEs({ ...DEFAULT_ES, sigma: -1 }), /sigma/);
});

test("returns to go: G_t = r_t + γ·G_{t+1}, zero after an episode ends", () => {
  const g = returnsToGo([Float64Array.of(1, 1), Float64Array.of(1, 0), Float64Array.of(1, 0)], 0.5);
  assert.deepEqual(g.map((x) => Array.from(x)), [
    [1.75, 1],
    [1.5, 0],
    [1, 0],
  ]);
});

test("policy gradients through the surrogate lift the spiking policy far above a random one", () => {
  const s = createPg({ ...DEFAULT_PG, seed: 2 });
  const start = Ctl.meanReturn(s.shape, s.params, () => new Ctl.CartPole(), 20, 900);
  for (let u = 0; u < 50; u++) pgUpdate(s);
  const after = Ctl.meanReturn(s.shape, s.params, () => new Ctl.CartPole(), 20, 900);
  // Seeded: 19.7 → 448.3 greedy; the sampled training episodes 17.3 → 314.3.
  assert.ok(start < 30 && after > 400, `greedy mean return ${start} → ${after}`);
  assert.ok(s.history[49].meanReturn > 250 && s.history[0].meanReturn < 30, `training returns ${s.history[0].meanReturn} → ${s.history[49].meanReturn}`);
  assert.throws(() => createPg({ ...DEFAULT_PG, gamma: 1.5 }), /gamma/);
});

test("the policy with continuous-time neurons: state carried across environment steps, counts as the neuron alone gives", () => {
  // W_in = 0 and bias 0.7: every hidden neuron sees the constant current 0.7 per coarse step.
  const n = Ctl.policySize(shape);
  const params = new Float32Array(n);
  params.fill(0.7, 8 * 6, 8 * 6 + 6);
  for (let h = 0; h < 6; h++) params[8 * 6 + 6 + 2 * h + 1] = 1;
  const r = Ctl.rollout(shape, [params], [new Ctl.CartPole()], [4], { engine: "event", substeps: 8, raster: true });
  const envSteps = r.raster!.length;
  assert.equal(envSteps, r.returns[0]);
  const alone = S.runContinuousLif(Tr.spreadSteps(new Array(envSteps * shape.steps).fill(0.7), 8, "even", null), shape.tau, envSteps * shape.steps, false);
  const perEnvStep = new Array(envSteps).fill(0);
  for (const t of alone.spikes) perEnvStep[Math.floor(t / shape.steps)]++;
  assert.deepEqual(r.raster!.map((c) => c[0]), perEnvStep);
  assert.ok(alone.spikes.length > 0);
  assert.throws(() => Ctl.rollout(shape, [params], [new Ctl.CartPole()], [4], { engine: "event", substeps: 0 }), /substeps/);
  // Both engines leave no tensors behind.
  for (const engine of ["coarse", "event"] as const) {
    const live = S.liveTensorCount();
    Ctl.rollout(shape, [params], [new Ctl.CartPole()], [4], { engine });
    assert.equal(S.liveTensorCount(), live, engine);
  }
});
