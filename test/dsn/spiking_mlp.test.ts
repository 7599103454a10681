// The event-driven spiking MLP of Deep Spiking Networks: its invariants (exact counts give the ReLU-net SGD
// step; N/T → the ReLU network; work equals spikes), the authors' finding that resetting the backward
// herders stops learning, backend agreement, and typed errors.
import assert from "node:assert/strict";
import { test } from "node:test";
import { herdCounts } from "../../src/dsn/herding.js";
import { ReluMlp } from "../../src/dsn/relu_mlp.js";
import { initialWeights, SpikingMlp } from "../../src/dsn/spiking_mlp.js";
import { backendByName, LimitError, Rng, ValueError } from "../../src/index.js";
import { embeddedSplit } from "../../src/node/mnist_embedded.js";

const argmax = (a: ArrayLike<number>) => {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
};

test("with exact counts, one spiking update equals the ReLU network's SGD step −η h δᵀ", () => {
  // T = 4, inputs k/4 and positive integer weights: every herder's total input is an integer and the
  // rectified herders only rise, so every count is exactly T times the ReLU network's value.
  const sizes = [3, 2, 2];
  const weights = [Float32Array.from([1, 2, 2, 1, 1, 1]), Float32Array.from([1, 2, 1, 1])];
  const x = [0.25, 0.5, 0.75];
  const eta = 0.01;
  for (const backend of ["js", "wasm"] as const) {
    const spiking = new SpikingMlp(sizes, weights, { steps: 4, eta, backend: backendByName(backend) });
    const relu = new ReluMlp(sizes, weights, eta, backendByName(backend));
    const work = spiking.trainSample(x, 0);
    relu.trainSample(x, 0);
    // Written out: h = [2, 1.75], y = W1ᵀh = [3.75, 5.75], δ_2 = [2.75, 5.75], δ_1 = W1 δ_2 = [14.25, 8.5].
    const expected = [
      [1, 2, 2, 1, 1, 1].map((w, k) => w - eta * x[Math.floor(k / 2)] * [14.25, 8.5][k % 2]),
      [1, 2, 1, 1].map((w, k) => w - eta * [2, 1.75][Math.floor(k / 2)] * [2.75, 5.75][k % 2]),
    ];
    const [ws, wr] = [spiking.weights(), relu.weights()];
    for (let l = 0; l < 2; l++)
      for (let k = 0; k < expected[l].length; k++) {
        assert.ok(Math.abs(ws[l][k] - expected[l][k]) < 1e-5, `${backend} spiking W${l}[${k}] = ${ws[l][k]}, expected ${expected[l][k]}`);
        assert.ok(Math.abs(wr[l][k] - expected[l][k]) < 1e-5, `${backend} ReLU W${l}[${k}] = ${wr[l][k]}, expected ${expected[l][k]}`);
      }
    // The counts behind it: 1 + 2 + 3 input spikes, T·h = 8 + 7 hidden spikes.
    assert.deepEqual(work.forwardRowAdds, [6, 15]);
    assert.deepEqual(work.forwardSpikes, [15, 15 + 23]);
    spiking.dispose();
    relu.dispose();
  }
});

test("N/T → the ReLU network: the readout's error shrinks roughly like 1/T", () => {
  const sizes = [20, 30, 5];
  const rng = new Rng(7);
  const weights = initialWeights(sizes, rng, 0.3);
  const x = Float32Array.from({ length: 20 }, () => rng.uniform());
  const h = Array.from({ length: 30 }, (_, j) => Math.max(0, x.reduce((s, xi, i) => s + xi * weights[0][i * 30 + j], 0)));
  const u = Array.from({ length: 5 }, (_, k) => h.reduce((s, hj, j) => s + hj * weights[1][j * 5 + k], 0));
  const errors = [10, 100, 1000].map((steps) => {
    const net = new SpikingMlp(sizes, weights, { steps });
    const out = net.predict(x);
    net.dispose();
    return Math.max(...u.map((v, k) => Math.abs(out[k] - v)));
  });
  assert.ok(errors[1] < errors[0] / 3 && errors[2] < errors[1] / 3, `errors ${errors}`);
  assert.ok(errors[2] * 1000 < 20 * Math.max(...u.map(Math.abs)), `T·error stays bounded: ${errors}`);
});

test("work counts: one row addition per forward spike, input spikes as the herder counts them", () => {
  const { train } = embeddedSplit();
  const net = SpikingMlp.create([784, 50, 10], { steps: 10, rng: new Rng(3) });
  for (let i = 0; i < 20; i++) {
    const x = train.images.subarray(i * 784, (i + 1) * 784);
    const work = net.trainSample(x, train.labels[i]);
    const inputSpikes = herdCounts(x, 10, { signed: true }).reduce((s, n) => s + Math.abs(n), 0);
    assert.equal(work.forwardRowAdds[0], inputSpikes);
    assert.equal(work.forwardRowAdds[1], work.forwardSpikes[0]);
    assert.equal(work.backwardColumnAdds[0], 0);
    assert.ok(work.updateMultiplyAdds.every((m) => m >= 0));
  }
  net.dispose();
});

test("wasm and js backends train to the same weights, bit for bit (outer and fractional updates)", () => {
  const { train } = embeddedSplit();
  for (const update of ["outer", "fractional"] as const) {
    const runs = (["js", "wasm"] as const).map((name) => {
      const net = SpikingMlp.create([784, 40, 30, 10], { update, eta: 0.05, backend: backendByName(name), forwardStart: "random-shift", rng: new Rng(5) });
      for (let i = 0; i < 15; i++) net.trainSample(train.images.subarray(i * 784, (i + 1) * 784), train.labels[i]);
      const w = net.weights();
      net.dispose();
      return w;
    });
    runs[0].forEach((wl, l) => assert.deepEqual(runs[1][l], wl, `${update}: layer ${l}`));
  }
});

test("resetting the backward herders stops learning; carrying them across samples learns (784-200-200-10)", () => {
  const { train, test: held } = embeddedSplit();
  const error = (backwardStart: "reset" | "noreset") => {
    const net = SpikingMlp.create([784, 200, 200, 10], { backwardStart });
    for (let epoch = 0; epoch < 3; epoch++) for (let i = 0; i < 1000; i++) net.trainSample(train.images.subarray(i * 784, (i + 1) * 784), train.labels[i]);
    let wrong = 0;
    for (let i = 0; i < 400; i++) if (argmax(net.predict(held.images.subarray(i * 784, (i + 1) * 784))) !== held.labels[i]) wrong++;
    net.dispose();
    return wrong / 400;
  };
  const [carried, reset] = [error("noreset"), error("reset")];
  assert.ok(carried < 0.6, `noreset test error ${carried}`);
  assert.ok(reset > 0.8, `reset test error ${reset}`);
});

test("bad arguments give typed errors; runaway spiking hits the spike limit", () => {
  assert.throws(() => SpikingMlp.create([784]), ValueError);
  assert.throws(() => SpikingMlp.create([4, 0, 2]), /sizes\[1\]/);
  assert.throws(() => new SpikingMlp([2, 2], [new Float32Array(3)]), /weights\[0\]/);
  assert.throws(() => new SpikingMlp([2, 2], [Float32Array.from([1, Number.NaN, 0, 0])]), /weights\[0\]\[1\]/);
  assert.throws(() => new ReluMlp([2, 2], [new Float32Array(3)], 0.1), /weights\[0\]/);
  assert.throws(() => new ReluMlp([4, 0, 2], [new Float32Array(0), new Float32Array(0)], 0.1), /sizes\[1\]/);
  assert.throws(() => new ReluMlp([2, 2], [new Float32Array(4)], Number.NaN), /eta/);
  const net = SpikingMlp.create([3, 2], { steps: 5 });
  assert.throws(() => net.trainSample([0, 0], 0), /x: expected 3 values/);
  assert.throws(() => net.trainSample([0, Number.POSITIVE_INFINITY, 0], 0), /x\[1\]/);
  assert.throws(() => net.trainSample([0, 0, 0], 2), /label/);
  assert.throws(() => SpikingMlp.create([3, 2], { steps: 0 }), /steps/);
  assert.throws(() => SpikingMlp.create([3, 2], { update: "sideways" as "outer" }), /update/);
  net.dispose();
  assert.throws(() => net.predict([0, 0, 0]), /disposed/);
  const huge = new SpikingMlp([2, 2, 2], [Float32Array.from([1e6, 1e6, 1e6, 1e6]), new Float32Array(4)], { maxSpikesPerStep: 1000 });
  assert.throws(() => huge.trainSample([1, 1], 0), LimitError);
  huge.dispose();
});
