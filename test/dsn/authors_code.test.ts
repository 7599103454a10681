// The spiking MLP against files written by the authors' own code (DeepSpike's SpikingMLP; provenance in
// test/fixtures/dsn/README.md): 300 online steps from the same start, then predictions.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { initialWeights, SpikingMlp } from "../../src/dsn/spiking_mlp.js";
import { backendByName, Rng } from "../../src/index.js";
import { embeddedSplit } from "../../src/node/mnist_embedded.js";

const SIZES = [784, 24, 16, 10];

/** A float32 fixture file of `count` values. */
function fixture(name: string, count: number): Float32Array {
  const bytes = readFileSync(new URL(`../fixtures/dsn/${name}`, import.meta.url));
  assert.equal(bytes.byteLength, 4 * count, `${name}: ${count} float32 values`);
  return Float32Array.from({ length: count }, (_, i) => bytes.readFloatLE(4 * i));
}

for (const backend of ["wasm", "js"] as const) {
  test(`${backend}: 300 online steps of 784-24-16-10 give the authors' code's weights and predictions (DeepSpike, ties lower unit first)`, () => {
    const { train, test: testSet } = embeddedSplit();
    const start = initialWeights(SIZES, new Rng(7), 0.1);
    const net = new SpikingMlp(SIZES, start, { steps: 10, eta: 0.01, update: "outer", forwardStart: "reset", backend: backendByName(backend) });
    for (let i = 0; i < 300; i++) net.trainSample(train.images.subarray(i * 784, (i + 1) * 784), train.labels[i]);
    net.weights().forEach((w, l) => {
      const theirs = fixture(`trained_w${l}.f32`, SIZES[l] * SIZES[l + 1]);
      let moved = 0;
      for (let k = 0; k < w.length; k++) {
        assert.ok(Math.abs(w[k] - theirs[k]) <= 1e-6, `layer ${l}, weight ${k}: ${w[k]} against their ${theirs[k]}`);
        moved = Math.max(moved, Math.abs(theirs[k] - start[l][k]));
      }
      assert.ok(moved > 0.01, `layer ${l} learned (largest change ${moved})`);
    });
    const outputs = fixture("outputs.f32", 100 * 10);
    for (let i = 0; i < 100; i++) {
      const o = net.predict(testSet.images.subarray(i * 784, (i + 1) * 784));
      for (let k = 0; k < 10; k++) assert.ok(Math.abs(o[k] - outputs[i * 10 + k]) <= 1e-5, `test image ${i}, output ${k}: ${o[k]} against their ${outputs[i * 10 + k]}`);
    }
    net.dispose();
  });
}
