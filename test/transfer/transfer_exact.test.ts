// Transfer to continuous time to its edges: spreading and merging impulse lists written out, the firing
// rules exactly at the threshold and past the last step, max pooling of impulses with ties and across
// steps, and a network that pools spikes and answers in spike counts against the stepped engine (written
// from the mutants that survived mutation testing).
import assert from "node:assert/strict";
import { test } from "node:test";
import * as S from "../../src/index.js";
import { assertClose, caught } from "../helpers.js";
import * as Tr from "../../src/transfer.js";

test("spreadSteps: empty steps bring nothing; uniform times are the generator's draws, k per step, sorted", () => {
  assert.deepEqual(Tr.spreadSteps([0, 0.5], 2, "even", null), { t: [1.25, 1.75], w: [0.25, 0.25] });
  const k = 3;
  const got = Tr.spreadSteps([0.6, 0.9], k, "uniform", new S.Rng(4));
  const rng = new S.Rng(4);
  const draws = Array.from({ length: 2 * k }, () => rng.uniform());
  const first = draws.slice(0, k).sort((p, q) => p - q);
  const second = draws.slice(k).sort((p, q) => p - q).map((u) => 1 + u);
  assert.deepEqual(got.t, [...first, ...second]);
  assertClose(got.w, [0.2, 0.2, 0.2, 0.3, 0.3, 0.3], 1e-12, 0, "weights");
});

test("mergeImpulses: by time, the first list first at equal times, either list running out first", () => {
  const a = { t: [0.5, 1], w: [1, 2] };
  const b = { t: [0.5, 0.7, 2, 3], w: [10, 20, 30, 40] };
  assert.deepEqual(Tr.mergeImpulses(a, b), { t: [0.5, 0.5, 0.7, 1, 2, 3], w: [1, 10, 20, 2, 30, 40] });
  assert.deepEqual(Tr.mergeImpulses(b, a), { t: [0.5, 0.5, 0.7, 1, 2, 3], w: [10, 1, 20, 2, 30, 40] });
});

test("runContinuousLif: τ is checked; the step-end rule fires at exactly 1; nothing happens past the last step", () => {
  for (const tau of [0, -1, Number.NaN]) assert.throws(() => S.runContinuousLif({ t: [], w: [] }, tau, 1, false), S.ValueError);
  // Without leak (τ = ∞) an impulse of 1 leaves the membrane at exactly 1 at the step's end.
  assert.deepEqual(S.runContinuousLif({ t: [0.5], w: [1] }, Number.POSITIVE_INFINITY, 1, true, "step-end").spikes, [1 - 2e-9]);
  assert.deepEqual(S.runContinuousLif({ t: [0.5], w: [0.999] }, Number.POSITIVE_INFINITY, 1, true, "step-end").spikes, []);
  // A run of one step: an impulse after it (at 1.5, then 2.5) is not followed by a step end at 2, where
  // the membrane would be 1.5·e^{−0.5/4} ≥ 1.
  const past = S.runContinuousLif({ t: [1.5, 2.5], w: [1.5, 0] }, 4, 1, true, "step-end");
  assert.deepEqual(past.spikes, []);
  assert.equal(past.stepEnds!.length, 1);
  // Under the crossing rule a membrane above 1 at a step end is no spike of its own: only crossings fire.
  const r = S.runContinuousLif({ t: [0.2, 0.3, 1.5], w: [0.6, 0.3, 0.05] }, 4, 3, true, "crossing");
  assert.deepEqual(r.spikes, []);
});

test("maxPoolImpulses: the earlier slot first at equal times; the accumulated inputs start again each step", () => {
  // At 0.5: slot 0 (+1) makes the maximum 1, then slot 1 (+2) makes it 2: two impulses of 1.
  assert.deepEqual(Tr.maxPoolImpulses([{ t: [0.5], w: [1] }, { t: [0.5], w: [2] }]), { t: [0.5, 0.5], w: [1, 1] });
  // Step 0: slot 0 brings 2 → impulse +2. Step 1 starts from zero: slot 0 brings −1 (maximum 0, no change
  // from the new step's 0), slot 1 brings 0.5 → impulse +0.5.
  assert.deepEqual(Tr.maxPoolImpulses([{ t: [0.5, 1.5], w: [2, -1] }, { t: [1.5], w: [0.5] }]), { t: [0.5, 1.5], w: [2, 0.5] });
});

test("runEventNetwork: spikes pooled with a bias, spike counts as the output, against the stepped engine", () => {
  const rng = new S.Rng(9);
  const net = new S.Sequential(
    new S.Conv2d(1, 3, 3, { rng, padding: 1 }),
    new S.CoarseLIF(),
    new S.Conv2d(3, 2, 3, { rng, padding: 1 }),
    new S.MaxPool2d(2),
    new S.CoarseLIF(),
    new S.Flatten(),
    new S.Linear(2 * 3 * 3, 4, { rng }),
    new S.CoarseLIF(),
    new S.Flatten(),
  );
  // Output weights four times PyTorch's default scale, so that the output layer spikes.
  const out = (net.layers[6] as S.Linear).weight.storage.f32();
  for (let i = 0; i < out.length; i++) out[i] *= 4;
  const T = 4;
  const B = 2;
  const x = Float32Array.from({ length: T * B * 36 }, () => 6 * rng.uniform());
  // Under the crossing rule only: with "step-end" the engines place a step-end spike differently (at the
  // step's end, or at the last substep's midpoint; docs/transfer.md).
  const fire = "crossing";
  let spikes = 0;
  for (const k of [1, 3]) {
    const stepped = Tr.steppedOutputs(net, S.tensor(x, [T, B, 1, 6, 6]), k, fire);
    const counts = Array.from(stepped.output);
    assert.deepEqual(stepped.shape, [T, B, 4]);
    for (let b = 0; b < B; b++) {
      const xb = new Float32Array(T * 36);
      for (let t = 0; t < T; t++) xb.set(x.subarray((t * B + b) * 36, (t * B + b + 1) * 36), t * 36);
      const e = Tr.runEventNetwork(net, xb, [1, 6, 6], T, { substeps: k, fire });
      assert.equal(e.outputs, 4);
      for (let t = 0; t < T; t++)
        for (let j = 0; j < 4; j++) {
          const c = e.output[t * 4 + j];
          assert.ok(Number.isInteger(c) && c >= 0 && c <= 1, `a spike count of one step: ${c}`);
          assert.equal(c, counts[(t * B + b) * 4 + j], `k = ${k}, image ${b}, step ${t}, unit ${j}`);
          spikes += c;
        }
    }
  }
  assert.ok(spikes > 0, "the output layer spikes");
});

test("runEventNetwork: its arguments and layers checked at their bounds", () => {
  const one = new S.Sequential(new S.Linear(1, 1, { rng: new S.Rng(1) }), new S.CoarseLIF());
  const x = new Float32Array([0.5]);
  assert.equal(Tr.runEventNetwork(one, x, [1], 1, { substeps: 1_000_000 }).output.length, 1);
  assert.throws(() => Tr.runEventNetwork(one, x, [1], 1, { substeps: 1_000_001 }), /substeps/);
  assert.equal(caught(() => Tr.runEventNetwork(one, new Float32Array(2), [1], 1), S.ValueError).argument, "x");
  for (const layer of [new S.CoarseLIF({ analogInput: true }), new S.CoarseLIF({ noise: "gaussian:0.3", seed: 1 })])
    assert.throws(() => Tr.runEventNetwork(new S.Sequential(new S.Linear(1, 1, { rng: new S.Rng(1) }), layer), x, [1], 1), /plain coarse LIF|deterministic neurons/);
});

test("runSteppedNetwork: its arguments checked at their bounds; a batch in chunks equals its images one by one", () => {
  const rng = new S.Rng(3);
  const mlp = new S.Sequential(new S.Linear(6, 5, { rng }), new S.CoarseLIF(), new S.Linear(5, 3, { rng, bias: false }), new S.CoarseLIF());
  // Output weights four times PyTorch's default scale, so that the output layer spikes.
  const w2 = (mlp.layers[2] as S.Linear).weight.storage.f32();
  for (let i = 0; i < w2.length; i++) w2[i] *= 4;
  const x1 = S.tensor(Array.from({ length: 2 * 6 }, () => 3 * rng.uniform()), [2, 1, 6]);
  assert.deepEqual(Tr.runSteppedNetwork(mlp, x1, 10_000).output.shape, [2, 1, 3]);
  for (const k of [0, 10_001]) assert.throws(() => Tr.runSteppedNetwork(mlp, x1, k), /substeps/);
  assert.equal(caught(() => Tr.runSteppedNetwork(mlp, S.zeros([2, 6]), 1), S.ValueError).argument, "x");
  assert.throws(() => Tr.runSteppedNetwork(new S.Sequential(new S.Linear(6, 3, { rng })), x1, 1), /ending in neurons/);
  // An unregistered layer is refused naming the engine, the layer's kind and the kinds the engine runs.
  assert.throws(() => Tr.runSteppedNetwork(new S.Sequential(new S.Dropout(0.5), new S.CoarseLIF()), x1, 1), /the stepped engine: expected a network of the layers it can run \(Linear, Conv2d, MaxPool2d, AvgPool2d, Scale, Flatten, CoarseLIF, LIF, IF, Synaptic, Recurrent\), got "a Dropout layer"/);
  assert.throws(() => Tr.runEventNetwork(new S.Sequential(new S.Dropout(0.5), new S.CoarseLIF()), new Float32Array(1), [1], 1), /the event engine: .*got "a Dropout layer"/);
  for (const layer of [new S.CoarseLIF({ analogInput: true }), new S.CoarseLIF({ noise: "gaussian:0.3", seed: 1 })])
    assert.throws(() => Tr.runSteppedNetwork(new S.Sequential(new S.Linear(6, 3, { rng }), layer), x1, 1), /plain coarse LIF|deterministic neurons/);
  // Without `differentiable` the run builds no graph, though the weights take gradients.
  assert.equal(Tr.runSteppedNetwork(mlp, x1, 2).output.requiresGrad, false);
  assert.equal(Tr.runSteppedNetwork(mlp, x1, 2, "crossing", true).output.requiresGrad, true);
  // T·k = 400 image-substeps: 3,200 of them make chunks of 8 images; 19 images run as 8 + 8 + 3.
  const T = 4;
  const B = 19;
  const k = 100;
  const data = Array.from({ length: T * B * 6 }, () => 3 * rng.uniform());
  const batch = Tr.steppedOutputs(mlp, S.tensor(data, [T, B, 6]), k);
  assert.deepEqual(batch.shape, [T, B, 3]);
  const total = [0, 0];
  for (let b = 0; b < B; b++) {
    const image = Array.from({ length: T * 6 }, (_, i) => data[(Math.floor(i / 6) * B + b) * 6 + (i % 6)]);
    const one = Tr.steppedOutputs(mlp, S.tensor(image, [T, 1, 6]), k);
    one.spikesPerLayer.forEach((v, l) => (total[l] += v));
    for (let t = 0; t < T; t++)
      for (let j = 0; j < 3; j++) assert.equal(batch.output[(t * B + b) * 3 + j], one.output[t * 3 + j], `image ${b}, step ${t}, unit ${j}`);
    // The event engine agrees, the bias-free layer included.
    const e = Tr.runEventNetwork(mlp, Float32Array.from(image), [6], T, { substeps: k });
    assert.deepEqual(Array.from(e.output), Array.from(one.output), `event engine, image ${b}`);
  }
  assert.deepEqual(batch.spikesPerLayer, total);
  assert.ok(total[1] > 0, "the output layer spikes");
});

test("perStepMasses: a static input repeated T times, or the input as it is", () => {
  const x = S.tensor([1, 2, 3, 4], [2, 2]);
  const m = Tr.perStepMasses(x, 3);
  assert.deepEqual(m.shape, [3, 2, 2]);
  assert.deepEqual(Array.from(m.dataFloat32()), [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]);
  assert.equal(Tr.perStepMasses(x, undefined), x);
});
