// Transfer to continuous time: the continuous LIF against the coarse update's constants (a, b, c), the
// refractory and reset rules by hand, pooling of impulses, and conv scatter against the tensor engine.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as S from "../../src/index.js";
import * as Tr from "../../src/transfer.js";

const tau = 4;
const { a, b, c } = S.coarseConstants(tau);

test("evenly spread input of one step ends at the coarse update a·v + b·x as the impulses grow dense", () => {
  for (const k of [1, 10, 1000]) {
    // Step 0 brings x₀ = 0.6, step 1 brings x₁ = 0.3: no spike; the end of step 1 is a·(b·x₀) + b·x₁ in the limit.
    const r = S.runContinuousLif(Tr.spreadSteps([0.6, 0.3], k, "even", null), tau, 2, true);
    assert.equal(r.spikes.length, 0);
    const coarse = [b * 0.6, a * b * 0.6 + b * 0.3];
    const err = Math.max(Math.abs(r.stepEnds![0] - coarse[0]), Math.abs(r.stepEnds![1] - coarse[1]));
    // Midpoint sums of e^{−(1−s)/τ}: error O(1/k²).
    assert.ok(err < 0.01 / (k * k) + 1e-12, `k = ${k}: error ${err}`);
  }
});

test("Monte Carlo: uniformly timed input ends at b·x on average; after a spike at a uniform time, the next step counts c·x", () => {
  const rng = new S.Rng(11);
  const n = 20_000;
  let [sum, sq] = [0, 0];
  for (let i = 0; i < n; i++) {
    const v = S.runContinuousLif(Tr.spreadSteps([0.8], 1, "uniform", rng), tau, 1, true).stepEnds![0];
    sum += v;
    sq += v * v;
  }
  let mean = sum / n;
  let se = Math.sqrt((sq / n - mean * mean) / n);
  assert.ok(Math.abs(mean - b * 0.8) < 4 * se, `mean ${mean} vs b·x ${b * 0.8} (se ${se})`);
  // A spike at U ~ U(0, 1) in step 0 (an impulse of 2), then x = 0.7 spread densely over step 1: only the
  // part after U + 1 counts, decayed to t = 2, so E[v(2)] = c·x.
  [sum, sq] = [0, 0];
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    const input = Tr.mergeImpulses({ t: [u], w: [2] }, Tr.spreadSteps([0, 0.7], 200, "even", null));
    const r = S.runContinuousLif(input, tau, 2, true);
    assert.deepEqual(r.spikes, [u]);
    sum += r.stepEnds![1];
    sq += r.stepEnds![1] ** 2;
  }
  mean = sum / n;
  se = Math.sqrt((sq / n - mean * mean) / n);
  assert.ok(Math.abs(mean - c * 0.7) < 4 * se + 2e-4, `mean ${mean} vs c·x ${c * 0.7} (se ${se})`);
});

test("refractory period and reset, by hand", () => {
  // 0.2: +1.5 → spike, v = 0, refractory until 1.2; 0.7: +0.5 ignored; 1.2: +0.5 counts (the period is over);
  // 1.5: +0.6 → v = 0.5·e^{−0.3/4} + 0.6 ≥ 1? 0.4639 + 0.6 = 1.0639 → spike at 1.5.
  // The spike at 1.5 makes it refractory until 2.5: the impulse at 1.9 is ignored, and 2.6 counts.
  const r = S.runContinuousLif({ t: [0.2, 0.7, 1.2, 1.5, 1.9, 2.6], w: [1.5, 0.5, 0.5, 0.6, 0.4, 0.3] }, tau, 3, true);
  assert.deepEqual(r.spikes, [0.2, 1.5]);
  const ends = Array.from(r.stepEnds!);
  assert.deepEqual(ends.slice(0, 2), [0, 0]);
  assert.ok(Math.abs(ends[2] - 0.3 * Math.exp(-0.4 / 4)) < 1e-15);
  // Under the step-end rule the same input fires only where the membrane is ≥ 1 at a step's end: at
  // t = 1 it is 1.5·e^{−0.8/4} + 0.5·e^{−0.3/4} ≈ 1.69 → a spike just before 1, refractory through step 1.
  const e = S.runContinuousLif({ t: [0.2, 0.7, 1.2, 1.5, 1.9, 2.6], w: [1.5, 0.5, 0.5, 0.6, 0.4, 0.3] }, tau, 3, true, "step-end");
  assert.equal(e.spikes.length, 1);
  assert.ok(Math.abs(e.spikes[0] - 1) < 1e-8 && e.spikes[0] < 1);
  assert.ok(Math.abs(e.stepEnds![0] - (1.5 * Math.exp(-0.2) + 0.5 * Math.exp(-0.075))) < 1e-12);
  assert.equal(e.stepEnds![1], 0);
  assert.throws(() => S.runContinuousLif({ t: [], w: [] }, tau, 1, false, "sometimes" as S.FiringRule), /firing rule/);
  // A membrane exactly at threshold spikes (v ≥ 1).
  assert.deepEqual(S.runContinuousLif({ t: [0.5], w: [1] }, tau, 1, false).spikes, [0.5]);
  // Decay between impulses: 0.6 at 0.1, 0.3 at 0.9 → at t = 1: (0.6·e^{−0.8/4} + 0.3)·e^{−0.1/4}.
  const v = S.runContinuousLif({ t: [0.1, 0.9], w: [0.6, 0.3] }, tau, 1, true).stepEnds![0];
  assert.ok(Math.abs(v - (0.6 * Math.exp(-0.2) + 0.3) * Math.exp(-0.025)) < 1e-15);
});

test("max pooling of impulses: within each step the pooled input is the largest accumulated input", () => {
  const p = Tr.maxPoolImpulses([
    { t: [0.1, 0.5, 1.2], w: [0.3, 0.4, 0.2] },
    { t: [0.2, 0.6, 1.1], w: [0.5, -0.4, -0.3] },
  ]);
  // Step 0: acc (0.3, 0) → max 0.3; (0.3, 0.5) → 0.5; (0.7, 0.5) → 0.7; (0.7, 0.1) → 0.7 (no change).
  // Step 1 restarts: (0, −0.3) → max 0 (no change); (0.2, −0.3) → 0.2.
  assert.deepEqual(p.t, [0.1, 0.2, 0.5, 1.2]);
  const w = p.w.map((x) => Math.round(x * 1e12) / 1e12);
  assert.deepEqual(w, [0.3, 0.2, 0.2, 0.2]);
  // At every step end the pooled total is the coarse max-pool of the step totals.
  assert.ok(Math.abs(p.w.slice(0, 3).reduce((x, y) => x + y, 0) - Math.max(0.7, 0.1)) < 1e-12);
});

test("a conv layer's scattered impulses add up, per step, to the conv of the step's spike counts", () => {
  const rng = new S.Rng(2);
  for (const [stride, padding] of [
    [1, 1],
    [2, 0],
    [1, 2],
  ]) {
    const conv = new S.Conv2d(2, 3, 3, { rng, padding, stride, bias: false });
    const [C, H, W] = [2, 7, 6];
    const T = 3;
    // Random spikes: per input unit a few times in [0, T).
    const impulses = Array.from({ length: C * H * W }, () => {
      const t = Array.from({ length: rng.int(4) }, () => T * rng.uniform()).sort((x, y) => x - y);
      return { t, w: t.map(() => 1) };
    });
    const counts = new Float32Array(T * C * H * W);
    impulses.forEach((p, i) => p.t.forEach((t) => counts[Math.floor(t) * C * H * W + i]++));
    const expected = S.tidy(() => Array.from(conv.forward(S.tensor(counts, [T, C, H, W])).dataFloat32()));
    const outShape = [3, Math.floor((H + 2 * padding - 3) / stride) + 1, Math.floor((W + 2 * padding - 3) / stride) + 1];
    const out = Tr.convImpulses(conv, impulses, [C, H, W], outShape);
    const units = outShape[0] * outShape[1] * outShape[2];
    const totals = new Float64Array(T * units);
    out.forEach((p, j) => {
      p.t.forEach((t, n) => (totals[Math.floor(t) * units + j] += p.w[n]));
      for (let n = 1; n < p.t.length; n++) assert.ok(p.t[n] >= p.t[n - 1], "sorted");
    });
    for (let i = 0; i < totals.length; i++) assert.ok(Math.abs(totals[i] - expected[i]) < 1e-5, `stride ${stride}, padding ${padding}, [${i}]`);
  }
});

test("runEventNetwork: a conv network runs and spikes; other neurons, bad inputs and bad options are refused", () => {
  const rng = new S.Rng(2);
  const conv = new S.Conv2d(2, 3, 3, { rng, padding: 1 });
  const net = new S.Sequential(conv, new S.MaxPool2d(2), new S.CoarseLIF(), new S.Flatten(), new S.Linear(3 * 3 * 3, 4, { rng }), new S.CoarseLIF());
  const T = 3;
  const x = Float32Array.from({ length: T * 2 * 6 * 6 }, () => 2 * rng.uniform());
  const r = Tr.runEventNetwork(net, x, [2, 6, 6], T, { substeps: 4 });
  assert.equal(r.spikesPerLayer.length, 2);
  assert.ok(r.spikesPerLayer[0] > 0);
  assert.equal(r.outputs, 4);
  assert.equal(r.output.length, T * 4);
  assert.throws(() => Tr.runEventNetwork(new S.Sequential(conv, new S.Dropout(0.5), new S.CoarseLIF()), x, [2, 6, 6], T), /CoarseLIF, LIF, IF, Synaptic, Recurrent\), got "a Dropout layer"/);
  assert.throws(() => Tr.runEventNetwork(net, x.subarray(1), [2, 6, 6], T), /values/);
  assert.throws(() => Tr.runEventNetwork(net, x, [2, 6, 6], T, { substeps: 0 }), /substeps/);
  assert.throws(() => Tr.runEventNetwork(net, x, [2, 6, 6], T, { spread: "uniform" }), /generator/);
});

test("impulses at the same instant add up before the threshold; the stepped engine gives the event engine's spikes", () => {
  // +1.2 and −0.5 at the same time: 0.7, no spike (one after the other, the first alone would fire).
  assert.deepEqual(S.runContinuousLif({ t: [0.5, 0.5], w: [1.2, -0.5] }, tau, 1, false).spikes, []);
  assert.deepEqual(S.runContinuousLif({ t: [0.5, 0.6], w: [1.2, -0.5] }, tau, 1, false).spikes, [0.5]);
  const rng = new S.Rng(5);
  const net = new S.Sequential(
    new S.Conv2d(1, 4, 3, { rng, padding: 1 }),
    new S.MaxPool2d(2),
    new S.CoarseLIF(),
    new S.Conv2d(4, 4, 3, { rng }),
    new S.CoarseLIF(),
    new S.Flatten(),
    new S.Linear(4, 3, { rng }),
    new S.CoarseLIF(),
  );
  (net.layers[7] as S.CoarseLIF).output = "membrane";
  const T = 4;
  const B = 3;
  const x = Float32Array.from({ length: T * B * 36 }, () => 3 * rng.uniform());
  for (const fire of ["crossing", "step-end"] as const)
    for (const k of [1, 3, 8]) {
      const stepped = Tr.steppedOutputs(net, S.tensor(x, [T, B, 1, 6, 6]), k, fire);
      const events = [0, 0, 0];
      for (let b = 0; b < B; b++) {
        const xb = new Float32Array(T * 36);
        for (let t = 0; t < T; t++) xb.set(x.subarray((t * B + b) * 36, (t * B + b + 1) * 36), t * 36);
        const e = Tr.runEventNetwork(net, xb, [1, 6, 6], T, { substeps: k, fire });
        e.spikesPerLayer.forEach((v, l) => (events[l] += v));
        for (let t = 0; t < T; t++)
          for (let j = 0; j < 3; j++) assert.ok(Math.abs(e.output[t * 3 + j] - stepped.output[(t * B + b) * 3 + j]) < 1e-4, `${fire}, k = ${k}: membrane`);
      }
      assert.deepEqual(stepped.spikesPerLayer, events, `${fire}, k = ${k}`);
      assert.ok(events[0] > 0, "the network spikes");
    }
  assert.throws(() => Tr.steppedOutputs(net, S.tensor(x, [T, B, 1, 6, 6]), 0), /substeps/);
});
