// The alpha neuron: its step equals snnTorch's Alpha written out (state function, then the reset terms),
// its impulse response is the difference of exponentials, its gradients equal finite differences.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as S from "../../src/index.js";
import { assertClose, gradCheck, randomData } from "../helpers.js";

const T = 40;
const P = 5;

/** snnTorch's Alpha.forward written out in float64: r from the last membrane, state function, then `x -= x2 * reset`. */
function snntorchAlpha(x: Float32Array, alpha: number, beta: number, threshold: number, reset: "subtract" | "zero") {
  const tauAlpha = Math.log(alpha) / (Math.log(beta) - Math.log(alpha)) + 1;
  const spikes = new Float32Array(T * P);
  const membrane = new Float64Array(T * P);
  for (let j = 0; j < P; j++) {
    let [exc, inh, mem] = [0, 0, 0];
    for (let t = 0; t < T; t++) {
      const I = x[t * P + j];
      const r = mem - threshold > 0 ? 1 : 0;
      let e = alpha * exc + I;
      let h = beta * inh - I;
      let m = tauAlpha * (e + h);
      if (reset === "subtract") {
        e -= threshold * r;
        h -= (beta * inh - I) * r;
        m -= -inh * r;
      } else {
        e -= (alpha * exc + I) * r;
        h -= (beta * inh - I) * r;
        m -= tauAlpha * (alpha * exc + I + beta * inh - I) * r;
      }
      [exc, inh, mem] = [e, h, m];
      membrane[t * P + j] = m;
      spikes[t * P + j] = m - threshold > 0 ? 1 : 0;
    }
  }
  return { spikes, membrane };
}

for (const backend of ["js", "wasm"] as const) {
  describe(`Alpha (${backend})`, () => {
    test.before(() => S.setBackend(backend));
    test("each step equals snnTorch's Alpha written out (subtract and zero reset)", () => {
      const x = randomData(T * P, 11, 1).map((v) => v + 0.6);
      for (const reset of ["subtract", "zero"] as const) {
        const want = snntorchAlpha(x, 0.9, 0.7, 1, reset);
        S.tidy(() => {
          const r = S.alphaNeuron(S.tensor(x, [T, P]), S.alphaParams({ alpha: 0.9, beta: 0.7, reset }));
          assert.ok(want.spikes.some((s) => s === 1), "the input makes it spike");
          assert.deepEqual(r.spikes.dataFloat32(), want.spikes, `${reset}: spikes`);
          assertClose(r.membrane.dataFloat32(), want.membrane, 1e-5, 1e-5, `${reset}: membrane`);
        });
      }
    });
    test("the fused kernel equals the composed path: forward bit for bit, gradients of input and starts to rounding", () => {
      for (const [reset, detachReset, surrogate] of [["subtract", false, "fast_sigmoid"], ["zero", false, "atan"], ["subtract", true, "sigmoid"]] as const) {
        const p = S.alphaParams({ alpha: 0.9, beta: 0.6, threshold: 0.8, reset, detachReset, surrogate });
        const x = randomData(T * P, 12, 1).map((v) => v + 0.5);
        const results = [S.alphaNeuron, S.alphaComposed].map((run) => {
          let out: Float32Array[] = [];
          S.tidy(() => {
            const xt = S.tensor(x, [T, P], { requiresGrad: true });
            const start = { exc: S.tensor(randomData(P, 13, 0.5), [P], { requiresGrad: true }), inh: S.tensor(randomData(P, 14, 0.5), [P], { requiresGrad: true }), mem: S.tensor(randomData(P, 15, 0.5), [P], { requiresGrad: true }) };
            const r = run(xt, p, start);
            const weigh = (t: S.Tensor, seed: number) => S.sum(S.mul(t, S.tensor(randomData(t.size, seed), t.shape)));
            // The final currents carry gradient too (a chunked run hands them on).
            const loss = S.add(S.add(weigh(r.spikes, 16), weigh(r.membrane, 17)), S.add(weigh(r.final.exc, 18), weigh(r.final.inh, 19)));
            loss.backward();
            // A detached reset leaves the starting membrane without a gradient (none in the composed graph, zeros fused).
            out = [r.spikes, r.membrane, r.final.exc, r.final.inh, xt.grad, start.exc.grad, start.inh.grad, start.mem.grad].map((t) => (t ? t.dataFloat32().slice() : new Float32Array(P)));
          });
          return out;
        });
        const [fused, composed] = results;
        assert.ok(fused[0].some((v) => v === 1), "it spikes");
        for (const k of [0, 1, 2, 3]) assert.deepEqual(fused[k], composed[k], `${reset}: output ${k}`);
        for (const k of [4, 5, 6, 7]) assertClose(fused[k], composed[k], 1e-5, 1e-4, `${reset}${detachReset ? ", detached" : ""}: gradient ${k}`);
      }
    });
    test("one input at step 0 gives m[k] = τ_α(α^k − β^k) (a difference of exponentials)", () => {
      const [alpha, beta] = [0.95, 0.6];
      const p = S.alphaParams({ alpha, beta, threshold: 1e6 });
      const x = new Float32Array(30);
      x[0] = 1;
      const m = S.tidy(() => Array.from(S.alphaNeuron(S.tensor(x, [30, 1]), p).membrane.dataFloat32()));
      assertClose(m, m.map((_, k) => p.tauAlpha * (alpha ** k - beta ** k)), 1e-6, 1e-5, "impulse response");
    });
    test("gradients equal finite differences (smooth spike function, the reset in the gradient)", () => {
      const k = 4;
      const sig = (u: number) => 1 / (1 + Math.exp(-k * u));
      const surrogate = { forward: sig, derivative: (u: number) => k * sig(u) * (1 - sig(u)) };
      // A detached reset (the default) is a constant in the backward pass, which finite differences cannot see.
      for (const reset of ["subtract", "zero"] as const) {
        const p = S.alphaParams({ alpha: 0.85, beta: 0.5, threshold: 0.6, reset, detachReset: false, surrogate });
        gradCheck(
          (x, e0, m0) => {
            const r = S.alphaNeuron(x, p, { exc: e0, mem: m0 });
            return S.concat([r.spikes, r.membrane], 0);
          },
          [randomData(8 * 3, 3, 0.8), randomData(3, 4, 0.5), randomData(3, 5, 0.5)],
          [[8, 3], [3], [3]],
          { eps: 1e-3, atol: 3e-3, rtol: 2e-2 },
        );
      }
    });
  });
}

describe("Alpha as a layer", () => {
  test("continues a sequence from its state; bad options are named", () => {
    S.tidy(() => {
      const layer = new S.Alpha();
      const x = S.tensor(randomData(20 * 2 * 3, 7, 1).map((v) => v + 0.5), [20, 2, 3]);
      const whole = layer.run(x);
      const first = layer.run(S.slice(x, [0, 0, 0], [9, 2, 3]));
      const second = layer.run(S.slice(x, [9, 0, 0], [11, 2, 3]), first.final);
      assert.deepEqual(S.concat([first.membrane, second.membrane], 0).dataFloat32(), whole.membrane.dataFloat32());
    });
    assert.throws(() => new S.Alpha({ alpha: 0.5, beta: 0.7 }), /alpha\/beta/);
    assert.throws(() => new S.Alpha({ beta: 1 }), /Alpha: beta/);
    assert.throws(() => new S.Alpha({ reset: "none" as "zero" }), /Alpha: reset/);
  });
});
