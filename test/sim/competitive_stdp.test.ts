// Unsupervised competitive STDP (Diehl & Cook 2015): its invariants, and a small network learns the
// digits well above chance without labels.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CompetitiveStdpNetwork, labelNeurons, voteClass } from "../../src/sim.js";
import { embeddedSplit } from "../../src/node/mnist_embedded.js";

const { train, test: testSet } = embeddedSplit();
const image = (d: typeof train, k: number) => Float32Array.from(d.images.subarray(k * 784, (k + 1) * 784));

test("invariants: weights in [0, 1] summing to 78 per neuron after learning, thresholds rise only with spikes, no change without learning", () => {
  const net = new CompetitiveStdpNetwork({ neurons: 20, seed: 3 });
  for (let k = 0; k < 30; k++) {
    const before = net.theta.slice();
    const counts = net.present(image(train, k), true);
    // θ rises by 0.05 mV per spike, in the answer returned and in any dimmer showings before it.
    net.theta.forEach((th, j) => {
      const spikes = (th - before[j]) / 0.05;
      assert.ok(Math.abs(spikes - Math.round(spikes)) < 1e-3 && Math.round(spikes) >= counts[j], `θ of neuron ${j} rose by ${th - before[j]} for ${counts[j]} spikes`);
    });
  }
  assert.ok(net.weights.every((w) => w >= 0 && w <= 1));
  for (let j = 0; j < 20; j++) {
    let s = 0;
    for (let i = 0; i < 784; i++) s += net.weights[i * 20 + j];
    assert.ok(Math.abs(s - 78) < 1e-2, `neuron ${j}: weights sum to ${s}`);
  }
  const w = net.weights.slice();
  const theta = net.theta.slice();
  const counts = net.present(image(train, 100), false);
  assert.ok(counts.reduce((a, b) => a + b, 0) >= 5, "it answers (the image is shown brighter until it does)");
  assert.deepEqual(net.weights, w);
  assert.deepEqual(net.theta, theta);
  assert.throws(() => net.present(new Float32Array(10), true), /image/);
  assert.throws(() => new CompetitiveStdpNetwork({ neurons: 0 }), /neurons/);
  assert.throws(() => new CompetitiveStdpNetwork({ neurons: 1 << 20 }), /neurons: expected at most/);
  assert.throws(() => new CompetitiveStdpNetwork({ dtMs: 0 }), /dtMs/);
  assert.throws(() => labelNeurons([counts], [1, 2], 10), /labels/);
});

test("without labels, 40 neurons trained on 1,200 digits vote the right class far above chance (10 %)", () => {
  const net = new CompetitiveStdpNetwork({ neurons: 40, thetaPlus: 0.2, seed: 1 });
  for (let k = 0; k < 1200; k++) net.present(image(train, k), true);
  const responses = Array.from({ length: 400 }, (_, k) => net.present(image(train, k), false));
  const assignment = labelNeurons(responses, train.labels.subarray(0, 400), 10);
  assert.ok(new Set(assignment.filter((y) => y >= 0)).size >= 7, `neurons labelled with ${new Set(assignment).size} classes`);
  let correct = 0;
  for (let k = 0; k < 300; k++) if (voteClass(net.present(image(testSet, k), false), assignment, 10) === testSet.labels[k]) correct++;
  assert.ok(correct / 300 > 0.4, `test accuracy ${correct / 300}`);
});
