// Neuron layers: hand-computed sequences, the coarse-scale constants of Yanguas-Gil (2020), streaming = multi-step, learnable
// parameters and user surrogates, and the composed path against the fused kernel.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as S from "../../src/index.js";
import { assertClose, moduleGradCheck, randomData } from "../helpers.js";

/** Runs a neuron layer on a [T, 1, n] input given as rows; returns spikes and membrane as plain arrays. */
function runRows(layer: S.SpikingNeuron, rows: number[][]) {
  const T = rows.length;
  const n = rows[0].length;
  return S.tidy(() => {
    const r = layer.run(S.tensor(rows.flat(), [T, 1, n]));
    return { spikes: Array.from(r.spikes.dataFloat32()), membrane: Array.from(r.membrane.dataFloat32()) } as never;
  }) as unknown as { spikes: number[]; membrane: number[] };
}

describe("neuron layers", () => {
  test("coarse-scale constants: τ = 4 and the τ → ∞ limit (Yanguas-Gil 2020; docs/surrogate-training.md)", () => {
    const { a, b, c } = S.coarseConstants(4);
    assertClose([a, b, c], [0.7788007830714049, 0.8847968677144, 0.4608125291424], 1e-12, 0, "τ = 4");
    const big = S.coarseConstants(1e7);
    assertClose([big.a, big.b, big.c], [1, 1, 0.5], 1e-6, 0, "τ → ∞");
    assert.throws(() => S.coarseConstants(0), S.ValueError);
    // Very large τ: c stays at its limit ½ (τ(1 − b) computed directly cancels to 0 or 0.50004),
    // so the analog-input gain b/c stays finite; the series and the closed form agree where they meet.
    for (const tau of [1e12, 1e17, 1e300]) {
      const k = S.coarseConstants(tau);
      assertClose([k.a, k.b, k.c], [1, 1, 0.5], 1e-11, 0, `τ = ${tau}`);
    }
    // c = Σ_k (−x)^k/(k + 2)! with x = 1/τ, summed to 12 terms, on both sides of the switch at x = 0.01.
    for (const x of [0.0099999, 0.0100001, 0.05]) {
      let term = 0.5;
      let sum = 0;
      for (let k = 0; k < 12; k++) {
        sum += term;
        term *= -x / (k + 3);
      }
      assertClose([S.coarseConstants(1 / x).c], [sum], 1e-13, 0, `c at x = ${x}`);
    }
    const far = S.tidy(() => Array.from(new S.CoarseLIF({ tau: 1e17, analogInput: true }).run(S.full([4, 1, 1], 0.6)).membrane.dataFloat32()) as never) as unknown as number[];
    assert.ok(far.every(Number.isFinite), `membrane ${far}`);
  });

  test("b and c are the expected decays of uniformly arriving inputs (Monte Carlo of the continuous model)", () => {
    // An input at time u ∈ [0, 1) of a step decays by e^{−(1−u)/τ} until the step ends: E = b. After a
    // spike at a uniform time u₀ of the previous step, the neuron is refractory for one step length, so
    // only inputs with u > u₀ count: E[1{u > u₀}·e^{−(1−u)/τ}] = c.
    const tau = 4;
    const { b, c } = S.coarseConstants(tau);
    const rng = new S.Rng(2020);
    const n = 400_000;
    let sb = 0;
    let sbb = 0;
    let sc = 0;
    let scc = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      const w = Math.exp(-(1 - u) / tau);
      sb += w;
      sbb += w * w;
      const wc = u > rng.uniform() ? w : 0;
      sc += wc;
      scc += wc * wc;
    }
    const se = (s: number, ss: number) => Math.sqrt((ss / n - (s / n) ** 2) / n);
    assert.ok(Math.abs(sb / n - b) < 4 * se(sb, sbb), `b: Monte Carlo ${sb / n} vs ${b}`);
    assert.ok(Math.abs(sc / n - c) < 4 * se(sc, scc), `c: Monte Carlo ${sc / n} vs ${c}`);
  });

  test("CoarseLIF: v′ = (1 − s)(a·v + b·x) + s·c·x, s′ = H(v′ − 1) with H(0) = 0.5", () => {
    const { a, b, c } = S.coarseConstants(4);
    const xs = [0.6, 0.6, 0.9, 2.0, 0.3, 0.0, 1 / b];
    const r = runRows(new S.CoarseLIF(), xs.map((x) => [x]));
    let v = 0;
    let s = 0;
    const mem: number[] = [];
    const spk: number[] = [];
    for (const x of xs) {
      v = (1 - s) * (a * v + b * x) + s * c * x;
      s = v > 1 ? 1 : v === 1 ? 0.5 : 0;
      mem.push(v);
      spk.push(s);
    }
    assertClose(r.membrane, mem, 1e-6, 1e-6, "membrane");
    assert.deepEqual(r.spikes.slice(0, 6), spk.slice(0, 6));
    assert.ok(spk.includes(1), "the sequence should spike");
    // analog-input variant: v′ = (1 − s)(a·v + (b/c)·1.1x) + s·1.1x
    const ra = runRows(new S.CoarseLIF({ analogInput: true }), [[0.5], [0.5], [0.5]]);
    let va = 0;
    let sa = 0;
    const memA: number[] = [];
    for (let t = 0; t < 3; t++) {
      va = (1 - sa) * (a * va + (b / c) * 1.1 * 0.5) + sa * 1.1 * 0.5;
      sa = va > 1 ? 1 : 0;
      memA.push(va);
    }
    assertClose(ra.membrane, memA, 1e-6, 1e-6, "analog membrane");
  });

  test("LIF with tau, IF and Synaptic against hand-computed sequences", () => {
    const lif = new S.LIF({ tau: 2 });
    assert.equal(lif.beta, Math.exp(-0.5));
    const r1 = runRows(new S.IF(), [[0.4], [0.4], [0.4], [0.4]]);
    assertClose(r1.membrane, [0.4, 0.8, 1.2, 0.6], 1e-6, 0, "IF membrane");
    assert.deepEqual(r1.spikes, [0, 0, 1, 0]);
    // syn = α syn + x; m = β m + syn − s; α = β = 0.5
    const r2 = runRows(new S.Synaptic({ alpha: 0.5, beta: 0.5 }), [[1], [1], [1], [0]]);
    assertClose(r2.membrane, [1, 2, 1.75, 0.75], 1e-6, 0, "Synaptic membrane");
    assert.deepEqual(r2.spikes, [0, 1, 1, 0]);
    assert.throws(() => new S.LIF({ beta: 0.9, tau: 3 }), S.ValueError);
    assert.throws(() => new S.LIF({ threshold: -1 }), S.ValueError);
    assert.throws(() => new S.LIF({ surrogate: "nope" }), S.ValueError);
    assert.throws(() => new S.Synaptic({ alpha: 1.5 }), S.ValueError);
  });

  test("RecurrentLIF runs the surrogate it is given (a { name, param } or a user pair), not the default", () => {
    const grad = (surrogate?: S.NeuronSurrogate) =>
      S.tidy(() => {
        const layer = new S.RecurrentLIF(3, { beta: 0.8, rng: new S.Rng(4), surrogate });
        const x = S.tensor(Array.from(randomData(5 * 2 * 3, 8, 0.8)), [5, 2, 3], { requiresGrad: true });
        S.sum(layer.run(x).membrane).backward();
        const g = Array.from(x.grad!.dataFloat32());
        layer.dispose();
        return g as never;
      }) as unknown as number[];
    const byDefault = grad();
    const atan = grad({ name: "atan", param: 2 });
    const user = grad({ derivative: () => 0 });
    assert.ok(atan.some((g, i) => Math.abs(g - byDefault[i]) > 1e-6), "atan differs from fast_sigmoid");
    assert.ok(user.some((g, i) => Math.abs(g - byDefault[i]) > 1e-6), "a zero surrogate differs too");
  });

  test("RecurrentLIF: m[t] = β m[t−1] + I[t] + s[t−1]·V − θ s[t−1]", () => {
    const n = 3;
    const layer = new S.RecurrentLIF(n, { beta: 0.8, rng: new S.Rng(4) });
    layer.recurrent.storage.f32().set([0, 0.9, 0, 0, 0, 0.9, 0.9, 0, 0]);
    const xs = [[1.2, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0.5, 0]];
    const r = runRows(layer, xs);
    const V = layer.recurrent.dataFloat32();
    let m = [0, 0, 0];
    let s = [0, 0, 0];
    const mem: number[] = [];
    for (const x of xs) {
      m = m.map((mi, j) => 0.8 * mi + x[j] + s.reduce((acc, sk, k) => acc + sk * V[k * n + j], 0) - s[j]);
      s = m.map((mi) => (mi > 1 ? 1 : 0));
      mem.push(...m);
    }
    assertClose(r.membrane, mem, 1e-5, 1e-5, "recurrent membrane");
    layer.dispose();
  });

  test("step() one step at a time equals run() over the sequence", () => {
    const layers: [string, S.SpikingNeuron, number][] = [
      ["LIF", new S.LIF({ beta: 0.8, reset: "zero" }), 4],
      ["CoarseLIF", new S.CoarseLIF(), 4],
      ["Synaptic", new S.Synaptic({ alpha: 0.7, beta: 0.9 }), 4],
      ["RecurrentLIF", new S.RecurrentLIF(4, { rng: new S.Rng(5) }), 4],
    ];
    for (const [name, layer, n] of layers) {
      const T = 9;
      const x = S.tensor(randomData(T * 2 * n, 6, 1.2), [T, 2, n]);
      const whole = S.tidy(() => Array.from(layer.run(x).spikes.dataFloat32()));
      const streamed: number[] = [];
      let state: S.NeuronState | null = null;
      for (let t = 0; t < T; t++) {
        const out = layer.step(S.stepOf(x, t), state);
        streamed.push(...out.spikes.dataFloat32());
        state = out.state;
      }
      assert.deepEqual(streamed, whole, name);
      x.dispose();
    }
  });

  test("learnable β and θ: gradients against finite differences (smooth: membrane loss, no reset)", () => {
    const layer = new S.LIF({ beta: 0.7, threshold: 0.8, reset: "none", learnBeta: true, learnThreshold: true, size: [3] });
    const x = S.tensor(randomData(5 * 2 * 3, 7), [5, 2, 3], { requiresGrad: true });
    moduleGradCheck(() => layer.run(x).membrane, [["x", x], ["beta", layer.betaParam!]]);
    // θ enters a spike loss through the surrogate: ∂/∂θ Σ r·s = −Σ r·σ′(m − θ)
    const r = randomData(30, 8);
    S.tidy(() => {
      const run = layer.run(x);
      S.sum(S.mul(run.spikes, S.tensor(r, [5, 2, 3]))).backward();
      const m = run.membrane.dataFloat32();
      const expected = [0, 0, 0];
      for (let i = 0; i < 30; i++) expected[i % 3] -= r[i] * S.surrogateDerivative("fast_sigmoid", m[i] - 0.8, 25);
      assertClose(layer.thresholdParam!.grad!.dataFloat32(), expected, 1e-5, 1e-4, "threshold gradient");
    });
    x.dispose();
    layer.dispose();
  });

  test("a user surrogate pair drives the backward pass; the composed path equals the fused kernel", () => {
    const fastSigmoid: S.CustomSurrogate = { derivative: (u) => 1 / (1 + 25 * Math.abs(u)) ** 2 };
    const T = 6;
    const data = randomData(T * 2 * 5, 9, 0.9);
    const grads = (surrogate: S.NeuronSurrogate, reset: "subtract" | "zero") =>
      S.tidy(() => {
        const x = S.tensor(data, [T, 2, 5], { requiresGrad: true });
        const r = new S.LIF({ beta: 0.85, reset, surrogate }).run(x);
        S.add(S.sum(S.mul(r.spikes, S.tensor(randomData(T * 10, 10), [T, 2, 5]))), S.sum(S.mul(r.membrane, 0.1))).backward();
        const out = { s: r.spikes.dataFloat32(), g: x.grad!.dataFloat32() };
        x.dispose();
        return out as never;
      }) as unknown as { s: Float32Array; g: Float32Array };
    for (const reset of ["subtract", "zero"] as const) {
      const fused = grads("fast_sigmoid", reset);
      const custom = grads(fastSigmoid, reset);
      assert.deepEqual(custom.s, fused.s, `spikes (${reset})`);
      assertClose(custom.g, fused.g, 1e-4, 1e-4, `input gradient (${reset})`);
    }
    // With σ′ ≡ 0 only the membrane term 0.1·Σ m acts: ∂L/∂I[t] = 0.1·Σ_{k ≥ t} β^{k−t}.
    const flat = grads({ derivative: () => 0 }, "subtract");
    const expected = Array.from({ length: T * 10 }, (_, i) => {
      const t = Math.floor(i / 10);
      let acc = 0;
      for (let k = t; k < T; k++) acc += 0.1 * 0.85 ** (k - t);
      return acc;
    });
    assertClose(flat.g, expected, 1e-5, 1e-5, "gradient with a zero user derivative");
  });

  test("the fused kernel's gains: gradients through a no-reset coarse membrane match finite differences", () => {
    // reset "none" makes the membrane smooth in the input, so central differences apply.
    const x = S.tensor(randomData(4 * 6, 11), [4, 6], { requiresGrad: true });
    moduleGradCheck(() => S.lif(x, { beta: 0.7, reset: "none", inputGain: 0.88 }).membrane, [["x", x]]);
    x.dispose();
  });
});
