// The event-driven spiking MLP of Deep Spiking Networks: its invariants (exact counts give the ReLU-net SGD
// step; N/T → the ReLU network; work equals spikes), the authors' finding that resetting the backward
// herders stops learning, backend agreement, and typed errors.
import assert from "node:assert/strict";
import { test } from "node:test";
import { herdCounts } from "../../src/dsn/herding.js";
import { ReluMlp } from "../../src/dsn/relu_mlp.js";
import { initialWeights, scalarOperations, SpikingMlp } from "../../src/dsn/spiking_mlp.js";
import { backendByName, LimitError, Rng, ValueError } from "../../src/index.js";
import { embeddedSplit } from "../../src/node/mnist_embedded.js";
import { referenceMlp, referenceTrainSample } from "./reference_mlp.js";

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
    const relu = new ReluMlp(sizes, weights, eta, { backend: backendByName(backend), loss: "half-squared-error" });
    const work = spiking.trainSample(x, 0);
    relu.trainSample(x, 0);
    // Written out: h = [2, 1.75], y = W1ᵀh = [3.75, 5.75], δ_2 = [2.75, 5.75], δ_1 = W1 δ_2 = [14.25, 8.5].
    const expected = [
      [1, 2, 2, 1, 1, 1].map((w, k) => w - eta * x[Math.floor(k / 2)] * [14.25, 8.5][k % 2]),
      [1, 2, 1, 1].map((w, k) => w - eta * [2, 1.75][Math.floor(k / 2)] * [2.75, 5.75][k % 2]),
    ];
    // The authors' baseline loss Σ(a − t)² takes twice that step.
    const authors = new ReluMlp(sizes, weights, eta, { backend: backendByName(backend) });
    assert.equal(authors.loss, "squared-error");
    authors.trainSample(x, 0);
    const [ws, wr, wa] = [spiking.weights(), relu.weights(), authors.weights()];
    for (let l = 0; l < 2; l++)
      for (let k = 0; k < expected[l].length; k++) {
        assert.ok(Math.abs(ws[l][k] - expected[l][k]) < 1e-5, `${backend} spiking W${l}[${k}] = ${ws[l][k]}, expected ${expected[l][k]}`);
        assert.ok(Math.abs(wr[l][k] - expected[l][k]) < 1e-5, `${backend} ReLU W${l}[${k}] = ${wr[l][k]}, expected ${expected[l][k]}`);
        const twice = weights[l][k] + 2 * (expected[l][k] - weights[l][k]);
        assert.ok(Math.abs(wa[l][k] - twice) < 1e-5, `${backend} ReLU (Σ(a − t)²) W${l}[${k}] = ${wa[l][k]}, expected ${twice}`);
      }
    authors.dispose();
    // The counts behind it: 1 + 2 + 3 input spikes, T·h = 8 + 7 hidden spikes.
    assert.deepEqual(work.forwardRowAdds, [6, 15]);
    assert.deepEqual(work.forwardSpikes, [15, 15 + 23]);
    spiking.dispose();
    relu.dispose();
  }
});

test("the ReLU-derivative gate: an error spike stops at a unit whose pre-activation is negative, as δ = (W δ′) ⊙ 1[h > 0]", () => {
  // Exact counts as above (T = 4, inputs k/4, integer weights), with hidden unit 2 driven below zero by
  // negative weights only (it never spikes, so its count is T·ReLU = 0) while its outgoing weights send
  // error spikes back to it. The gate must stop them: its column of W0 stays as it was.
  const sizes = [3, 3, 2];
  const w0 = Float32Array.from([1, 2, -1, 2, 1, -2, 1, 1, -1]);
  const w1 = Float32Array.from([1, 2, 1, 1, 2, 3]);
  const x = [0.25, 0.5, 0.75];
  const eta = 0.01;
  // The ReLU network written out: a = W0ᵀx, h = ReLU(a), y = W1ᵀh, δ2 = y − onehot(0) (y > 0),
  // δ1 = (W1 δ2) ⊙ 1[a > 0], W0 −= η x δ1ᵀ, W1 −= η h δ2ᵀ.
  const a = [0, 1, 2].map((j) => x.reduce((s, xi, i) => s + xi * w0[i * 3 + j], 0));
  const h = a.map((v) => Math.max(0, v));
  assert.ok(a[2] < 0 && a[0] > 0 && a[1] > 0, `pre-activations ${a}`);
  const y = [0, 1].map((k) => h.reduce((s, hj, j) => s + hj * w1[j * 2 + k], 0));
  const d2 = y.map((v, k) => v - (k === 0 ? 1 : 0));
  const d1 = [0, 1, 2].map((j) => (a[j] > 0 ? w1[j * 2] * d2[0] + w1[j * 2 + 1] * d2[1] : 0));
  const expected0 = Array.from(w0, (w, k) => w - eta * x[Math.floor(k / 3)] * d1[k % 3]);
  const expected1 = Array.from(w1, (w, k) => w - eta * h[Math.floor(k / 2)] * d2[k % 2]);
  for (const backend of ["js", "wasm"] as const) {
    const net = new SpikingMlp(sizes, [w0, w1], { steps: 4, eta, backend: backendByName(backend) });
    const work = net.trainSample(x, 0);
    const [n0, n1] = net.weights();
    expected0.forEach((e, k) => assert.ok(Math.abs(n0[k] - e) < 1e-5, `${backend} W0[${k}] = ${n0[k]}, expected ${e}`));
    expected1.forEach((e, k) => assert.ok(Math.abs(n1[k] - e) < 1e-5, `${backend} W1[${k}] = ${n1[k]}, expected ${e}`));
    for (const i of [0, 1, 2]) assert.equal(n0[i * 3 + 2], w0[i * 3 + 2], `${backend}: the gated unit's column W0[${i}, 2] changed`);
    // Error spikes did reach the gated unit (T·(W1 δ2)₂ of them) and were stopped; the others passed.
    const reaching = Math.abs(4 * (w1[4] * d2[0] + w1[5] * d2[1]));
    assert.equal(work.backwardColumnAdds[1], Math.abs(4 * d2[0]) + Math.abs(4 * d2[1]));
    assert.ok(reaching >= 1, `${reaching} error spikes reach unit 2`);
    net.dispose();
  }
});

test("a second implementation of the documented rules gives the same spikes, work and weights, sample by sample", () => {
  // Mixed-sign weights large enough that the gates close often; both update rules, both backends.
  const { train } = embeddedSplit();
  const sizes = [784, 30, 20, 10];
  const weights = initialWeights(sizes, new Rng(11), 0.08);
  for (const update of ["outer", "fractional"] as const)
    for (const backend of ["js", "wasm"] as const) {
      const net = new SpikingMlp(sizes, weights, { steps: 6, eta: 0.05, update, backend: backendByName(backend) });
      const ref = referenceMlp(sizes, weights);
      let blocked = 0;
      for (let i = 0; i < 12; i++) {
        const x = train.images.subarray(i * 784, (i + 1) * 784);
        const got = net.trainSample(x, train.labels[i]);
        const want = referenceTrainSample(ref, x, train.labels[i], 6, 0.05, update);
        assert.deepEqual(got, want.work, `${update}, ${backend}, sample ${i}`);
        blocked += want.blocked;
      }
      net.weights().forEach((w, l) => assert.deepEqual(w, ref.w[l], `${update}, ${backend}: W${l}`));
      assert.ok(blocked > 20, `the gates stopped ${blocked} error spikes`);
      net.dispose();
    }
});

test("work in scalar operations: row additions × the layer above's width, column additions × the layer's", () => {
  // 784-200-200-10: 1,000 input spikes, 500 and 300 hidden spikes, 20 error columns into each hidden layer.
  const ops = scalarOperations([784, 200, 200, 10], { forward: [1000, 500, 300], backward: [0, 20, 20], update: [5, 6, 7] });
  assert.deepEqual(ops, { forward: 1000 * 200 + 500 * 200 + 300 * 10, backward: 20 * 200 + 20 * 200, update: 18, total: 303000 + 8000 + 18 });
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
  const run = (backwardStart: "reset" | "noreset") => {
    const net = SpikingMlp.create([784, 200, 200, 10], { backwardStart });
    const before = net.weights();
    const columns = [0, 0, 0];
    for (let epoch = 0; epoch < 3; epoch++)
      for (let i = 0; i < 1000; i++) net.trainSample(train.images.subarray(i * 784, (i + 1) * 784), train.labels[i]).backwardColumnAdds.forEach((c, l) => (columns[l] += c));
    let wrong = 0;
    for (let i = 0; i < 400; i++) if (argmax(net.predict(held.images.subarray(i * 784, (i + 1) * 784))) !== held.labels[i]) wrong++;
    const after = net.weights();
    net.dispose();
    return { error: wrong / 400, columns, changed: before.map((w, l) => w.filter((v, k) => v !== after[l][k]).length) };
  };
  const [carried, reset] = [run("noreset"), run("reset")];
  // Reset each sample, a backward herder never gathers the ½ it needs to spike: no error reaches the
  // hidden layers, whose weights stay exactly as initialised, and the network stays at chance.
  assert.equal(reset.columns[1], 0);
  assert.deepEqual(reset.changed.slice(0, 2), [0, 0]);
  assert.ok(reset.error > 0.85, `reset test error ${reset.error}`);
  // Carried, the errors reach every layer and it learns (45.5 % error after these 3,000 steps, from 90 %).
  assert.ok(carried.columns[1] > 0 && carried.changed.every((n) => n > 0), `columns ${carried.columns}, changed ${carried.changed}`);
  assert.ok(carried.error < 0.5, `noreset test error ${carried.error}`);
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
