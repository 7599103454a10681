// Training in continuous time: the stepped engine's gradients (finite differences below the threshold,
// where the network is linear in its weights) and its forward pass unchanged by recording gradients
// (`snnkit train --substeps k --init-from`: transfer_cli.test.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import * as S from "../../src/index.js";
import * as Tr from "../../src/transfer.js";

/** A smooth spike: forward σ(4u), the derivative of that (so finite differences see what autograd does). */
const smoothSpike: S.CustomSurrogate = {
  forward: (u) => 1 / (1 + Math.exp(-4 * u)),
  derivative: (u) => {
    const s = 1 / (1 + Math.exp(-4 * u));
    return 4 * s * (1 - s);
  },
};

/** conv → pool → neurons → conv → pool → neurons → linear → neurons (membrane readout), weights scaled. */
function smallNet(seed: number, scale: number, surrogate?: S.CustomSurrogate): S.Sequential {
  const rng = new S.Rng(seed);
  const neurons = () => new S.CoarseLIF(surrogate ? { surrogate } : {});
  const net = new S.Sequential(
    new S.Conv2d(1, 3, 3, { rng, padding: 1 }),
    new S.MaxPool2d(2),
    neurons(),
    new S.Conv2d(3, 2, 3, { rng, padding: 1 }),
    new S.MaxPool2d(3),
    neurons(),
    new S.Flatten(),
    new S.Linear(2, 3, { rng }),
    neurons(),
  );
  (net.layers[8] as S.CoarseLIF).output = "membrane";
  for (const p of net.parameters()) p.storage.f32().set(p.dataFloat32().map((w) => w * scale));
  return net;
}

test("with a smooth spike function, the stepped engine's gradient equals finite differences through every layer", () => {
  // Smooth spikes make the whole run differentiable: decay, the reset v·(1 − s), spreading, the pooling of
  // impulse currents, biases. The refractory mask is piecewise constant; h stays inside one piece.
  const net = smallNet(3, 1.5, smoothSpike);
  const T = 3;
  const B = 2;
  const k = 3;
  const rng = new S.Rng(8);
  // (objective(false) would run the indicator spikes: the comparison uses the recorded, smooth run only.)
  const x = S.tensor(Float32Array.from({ length: T * B * 36 }, () => rng.uniform()), [T, B, 1, 6, 6]);
  const c = Float32Array.from({ length: T * B * 3 }, () => rng.normal());
  const objective = (record: boolean) =>
    S.tidy(() => {
      const r = Tr.runSteppedNetwork(net, x, k, "crossing", record);
      const loss = S.sum(S.mul(r.output, S.tensor(c, r.output.shape)));
      if (record) loss.backward();
      return loss.item();
    });
  objective(true);
  const params = net.parameters();
  const grads = params.map((p) => Float64Array.from(p.grad!.dataFloat32()));
  params.forEach((p) => p.zeroGrad());
  // The refractory mask jumps where r crosses ½: a point whose estimates at h and 2h differ straddles a
  // jump and is skipped; every other point must match.
  const fdAt = (w: Float32Array, i: number, h: number) => {
    const w0 = w[i];
    w[i] = w0 + h;
    const up = objective(true);
    w[i] = w0 - h;
    const down = objective(true);
    w[i] = w0;
    params.forEach((q) => q.zeroGrad());
    return (up - down) / (2 * h);
  };
  let checked = 0;
  let points = 0;
  params.forEach((p, pi) => {
    const w = p.storage.f32();
    for (const i of new Set([0, Math.floor(w.length / 3), Math.floor((2 * w.length) / 3), w.length - 1])) {
      points++;
      const [fd, fd2] = [fdAt(w, i, 1e-3), fdAt(w, i, 2e-3)];
      if (Math.abs(fd - fd2) > 1e-2 * Math.max(1, Math.abs(fd))) continue;
      assert.ok(Math.abs(fd - grads[pi][i]) <= 2e-3 * Math.max(1, Math.abs(fd)), `parameter ${pi}[${i}]: autograd ${grads[pi][i]}, finite differences ${fd}`);
      checked++;
    }
  });
  assert.ok(checked >= 0.7 * points, `${checked} of ${points} points away from the refractory mask's jumps`);
  assert.ok(grads[0].some((g) => Math.abs(g) > 1e-3), "the first layer's weights reach the output");
});

test("recording gradients does not change the stepped engine's spikes or output; spikes pass the surrogate gradient", () => {
  const net = smallNet(4, 2);
  const T = 3;
  const B = 2;
  const rng = new S.Rng(9);
  const x = S.tensor(Float32Array.from({ length: T * B * 36 }, () => 2 * rng.uniform()), [T, B, 1, 6, 6]);
  const plain = Tr.steppedOutputs(net, x, 4);
  let out: Float32Array = new Float32Array(0);
  let spikes: number[] = [];
  S.tidy(() => {
    const r = Tr.runSteppedNetwork(net, x, 4, "crossing", true);
    out = r.output.dataFloat32();
    spikes = r.spikesPerLayer;
    S.sum(r.output).backward();
  });
  assert.ok(spikes[0] > 0, "the network spikes");
  assert.deepEqual(spikes, plain.spikesPerLayer);
  assert.deepEqual([...out], [...plain.output]);
  // A batch too large for one piece (2·64 substeps: chunks of 25 images) runs in chunks without gradients:
  // the same output and spikes as in one piece.
  const big = S.tensor(Float32Array.from({ length: 2 * 450 * 36 }, () => 2 * rng.uniform()), [2, 450, 1, 6, 6]);
  const chunked = Tr.steppedOutputs(net, big, 64);
  let whole = { output: new Float32Array(0) as Float32Array, spikes: [] as number[] };
  S.tidy(() => {
    const r = Tr.runSteppedNetwork(net, big, 64, "crossing", true);
    whole = { output: r.output.dataFloat32(), spikes: r.spikesPerLayer };
  });
  assert.deepEqual(chunked.spikesPerLayer, whole.spikes);
  assert.deepEqual([...chunked.output], [...whole.output]);
  assert.deepEqual(chunked.shape, [2, 450, 3]);
  big.dispose();
  // The first layer's weights reach the output only through spikes: a nonzero gradient there is the surrogate's.
  const g = net.parameters()[0].grad!.dataFloat32();
  assert.ok(g.some((v) => v !== 0), "gradient through the spikes");
  net.parameters().forEach((p) => p.zeroGrad());
});
