// The adaptive LIF: its step equals Bellec et al.'s equations written out and Norse's LSNN step under the
// parameter mapping; its gradients equal finite differences; it adapts; it continues a sequence exactly.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as S from "../../src/index.js";
import { assertClose, gradCheck, randomData } from "../helpers.js";

const f = Math.fround;
const T = 40;
const P = 6;

/** Bellec et al.'s ALIF written out in float32, in the order the layer computes it. */
function writtenOut(x: Float32Array, o: { beta: number; threshold: number; rho: number; gamma: number; reset: "subtract" | "zero"; refractoryGain: number }) {
  const spikes = new Float32Array(T * P);
  const membrane = new Float32Array(T * P);
  const threshold = new Float32Array(T * P);
  for (let j = 0; j < P; j++) {
    let m = 0;
    let a = 0;
    for (let t = 0; t < T; t++) {
      const aPrevThreshold = f(f(a * f(o.gamma)) + f(o.threshold));
      const sPrev = f(m - aPrevThreshold) > 0 ? 1 : 0;
      a = f(f(a * f(o.rho)) + f(sPrev * f(1 - o.rho)));
      const A = f(f(a * f(o.gamma)) + f(o.threshold));
      const I = x[t * P + j];
      const h = f(f(m * f(o.beta)) + I);
      m = o.reset === "subtract" ? f(h - f(A * sPrev)) : f(f(h * (1 - sPrev)) + f(sPrev * f(I * f(o.refractoryGain))));
      spikes[t * P + j] = f(m - A) > 0 ? 1 : 0;
      membrane[t * P + j] = m;
      threshold[t * P + j] = A;
    }
  }
  return { spikes, membrane, threshold };
}

for (const backend of ["js", "wasm"] as const) {
  describe(`ALIF (${backend})`, () => {
    test.before(() => S.setBackend(backend));

    test("each step equals Bellec et al.'s equations written out (both resets)", () => {
      const x = randomData(T * P, 1, 0.9).map((v) => v + 0.4);
      for (const reset of ["subtract", "zero"] as const) {
        const o = { beta: 0.9, threshold: 0.8, rho: 0.95, gamma: 1.8, reset, refractoryGain: reset === "zero" ? 0.5 : 0 };
        const want = writtenOut(x, o);
        S.tidy(() => {
          const r = S.alif(S.tensor(x, [T, P]), S.alifParams(o));
          assert.deepEqual(r.spikes.dataFloat32(), want.spikes, `${reset}: spikes`);
          assertClose(r.membrane.dataFloat32(), want.membrane, 1e-6, 1e-6, `${reset}: membrane`);
          assertClose(r.threshold.dataFloat32(), want.threshold, 1e-6, 1e-6, `${reset}: threshold`);
          assert.ok(want.spikes.some((s) => s === 1) && want.threshold.some((a) => a > o.threshold), "the test input makes it spike and adapt");
        });
      }
    });

    test("equals Norse's LSNN feed-forward step (lsnn_feed_forward_step, written out) under the mapping", () => {
      // Norse, dt = 1 ms: v' = v + dt/τm (v_leak − v + i), i' = i − dt/τs i, b' = b + dt/τb (θ − b), z = H(v' − b'),
      // v ← (1 − z) v', b ← b' + β_N z, i ← i' + x.
      const dt = 1e-3;
      const [tauMemInv, tauSynInv, tauAdaptInv, betaN, vTh] = [100, 200, 5, 1.8, 1];
      const x = randomData(T * P, 2, 0.6).map((v) => Math.max(0, v));
      const vDec = new Float64Array(T * P);
      const z = new Float32Array(T * P);
      const drive = new Float32Array(T * P);
      for (let j = 0; j < P; j++) {
        let [v, i, b] = [0, 0, vTh];
        for (let t = 0; t < T; t++) {
          drive[t * P + j] = i;
          const vd = v + dt * tauMemInv * (0 - v + i);
          const id = i - dt * tauSynInv * i;
          const bd = b + dt * tauAdaptInv * (vTh - b);
          const zt = vd - bd > 0 ? 1 : 0;
          v = (1 - zt) * vd;
          b = bd + zt * betaN;
          i = id + x[t * P + j];
          vDec[t * P + j] = vd;
          z[t * P + j] = zt;
        }
      }
      // Ours: the current of the step before as input, β = 1 − dt/τm, g = g_r = 1 − β, zero reset, ρ = 1 − dt/τb, γ = ρ·β_N/(1 − ρ).
      const beta = 1 - dt * tauMemInv;
      const rho = 1 - dt * tauAdaptInv;
      const p = S.alifParams({ beta, inputGain: 1 - beta, refractoryGain: 1 - beta, reset: "zero", threshold: vTh, rho, gamma: (rho * betaN) / (1 - rho) });
      S.tidy(() => {
        const r = S.alif(S.tensor(drive, [T, P]), p);
        assert.ok(z.some((v) => v === 1), "Norse's neurons spike");
        assert.deepEqual(r.spikes.dataFloat32(), z);
        assertClose(r.membrane.dataFloat32(), vDec, 1e-5, 1e-4, "membrane = Norse's v before its reset");
      });
    });

    test("the fused kernel equals the composed path: forward bit for bit, gradients of input and start to rounding", () => {
      for (const [reset, detachReset, surrogate] of [["subtract", false, "fast_sigmoid"], ["zero", false, "atan"], ["subtract", true, "sigmoid"]] as const) {
        const p = S.alifParams({ beta: 0.9, threshold: 0.7, rho: 0.93, gamma: 1.5, reset, refractoryGain: 0.4, detachReset, surrogate });
        const x = randomData(T * P, 9, 1).map((v) => v + 0.4);
        const results = [S.alif, S.alifComposed].map((run) => {
          let out: Float32Array[] = [];
          S.tidy(() => {
            const xt = S.tensor(x, [T, P], { requiresGrad: true });
            const m0 = S.tensor(randomData(P, 10, 0.5), [P], { requiresGrad: true });
            const a0 = S.tensor(randomData(P, 11, 0.3).map(Math.abs), [P], { requiresGrad: true });
            const r = run(xt, p, { mem: m0, adapt: a0 });
            const loss = S.add(S.add(S.sum(S.mul(r.spikes, S.tensor(randomData(T * P, 12), [T, P]))), S.sum(S.mul(r.membrane, S.tensor(randomData(T * P, 13), [T, P])))), S.sum(S.mul(r.threshold, S.tensor(randomData(T * P, 14), [T, P]))));
            loss.backward();
            out = [r.spikes, r.membrane, r.threshold, xt.grad!, m0.grad!, a0.grad!].map((t) => t.dataFloat32().slice());
          });
          return out;
        });
        const [fused, composed] = results;
        assert.ok(fused[0].some((s) => s === 1), "it spikes");
        for (const k of [0, 1, 2]) assert.deepEqual(fused[k], composed[k], `${reset}: output ${k}`);
        for (const k of [3, 4, 5]) assertClose(fused[k], composed[k], 1e-5, 1e-4, `${reset}${detachReset ? ", detached" : ""}: gradient ${k}`);
      }
    });

    test("gradients equal finite differences (a smooth spike function with its derivative)", () => {
      const k = 4;
      const sig = (u: number) => 1 / (1 + Math.exp(-k * u));
      const surrogate = { forward: sig, derivative: (u: number) => k * sig(u) * (1 - sig(u)) };
      for (const reset of ["subtract", "zero"] as const) {
        const p = S.alifParams({ beta: 0.8, threshold: 0.7, rho: 0.9, gamma: 1.5, reset, refractoryGain: 0.3, surrogate });
        gradCheck(
          (x, m0, a0) => {
            const r = S.alif(x, p, { mem: m0, adapt: a0 });
            return S.concat([r.spikes, r.membrane], 0);
          },
          [randomData(8 * 3, 3, 0.8), randomData(3, 4, 0.5), randomData(3, 5, 0.2).map(Math.abs)],
          [[8, 3], [3], [3]],
          { eps: 1e-3, atol: 3e-3, rtol: 2e-2 },
        );
      }
    });
  });
}

describe("ALIF as a layer", () => {
  test.before(() => S.setBackend("wasm"));
  test("adapts: under a constant drive its firing rate falls and its threshold rises", () => {
    S.tidy(() => {
      const layer = new S.ALIF({ beta: 0.9, tauAdapt: 100, gamma: 10 });
      const r = S.alif(S.full([400, 1], 0.3), layer.params);
      const s = r.spikes.dataFloat32();
      const times = [...s.keys()].filter((t) => s[t] === 1);
      const firstInterval = times[1] - times[0];
      const lastInterval = times.at(-1)! - times.at(-2)!;
      assert.ok(lastInterval > 1.6 * firstInterval, `interspike intervals from ${firstInterval} to ${lastInterval} steps`);
      const A = r.threshold.dataFloat32();
      assert.ok(A[399] > 1.5 && A[0] === 1, `threshold from ${A[0]} to ${A[399]}`);
      const lif = new S.LIF({ beta: 0.9 }).run(S.full([400, 1, 1], 0.3)).spikes.dataFloat32();
      assert.equal(lif.slice(0, 100).reduce((a, b) => a + b, 0), lif.slice(300).reduce((a, b) => a + b, 0), "a LIF does not adapt");
    });
  });
  test("running [0, t) then [t, T) from the state equals running [0, T); bad options are named", () => {
    S.tidy(() => {
      const layer = new S.ALIF({ tauAdapt: 20 });
      const x = S.tensor(randomData(30 * 2 * 3, 7, 1).map((v) => v + 0.5), [30, 2, 3]);
      const whole = layer.run(x);
      const first = layer.run(S.slice(x, [0, 0, 0], [12, 2, 3]));
      const second = layer.run(S.slice(x, [12, 0, 0], [18, 2, 3]), first.final);
      assert.deepEqual(S.concat([first.spikes, second.spikes], 0).dataFloat32(), whole.spikes.dataFloat32());
    });
    assert.throws(() => S.tidy(() => void S.alifComposed(S.zeros([4, 3]), S.alifParams({}), { mem: S.zeros([2]) })), /ALIF: state\.mem must have one step's shape/);
    assert.throws(() => S.tidy(() => void S.alif(S.zeros([4, 3]), S.alifParams({}), { adapt: S.zeros([2]) })), /alif: adapt0 must have one step's shape/);
    assert.throws(() => new S.ALIF({ rho: 1 }), /ALIF: rho/);
    assert.throws(() => new S.ALIF({ rho: 0.9, tauAdapt: 5 }), /rho\/tauAdapt/);
    assert.throws(() => new S.ALIF({ gamma: -1 }), /ALIF: gamma/);
    assert.throws(() => new S.ALIF({ beta: Number.NaN }), /ALIF: beta/);
  });
});
