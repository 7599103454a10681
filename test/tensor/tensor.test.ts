import assert from "node:assert/strict";
import { test } from "node:test";
import * as S from "../../src/index.js";

test("creation, broadcasting arithmetic and reductions give hand-computed values", () => {
  for (const backend of ["js", "wasm"] as const) {
    S.setBackend(backend);
    S.tidy(() => {
      const a = S.tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      assert.deepEqual(S.add(a, S.tensor([10, 20, 30])).toArray(), [
        [11, 22, 33],
        [14, 25, 36],
      ]);
      assert.deepEqual(S.mul(a, S.tensor([[2], [3]])).toArray(), [
        [2, 4, 6],
        [12, 15, 18],
      ]);
      assert.deepEqual(S.sum(a, 0).toArray(), [5, 7, 9]);
      assert.deepEqual(S.mean(a, 1, true).toArray(), [[2], [5]]);
      assert.deepEqual(S.max(a, 1).toArray(), [3, 6]);
      assert.deepEqual(
        S.argmax(
          S.tensor([
            [1, 9, 3],
            [7, 5, 7],
          ]),
          1,
        ).toArray(),
        [1, 0],
      );
      assert.deepEqual(S.transpose(a).toArray(), [
        [1, 4],
        [2, 5],
        [3, 6],
      ]);
      assert.deepEqual(S.slice(a, [0, 1], [2, 2]).toArray(), [
        [2, 3],
        [5, 6],
      ]);
      assert.deepEqual(S.concat([a, a], 0).shape, [4, 3]);
      assert.deepEqual(S.stack([a, a], 2).shape, [2, 3, 2]);
      assert.deepEqual(S.indexSelect(a, 1, [2, 0]).toArray(), [
        [3, 1],
        [6, 4],
      ]);
      assert.deepEqual(S.where(S.gt(a, 3), a, S.scalar(0)).toArray(), [
        [0, 0, 0],
        [4, 5, 6],
      ]);
      assert.deepEqual(S.matmul(a, S.tensor([[1], [0], [-1]])).toArray(), [[-2], [-2]]);
      assert.deepEqual(S.cast(S.tensor([1.7, -1.7, 0]), "int32").toArray(), [1, -1, 0]);
      assert.equal(
        S.crossEntropy(S.tensor([[0, 0]]), [1])
          .item()
          .toFixed(6),
        Math.log(2).toFixed(6),
      );
    });
  }
});

test("the spike-sparse product is chosen automatically and equals the dense product", () => {
  S.setBackend("wasm");
  S.tidy(() => {
    const rng = new S.Rng(3);
    const s = S.bernoulli(0.05, [64, 100], { rng });
    const w = S.randn([100, 30], { rng });
    const auto = S.matmul(s, w).dataFloat32();
    const dense = S.matmul(s, w, { kernel: "dense" }).dataFloat32();
    for (let i = 0; i < auto.length; i++) assert.ok(Math.abs(auto[i] - dense[i]) < 1e-4);
  });
});

test("tidy frees intermediates and keeps what it returns; keep() and dispose() work", () => {
  const start = S.memoryInfo().numTensors;
  const kept = S.tidy(() => {
    const a = S.ones([3]);
    const b = S.add(a, 1);
    S.keep(S.zeros([2])).dispose();
    return S.mul(b, 2);
  });
  assert.equal(S.memoryInfo().numTensors, start + 1);
  assert.deepEqual(kept.toArray(), [4, 4, 4]);
  kept.dispose();
  assert.equal(S.memoryInfo().numTensors, start);
  assert.throws(() => kept.toArray(), S.DisposedError);
  const view = S.tidy(() => S.reshape(S.ones([2, 2]), [4]));
  assert.deepEqual(view.toArray(), [1, 1, 1, 1]);
  view.dispose();
});

test("bad input gives typed errors that name the op, the argument and the shapes", () => {
  S.setBackend("wasm");
  S.tidy(() => {
    const a = S.zeros([2, 3]);
    const b = S.zeros([4, 5]);
    assert.throws(
      () => S.matmul(a, b),
      (e: Error) =>
        e instanceof S.ShapeError &&
        /matmul/.test(e.message) &&
        /\[2, 3\]/.test(e.message) &&
        /\[4, 5\]/.test(e.message),
    );
    assert.throws(
      () => S.add(a, S.zeros([4])),
      (e: Error) => e instanceof S.ShapeError && /add/.test(e.message),
    );
    assert.throws(
      () => S.add(a, S.zeros([2, 3], { dtype: "int32" })),
      (e: Error) => e instanceof S.DTypeError && /add/.test(e.message),
    );
    assert.throws(() => S.reshape(a, [4, 2]), S.ShapeError);
    assert.throws(() => S.tensor([[1, 2], [3]]), S.ShapeError);
    assert.throws(() => S.tensor([1, 2, 3], [2, 2]), S.ShapeError);
    assert.throws(
      () => S.sum(a, 2),
      (e: Error) => e instanceof S.ValueError && /sum: axis/.test(e.message),
    );
    assert.throws(
      () => S.conv2d(S.zeros([1, 2, 5, 5]), S.zeros([3, 1, 3, 3])),
      (e: Error) => e instanceof S.ShapeError && /channels/.test(e.message),
    );
    assert.throws(() => S.maxPool2d(S.zeros([1, 1, 2, 2]), { kernelSize: 3 }), S.ShapeError);
    assert.throws(
      () => S.crossEntropy(S.zeros([2, 3]), [0, 3]),
      (e: Error) => e instanceof S.ValueError && /labels/.test(e.message),
    );
    assert.throws(() => S.clamp(a, 1, 0), S.ValueError);
    assert.throws(() => S.add(a, S.zeros([2, 3], { backend: S.backendByName("js") })), S.BackendError);
    assert.throws(() => S.setBackend("gpu" as S.BackendName), S.ValueError);
    assert.throws(() => S.sum(a).backward(), /does not require grad/);
    assert.throws(
      () => S.mul(S.zeros([2], { requiresGrad: true }), 2).backward(),
      (e: Error) => e instanceof S.ShapeError && /scalar/.test(e.message),
    );
  });
});

test("a wrong backward is caught by the gradient checker", async () => {
  const { gradCheck, randomData } = await import("../helpers.js");
  const wrongCube = (t: S.Tensor) =>
    S.customOp(
      "cube",
      [t],
      (u) => S.mul(S.mul(u, u), u),
      (g, [u]) => [S.mul(g, S.mul(u, 3))],
    );
  assert.throws(() => gradCheck(wrongCube, [randomData(6, 1)], [[6]]), /gradient of input 0/);
});

test("seeded generators reproduce and restore their state", () => {
  const r = new S.Rng(42);
  const first = [r.uniform(), r.normal()];
  const state = r.getState();
  const next = [r.uniform(), r.normal(), r.normal()];
  const r2 = new S.Rng(42);
  assert.deepEqual([r2.uniform(), r2.normal()], first);
  r2.setState(state);
  assert.deepEqual([r2.uniform(), r2.normal(), r2.normal()], next);
  let mean = 0;
  const n = 20000;
  for (let i = 0; i < n; i++) mean += r.uniform() / n;
  assert.ok(Math.abs(mean - 0.5) < 0.01);
  assert.throws(() => new S.Rng(1.5), S.ValueError);
});
