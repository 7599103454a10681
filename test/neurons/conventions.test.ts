// LIF conventions of snnTorch (≤ 0.7 and ≥ 0.8) and Norse, reachable from the LIF and Synaptic modules:
// forward passes against the equations written out here in float64, and gradients against the same
// equations written with autograd ops (detached where the convention detaches).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as S from "../../src/index.js";
import { assertClose, randomData } from "../helpers.js";

const T = 30;
const N = 8;
const beta = 0.8;
const theta = 1;

/** Input currents [T][N] that make the neurons fire now and then (some steps far above threshold). */
function currents(seed: number, scale = 1): number[][] {
  const d = randomData(T * N, seed, 0.9);
  return Array.from({ length: T }, (_, t) => Array.from({ length: N }, (_, n) => Math.fround(scale * (0.4 + d[t * N + n]))));
}
/** Norse integrates (1 − β)·I: currents scaled up to fire as often. */
const scaleFor = (convention: S.LifConvention) => (convention === "norse" ? 1 / (1 - beta) : 1);

/** The conventions' LIF steps in float64 (u: membrane before reset; s′ from the previous step). */
function reference(x: number[][], convention: S.LifConvention, reset: "zero" | "subtract") {
  const H = (v: number) => (v > 0 ? 1 : 0);
  const spikes: number[] = [];
  const membrane: number[] = [];
  const u = new Array(N).fill(0);
  const s = new Array(N).fill(0);
  for (let t = 0; t < T; t++)
    for (let n = 0; n < N; n++) {
      const I = x[t][n];
      if (convention === "norse") {
        // u = βm′ + (1 − β)I with m′ the membrane after the previous reset; reset within the step.
        const v = beta * u[n] + (1 - beta) * I;
        s[n] = H(v - theta);
        u[n] = v * (1 - s[n]); // m, returned and carried
      } else {
        if (reset === "subtract") u[n] = beta * u[n] + I - theta * s[n];
        else if (convention === "snntorch") u[n] = beta * u[n] * (1 - s[n]) + I; // snnTorch ≥ 0.8
        else u[n] = (beta * u[n] + I) * (1 - s[n]); // snnkit, snnTorch ≤ 0.7
        s[n] = H(u[n] - theta);
      }
      spikes.push(s[n]);
      membrane.push(u[n]);
    }
  return { spikes, membrane };
}

function runLayer(layer: S.SpikingNeuron, x: number[][]) {
  return S.tidy(() => {
    const r = layer.run(S.tensor(x.flat(), [T, 1, N]));
    return { spikes: Array.from(r.spikes.dataFloat32()), membrane: Array.from(r.membrane.dataFloat32()) } as never;
  }) as unknown as { spikes: number[]; membrane: number[] };
}

/** dL/dx for L = Σ w·membrane + Σ w'·spikes, through the layer. */
function layerGrad(layer: S.SpikingNeuron, x: number[][], seed: number): number[] {
  const xt = S.tensor(x.flat(), [T, 1, N], { requiresGrad: true });
  S.tidy(() => {
    const r = layer.run(xt);
    const wm = S.tensor(Array.from(randomData(T * N, seed)), [T, 1, N]);
    const ws = S.tensor(Array.from(randomData(T * N, seed + 1)), [T, 1, N]);
    S.add(S.sum(S.mul(r.membrane, wm)), S.sum(S.mul(r.spikes, ws))).backward();
  });
  const g = Array.from(xt.grad!.dataFloat32());
  xt.dispose();
  return g;
}

/** The same gradient from the convention's equations written with autograd ops. */
function equationGrad(x: number[][], convention: S.LifConvention, reset: "zero" | "subtract", surrogate: S.NeuronSurrogate, seed: number): number[] {
  const xt = S.tensor(x.flat(), [T, 1, N], { requiresGrad: true });
  S.tidy(() => {
    const H = (v: S.Tensor) => S.spikeFunction(S.sub(v, theta), surrogate, 0);
    const detachReset = convention === "snntorch" || convention === "snntorch-0.7";
    let u: S.Tensor = S.zeros([1, N]);
    let s: S.Tensor = S.zeros([1, N]);
    const us: S.Tensor[] = [];
    const ss: S.Tensor[] = [];
    for (let t = 0; t < T; t++) {
      const I = S.reshape(S.slice(xt, [t, 0, 0], [1, -1, -1]), [1, N]);
      const sr = detachReset ? S.detach(s) : s;
      if (convention === "norse") {
        const v = S.add(S.mul(u, beta), S.mul(I, 1 - beta));
        s = H(v);
        u = S.mul(v, S.sub(1, s));
      } else {
        if (reset === "subtract") u = S.sub(S.add(S.mul(u, beta), I), S.mul(sr, theta));
        else if (convention === "snntorch") u = S.add(S.mul(S.mul(u, beta), S.sub(1, sr)), I);
        else u = S.mul(S.add(S.mul(u, beta), I), S.sub(1, sr));
        s = H(u);
      }
      us.push(u);
      ss.push(s);
    }
    const wm = S.tensor(Array.from(randomData(T * N, seed)), [T, 1, N]);
    const ws = S.tensor(Array.from(randomData(T * N, seed + 1)), [T, 1, N]);
    const m = S.reshape(S.stack(us), [T, 1, N]);
    const sp = S.reshape(S.stack(ss), [T, 1, N]);
    S.add(S.sum(S.mul(m, wm)), S.sum(S.mul(sp, ws))).backward();
  });
  const g = Array.from(xt.grad!.dataFloat32());
  xt.dispose();
  return g;
}

describe("LIF conventions (snnTorch ≤ 0.7, ≥ 0.8, Norse)", () => {
  const cases: [S.LifConvention, "zero" | "subtract"][] = [
    ["snnkit", "zero"],
    ["snnkit", "subtract"],
    ["snntorch-0.7", "zero"],
    ["snntorch", "zero"],
    ["snntorch", "subtract"],
    ["norse", "zero"],
  ];

  test("forward: spikes and membranes equal the written-out equations", () => {
    cases.forEach(([convention, reset], k) => {
      const x = currents(10 + k, scaleFor(convention));
      const want = reference(x, convention, reset);
      const got = runLayer(new S.LIF({ beta, threshold: theta, reset, convention }), x);
      assert.ok(want.spikes.some((v) => v === 1), "the case fires");
      assert.deepEqual(got.spikes, want.spikes, `${convention}, ${reset}: spikes`);
      assertClose(got.membrane, want.membrane, 2e-5, 2e-5, `${convention}, ${reset}: membrane`);
    });
    // Norse's spikes are snnTorch ≥ 0.8's on currents scaled by its input gain 1 − β.
    const x = currents(3, scaleFor("norse"));
    const scaled = x.map((row) => row.map((v) => (1 - beta) * v));
    assert.deepEqual(reference(x, "norse", "zero").spikes, reference(scaled, "snntorch", "zero").spikes);
  });

  test("gradients: the fused layer equals the convention's equations through autograd (detached resets where they detach)", () => {
    cases.forEach(([convention, reset], k) => {
      const x = currents(20 + k, scaleFor(convention));
      const layer = new S.LIF({ beta, threshold: theta, reset, convention });
      const got = layerGrad(layer, x, 40 + k);
      const want = equationGrad(x, convention, reset, layer.surrogate, 40 + k);
      assertClose(got, want, 1e-4, 1e-3, `${convention}, ${reset}: dL/dx`);
    });
    // The conventions differ in their gradients: snnkit keeps the reset in the graph, snnTorch detaches it.
    const x = currents(5);
    const ours = layerGrad(new S.LIF({ beta, reset: "subtract", surrogate: { name: "atan", param: 2 } }), x, 7);
    const theirs = layerGrad(new S.LIF({ beta, reset: "subtract", convention: "snntorch" }), x, 7);
    assert.ok(ours.some((g, i) => Math.abs(g - theirs[i]) > 1e-3), "detaching the reset changes the gradient");
  });

  test("defaults and conflicts: surrogates per convention, Norse's Euler τ, and errors naming the option", () => {
    assert.deepEqual(new S.LIF({ convention: "snntorch" }).surrogate, { name: "atan", param: 2 });
    assert.equal(new S.LIF({ convention: "snntorch" }).detachReset, true);
    assert.equal(new S.LIF({ convention: "norse" }).beta, 0.9);
    assert.equal(new S.LIF({ convention: "norse", tau: 20 }).beta, 1 - 1 / 20);
    assert.equal(new S.LIF({ tau: 20 }).beta, Math.exp(-1 / 20));
    assert.throws(() => new S.LIF({ convention: "brian" as never }), /LIF: convention/);
    assert.throws(() => new S.LIF({ convention: "norse", reset: "subtract" }), /LIF: reset.*norse/);
    assert.throws(() => new S.LIF({ convention: "snntorch", detachReset: false }), /LIF: detachReset/);
    assert.throws(() => new S.LIF({ convention: "norse", learnBeta: true }), /LIF: learnBeta/);
  });

  test("Synaptic: snnTorch ≥ 0.8 and Norse's current-based LIF against their equations; step = run", () => {
    const x = currents(31);
    const alpha = 0.7;
    for (const convention of ["snntorch", "norse"] as const) {
      const layer = new S.Synaptic({ alpha, beta, threshold: theta, reset: "zero", convention });
      const got = runLayer(layer, x);
      const spikes: number[] = [];
      const membrane: number[] = [];
      const syn = new Array(N).fill(0);
      const u = new Array(N).fill(0);
      const s = new Array(N).fill(0);
      for (let t = 0; t < T; t++)
        for (let n = 0; n < N; n++) {
          if (convention === "norse") {
            // Norse: v uses the current of the previous step; then the current decays and takes the input.
            const v = beta * u[n] + (1 - beta) * syn[n];
            s[n] = v > theta ? 1 : 0;
            u[n] = v * (1 - s[n]);
            syn[n] = alpha * syn[n] + x[t][n];
          } else {
            syn[n] = alpha * syn[n] + x[t][n];
            u[n] = beta * u[n] * (1 - s[n]) + syn[n];
            s[n] = u[n] > theta ? 1 : 0;
          }
          spikes.push(s[n]);
          membrane.push(u[n]);
        }
      assert.ok(spikes.some((v) => v === 1));
      assert.deepEqual(got.spikes, spikes, `${convention}: spikes`);
      assertClose(got.membrane, membrane, 5e-5, 5e-5, `${convention}: membrane`);
      // Streaming one step at a time gives the same sequence.
      const streamed = S.tidy(() => {
        let state: S.NeuronState | null = null;
        const out: number[] = [];
        for (let t = 0; t < T; t++) {
          const r = layer.step(S.tensor(x[t], [1, N]), state);
          state = r.state;
          out.push(...r.spikes.dataFloat32());
        }
        return out as never;
      }) as unknown as number[];
      assert.deepEqual(streamed, spikes, `${convention}: step = run`);
    }
    assert.equal(new S.Synaptic({ convention: "norse" }).alpha, 0.8);
  });
});
