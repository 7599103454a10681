// Finite-difference gradient checks of every differentiable op, on the reference (js) backend and on
// wasm. Tolerance: |analytic − numeric| ≤ 5e-3 + 1e-2·|numeric| with central differences, step 1e-3,
// on L = Σ out·R (R fixed random weights), the loss evaluated in float64 from float32 outputs.
import { describe, test } from "node:test";
import * as S from "../../src/index.js";
import { awayFromZero, distinctValues, gradCheck, randomData } from "../helpers.js";

const positive = (n: number, seed: number) => randomData(n, seed).map((v) => 0.5 + Math.abs(v));

for (const backend of ["js", "wasm"] as const) {
  describe(`gradients (${backend} backend)`, () => {
    test.before(() => S.setBackend(backend));

    test("unary ops", () => {
      const x = awayFromZero(12, 1);
      for (const f of [S.neg, S.exp, S.abs, S.relu, S.sigmoid, S.tanh]) gradCheck(f, [x], [[3, 4]]);
      gradCheck(S.log, [positive(12, 2)], [[3, 4]]);
      gradCheck(S.sqrt, [positive(12, 3)], [[3, 4]]);
      gradCheck((t) => S.pow(t, 3), [x], [[3, 4]]);
      gradCheck((t) => S.pow(t, -1.5), [positive(12, 4)], [[3, 4]]);
      gradCheck(
        (t) => S.clamp(t, -0.5, 0.5),
        [x.map((v) => (Math.abs(Math.abs(v) - 0.5) < 0.01 ? v + 0.03 : v))],
        [[3, 4]],
      );
      gradCheck((t) => S.affine(t, -2.5, 0.25), [x], [[3, 4]]);
    });

    test("binary ops with broadcasting", () => {
      const cases: [number[], number[]][] = [
        [
          [2, 3],
          [2, 3],
        ],
        [[2, 3], [3]],
        [
          [4, 1, 3],
          [2, 1],
        ],
        [[1], [2, 2]],
        [[], [3]],
      ];
      for (const [sa, sb] of cases) {
        const na = sa.reduce((p, d) => p * d, 1);
        const nb = sb.reduce((p, d) => p * d, 1);
        const a = randomData(na, 5);
        const b = positive(nb, 6);
        for (const f of [S.add, S.sub, S.mul, S.div]) gradCheck((x, y) => f(x, y), [a, b], [sa, sb]);
        gradCheck(
          (x, y) => S.maximum(x, y),
          [distinctValues(na, 7), distinctValues(nb, 8).map((v) => v + 0.02)],
          [sa, sb],
        );
        gradCheck(
          (x, y) => S.minimum(x, y),
          [distinctValues(na, 9), distinctValues(nb, 10).map((v) => v + 0.02)],
          [sa, sb],
        );
      }
      gradCheck((x) => S.add(2, S.mul(S.sub(1, x), 3)), [randomData(5, 11)], [[5]]);
      gradCheck((x) => S.div(1.5, x), [positive(5, 12)], [[5]]);
    });

    test("where", () => {
      const c = S.tensor([1, 0, 1, 0, 0, 1], [2, 3], { dtype: "bool" });
      gradCheck((a, b) => S.where(c, a, b), [randomData(6, 13), randomData(3, 14)], [[2, 3], [3]]);
    });

    test("reductions", () => {
      const x = randomData(24, 15);
      gradCheck((t) => S.sum(t), [x], [[2, 3, 4]]);
      gradCheck((t) => S.sum(t, [0, 2]), [x], [[2, 3, 4]]);
      gradCheck((t) => S.sum(t, 1, true), [x], [[2, 3, 4]]);
      gradCheck((t) => S.mean(t, -1), [x], [[2, 3, 4]]);
      const d = distinctValues(24, 16);
      gradCheck((t) => S.max(t, 1), [d], [[2, 3, 4]]);
      gradCheck((t) => S.max(t), [d], [[2, 3, 4]]);
      gradCheck((t) => S.broadcastTo(t, [2, 3, 4]), [randomData(4, 17)], [[1, 4]]);
    });

    test("shape ops", () => {
      const x = randomData(24, 18);
      gradCheck((t) => S.mul(S.reshape(t, [4, -1]), S.tensor(randomData(24, 1), [4, 6])), [x], [[2, 3, 4]]);
      gradCheck((t) => S.permute(t, [2, 0, 1]), [x], [[2, 3, 4]]);
      gradCheck((t) => S.transpose(t), [x], [[2, 3, 4]]);
      gradCheck((t) => S.slice(t, [0, 1, 1], [2, -1, 2]), [x], [[2, 3, 4]]);
      gradCheck(
        (a, b) => S.concat([a, b], 1),
        [x, randomData(8, 19)],
        [
          [2, 3, 4],
          [2, 1, 4],
        ],
      );
      gradCheck(
        (a, b) => S.stack([a, b], 1),
        [randomData(6, 20), randomData(6, 21)],
        [
          [2, 3],
          [2, 3],
        ],
      );
      gradCheck((t) => S.indexSelect(t, 1, [2, 0, 2]), [x], [[2, 3, 4]]);
      gradCheck((t) => S.clone(t), [x], [[24]]);
    });

    test("matmul: 2-D, transposed, batched, shared B, spike-sparse", () => {
      const a = randomData(12, 22);
      const b = randomData(20, 23);
      gradCheck(
        (x, y) => S.matmul(x, y),
        [a, b],
        [
          [3, 4],
          [4, 5],
        ],
      );
      gradCheck(
        (x, y) => S.matmul(x, y, { transA: true }),
        [a, b],
        [
          [4, 3],
          [4, 5],
        ],
      );
      gradCheck(
        (x, y) => S.matmul(x, y, { transB: true }),
        [a, b],
        [
          [3, 4],
          [5, 4],
        ],
      );
      gradCheck(
        (x, y) => S.matmul(x, y, { transA: true, transB: true }),
        [a, b],
        [
          [4, 3],
          [5, 4],
        ],
      );
      gradCheck(
        (x, y) => S.matmul(x, y),
        [randomData(24, 24), randomData(40, 25)],
        [
          [2, 3, 4],
          [2, 4, 5],
        ],
      );
      gradCheck(
        (x, y) => S.matmul(x, y),
        [randomData(24, 26), b],
        [
          [2, 3, 4],
          [4, 5],
        ],
      );
      const spikes = Float32Array.from(randomData(12, 27), (v) => (v > 0.7 ? 1 : 0));
      gradCheck(
        (x, y) => S.matmul(x, y, { kernel: "sparse" }),
        [spikes, b],
        [
          [3, 4],
          [4, 5],
        ],
        { which: [1] },
      );
    });

    test("conv2d and pooling", () => {
      const x = randomData(2 * 3 * 6 * 5, 28);
      const w = randomData(4 * 3 * 3 * 2, 29);
      gradCheck(
        (a, k) => S.conv2d(a, k),
        [x, w],
        [
          [2, 3, 6, 5],
          [4, 3, 3, 2],
        ],
      );
      gradCheck(
        (a, k, c) => S.conv2d(a, k, c, { stride: [2, 1], padding: [1, 2] }),
        [x, w, randomData(4, 30)],
        [[2, 3, 6, 5], [4, 3, 3, 2], [4]],
      );
      const d = distinctValues(2 * 2 * 6 * 5, 31);
      gradCheck((a) => S.maxPool2d(a, { kernelSize: 2 }), [d], [[2, 2, 6, 5]]);
      gradCheck((a) => S.maxPool2d(a, { kernelSize: 3, stride: 2, padding: 1 }), [d], [[2, 2, 6, 5]]);
      gradCheck(
        (a) => S.avgPool2d(a, { kernelSize: [2, 3], stride: 1, padding: [1, 1] }),
        [d],
        [[2, 2, 6, 5]],
      );
    });

    test("softmax family and losses", () => {
      const x = randomData(15, 32);
      gradCheck((t) => S.softmax(t), [x], [[3, 5]]);
      gradCheck((t) => S.softmax(t, 0), [x], [[3, 5]]);
      gradCheck((t) => S.logSoftmax(t), [x], [[3, 5]]);
      gradCheck((t) => S.crossEntropy(t, [4, 0, 2]), [x], [[3, 5]]);
      gradCheck(
        (a, b) => S.mse(a, b),
        [x, randomData(15, 33)],
        [
          [3, 5],
          [3, 5],
        ],
      );
    });

    test("custom op with a user-written backward", () => {
      const cube = (t: S.Tensor) =>
        S.customOp(
          "cube",
          [t],
          (u) => S.mul(S.mul(u, u), u),
          (g, [u]) => [S.mul(g, S.mul(S.mul(u, u), 3))],
        );
      gradCheck(cube, [randomData(6, 34)], [[6]]);
    });

    test("lif membrane, where the recurrence is smooth (reset none, or detached reset away from threshold)", () => {
      const input = randomData(5 * 2 * 3, 35, 0.4);
      for (const reset of ["none", "subtract", "zero"] as const) {
        gradCheck(
          (x, m0) => S.lif(x, { beta: 0.8, reset, detachReset: true }, { mem: m0 }).membrane,
          [input, randomData(6, 36, 0.3)],
          [
            [5, 2, 3],
            [2, 3],
          ],
        );
      }
    });
  });
}
