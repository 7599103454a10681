// The attacks of src/robustness written out: each perturbation against its formula with the same random
// draws, the L2 attack's Adam steps by hand, every argument's accepted range to its boundary.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as S from "../../src/index.js";
import { throwsValueError } from "../helpers.js";
import * as Rob from "../../src/robustness.js";

const f32 = (t: S.Tensor) => Array.from(t.dataFloat32());
const xs = (B: number, n: number) => S.tensor(Float32Array.from({ length: B * n }, (_, i) => 0.1 + ((i * 7) % 13) / 20), [B, n]);

test("additive, multiplicative and membrane noise are x + σn, x(1 + σn) and x + αn with the generator's draws in order", () => {
  S.tidy(() => {
    const x = xs(3, 5);
    const draws = (seed: number) => {
      const r = new S.Rng(seed);
      return Array.from({ length: 15 }, () => r.normal());
    };
    const n = draws(4);
    const want = (f: (v: number, k: number) => number) => Array.from(x.dataFloat32(), f).map(Math.fround);
    assert.deepEqual(f32(Rob.additiveNoise(x, 0.3, new S.Rng(4))), want((v, k) => v + 0.3 * n[k]));
    assert.deepEqual(f32(Rob.multiplicativeNoise(x, 0.3, new S.Rng(4))), want((v, k) => v * (1 + 0.3 * n[k])));
    const noise = new Rob.CurrentNoise(0.2, new S.Rng(4));
    assert.deepEqual(f32(noise.forward(x)), want((v, k) => v + 0.2 * n[k]));
    // The input is left as it was.
    assert.deepEqual(f32(x), Array.from(xs(3, 5).dataFloat32()));
  });
});

test("salt and pepper: the positions follow a partial Fisher–Yates shuffle per image, each set to 0 or 1 by a draw; the input is not touched", () => {
  S.tidy(() => {
    const [B, n, alpha] = [3, 20, 0.25];
    const x = xs(B, n);
    const before = f32(x);
    const got = f32(Rob.saltAndPepper(x, alpha, new S.Rng(9)));
    assert.deepEqual(f32(x), before);
    // Written out: per image, k = round(α n) swaps j = i + int(n − i), then one uniform draw per chosen value.
    const r = new S.Rng(9);
    const want = [...before];
    const k = Math.round(alpha * n);
    for (let b = 0; b < B; b++) {
      const pool = Array.from({ length: n }, (_, i) => i);
      for (let i = 0; i < k; i++) {
        const j = i + r.int(n - i);
        [pool[i], pool[j]] = [pool[j], pool[i]];
      }
      for (const i of pool.slice(0, k)) want[b * n + i] = r.uniform() < 0.5 ? 0 : 1;
    }
    assert.deepEqual(got, want.map(Math.fround));
    // Not simply the first k positions of every image.
    const changed = (b: number) => Array.from({ length: n }, (_, i) => i).filter((i) => got[b * n + i] !== before[b * n + i]);
    assert.notDeepEqual(changed(0), changed(1));
    // α = 1: every value becomes 0 or 1.
    assert.ok(f32(Rob.saltAndPepper(x, 1, new S.Rng(1))).every((v) => v === 0 || v === 1));
  });
});

test("chooseDistinct: k distinct indices, uniformly (each index chosen k/n of the time)", () => {
  const [n, k, trials] = [10, 3, 20000];
  const hits = new Array(n).fill(0);
  const rng = new S.Rng(2);
  for (let t = 0; t < trials; t++) {
    const pool = Int32Array.from({ length: n }, (_, i) => i);
    const chosen = Array.from(Rob.chooseDistinct(pool, k, rng));
    assert.equal(new Set(chosen).size, k);
    for (const i of chosen) hits[i]++;
  }
  const p = k / n;
  const se = Math.sqrt((trials * p * (1 - p)));
  hits.forEach((h, i) => assert.ok(Math.abs(h - trials * p) < 4.5 * se, `index ${i}: ${h} of ${trials}`));
});

test("the L2 attack: a random start on the sphere, then Adam steps up the gradient at x + δ, projected back; as written out", () => {
  S.tidy(() => {
    const [B, n, gamma, lr, steps] = [2, 6, 1.5, 0.05, 3];
    const x = xs(B, n);
    const base = x.dataFloat32();
    const target = Float32Array.from({ length: B * n }, (_, i) => Math.sin(i));
    // The loss Σ(x − target)²: its gradient 2(x − target) depends on where it is taken.
    let calls = 0;
    const gradient = (at: S.Tensor) => {
      calls++;
      return Float32Array.from(at.dataFloat32(), (v, i) => 2 * (v - target[i]));
    };
    const got = f32(Rob.sphereAttack(x, gamma, gradient, { rng: new S.Rng(6), steps, lr }));
    assert.equal(calls, steps);
    // Written out in float64, with float32 storage of δ and of the points the gradient sees.
    const r = new S.Rng(6);
    const delta = new Float32Array(B * n);
    const project = () => {
      for (let b = 0; b < B; b++) {
        let norm = Math.hypot(...delta.subarray(b * n, (b + 1) * n));
        if (norm === 0) {
          for (let i = 0; i < n; i++) delta[b * n + i] = r.normal();
          norm = Math.hypot(...delta.subarray(b * n, (b + 1) * n));
        }
        for (let i = 0; i < n; i++) delta[b * n + i] *= gamma / norm;
      }
    };
    project();
    const [m, v] = [new Array(B * n).fill(0), new Array(B * n).fill(0)];
    for (let t = 1; t <= steps; t++) {
      const g = Array.from(base, (value, i) => 2 * (Math.fround(value + delta[i]) - target[i]));
      for (let i = 0; i < B * n; i++) {
        m[i] = 0.9 * m[i] + 0.1 * Math.fround(g[i]);
        v[i] = 0.999 * v[i] + 0.001 * Math.fround(g[i]) ** 2;
        delta[i] += (lr * (m[i] / (1 - 0.9 ** t))) / (Math.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8);
      }
      project();
    }
    const want = Array.from(base, (value, i) => Math.fround(value + delta[i]));
    got.forEach((y, i) => assert.ok(Math.abs(y - want[i]) < 1e-6, `[${i}]: ${y} vs ${want[i]}`));
    // With no steps the start alone: on the sphere. With γ = 0 no gradient is asked for.
    const start = f32(Rob.sphereAttack(x, gamma, gradient, { rng: new S.Rng(6), steps: 0 }));
    for (let b = 0; b < B; b++) assert.ok(Math.abs(Math.hypot(...start.slice(b * n, (b + 1) * n).map((y, i) => y - base[b * n + i])) - gamma) < 1e-5);
    calls = 0;
    assert.deepEqual(f32(Rob.sphereAttack(x, 0, gradient, { rng: new S.Rng(6) })), Array.from(base));
    assert.equal(calls, 0);
    // Adam's ε sits in the denominator beside √v̂: a gradient of 1e-9 everywhere moves each value by
    // lr·1e-9/(1e-9 + 1e-8) ≈ lr/11 along the gradient before the projection (not against it).
    const tiny = () => new Float32Array(B * n).fill(1e-9);
    const one = f32(Rob.sphereAttack(x, gamma, tiny, { rng: new S.Rng(6), steps: 1, lr }));
    const onStart = f32(Rob.sphereAttack(x, gamma, tiny, { rng: new S.Rng(6), steps: 0 }));
    for (let b = 0; b < B; b++) {
      const d0 = onStart.slice(b * n, (b + 1) * n).map((y, i) => y - base[b * n + i]);
      const moved = d0.map((d) => d + lr * (1e-9 / (1e-9 + 1e-8)));
      const norm = Math.hypot(...moved);
      moved.forEach((d, i) => assert.ok(Math.abs(one[b * n + i] - base[b * n + i] - (d * gamma) / norm) < 1e-6, `tiny gradient, image ${b} [${i}]`));
    }
    // The default is 30 steps.
    Rob.sphereAttack(x, 1, gradient, { rng: new S.Rng(6) });
    assert.equal(calls, 30);
  });
});

test("every argument to its boundary: strengths in [0, max], steps in [0, 10000], lr > 0, fractions in [0, 1], a batch of at least one", () => {
  S.tidy(() => {
    const x = xs(2, 4);
    const g = () => new Float32Array(8).fill(1);
    const rng = () => new S.Rng(0);
    const ok = (f: () => unknown) => assert.doesNotThrow(f);
    for (const [attack, max] of [[(s: number) => Rob.additiveNoise(x, s, rng()), 1e3], [(s: number) => Rob.multiplicativeNoise(x, s, rng()), 1e3], [(s: number) => Rob.fgsm(x, s, g), 1e3], [(s: number) => Rob.saltAndPepper(x, s, rng()), 1]] as const) {
      ok(() => attack(0));
      ok(() => attack(max));
      for (const v of [max * 1.0001, -1e-9, Number.NaN, Number.POSITIVE_INFINITY]) throwsValueError(() => attack(v), /sigma|epsilon|alpha/);
    }
    ok(() => Rob.sphereAttack(x, 1e4, g, { rng: rng(), steps: 0 }));
    throwsValueError(() => Rob.sphereAttack(x, 1e4 * 1.0001, g, { rng: rng() }), /gamma/);
    ok(() => Rob.sphereAttack(x, 1, g, { rng: rng(), steps: 0 }));
    throwsValueError(() => Rob.sphereAttack(x, 1, g, { rng: rng(), steps: -1 }), /steps/);
    throwsValueError(() => Rob.sphereAttack(x, 1, g, { rng: rng(), steps: 10_001 }), /steps/);
    ok(() => Rob.sphereAttack(x, 1, g, { rng: rng(), steps: 10_000 }));
    throwsValueError(() => Rob.sphereAttack(x, 1, g, { rng: rng(), steps: 1.5 }), /steps/);
    throwsValueError(() => Rob.sphereAttack(x, 1, g, { rng: rng(), lr: 0 }), /lr/);
    throwsValueError(() => Rob.sphereAttack(x, 1, g, { rng: rng(), lr: Number.NaN }), /lr/);
    ok(() => Rob.sphereAttack(x, 1, g, { rng: rng(), steps: 1, lr: 1e-9 }));
    // A batch: rank ≥ 1 and B ≥ 1; a vector is a batch of single values.
    ok(() => Rob.saltAndPepper(S.tensor([0.2, 0.4, 0.6], [3]), 0.5, rng()));
    throwsValueError(() => Rob.saltAndPepper(S.zeros([0, 4]), 0.5, rng()), /x/);
    throwsValueError(() => Rob.saltAndPepper(S.scalar(0.5), 0.5, rng()), /x/);
    throwsValueError(() => Rob.sphereAttack(S.zeros([0, 4]), 1, g, { rng: rng() }), /x/);
    const s = Float32Array.from([1, 0, 1, 0]);
    ok(() => Rob.flipSpikes(s, 0, rng()));
    ok(() => Rob.flipSpikes(s, 1, rng()));
    for (const p of [1.0001, -0.0001, Number.NaN]) throwsValueError(() => Rob.flipSpikes(s, p, rng()), /p/);
    ok(() => new Rob.CurrentNoise(0, rng()));
    for (const a of [-1e-9, Number.NaN, Number.POSITIVE_INFINITY]) throwsValueError(() => new Rob.CurrentNoise(a, rng()), /alpha/);
    // p = 1 deletes every spike and fills every silent position.
    assert.deepEqual(Array.from(Rob.flipSpikes(s, 1, rng())), [0, 1, 0, 1]);
  });
});

test("network noise goes where it says: current noise before every spiking layer, spike noise after those whose output is spikes", () => {
  const rng = new S.Rng(1);
  const a = new S.LIF({ beta: 0.5 });
  const b = new S.LIF({ beta: 0.5 });
  b.output = "membrane";
  const net = new S.Sequential(new S.Linear(4, 3, { rng }), a, new S.Linear(3, 2, { rng }), b);
  const kinds = (m: S.Sequential) => m.layers.map((l) => (l instanceof Rob.SpikeNoise ? "spike-noise" : l instanceof Rob.CurrentNoise ? "current-noise" : l === a || l === b ? "neuron" : "linear"));
  assert.deepEqual(kinds(Rob.withNetworkNoise(net, { spikes: 0.1 }, rng)), ["linear", "neuron", "spike-noise", "linear", "neuron"]);
  assert.deepEqual(kinds(Rob.withNetworkNoise(net, { membrane: 0.1 }, rng)), ["linear", "current-noise", "neuron", "linear", "current-noise", "neuron"]);
  assert.deepEqual(kinds(Rob.withNetworkNoise(net, {}, rng)), ["linear", "neuron", "linear", "neuron"]);
  // The perturbed network keeps the model's mode.
  net.eval();
  assert.equal(Rob.withNetworkNoise(net, { spikes: 0.1 }, rng).training, false);
  net.train();
  assert.equal(Rob.withNetworkNoise(net, { spikes: 0.1 }, rng).training, true);
});
