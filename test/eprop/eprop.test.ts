// e-prop: equals BPTT where the theory says it must (no recurrent weights, reset detached), differs from it
// with recurrence, and learns a task online.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as S from "../../src/index.js";
import { EpropNetwork } from "../../src/eprop.js";
import { loadRunData, nodeImages } from "../../src/node.js";
import { configureTrain } from "../../src/tasks.js";
import { assertClose, randomData } from "../helpers.js";

const [T, B, IN, N, K] = [12, 3, 5, 7, 3];
const labels = [2, 0, 1];

/** The same network written with snnkit's layers, its gradients by BPTT (autograd through all T steps). */
function bpttGradients(net: EpropNetwork, x: Float32Array): { loss: number; grads: Float32Array[] } {
  let out = { loss: NaN, grads: [] as Float32Array[] };
  S.setBackend("js");
  S.tidy(() => {
    const input = new S.Linear(IN, N, { bias: false });
    const readout = new S.Linear(N, K);
    input.weight.storage.f32().set(net.weights.input.dataFloat32());
    readout.weight.storage.f32().set(net.weights.output.dataFloat32());
    readout.bias!.storage.f32().set(net.weights.bias.dataFloat32());
    const cell =
      net.neuron === "alif"
        ? new S.ALIF({ beta: net.beta, threshold: net.threshold, rho: net.rho, gamma: net.gamma, detachReset: true, surrogate: net.surrogate })
        : new S.LIF({ beta: net.beta, threshold: net.threshold, detachReset: true, surrogate: net.surrogate });
    const leaky = new S.LIF({ beta: net.kappa, threshold: 1e9, reset: "none" });
    leaky.output = "membrane";
    const model = new S.Sequential(input, cell, readout, leaky);
    const y = model.run(S.tensor(x, [T, B, IN])).output;
    const loss = S.crossEntropy(S.reshape(y, [T * B, K]), Array.from({ length: T * B }, (_, r) => labels[r % B]));
    loss.backward();
    out = { loss: loss.item(), grads: [input.weight.grad!, readout.weight.grad!, readout.bias!.grad!].map((g) => g.dataFloat32().slice()) };
  });
  return out;
}

for (const neuron of ["lif", "alif"] as const) {
  test(`${neuron}: without recurrent weights e-prop's gradients are BPTT's (reset detached), computed online`, () => {
    const net = new EpropNetwork({ inputs: IN, hidden: N, outputs: K, neuron, recurrent: false, beta: 0.85, threshold: 0.6, rho: 0.9, gamma: 1.2, kappa: 0.7, rng: new S.Rng(3) });
    const x = randomData(T * B * IN, 4, 1).map((v) => Math.max(0, v));
    const e = net.pass(x, [T, B, IN], labels);
    const bptt = bpttGradients(net, x);
    assert.ok(Math.abs(e.loss - bptt.loss) < 1e-5, `loss ${e.loss} against ${bptt.loss}`);
    assert.ok(bptt.grads[0].some((v) => Math.abs(v) > 1e-4), "the input weights get a gradient (neurons near threshold)");
    assertClose(e.grads.input, bptt.grads[0], 1e-6, 1e-4, "W_in");
    assertClose(e.grads.output, bptt.grads[1], 1e-6, 1e-4, "W_out");
    assertClose(e.grads.bias, bptt.grads[2], 1e-6, 1e-4, "bias");
  });
}

test("with recurrent weights e-prop approximates: its input gradient differs from BPTT's but points the same way", () => {
  const net = new EpropNetwork({ inputs: IN, hidden: N, outputs: K, recurrent: true, beta: 0.85, threshold: 0.6, kappa: 0.7, rng: new S.Rng(3) });
  const x = randomData(T * B * IN, 4, 1).map((v) => Math.max(0, v));
  const e = net.pass(x, [T, B, IN], labels);
  // BPTT of the recurrent network, through snnkit's Recurrent layer with the same weights.
  let full = new Float32Array(0);
  S.tidy(() => {
    const input = new S.Linear(IN, N, { bias: false });
    const feedback = new S.Linear(N, N, { bias: false });
    const readout = new S.Linear(N, K);
    input.weight.storage.f32().set(net.weights.input.dataFloat32());
    feedback.weight.storage.f32().set(net.weights.recurrent!.dataFloat32());
    readout.weight.storage.f32().set(net.weights.output.dataFloat32());
    readout.bias!.storage.f32().set(net.weights.bias.dataFloat32());
    const leaky = new S.LIF({ beta: net.kappa, threshold: 1e9, reset: "none" });
    leaky.output = "membrane";
    const model = new S.Sequential(input, new S.Recurrent(new S.LIF({ beta: net.beta, threshold: net.threshold, detachReset: true, surrogate: net.surrogate }), feedback), readout, leaky);
    const y = model.run(S.tensor(x, [T, B, IN])).output;
    const loss = S.crossEntropy(S.reshape(y, [T * B, K]), Array.from({ length: T * B }, (_, r) => labels[r % B]));
    assert.ok(Math.abs(loss.item() - e.loss) < 1e-5, "the same forward pass");
    loss.backward();
    full = input.weight.grad!.dataFloat32().slice();
  });
  let dot = 0;
  let nE = 0;
  let nB = 0;
  let differs = false;
  full.forEach((g, i) => {
    dot += g * e.grads.input[i];
    nE += e.grads.input[i] ** 2;
    nB += g * g;
    if (Math.abs(g - e.grads.input[i]) > 1e-4 * (1 + Math.abs(g))) differs = true;
  });
  assert.ok(differs, "the recurrent paths e-prop drops change the gradient");
  assert.ok(dot / Math.sqrt(nE * nB) > 0.5, `cosine ${dot / Math.sqrt(nE * nB)} between e-prop's and BPTT's gradients`);
});

test("bad sizes, options and batches are named; a network too large for its traces is a LimitError before anything is allocated", () => {
  assert.throws(() => new EpropNetwork({ inputs: 0, hidden: 4, outputs: 2 }), /EpropNetwork: inputs/);
  assert.throws(() => new EpropNetwork({ inputs: 3, hidden: 4.5, outputs: 2 }), /EpropNetwork: hidden/);
  assert.throws(() => new EpropNetwork({ inputs: 3, hidden: 4, outputs: 2, kappa: 1 }), /EpropNetwork: kappa/);
  assert.throws(() => new EpropNetwork({ inputs: 3, hidden: 4, outputs: 2, neuron: "izh" as "lif" }), /EpropNetwork: neuron/);
  assert.throws(() => new EpropNetwork({ inputs: 3, hidden: 4, outputs: 2, beta: 2 }), /EpropNetwork: beta/);
  assert.throws(() => new EpropNetwork({ inputs: 60_000, hidden: 60_000, outputs: 2 }), (e: unknown) => e instanceof S.LimitError && /synapses/.test((e as Error).message));
  const net = new EpropNetwork({ inputs: 3, hidden: 4, outputs: 2, rng: new S.Rng(1) });
  assert.throws(() => net.pass(new Float32Array(10), [2, 2, 3], [0, 1]), (e: unknown) => e instanceof S.ShapeError);
  assert.throws(() => net.pass(new Float32Array(12), [2, 2, 3], [0]), /labels/);
  assert.throws(() => net.pass(new Float32Array(12), [2, 2, 3], [0, 2]), /labels\[1\]/);
});

test("a recurrent LIF network learns Yin-Yang online with e-prop, far above the linear classifier's 64 %", () => {
  const c = configureTrain({ model: "yinyang" });
  const { train, validation } = loadRunData(nodeImages, { ...c, trainLimit: 3000 });
  const steps = 10;
  const net = new EpropNetwork({ inputs: 4, hidden: 64, outputs: 3, beta: 0.8, threshold: 0.5, kappa: 0.8, rng: new S.Rng(1) });
  const optimizer = new S.Adam(net.parameters(), { lr: 5e-3 });
  // Constant currents: the four values at every step, with a bias input of 1.
  const batch = (d: typeof train, idx: number[]) => {
    const x = new Float32Array(steps * idx.length * 4);
    idx.forEach((s, b) => {
      for (let t = 0; t < steps; t++) x.set(d.images.subarray(s * 4, s * 4 + 4), (t * idx.length + b) * 4);
    });
    return { x, labels: idx.map((s) => d.labels[s]) };
  };
  const rng = new S.Rng(2);
  for (let epoch = 0; epoch < 3; epoch++) {
    const order = S.permutation(train.labels.length, rng);
    for (let i = 0; i + 20 <= order.length; i += 20) {
      const { x, labels: l } = batch(train, order.slice(i, i + 20));
      const r = net.pass(x, [steps, 20, 4], l);
      const params = net.parameters();
      const grads = [r.grads.input, r.grads.recurrent!, r.grads.output, r.grads.bias];
      params.forEach((p, k) => (p.grad = S.keep(S.tensor(grads[k], p.shape))));
      optimizer.step();
      optimizer.zeroGrad();
    }
  }
  const v = validation!;
  const { x, labels: l } = batch(v, Array.from({ length: v.labels.length }, (_, i) => i));
  const { readout } = net.pass(x, [steps, v.labels.length, 4], l);
  let correct = 0;
  for (let b = 0; b < v.labels.length; b++) {
    const score = [0, 0, 0];
    for (let t = 0; t < steps; t++) for (let k = 0; k < 3; k++) score[k] += readout[(t * v.labels.length + b) * 3 + k];
    if (score.indexOf(Math.max(...score)) === l[b]) correct++;
  }
  assert.ok(correct / v.labels.length > 0.8, `validation accuracy ${correct / v.labels.length}`);
});
