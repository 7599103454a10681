// Optimizers and the schedule against their update formulas, and state round trips.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as S from "../../src/index.js";
import { assertClose } from "../helpers.js";

/** Runs `steps` updates of L = Σ c·w² (gradient 2c·w) and returns the weights after each. */
function trajectory(make: (p: S.Tensor[]) => S.Optimizer, steps: number): number[][] {
  const w = S.tensor([1, -2], [2], { requiresGrad: true });
  const opt = make([w]);
  const out: number[][] = [];
  for (let k = 0; k < steps; k++) {
    S.tidy(() => S.sum(S.mul(S.mul(w, w), S.tensor([1, 3], [2]))).backward());
    opt.step();
    opt.zeroGrad();
    out.push(Array.from(w.dataFloat32()));
  }
  w.dispose();
  return out;
}

test("SGD with momentum and weight decay follows v ← μv + g + λw, w ← w − lr·v", () => {
  const got = trajectory((p) => new S.SGD(p, { lr: 0.1, momentum: 0.9, weightDecay: 0.01 }), 3);
  let w = [1, -2];
  let v = [0, 0];
  const c = [1, 3];
  const expected: number[][] = [];
  for (let k = 0; k < 3; k++) {
    const g = w.map((wi, i) => 2 * c[i] * wi + 0.01 * wi);
    v = k === 0 ? g : v.map((vi, i) => 0.9 * vi + g[i]);
    w = w.map((wi, i) => wi - 0.1 * v[i]);
    expected.push(w);
  }
  assertClose(got.flat(), expected.flat(), 1e-6, 1e-6, "SGD");
});

test("Adam and AdamW follow the bias-corrected moment formulas", () => {
  for (const decoupled of [false, true]) {
    const got = trajectory(
      (p) => (decoupled ? new S.AdamW(p, { lr: 0.05, weightDecay: 0.1 }) : new S.Adam(p, { lr: 0.05, weightDecay: 0.1 })),
      4,
    );
    let w = [1, -2];
    let m = [0, 0];
    let v = [0, 0];
    const c = [1, 3];
    const expected: number[][] = [];
    for (let k = 1; k <= 4; k++) {
      const g = w.map((wi, i) => 2 * c[i] * wi + (decoupled ? 0 : 0.1 * wi));
      m = m.map((mi, i) => 0.9 * mi + 0.1 * g[i]);
      v = v.map((vi, i) => 0.999 * vi + 0.001 * g[i] ** 2);
      w = w.map((wi, i) => (decoupled ? wi * (1 - 0.05 * 0.1) : wi) - (0.05 * m[i]) / (1 - 0.9 ** k) / (Math.sqrt(v[i] / (1 - 0.999 ** k)) + 1e-8));
      expected.push(w);
    }
    assertClose(got.flat(), expected.flat(), 1e-5, 1e-5, decoupled ? "AdamW" : "Adam");
  }
});

test("optimizer state round trip continues identically; cosine schedule values; bad options", () => {
  const w1 = S.tensor([1, -2], [2], { requiresGrad: true });
  const w2 = S.tensor([1, -2], [2], { requiresGrad: true });
  const a = new S.Adam([w1], { lr: 0.1 });
  const b = new S.Adam([w2], { lr: 0.1 });
  const stepOn = (w: S.Tensor, o: S.Optimizer) => {
    S.tidy(() => S.sum(S.mul(w, w)).backward());
    o.step();
    o.zeroGrad();
  };
  stepOn(w1, a);
  stepOn(w2, b);
  const saved = a.stateDict();
  stepOn(w1, a);
  b.loadStateDict(saved);
  stepOn(w2, b);
  assert.deepEqual(w1.dataFloat32(), w2.dataFloat32());
  const sched = new S.CosineSchedule(a, 1, 10, 0.1);
  assertClose([sched.lrAt(0), sched.lrAt(5), sched.lrAt(10), sched.lrAt(20)], [1, 0.55, 0.1, 0.1], 1e-12, 0, "cosine");
  assert.throws(() => new S.SGD([w1], { lr: -1 }), S.ValueError);
  assert.throws(() => new S.Adam([w1], { beta1: 1 }), S.ValueError);
  assert.throws(() => new S.SGD([S.zeros([2])]), S.ValueError);
  S.dispose([w1, w2]);
});
