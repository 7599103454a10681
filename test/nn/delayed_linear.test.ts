// Synaptic delays in the training path: fixed delays equal the sum written out, learned delays have
// finite-difference gradients and move to where the data says, a sequence continues across runs.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as S from "../../src/index.js";
import { assertClose, gradCheck, randomData } from "../helpers.js";

const [T, B, IN, OUT, D] = [14, 2, 3, 4, 5];

for (const backend of ["js", "wasm"] as const) {
  describe(`DelayedLinear (${backend})`, () => {
    test.before(() => S.setBackend(backend));
    test("fixed delays: y_j[t] = Σ_i W_ij·x_i[t − d_ij] + b_j, written out", () => {
      const delays = Array.from({ length: IN * OUT }, (_, k) => (k * 7) % (D + 1));
      const layer = new S.DelayedLinear(IN, OUT, { maxDelay: D, delays, rng: new S.Rng(1) });
      const x = randomData(T * B * IN, 2, 1);
      const w = layer.weight.dataFloat32();
      const b = layer.bias!.dataFloat32();
      const want = new Float64Array(T * B * OUT);
      for (let t = 0; t < T; t++)
        for (let s = 0; s < B; s++)
          for (let j = 0; j < OUT; j++) {
            let v = b[j];
            for (let i = 0; i < IN; i++) {
              const from = t - delays[i * OUT + j];
              if (from >= 0) v += w[i * OUT + j] * x[(from * B + s) * IN + i];
            }
            want[(t * B + s) * OUT + j] = v;
          }
      S.tidy(() => assertClose(layer.forward(S.tensor(x, [T, B, IN])).dataFloat32(), want, 1e-5, 1e-5, "output"));
    });
    test("learned delays: gradients of input, weights and delays equal finite differences", () => {
      const layer = new S.DelayedLinear(IN, OUT, { maxDelay: D, learnDelays: true, sigma: 1.2, rng: new S.Rng(3), delays: Array.from({ length: IN * OUT }, (_, k) => 0.3 + ((k * 1.37) % 4.4)) });
      const w = layer.weight.dataFloat32().slice();
      const d = layer.delays.dataFloat32().slice();
      gradCheck((x) => layer.forward(x), [randomData(T * B * IN, 4, 1)], [[T, B, IN]], { eps: 1e-2, atol: 2e-3, rtol: 2e-2 });
      for (const p of layer.parameters()) {
        p.grad?.dispose();
        p.grad = null;
      }
      // The parameters' gradients against finite differences of a fixed scalar.
      const x = S.tensor(randomData(T * B * IN, 4, 1), [T, B, IN]);
      const R = S.tensor(randomData(T * B * OUT, 5, 1), [T, B, OUT]);
      const lossAt = () => S.tidy(() => S.sum(S.mul(layer.forward(x), R)).item());
      layer.weight.storage.f32().set(w);
      layer.delays.storage.f32().set(d);
      S.tidy(() => S.sum(S.mul(layer.forward(x), R)).backward());
      for (const [param, name] of [[layer.weight, "weight"], [layer.delays, "delay"]] as const) {
        const data = param.storage.f32();
        const analytic = param.grad!.dataFloat32();
        for (const i of [0, 5, 11]) {
          const v = data[i];
          data[i] = v + 1e-2;
          const up = lossAt();
          data[i] = v - 1e-2;
          const down = lossAt();
          data[i] = v;
          const numeric = (up - down) / 2e-2;
          assert.ok(Math.abs(analytic[i] - numeric) <= 2e-3 + 2e-2 * Math.abs(numeric), `${name}[${i}]: ${analytic[i]} against ${numeric}`);
        }
      }
    });
  });
}

describe("DelayedLinear: learning and continuing", () => {
  test.before(() => S.setBackend("wasm"));
  test("gradient descent moves a delay to the lag in the data (2 → 6 steps)", () => {
    const layer = new S.DelayedLinear(1, 1, { maxDelay: 10, learnDelays: true, sigma: 2, delays: [2], bias: false, rng: new S.Rng(1) });
    layer.weight.storage.f32()[0] = 1;
    const opt = new S.Adam([layer.delays], { lr: 0.1 });
    const x = new Float32Array(60);
    for (const t of [3, 17, 30, 44]) x[t] = 1;
    const target = new Float32Array(60);
    for (const t of [9, 23, 36, 50]) target[t] = 1;
    for (let it = 0; it < 150; it++) {
      S.tidy(() => {
        const y = layer.forward(S.tensor(x, [60, 1, 1]));
        S.mse(y, S.tensor(target, [60, 1, 1])).backward();
      });
      opt.step();
      opt.zeroGrad();
    }
    const learned = layer.delays.dataFloat32()[0];
    assert.ok(Math.abs(learned - 6) < 0.5, `learned delay ${learned}`);
    layer.roundDelays();
    assert.equal(layer.delays.dataFloat32()[0], 6);
    assert.equal(layer.learnsDelays, false);
  });
  test("a sequence runs in two parts from the state as in one; bad options are named", () => {
    S.tidy(() => {
      const layer = new S.DelayedLinear(IN, OUT, { maxDelay: D, learnDelays: true, rng: new S.Rng(2) });
      const x = S.tensor(randomData(T * B * IN, 6, 1), [T, B, IN]);
      const whole = layer.forward(x).dataFloat32();
      const first = layer.runFrom(S.slice(x, [0, 0, 0], [6, B, IN]), null);
      const second = layer.runFrom(S.slice(x, [6, 0, 0], [T - 6, B, IN]), first.final);
      assertClose(S.concat([first.output, second.output], 0).dataFloat32(), whole, 1e-6, 1e-6, "two parts");
    });
    assert.throws(() => new S.DelayedLinear(2, 2, { maxDelay: -1 }), /maxDelay/);
    assert.throws(() => new S.DelayedLinear(2, 2, { maxDelay: 3, delays: [0, 1, 2, 4] }), /delays\[3\]/);
    assert.throws(() => new S.DelayedLinear(2, 2, { maxDelay: 3, delays: [0, 1] }), /DelayedLinear: delays/);
    assert.throws(() => S.tidy(() => new S.DelayedLinear(2, 2, { maxDelay: 3 }).forward(S.zeros([4, 2]))), /DelayedLinear/);
  });
});
