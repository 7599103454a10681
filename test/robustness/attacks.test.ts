// The attacks of the robustness suite (src/robustness): every perturbation changes its input by exactly
// its stated strength, FGSM and the L2 attack move along the gradient, spike noise flips the stated
// fraction, and zero-strength network noise changes nothing.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as S from "../../src/index.js";
import * as Rob from "../../src/robustness.js";

const x4 = () => S.tensor(Float32Array.from({ length: 4 * 50 }, (_, i) => 0.25 + 0.5 * ((i * 7) % 11) / 11), [4, 50]);

test("input noise: additive and multiplicative draws have the stated σ; salt and pepper sets exactly round(α·n) values per image", () => {
  S.tidy(() => {
    const x = S.full([20, 1000], 0.5);
    const data = x.dataFloat32();
    const add = Rob.additiveNoise(x, 0.2, new S.Rng(1)).dataFloat32();
    const mul = Rob.multiplicativeNoise(x, 0.3, new S.Rng(2)).dataFloat32();
    const sd = (f: (i: number) => number) => {
      let [m, q] = [0, 0];
      for (let i = 0; i < data.length; i++) {
        m += f(i);
        q += f(i) ** 2;
      }
      m /= data.length;
      return [m, Math.sqrt(q / data.length - m * m)];
    };
    const [ma, sa] = sd((i) => add[i] - data[i]);
    assert.ok(Math.abs(ma) < 0.01 && Math.abs(sa / 0.2 - 1) < 0.02, `additive: mean ${ma}, sd ${sa}`);
    const [mm, sm] = sd((i) => mul[i] / data[i] - 1);
    assert.ok(Math.abs(mm) < 0.015 && Math.abs(sm / 0.3 - 1) < 0.02, `multiplicative: mean ${mm}, sd ${sm}`);
    const sp = Rob.saltAndPepper(x, 0.13, new S.Rng(3)).dataFloat32();
    for (let b = 0; b < 20; b++) {
      const row = sp.subarray(b * 1000, (b + 1) * 1000);
      const changed = row.filter((v) => v !== 0.5);
      assert.equal(changed.length, 130);
      assert.ok(changed.every((v) => v === 0 || v === 1));
    }
    assert.deepEqual(Array.from(Rob.saltAndPepper(x, 0, new S.Rng(3)).dataFloat32()), Array.from(data));
  });
  assert.throws(() => Rob.saltAndPepper(x4(), 1.5, new S.Rng(0)), S.ValueError);
  assert.throws(() => Rob.additiveNoise(x4(), -0.1, new S.Rng(0)), /sigma/);
  assert.throws(() => Rob.fgsm(x4(), Number.NaN, () => new Float32Array(200)), /epsilon/);
});

test("FGSM moves every value by exactly ε along the gradient's sign; the L2 attack keeps ‖δ_b‖₂ = γ for every image", () => {
  S.tidy(() => {
    const x = x4();
    const g = Float32Array.from({ length: 200 }, (_, i) => (i % 5) - 2);
    const adv = Rob.fgsm(x, 0.07, () => g).dataFloat32();
    const base = x.dataFloat32();
    for (let i = 0; i < 200; i++) assert.ok(Math.abs(adv[i] - base[i] - 0.07 * Math.sign(g[i])) < 1e-7, `fgsm[${i}]`);
    // A loss whose gradient is a fixed direction u per image: the attack turns δ toward u on the sphere.
    const u = Float32Array.from({ length: 200 }, (_, i) => Math.cos(i));
    for (const gamma of [0.5, 2]) {
      const out = Rob.sphereAttack(x, gamma, () => u, { rng: new S.Rng(4), steps: 60, lr: 0.05 }).dataFloat32();
      for (let b = 0; b < 4; b++) {
        let [norm, dot, un] = [0, 0, 0];
        for (let i = b * 50; i < (b + 1) * 50; i++) {
          const d = out[i] - base[i];
          norm += d * d;
          dot += d * u[i];
          un += u[i] * u[i];
        }
        assert.ok(Math.abs(Math.sqrt(norm) - gamma) < 1e-5 * gamma + 1e-6, `‖δ‖ = ${Math.sqrt(norm)} for γ = ${gamma}`);
        // Adam's steps follow the gradient's signs, so δ ends near sign(u): cos(sign(u), u) ≈ (2/π)·√2 ≈ 0.9.
        assert.ok(dot / (Math.sqrt(norm) * Math.sqrt(un)) > 0.8, "δ turned toward the gradient");
      }
    }
    assert.deepEqual(Array.from(Rob.sphereAttack(x, 0, () => u, { rng: new S.Rng(4) }).dataFloat32()), Array.from(base));
  });
});

test("spike noise deletes and inserts exactly the stated fraction; zero-strength network noise changes nothing", () => {
  const rng = new S.Rng(5);
  const s = Float32Array.from({ length: 5000 }, () => (rng.uniform() < 0.2 ? 1 : 0));
  const ones = s.filter((v) => v === 1).length;
  for (const p of [0, 0.1, 0.25, 1]) {
    const out = Rob.flipSpikes(s, p, new S.Rng(6));
    let [deleted, inserted] = [0, 0];
    s.forEach((v, i) => {
      if (v === 1 && out[i] === 0) deleted++;
      if (v === 0 && out[i] === 1) inserted++;
    });
    assert.equal(deleted, Math.round(p * ones));
    assert.equal(inserted, Math.round(p * (5000 - ones)));
  }
  assert.throws(() => Rob.flipSpikes(s, 1.2, rng), /fraction/);
  const net = new S.Sequential(new S.Linear(6, 5, { rng: new S.Rng(1) }), new S.LIF({ beta: 0.5 }), new S.Linear(5, 3, { rng: new S.Rng(2) }), new S.LIF({ beta: 0.5 }));
  const x = S.tensor(Float32Array.from({ length: 4 * 2 * 6 }, (_, i) => Math.sin(i) + 0.6), [4, 2, 6]);
  const clean = S.tidy(() => Array.from(net.run(x).output.dataFloat32()));
  for (const noise of [{ spikes: 0 }, { membrane: 0 }, { spikes: 0, membrane: 0 }]) {
    const perturbed = Rob.withNetworkNoise(net, noise, new S.Rng(7));
    assert.ok(perturbed.layers.length > net.layers.length);
    assert.deepEqual(S.tidy(() => Array.from(perturbed.run(x).output.dataFloat32())), clean);
  }
  const flipped = S.tidy(() => Array.from(Rob.withNetworkNoise(net, { spikes: 0.5 }, new S.Rng(7)).run(x).output.dataFloat32()));
  assert.notDeepEqual(flipped, clean);
});
