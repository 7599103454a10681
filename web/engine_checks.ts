// Fixed computations on the wasm kernels (a GEMM, a convolution and its gradient, a LIF layer through
// time), the same in a page and in Node: the browser test compares the page's numbers with Node's. And a
// training step's time, measured the same way in a page and in Node (bench/web.ts).
import { setBackend, setThreads } from "../src/backend/registry.js";
import type { ImageDataset } from "../src/data/dataset.js";
import { trainSteps } from "../src/tasks/train/loop.js";
import { createSession } from "../src/tasks/train/session.js";
import { trainTask } from "../src/tasks/train/task.js";
import { Conv2d } from "../src/nn/conv2d.js";
import { LIF } from "../src/neurons/lif_module.js";
import { Rng } from "../src/random/rng.js";
import { tensor } from "../src/tensor/creation.js";
import { tidy } from "../src/tensor/engine.js";
import { matmul } from "../src/tensor/ops/matmul.js";
import { sum } from "../src/tensor/ops/reduce.js";

/** Uniform values in [−1, 1) from a seed. */
const data = (n: number, seed: number) => {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => 2 * rng.uniform() - 1);
};

/** Each check's result as numbers: large enough for several kernel threads (the GEMM: 256 × 512 × 256). */
export function engineChecks(): Record<string, number[]> {
  setBackend("wasm");
  return tidy(() => {
    const gemm = matmul(tensor(data(256 * 512, 1), [256, 512]), tensor(data(512 * 256, 2), [512, 256])).dataFloat32();
    const conv = new Conv2d(3, 8, 3, { rng: new Rng(3), padding: 1 });
    const x = tensor(data(4 * 3 * 16 * 16, 4), [4, 3, 16, 16], { requiresGrad: true });
    const y = conv.forward(x);
    sum(y).backward();
    const lif = new LIF({ beta: 0.9, threshold: 0.5 }).run(tensor(data(20 * 8 * 32, 5), [20, 8, 32]));
    const pick = (a: Float32Array) => [a.reduce((s, v) => s + v, 0), ...Array.from(a.subarray(0, 6))];
    const out = { gemm: pick(gemm), conv: pick(y.dataFloat32()), conv_grad: pick(conv.weight.grad!.dataFloat32()), lif_spikes: pick(lif.spikes.dataFloat32()), lif_membrane: pick(lif.membrane.dataFloat32()) };
    conv.dispose();
    return out;
  });
}

/** Milliseconds per training step of the MLP preset (batch 64, T = 4) on `threads` threads, the best of `rounds` rounds of 10 steps. */
export function msPerStep(d: { train: ImageDataset; test: ImageDataset }, threads: number, rounds = 3): number {
  setThreads(threads);
  const s = createSession(trainTask.configure({ model: "mlp", neuron: "lif", encoding: "direct", steps: 4, epochs: 1, batchSize: 64, validation: 0 }));
  const data = { train: d.train, validation: null, test: d.test };
  let best = Infinity;
  try {
    const steps = trainSteps(s, data);
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      for (let k = 0; k < 10; k++) steps.next();
      best = Math.min(best, (performance.now() - t0) / 10);
    }
  } finally {
    s.model.dispose();
  }
  return best;
}

