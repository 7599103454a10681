// The ownership model: a training loop inside tidy() does not grow memory.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as S from "../../src/index.js";

for (const backend of ["wasm", "js"] as const) {
  test(`2,000 training steps keep live tensors and ${backend} memory flat`, () => {
    S.setBackend(backend);
    const rng = new S.Rng(7);
    const w1 = S.randn([16, 32], { rng, std: 0.3, requiresGrad: true });
    const w2 = S.randn([32, 4], { rng, std: 0.3, requiresGrad: true });
    const x = S.keep(S.bernoulli(0.3, [5, 8, 16], { rng }));
    const labels = [0, 1, 2, 3, 0, 1, 2, 3];
    const step = () =>
      S.tidy(() => {
        const h = S.lif(S.matmul(x, w1), { detachReset: true }).spikes;
        const out = S.lif(S.matmul(h, w2), { detachReset: true }).spikes;
        const loss = S.crossEntropy(S.sum(out, 0), labels);
        loss.backward();
        S.noGrad(() => {
          for (const w of [w1, w2]) {
            w.backend.axpy(w.storage, w.grad!.storage, -0.01);
            w.zeroGrad();
          }
        });
        return loss.item();
      });
    for (let i = 0; i < 20; i++) step();
    const before = S.memoryInfo();
    for (let i = 0; i < 2000; i++) step();
    const after = S.memoryInfo();
    assert.deepEqual(after, before);
    S.dispose([w1, w2, x]);
    assert.equal(S.memoryInfo().numTensors, before.numTensors - 3);
  });
}
