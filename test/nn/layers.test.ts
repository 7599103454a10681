// Layers: values against direct formulas, gradients against finite differences, time handling.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as S from "../../src/index.js";
import { assertClose, distinctValues, moduleGradCheck, randomData } from "../helpers.js";

const leaf = (data: Float32Array, shape: number[]) => S.tensor(data, shape, { requiresGrad: true });

for (const backend of ["js", "wasm"] as const) {
  describe(`layers (${backend} backend)`, () => {
    test.before(() => S.setBackend(backend));

    test("Linear: y = x·W + b with W stored [in, out]; finite-difference gradients", () => {
      const lin = new S.Linear(5, 3, { rng: new S.Rng(1) });
      assert.deepEqual(lin.weight.shape, [5, 3]);
      const x = leaf(randomData(10, 2), [2, 5]);
      const y = S.tidy(() => lin.forward(x)).dataFloat32();
      const W = lin.weight.dataFloat32();
      const b = lin.bias!.dataFloat32();
      const xv = x.dataFloat32();
      const expected = new Float32Array(6);
      for (let n = 0; n < 2; n++)
        for (let o = 0; o < 3; o++) {
          let s = b[o];
          for (let i = 0; i < 5; i++) s += xv[n * 5 + i] * W[i * 3 + o];
          expected[n * 3 + o] = s;
        }
      assertClose(y, expected, 1e-5, 1e-5, "Linear output");
      moduleGradCheck(() => lin.forward(x), [["x", x], ...lin.namedParameters()]);
      x.dispose();
      lin.dispose();
    });

    test("Linear on spikes: the spike-sparse product equals the dense one", () => {
      const lin = new S.Linear(40, 7, { rng: new S.Rng(3) });
      const spikes = S.bernoulli(0.1, [6, 40], { rng: new S.Rng(4) });
      const sparse = S.tidy(() => lin.forward(spikes)).dataFloat32();
      const dense = S.tidy(() => S.add(S.matmul(spikes, lin.weight, { kernel: "dense" }), lin.bias!)).dataFloat32();
      assertClose(sparse, dense, 1e-5, 1e-5, "sparse vs dense");
      spikes.dispose();
      lin.dispose();
    });

    test("Conv1d: the cross-correlation written out (stride, padding); Scale; finite-difference gradients", () => {
      const conv = new S.Conv1d(2, 3, 3, { stride: 2, padding: 1, rng: new S.Rng(8) });
      const [N, C, L] = [2, 2, 7];
      const xd = randomData(N * C * L, 9);
      const x = leaf(xd, [N, C, L]);
      const y = S.tidy(() => conv.forward(x));
      const OL = Math.floor((L + 2 - 3) / 2) + 1;
      assert.deepEqual(y.shape, [N, 3, OL]);
      const w = conv.weight.dataFloat32();
      const b = conv.bias!.dataFloat32();
      const expected: number[] = [];
      for (let n = 0; n < N; n++)
        for (let o = 0; o < 3; o++)
          for (let l = 0; l < OL; l++) {
            let s = b[o];
            for (let c = 0; c < C; c++)
              for (let k = 0; k < 3; k++) {
                const i = l * 2 + k - 1;
                if (i >= 0 && i < L) s += w[(o * C + c) * 3 + k] * xd[(n * C + c) * L + i];
              }
            expected.push(s);
          }
      assertClose(y.dataFloat32(), expected, 1e-5, 1e-5, "Conv1d output");
      moduleGradCheck(() => conv.forward(x), [["x", x], ...conv.namedParameters()]);
      const scale = new S.Scale(Float32Array.of(2, -1, 0.5), [3]);
      const xs = leaf(randomData(6, 10), [2, 3]);
      assertClose(S.tidy(() => scale.forward(xs)).dataFloat32(), Array.from(xs.dataFloat32(), (v, i) => v * [2, -1, 0.5][i % 3]), 1e-6, 1e-6, "Scale output");
      moduleGradCheck(() => scale.forward(xs), [["x", xs]]);
      for (const t of [x, y, xs]) t.dispose();
      conv.dispose();
      scale.dispose();
    });

    test("Delay: y[t] = x[t − d] per feature (zero before); finite-difference gradients", () => {
      const delay = new S.Delay([0, 1, 3], [3]);
      const [T, B] = [5, 2];
      const xd = randomData(T * B * 3, 12);
      const x = leaf(xd, [T, B, 3]);
      const y = S.tidy(() => delay.forward(x)).dataFloat32();
      const expected = Array.from({ length: T * B * 3 }, (_, i) => {
        const [t, f] = [Math.floor(i / (B * 3)), i % 3];
        const d = [0, 1, 3][f];
        return t >= d ? xd[i - d * B * 3] : 0;
      });
      assertClose(y, expected, 0, 0, "Delay output");
      moduleGradCheck(() => delay.forward(x), [["x", x]]);
      x.dispose();
      delay.dispose();
    });

    test("Conv2d, pooling, Flatten, BatchNorm2d: finite-difference gradients", () => {
      const conv = new S.Conv2d(2, 3, 3, { padding: 1, stride: 1, rng: new S.Rng(5) });
      const x = leaf(randomData(2 * 2 * 5 * 5, 6), [2, 2, 5, 5]);
      moduleGradCheck(() => conv.forward(x), [["x", x], ...conv.namedParameters()]);
      const xp = leaf(distinctValues(2 * 3 * 4 * 4, 7), [2, 3, 4, 4]);
      moduleGradCheck(() => new S.MaxPool2d(2).forward(xp), [["x", xp]]);
      moduleGradCheck(() => new S.AvgPool2d(2).forward(xp), [["x", xp]]);
      moduleGradCheck(() => new S.Flatten().forward(xp), [["x", xp]]);
      assert.deepEqual(S.tidy(() => new S.Flatten().forward(xp)).shape, [2, 48]);
      const bn = new S.BatchNorm2d(3);
      bn.weight.storage.f32().set([1.5, 0.5, -1]);
      bn.bias.storage.f32().set([0.1, 0.2, 0.3]);
      moduleGradCheck(() => bn.forward(xp), [["x", xp], ...bn.namedParameters()], { atol: 1e-2 });
      for (const t of [x, xp]) t.dispose();
      conv.dispose();
      bn.dispose();
    });

    test("BatchNorm2d: training normalises per channel over all rows; eval uses running statistics", () => {
      const bn = new S.BatchNorm2d(2, { momentum: 1 });
      const x = S.tensor(randomData(4 * 2 * 3 * 3, 8, 3).map((v) => v + 5), [4, 2, 3, 3]);
      const y = S.tidy(() => bn.forward(x)).dataFloat32();
      for (let c = 0; c < 2; c++) {
        const vals: number[] = [];
        for (let n = 0; n < 4; n++) for (let i = 0; i < 9; i++) vals.push(y[n * 18 + c * 9 + i]);
        const m = vals.reduce((a, b) => a + b, 0) / vals.length;
        const v = vals.reduce((a, b) => a + (b - m) ** 2, 0) / vals.length;
        assert.ok(Math.abs(m) < 1e-4 && Math.abs(v - 1) < 1e-3, `channel ${c}: mean ${m}, var ${v}`);
      }
      bn.eval();
      // With momentum 1 the running statistics are this batch's (variance unbiased): eval ≈ train·√((n−1)/n).
      const yEval = S.tidy(() => bn.forward(x)).dataFloat32();
      const n = 36;
      assertClose(yEval, y.map((v) => v * Math.sqrt((n - 1) / n)), 1e-3, 1e-3, "eval output");
      x.dispose();
      bn.dispose();
    });

    test("Dropout: one mask per sample shared over time, scaled by 1/(1 − p); identity in eval", () => {
      const d = new S.Dropout(0.5, new S.Rng(9));
      const x = S.ones([4, 3, 10]);
      const y = S.tidy(() => d.forward(x)).dataFloat32();
      for (let t = 1; t < 4; t++) assert.deepEqual(y.slice(t * 30, t * 30 + 30), y.slice(0, 30));
      assert.ok([...y].every((v) => v === 0 || v === 2));
      const kept = [...y.slice(0, 30)].filter((v) => v === 2).length;
      assert.ok(kept > 5 && kept < 25, `kept ${kept} of 30`);
      d.eval();
      assert.equal(d.forward(x), x);
      x.dispose();
    });

    test("Sequential: stateless layers fold T into the batch; a static input equals its broadcast", () => {
      const rng = new S.Rng(10);
      const net = new S.Sequential(new S.Flatten(), new S.Linear(6, 4, { rng }), new S.LIF({ beta: 0.9 }), new S.Linear(4, 2, { rng }), new S.LIF());
      const img = S.tensor(randomData(3 * 6, 11, 2), [3, 1, 2, 3]);
      const staticRun = S.tidy(() => net.run(img, { steps: 5, recordSpikes: true }));
      const broadcast = S.tidy(() => net.run(S.directEncode(img, 5)).output);
      assert.deepEqual(staticRun.output.shape, [5, 3, 2]);
      assert.deepEqual(staticRun.output.dataFloat32(), broadcast.dataFloat32());
      assert.equal(staticRun.spikes.length, 2);
      assert.deepEqual(staticRun.spikes[0].spikes.shape, [5, 3, 4]);
      // A membrane readout: forward returns the membrane, and its spikes are still recorded.
      (net.layers[4] as S.LIF).output = "membrane";
      const readout = S.tidy(() => {
        const r = net.run(img, { steps: 5, recordSpikes: true });
        return { n: r.spikes.length, last: r.spikes[1].spikes, out: r.output } as never;
      }) as unknown as { n: number; last: S.Tensor; out: S.Tensor };
      assert.equal(readout.n, 2);
      const mem = readout.out.dataFloat32();
      assert.ok(mem.some((v) => v !== 0 && v !== 1), "membrane values");
      assert.deepEqual(readout.last.dataFloat32(), staticRun.output.dataFloat32());
      assert.throws(() => net.run(img, { steps: 0 }), S.ValueError);
      assert.throws(() => net.run(S.zeros([3, 6])), S.ShapeError);
      S.dispose([staticRun.output, broadcast, img, readout.last, readout.out]);
      net.dispose();
    });

    test("Module state: stateDict round trip; a wrong shape or missing name is a clear error", () => {
      const a = new S.Sequential(new S.Linear(3, 2, { rng: new S.Rng(1) }), new S.BatchNorm2d(2));
      const b = new S.Sequential(new S.Linear(3, 2, { rng: new S.Rng(2) }), new S.BatchNorm2d(2));
      b.loadStateDict(a.stateDict());
      assert.deepEqual(b.stateDict(), a.stateDict());
      assert.deepEqual(Object.keys(a.stateDict()), ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var"]);
      const c = new S.Sequential(new S.Linear(4, 2));
      assert.throws(() => c.loadStateDict(a.stateDict()), S.ShapeError);
      assert.throws(() => new S.Sequential(new S.Linear(3, 2), new S.BatchNorm2d(2), new S.Linear(2, 2)).loadStateDict(a.stateDict()), S.ValueError);
      assert.throws(() => new S.Linear(0, 2), S.ValueError);
      assert.throws(() => new S.Dropout(1), S.ValueError);
      for (const m of [a, b, c]) m.dispose();
    });
  });
}
