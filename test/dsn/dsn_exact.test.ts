// The Deep Spiking Networks core to its edges: every argument at its boundary, disposed networks, the
// random-shift starts draw by draw, the carried state's shape and round trip, the spike limit exactly at
// its value, networks that widen from layer to layer or spike hundreds of times a step against the second
// implementation, the readout's work, and the ReLU baseline's step written out (dead units included).
import assert from "node:assert/strict";
import { test } from "node:test";
import { herdCounts, herdingStep, HerdingQuantizer } from "../../src/dsn/herding.js";
import { ReluMlp } from "../../src/dsn/relu_mlp.js";
import { denseMultiplyAdds, initialWeights, SpikingMlp } from "../../src/dsn/spiking_mlp.js";
import { backendByName, DivergenceError, LimitError, Rng } from "../../src/index.js";
import { referenceMlp, referenceTrainSample } from "./reference_mlp.js";
import { throwsValueError } from "../helpers.js";

const w32 = (a: number[]) => Float32Array.from(a);

test("every argument of the spiking MLP, the ReLU MLP and the herders to its boundary", () => {
  const sizes = [2, 3, 2];
  const w = initialWeights(sizes, new Rng(1));
  const ok = (o: ConstructorParameters<typeof SpikingMlp>[2]) => new SpikingMlp(sizes, w, o).dispose();
  for (const steps of [1, 1e6]) ok({ steps });
  for (const steps of [0, 1e6 + 1, 2.5]) throwsValueError(() => new SpikingMlp(sizes, w, { steps }), /steps/);
  for (const eta of [0, 1000]) {
    ok({ eta });
    new ReluMlp(sizes, w, eta).dispose();
  }
  for (const eta of [-1e-9, 1000.001, Number.NaN]) {
    throwsValueError(() => new SpikingMlp(sizes, w, { eta }), /eta/);
    throwsValueError(() => new ReluMlp(sizes, w, eta), /eta/);
  }
  ok({ maxSpikesPerStep: 1 });
  for (const m of [0, 2.5]) throwsValueError(() => new SpikingMlp(sizes, w, { maxSpikesPerStep: m }), /maxSpikesPerStep/);
  throwsValueError(() => new SpikingMlp(sizes, w, { forwardStart: "sometimes" as never }), /forwardStart/);
  throwsValueError(() => new SpikingMlp(sizes, w, { backwardStart: "sometimes" as never }), /backwardStart/);
  throwsValueError(() => new ReluMlp(sizes, w, 0.1, { loss: "cubic" as never }), /loss/);
  // Shapes: sizes in [1, 2^20], one matrix per layer of sizes[l]·sizes[l+1] finite values.
  SpikingMlp.create([1, 1]).dispose();
  throwsValueError(() => SpikingMlp.create([0, 2]), /sizes\[0\]/);
  throwsValueError(() => SpikingMlp.create([2, (1 << 20) + 1]), /sizes\[1\]/);
  throwsValueError(() => SpikingMlp.create([3]), /layer sizes/);
  throwsValueError(() => new SpikingMlp(sizes, [w[0]]), /weights.*2 matrices/);
  throwsValueError(() => new SpikingMlp(sizes, [w[0], new Float32Array(5)]), /weights\[1\].*3×2 = 6 values/);
  throwsValueError(() => new ReluMlp(sizes, [w32([Number.NaN, 0, 0, 0, 0, 0]), w[1]], 0.1), /weights\[0\]\[0\]/);
  // Samples: x of sizes[0] finite values, a label in [0, classes).
  for (const net of [new SpikingMlp(sizes, w), new ReluMlp(sizes, w, 0.1)]) {
    net.trainSample([0.5, 0.5], 1);
    for (const label of [-1, 2, 0.5]) throwsValueError(() => net.trainSample([0.5, 0.5], label), /label/);
    throwsValueError(() => net.trainSample([0.5], 0), /x.*2 values/);
    throwsValueError(() => net.trainSample([0.5, Number.NaN], 0), /x\[1\]/);
    net.dispose();
    net.dispose();
    throwsValueError(() => net.weights(), /disposed/);
    throwsValueError(() => net.trainSample([0.5, 0.5], 0), /disposed/);
    throwsValueError(() => net.predict([0.5, 0.5]), /disposed/);
  }
  // A loss that overflows stops the ReLU MLP before its update.
  const huge = w.map((m) => m.map((v) => Math.abs(v) * 1e10 + 1e10));
  const loud = new ReluMlp(sizes, huge, 0.1);
  assert.throws(() => loud.trainSample([1e30, 1e30], 0), DivergenceError);
  assert.deepEqual(loud.weights(), huge);
  loud.dispose();
  // Herders: at least one unit, a known start, a generator for random shifts, steps ≥ 0.
  new HerdingQuantizer(1, { signed: true });
  throwsValueError(() => new HerdingQuantizer(0, { signed: true }), /size/);
  throwsValueError(() => new HerdingQuantizer(2, { signed: true, start: "sometimes" as never }), /start/);
  assert.deepEqual(Array.from(herdCounts([0.7], 0, { signed: true })), [0]);
  throwsValueError(() => herdCounts([0.7], -1, { signed: true }), /steps/);
  // One step may emit at most 2^24 spikes: a unit at exactly 2^24 is allowed, one more is not.
  assert.equal(herdingStep([0], [2 ** 24], { signed: false }).spikes.length, 2 ** 24);
  assert.throws(() => herdingStep([0], [2 ** 24 + 1], { signed: false }), LimitError);
});

test("random-shift starts draw φ from U(−½, ½) in unit order: the quantizer's and the spiking MLP's backward herders", () => {
  const rng = new Rng(5);
  const q = new HerdingQuantizer(4, { signed: true, start: "random-shift", rng: new Rng(5) });
  const first = Array.from({ length: 4 }, () => rng.uniform() - 0.5);
  assert.deepEqual(Array.from(q.state), first);
  q.startSample();
  assert.deepEqual(Array.from(q.state), Array.from({ length: 4 }, () => rng.uniform() - 0.5));
  const sizes = [2, 3, 4, 2];
  const net = new SpikingMlp(sizes, initialWeights(sizes, new Rng(1)), { backwardStart: "random-shift", rng: new Rng(9) });
  const draws = new Rng(9);
  const { herders } = net.carriedState();
  // Forward herders first (at 0), then the backward herders of layers 1 and 2 (none on the input layer).
  assert.deepEqual(herders.map((h) => h.length), [3, 4, 2, 3, 4]);
  for (const h of herders.slice(0, 3)) assert.ok(h.every((v) => v === 0));
  assert.deepEqual(Array.from(herders[3]), Array.from({ length: 3 }, () => Math.fround(draws.uniform() - 0.5)));
  assert.deepEqual(Array.from(herders[4]), Array.from({ length: 4 }, () => Math.fround(draws.uniform() - 0.5)));
  net.dispose();
});

test("the carried state round-trips: a network restored from it trains on exactly as the original", () => {
  const sizes = [6, 5, 3];
  const rng = new Rng(2);
  const xs = Array.from({ length: 5 }, () => Array.from({ length: 6 }, () => rng.uniform()));
  const a = new SpikingMlp(sizes, initialWeights(sizes, new Rng(3), 0.5), { forwardStart: "noreset", backwardStart: "random-shift", rng: new Rng(4) });
  a.trainSample(xs[0], 0);
  a.trainSample(xs[1], 2);
  const saved = a.carriedState();
  const b = new SpikingMlp(sizes, a.weights(), { forwardStart: "noreset", backwardStart: "random-shift", rng: new Rng(99) });
  b.restoreCarriedState(saved);
  for (const [k, x] of xs.slice(2).entries()) assert.deepEqual(b.trainSample(x, k % 3), a.trainSample(x, k % 3));
  assert.deepEqual(b.weights(), a.weights());
  throwsValueError(() => b.restoreCarriedState({ herders: saved.herders.slice(1), rng: saved.rng }), /herder states.*3 arrays/);
  throwsValueError(() => b.restoreCarriedState({ herders: [...saved.herders, new Float32Array(1)], rng: saved.rng }), /herder states.*3 arrays/);
  throwsValueError(() => b.restoreCarriedState({ herders: [saved.herders[0], new Float32Array(2), saved.herders[2]], rng: saved.rng }), /herder states\[1\]/);
  a.dispose();
  b.dispose();
});

test("the spike limit is exact: a step of exactly maxSpikesPerStep spikes runs, one more stops (lists of 10 and of 100)", () => {
  for (const limit of [10, 100]) {
    const net = new SpikingMlp([1, 1], [w32([0.001])], { steps: 1, maxSpikesPerStep: limit });
    // The input herder turns x = n into n spikes in one step.
    net.trainSample([limit], 0);
    assert.throws(() => net.trainSample([limit + 1], 0), LimitError);
    net.dispose();
  }
});

test("against the second implementation: a network that widens layer by layer, and one that spikes hundreds of times a step", () => {
  const rng = new Rng(21);
  const wide = [3, 5, 8, 4];
  const loud = [4, 6, 3];
  for (const [sizes, scale, steps] of [
    [wide, 0.6, 5],
    [loud, 16, 4],
  ] as const)
    for (const update of ["outer", "fractional"] as const)
      for (const backend of ["js", "wasm"] as const) {
        const weights = sizes.slice(1).map((n, l) => Float32Array.from({ length: sizes[l] * n }, () => Math.fround(scale * (rng.uniform() - 0.3))));
        const net = new SpikingMlp(sizes, weights, { steps, eta: 0.002, update, backend: backendByName(backend) });
        const ref = referenceMlp([...sizes], weights);
        let most = 0;
        for (let i = 0; i < 6; i++) {
          const x = Array.from({ length: sizes[0] }, () => Math.fround(rng.uniform()));
          const label = i % sizes[sizes.length - 1];
          const got = net.trainSample(x, label);
          assert.deepEqual(got, referenceTrainSample(ref, x, label, steps, 0.002, update).work, `${sizes}, ${update}, ${backend}, sample ${i}`);
          most = Math.max(most, got.errorSpikes / steps, ...got.forwardSpikes.map((s) => s / steps));
        }
        net.weights().forEach((w, l) => assert.deepEqual(w, ref.w[l], `${sizes}, ${update}, ${backend}: W${l}`));
        // Spike lists start with room for 64 (or 4 per unit): the loud network's must grow mid-herd and resume.
        if (sizes === loud) assert.ok(most > 100, `the loud network spikes ${most} times a step on average`);
        net.dispose();
      }
});

test("the readout and its work with exact counts: W_Lᵀc_L/T, one row addition per spike into every layer", () => {
  // Inputs k/4 with T = 4 and integer weights make every count exact (as in spiking_mlp.test.ts).
  const sizes = [3, 2, 2];
  const w0 = w32([1, 2, 2, 1, 1, 1]);
  const w1 = w32([1, 2, 1, 1]);
  const x = [0.25, 0.5, 0.75];
  const net = new SpikingMlp(sizes, [w0, w1], { steps: 4 });
  const { output, rowAdditions } = net.predictWithWork(x);
  // h = ReLU(W0ᵀx) = [2, 1.75]: counts T·h = [8, 7]; inputs T·x = [1, 2, 3]; output W1ᵀh = [3.75, 5.75].
  assert.deepEqual(Array.from(herdCounts(x, 4, { signed: true })), [1, 2, 3]);
  assert.deepEqual(Array.from(output), [3.75, 5.75]);
  assert.equal(rowAdditions, 6 + 15);
  net.dispose();
  assert.deepEqual(denseMultiplyAdds([784, 200, 200, 10]), {
    forward: [156800, 40000, 2000],
    backward: [0, 40000, 2000],
    update: [156800, 40000, 2000],
  });
});

/** The ReLU baseline's SGD step written out in float64: h = ReLU(Wᵀh), δ_L = k(h_L − y)·1[h_L > 0], δ_l = (W δ)·1[h_l > 0]. */
function reluStep(sizes: number[], w: number[][], x: number[], label: number, eta: number, k: number): { loss: number; w: number[][] } {
  const L = sizes.length - 1;
  const h: number[][] = [x];
  for (let l = 0; l < L; l++) h.push(Array.from({ length: sizes[l + 1] }, (_, j) => Math.max(0, h[l].reduce((s, v, i) => s + v * w[l][i * sizes[l + 1] + j], 0))));
  const d = h[L].map((v, j) => v - (j === label ? 1 : 0));
  const loss = d.reduce((s, v) => s + (k / 2) * v * v, 0);
  const delta: number[][] = new Array(L);
  delta[L - 1] = d.map((v, j) => (h[L][j] > 0 ? k * v : 0));
  for (let l = L - 1; l > 0; l--) delta[l - 1] = h[l].map((v, i) => (v > 0 ? delta[l].reduce((s, dj, j) => s + dj * w[l][i * sizes[l + 1] + j], 0) : 0));
  return { loss, w: w.map((wl, l) => wl.map((v, idx) => v - eta * h[l][Math.floor(idx / sizes[l + 1])] * delta[l][idx % sizes[l + 1]])) };
}

test("the ReLU baseline's step written out: its loss, dead output and hidden units, two samples in a row, a widening network", () => {
  // Hidden unit 2 and output unit 1 are dead (negative pre-activations); the label is the dead output.
  const cases: { sizes: number[]; w: number[][]; xs: number[][]; labels: number[] }[] = [
    { sizes: [2, 3, 2], w: [[1, 0.5, -1, 0.5, 1, -2], [0.5, -1, 1, -1, 0.3, 0.2]], xs: [[0.5, 1], [1, 0.25]], labels: [1, 0] },
    { sizes: [2, 4, 6, 3], w: [], xs: [[0.3, 0.9], [0.8, 0.1], [0.5, 0.5]], labels: [2, 0, 1] },
  ];
  const r = new Rng(8);
  cases[1].w = cases[1].sizes.slice(1).map((n, l) => Array.from({ length: cases[1].sizes[l] * n }, () => Math.fround(r.uniform() - 0.35)));
  for (const { sizes, w, xs, labels } of cases)
    for (const [loss, k] of [
      ["squared-error", 2],
      ["half-squared-error", 1],
    ] as const)
      for (const backend of ["js", "wasm"] as const) {
        const net = new ReluMlp(sizes, w.map(w32), 0.1, { loss, backend: backendByName(backend) });
        let want = w.map((wl) => [...wl]);
        xs.forEach((x, i) => {
          const step = reluStep(sizes, want, x, labels[i], 0.1, k);
          const got = net.trainSample(x, labels[i]);
          assert.ok(Math.abs(got - step.loss) < 1e-5, `${loss}, ${backend}, sample ${i}: loss ${got} vs ${step.loss}`);
          want = step.w;
        });
        net.weights().forEach((wl, l) => wl.forEach((v, j) => assert.ok(Math.abs(v - want[l][j]) < 1e-5, `${sizes} ${loss} ${backend}: W${l}[${j}] = ${v}, expected ${want[l][j]}`)));
        net.dispose();
      }
  // The dead units of the first case kept their weights: output 1's column and hidden 2's column.
  const net = new ReluMlp(cases[0].sizes, cases[0].w.map(w32), 0.1);
  net.trainSample(cases[0].xs[0], 1);
  const [w0, w1] = net.weights();
  assert.deepEqual([w1[1], w1[3], w1[5]], [cases[0].w[1][1], cases[0].w[1][3], cases[0].w[1][5]].map(Math.fround));
  assert.deepEqual([w0[2], w0[5]], [cases[0].w[0][2], cases[0].w[0][5]].map(Math.fround));
  net.dispose();
});
