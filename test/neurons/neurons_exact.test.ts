// The neuron layers to their edges: every option reaching the recurrence, every argument at its
// boundary, H(0) = h0, the paths a layer takes (fused, composed, noisy, expected), the state a run starts
// from, and the errors of wrong shapes (written from the mutants that survived mutation testing).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as S from "../../src/index.js";
import { assertClose, caught } from "../helpers.js";

/** Spikes and membrane of a layer's run on a [T, 1, n] input, as plain arrays. */
function runOf(layer: S.SpikingNeuron, data: number[], shape: number[], initial: S.NeuronState | null = null) {
  return S.tidy(() => {
    const r = layer.run(S.tensor(data, shape), initial);
    return { spikes: Array.from(r.spikes.dataFloat32()), membrane: Array.from(r.membrane.dataFloat32()) } as never;
  }) as unknown as { spikes: number[]; membrane: number[] };
}

describe("neuron layers to their edges", () => {
  test.before(() => S.setBackend("js"));

  test("CoarseLIF passes every option to the recurrence, and its defaults are the paper's", () => {
    const d = new S.CoarseLIF();
    assert.equal(d.threshold, 1);
    assert.equal(d.detachReset, false);
    assert.equal(d.h0, 0.5);
    assert.equal(d.analogInput, false);
    assert.deepEqual(d.surrogate, { name: "sigmoid", param: 5 });
    const o = new S.CoarseLIF({ threshold: 2, detachReset: true, h0: 1, surrogate: { name: "atan", param: 2 } });
    assert.equal(o.threshold, 2);
    assert.equal(o.detachReset, true);
    assert.equal(o.h0, 1);
    assert.deepEqual(o.surrogate, { name: "atan", param: 2 });
    assert.equal(new S.CoarseLIF({ analogInput: true }).analogInput, true);
    // With noise the surrogate is the noise density, not the sigmoid.
    const noisy = new S.CoarseLIF({ noise: "gaussian:0.3", seed: 1 });
    assert.notDeepEqual(noisy.surrogate, { name: "sigmoid", param: 5 });
    // Written out, τ = 4, θ = 2: v′ = (1 − s)(a·v + b·x) + s·c·x, s′ = H(v′ − θ), H(0) = h0.
    const { a, b, c } = S.coarseConstants(4);
    const x = [1.5, 1.5, 1.5, 1.5];
    let v = 0;
    let s = 0;
    const vs: number[] = [];
    const ss: number[] = [];
    for (const xi of x) {
      v = (1 - s) * (a * v + b * xi) + s * c * xi;
      s = v > 2 ? 1 : 0;
      vs.push(v);
      ss.push(s);
    }
    const r = runOf(o, x, [4, 1, 1]);
    assert.deepEqual(r.spikes, ss);
    assertClose(r.membrane, vs, 1e-6, 1e-6, "coarse membrane at θ = 2");
  });

  test("H(0) = h0 on every path: the fused kernel, a built-in surrogate composed, a user surrogate without a forward", () => {
    for (const h0 of [0, 0.5, 1]) {
      const u = S.tensor([-1, 0, 1], [3]);
      const builtin = S.tidy(() => Array.from(S.spikeFunction(u, { name: "sigmoid", param: 5 }, h0).dataFloat32()));
      const custom = S.tidy(() => Array.from(S.spikeFunction(u, { derivative: () => 1 }, h0).dataFloat32()));
      assert.deepEqual(builtin, [0, h0, 1], `built-in, h0 = ${h0}`);
      assert.deepEqual(custom, [0, h0, 1], `custom, h0 = ${h0}`);
      // A membrane exactly at the threshold (1 + 0 with β = 0.5, θ = 1).
      const fused = runOf(new S.LIF({ beta: 0.5, h0 }), [1, 0], [2, 1, 1]);
      assert.equal(fused.spikes[0], h0, `fused, h0 = ${h0}`);
    }
  });

  test("learning β alone, θ alone, or a user surrogate alone each takes the differentiable path", () => {
    const x = [0.6, 0.9, 0.3, 1.2, 0.8];
    for (const which of ["beta", "threshold"] as const) {
      const layer = new S.LIF(which === "beta" ? { learnBeta: true, beta: 0.8 } : { learnThreshold: true, threshold: 0.9 });
      S.tidy(() => {
        S.sum(layer.run(S.tensor(x, [5, 1, 1])).membrane).backward();
      });
      const p = which === "beta" ? layer.betaParam! : layer.thresholdParam!;
      assert.ok(p.grad !== null && p.grad !== undefined, `${which}: a gradient`);
      assert.ok(Math.abs(p.grad.dataFloat32()[0]) > 1e-3, `${which}: gradient ${p.grad.dataFloat32()[0]}`);
    }
    // A user surrogate's derivative (a constant 7) is the one the backward pass uses: one step, ∂s/∂x = 7.
    const layer = new S.LIF({ beta: 0.5, surrogate: { derivative: () => 7 } });
    const xt = S.tensor([0.4], [1, 1, 1], { requiresGrad: true });
    S.tidy(() => {
      S.sum(layer.run(xt).spikes).backward();
    });
    assert.equal(xt.grad!.dataFloat32()[0], 7);
  });

  test("an unseeded noisy layer draws from the global generator", () => {
    const draw = (seed: number) => {
      S.manualSeed(seed);
      return runOf(new S.LIF({ noise: "gaussian:1" }), [1, 1, 1, 1, 1, 1, 1, 1], [8, 1, 1]).spikes.join("");
    };
    assert.equal(draw(5), draw(5));
    const others = [6, 7, 8, 9].map(draw);
    assert.ok(others.some((s) => s !== draw(5)), "reseeding the global generator changes the draws");
  });

  test("option checks: each condition alone, each bound accepted at its value and rejected past it", () => {
    // Generator, seed, eval mode and injection are for noisy layers only, each one alone.
    assert.throws(() => new S.LIF({ rng: new S.Rng(1) }), S.ValueError);
    assert.throws(() => new S.LIF({ seed: 1 }), S.ValueError);
    assert.throws(() => new S.LIF({ evalMode: "expected" }), S.ValueError);
    assert.throws(() => new S.LIF({ injection: "escape" }), S.ValueError);
    assert.throws(() => new S.LIF({ noise: "gaussian:1", injection: "nowhere" as S.NoiseInjection }), /injection/);
    const both = caught(() => new S.LIF({ noise: "gaussian:1", rng: new S.Rng(1), seed: 4 }), S.ValueError);
    assert.deepEqual(both.given, [4]);
    const betaTau = caught(() => S.lifParams({ beta: 0.5, tau: 3 }), S.ValueError);
    assert.deepEqual(betaTau.given, [0.5, 3]);
    const learnBeta = caught(() => S.lifParams({ convention: "norse", learnBeta: true }), S.ValueError);
    assert.equal(learnBeta.given, true);
    // β ∈ [0, 1]; τ ∈ (0, 1e12] steps (τ ≥ 1 under Norse's Euler rule); θ > 0; h0 ∈ [0, 1].
    for (const beta of [0, 1]) assert.equal(S.lifParams({ beta }).beta, beta);
    for (const beta of [-1e-9, 1 + 1e-9]) assert.throws(() => S.lifParams({ beta }), /beta/);
    assert.equal(S.lifParams({ convention: "norse", tau: 1 }).beta, 0);
    assert.throws(() => S.lifParams({ convention: "norse", tau: 0.999 }), /tau/);
    assert.equal(S.lifParams({ tau: 1e12 }).beta, Math.exp(-1e-12));
    for (const tau of [0, -1, 1.0000001e12]) assert.throws(() => S.lifParams({ tau }), /tau/);
    assert.throws(() => S.lifParams({ threshold: 0 }), /threshold/);
    for (const h0 of [0, 1]) assert.equal(S.lifParams({ h0 }).h0, h0);
    for (const h0 of [-1e-9, 1 + 1e-9]) assert.throws(() => S.lifParams({ h0 }), /h0/);
    // A convention's fixed detachReset may be restated; only the other value is refused.
    const rule = S.lifParams({ convention: "norse" }).rules.detachReset;
    assert.notEqual(rule, null);
    assert.equal(S.lifParams({ convention: "norse", detachReset: rule! }).detachReset, rule);
    assert.throws(() => S.lifParams({ convention: "norse", detachReset: !rule }), /detachReset/);
    // Synaptic α ∈ [0, 1].
    for (const alpha of [0, 1]) assert.equal(new S.Synaptic({ alpha }).alpha, alpha);
    for (const alpha of [-1e-9, 1 + 1e-9]) assert.throws(() => new S.Synaptic({ alpha }), /alpha/);
    // IF keeps its options (β = 1 is its own).
    const iff = new S.IF({ threshold: 2, reset: "zero" });
    assert.equal(iff.threshold, 2);
    assert.equal(iff.reset, "zero");
    assert.equal(iff.beta, 1);
  });

  test("a learnable β or θ without a size is one number ([1])", () => {
    const layer = new S.LIF({ learnBeta: true, learnThreshold: true });
    assert.deepEqual(layer.betaParam!.shape, [1]);
    assert.deepEqual(layer.thresholdParam!.shape, [1]);
  });

  test("wrong shapes name the shapes, on the fused and the composed path", () => {
    for (const surrogate of [undefined, { derivative: () => 1 }]) {
      const e = caught(() => S.lif(S.tensor([1, 2, 3], [3]), { surrogate }), S.ShapeError);
      assert.deepEqual(e.shapes, [[3]]);
      const n = caught(() => S.lif(S.zeros([3, 2]), { surrogate }, null, {}, S.zeros([3, 1])), S.ShapeError);
      assert.match(n.message, /noise must have the shape of the input/);
      assert.deepEqual(n.shapes, [[3, 1], [3, 2]]);
    }
    const m = caught(() => S.lif(S.zeros([3, 2]), {}, { mem: S.zeros([3]) }), S.ShapeError);
    assert.match(m.message, /mem0 must have the shape of one step of the input/);
    assert.deepEqual(m.shapes, [[3], [3, 2]]);
    const rec = new S.RecurrentLIF(3, { rng: new S.Rng(1) });
    for (const shape of [[2, 3], [2, 1, 4]]) {
      const e = caught(() => rec.run(S.zeros(shape)), S.ShapeError);
      assert.deepEqual(e.shapes, [shape]);
    }
    // Rank 4 with the right size in its third place is still not [T, B, n].
    assert.deepEqual(caught(() => rec.run(S.zeros([2, 1, 3, 1])), S.ShapeError).shapes, [[2, 1, 3, 1]]);
    const empty = caught(() => rec.run(S.zeros([0, 1, 3])), S.ShapeError);
    assert.match(empty.message, /at least one time step/);
    assert.deepEqual(empty.shapes, [[0, 1, 3]]);
  });

  test("the fused kernel refuses a start on another backend", () => {
    const x = S.zeros([2, 1], { backend: S.backendByName("js") });
    const mem = S.zeros([1], { backend: S.backendByName("wasm") });
    assert.throws(() => S.lif(x, {}, { mem }), S.BackendError);
  });

  test("a noisy layer in expected mode continues from the state it is given; training mode draws", () => {
    const x = [0.9, 0.4, 1.3, 0.2, 0.7, 1.1];
    const layer = new S.LIF({ noise: "logistic:0.3", beta: 0.5, seed: 1, evalMode: "expected" }).eval();
    const whole = runOf(layer, x, [6, 1, 1]);
    const first = S.tidy(() => {
      const r = layer.run(S.tensor(x.slice(0, 3), [3, 1, 1]));
      return { mem: S.keep(r.final.mem!), spk: S.keep(r.final.spk!) } as never;
    }) as unknown as S.NeuronState;
    const rest = runOf(layer, x.slice(3), [3, 1, 1], first);
    assertClose(rest.spikes, whole.spikes.slice(3), 1e-6, 1e-6, "expected spikes continued");
    assertClose(rest.membrane, whole.membrane.slice(3), 1e-6, 1e-6, "membrane continued");
    // Expected spikes are probabilities strictly between 0 and 1; in training mode the layer draws 0s and 1s.
    assert.ok(whole.spikes.every((s) => s > 0 && s < 1), `expected ${whole.spikes}`);
    layer.train();
    const drawn = runOf(layer, x, [6, 1, 1]);
    assert.ok(drawn.spikes.every((s) => s === 0 || s === 1), `drawn ${drawn.spikes}`);
    // evalMode "sample" draws in evaluation too.
    const sampling = new S.LIF({ noise: "logistic:0.3", beta: 0.5, seed: 1 }).eval();
    assert.ok(runOf(sampling, x, [6, 1, 1]).spikes.every((s) => s === 0 || s === 1));
  });

  test("a noisy layer runs on its input's backend, not the default one", () => {
    S.setBackend("js");
    const layer = new S.LIF({ noise: "gaussian:0.2", seed: 3 });
    const wasm = S.backendByName("wasm");
    const spikes = S.tidy(() => {
      const r = layer.run(S.tensor([0.9, 0.9, 0.9], [3, 1, 1], { backend: wasm }));
      assert.equal(r.spikes.backend, wasm);
      return Array.from(r.spikes.dataFloat32());
    });
    assert.equal(spikes.length, 3);
  });

  test("a noisy Synaptic layer follows train() and eval(), and continues from a state with its spikes", () => {
    // Expected mode: the spike of the state enters the subtract reset of the first step.
    const layer = new S.Synaptic({ alpha: 0.5, beta: 0.5, noise: "logistic:0.3", seed: 1, evalMode: "expected" }).eval();
    const x = [0.4, 0.9, 0.2, 0.6];
    const whole = runOf(layer, x, [4, 1, 1]);
    const first = S.tidy(() => {
      const r = layer.run(S.tensor(x.slice(0, 2), [2, 1, 1]));
      return { mem: S.keep(r.final.mem!), spk: S.keep(r.final.spk!), syn: S.keep(r.final.syn!) } as never;
    }) as unknown as S.NeuronState;
    assert.ok(whole.spikes.every((v) => v > 0 && v < 1), `expected spikes are probabilities: ${whole.spikes}`);
    assert.ok(first.spk!.dataFloat32()[0] > 0.01, "the state carries a spike probability");
    const rest = runOf(layer, x.slice(2), [2, 1, 1], first);
    assertClose(rest.membrane, whole.membrane.slice(2), 1e-6, 1e-6, "membrane continued");
    assertClose(rest.spikes, whole.spikes.slice(2), 1e-6, 1e-6, "spikes continued");
  });

  test("forward returns the spikes, or the membrane when asked", () => {
    const layer = new S.LIF({ beta: 0.5 });
    const spikes = S.tidy(() => Array.from(layer.forward(S.tensor([0.4, 0.9], [2, 1, 1])).dataFloat32()));
    assert.deepEqual(spikes, [0, 1]);
    layer.output = "membrane";
    const m = S.tidy(() => Array.from(layer.forward(S.tensor([0.4, 0.4], [2, 1, 1])).dataFloat32()));
    assertClose(m, [0.4, 0.6], 1e-6, 0, "membrane output");
  });

  test("Synaptic under Norse's convention with one step, and from a given state", () => {
    // Norse: m[t] = β m[t−1] + (1 − β) syn[t−1], with syn[−1] the initial current.
    const layer = new S.Synaptic({ convention: "norse", alpha: 0.8, beta: 0.9 });
    const one = runOf(layer, [5], [1, 1, 1], { syn: S.tensor([2], [1, 1]), mem: S.tensor([0.5], [1, 1]) });
    assertClose(one.membrane, [0.9 * 0.5 + 0.1 * 2], 1e-6, 0, "one step from syn = 2, mem = 0.5");
    // snnkit convention from a given membrane and spike: m[0] = β m + syn[0] − θ s.
    const plain = new S.Synaptic({ alpha: 0.5, beta: 0.5 });
    // syn = 0.2, 0.3; m[0] = 0.5·1.2 + 0.2 − 1 = −0.2 (the state's spike H(1.2 − 1) = 1), m[1] = −0.1 + 0.3.
    const r = runOf(plain, [0.2, 0.2], [2, 1, 1], { mem: S.tensor([1.2], [1, 1]), spk: S.tensor([1], [1, 1]) });
    assertClose(r.membrane, [-0.2, 0.2], 1e-6, 1e-6, "from mem 1.2, spike 1");
  });
});
