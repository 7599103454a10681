// Chunked BPTT: memory-lean recomputation equals plain BPTT; truncation equals a graph cut at the chunk starts.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as S from "../../src/index.js";
import { assertClose, randomData } from "../helpers.js";

type Net = { model: S.Sequential; rngs: S.Rng[] };
const T = 23;
const B = 3;
const IN = 6;

/** Networks that carry every kind of state: membranes, synaptic currents, recurrent spikes, delay lines, noise. */
const NETWORKS: Record<string, () => Net> = {
  lif: () => ({ model: new S.Sequential(new S.Linear(IN, 8, { rng: new S.Rng(1) }), new S.LIF({ beta: 0.9, threshold: 0.5 }), new S.Linear(8, 4, { rng: new S.Rng(2) }), new S.LIF({ beta: 0.8 })), rngs: [] }),
  "lif zero reset, Norse": () => ({ model: new S.Sequential(new S.Linear(IN, 8, { rng: new S.Rng(1) }), new S.LIF({ convention: "norse", reset: "zero", threshold: 0.3 }), new S.Linear(8, 4, { rng: new S.Rng(2) }), new S.LIF({ beta: 0.8 })), rngs: [] }),
  synaptic: () => ({ model: new S.Sequential(new S.Linear(IN, 8, { rng: new S.Rng(1) }), new S.Synaptic({ alpha: 0.7, beta: 0.9, threshold: 0.4 }), new S.Linear(8, 4, { rng: new S.Rng(2) }), new S.LIF()), rngs: [] }),
  "recurrent with delays": () => ({
    model: new S.Sequential(
      new S.Linear(IN, 5, { rng: new S.Rng(1) }),
      new S.Delay([0, 1, 3, 7, 2], [5]),
      new S.Recurrent(new S.LIF({ beta: 0.9, threshold: 0.4 }), new S.Linear(5, 5, { rng: new S.Rng(3) })),
      new S.Linear(5, 4, { rng: new S.Rng(2) }),
      new S.LIF(),
    ),
    rngs: [],
  }),
  "alif and alpha": () => ({
    model: new S.Sequential(new S.Linear(IN, 8, { rng: new S.Rng(1) }), new S.ALIF({ beta: 0.9, threshold: 0.5, tauAdapt: 10 }), new S.Linear(8, 4, { rng: new S.Rng(2) }), new S.Alpha({ reset: "zero", detachReset: false, threshold: 0.5 })),
    rngs: [],
  }),
  noisy: () => {
    const rng = new S.Rng(9);
    return { model: new S.Sequential(new S.Linear(IN, 8, { rng: new S.Rng(1) }), new S.NoisyLIF({ beta: 0.6, noise: "gaussian:0.3", rng }), new S.Linear(8, 4, { rng: new S.Rng(2) }), new S.LIF()), rngs: [rng] };
  },
};

const labels = [0, 3, 1];
const input = () => S.tensor(randomData(T * B * IN, 5, 1.2), [T, B, IN]);
const loss = (out: S.Tensor) => S.ceMembraneLoss(out, labels);

function clearGrads(net: Net): void {
  for (const p of net.model.parameters()) {
    p.grad?.dispose();
    p.grad = null;
  }
}

/** Every parameter's gradient after a backward pass. */
function gradients(net: Net, pass: (n: Net) => number): { loss: number; grads: Float32Array[] } {
  let out = { loss: NaN, grads: [] as Float32Array[] };
  S.tidy(() => {
    clearGrads(net);
    const value = pass(net);
    out = { loss: value, grads: net.model.parameters().map((p) => p.grad!.dataFloat32().slice()) };
  });
  return out;
}

function withMembraneReadout(net: Net): Net {
  const last = net.model.layers.at(-1);
  if (last instanceof S.SpikingNeuron) last.output = "membrane";
  return net;
}

/** Plain BPTT: the whole sequence in one graph. */
const plain = (n: Net): number => {
  const l = loss(n.model.run(input()).output);
  l.backward();
  return l.item();
};

/** Truncation written as one graph whose states are detached at every chunk's start. */
const detachedAtChunks = (K: number) => (n: Net): number => {
  const x = input();
  let states: (S.LayerState | null)[] = n.model.layers.map(() => null);
  const outs: S.Tensor[] = [];
  for (let t = 0; t < T; t += K) {
    const len = Math.min(K, T - t);
    const detached = states.map((s) => (s ? Object.fromEntries(Object.entries(s).map(([k, v]) => [k, S.detach(v)])) : null));
    const r = n.model.run(S.slice(x, [t, 0, 0], [len, B, IN]), { states: detached });
    outs.push(r.output);
    states = r.finals!;
  }
  const l = loss(S.concat(outs, 0));
  l.backward();
  return l.item();
};

const chunked = (K: number, mode: S.ChunkedBpttMode) => (n: Net): number => S.chunkedBackward(n.model, input(), { chunk: K, mode, rngs: n.rngs }, loss).loss;

for (const backend of ["js", "wasm"] as const) {
  describe(`chunked BPTT (${backend})`, () => {
    test.before(() => S.setBackend(backend));
    for (const [name, make] of Object.entries(NETWORKS)) {
      test(`${name}: recompute equals plain BPTT for chunks of 1, 5 and T`, () => {
        const reference = gradients(withMembraneReadout(make()), plain);
        assert.ok(reference.grads.some((g) => g.some((v) => v !== 0)), "the reference gradient is not all zero");
        for (const K of [1, 5, T]) {
          const r = gradients(withMembraneReadout(make()), chunked(K, "recompute"));
          assert.equal(r.loss, reference.loss, `K = ${K}: the forward pass is the same computation`);
          r.grads.forEach((g, i) => assertClose(g, reference.grads[i], 1e-6, 1e-4, `K = ${K}, parameter ${i}`));
        }
      });
      test(`${name}: truncated equals the graph detached at every chunk's start`, () => {
        for (const K of [4, 10]) {
          const reference = gradients(withMembraneReadout(make()), detachedAtChunks(K));
          const r = gradients(withMembraneReadout(make()), chunked(K, "truncated"));
          assert.equal(r.loss, reference.loss);
          r.grads.forEach((g, i) => assertClose(g, reference.grads[i], 1e-6, 1e-4, `K = ${K}, parameter ${i}`));
        }
      });
    }
    test("truncation changes the gradient of a recurrent network (the test can tell the modes apart)", () => {
      const full = gradients(withMembraneReadout(NETWORKS["recurrent with delays"]()), plain);
      const cut = gradients(withMembraneReadout(NETWORKS["recurrent with delays"]()), chunked(4, "truncated"));
      const differs = cut.grads.some((g, i) => g.some((v, j) => Math.abs(v - full.grads[i][j]) > 1e-4 * (1 + Math.abs(full.grads[i][j]))));
      assert.ok(differs);
    });
  });
}

describe("chunked BPTT: memory and errors", () => {
  test.before(() => S.setBackend("wasm"));
  test("leaves no tensor behind and holds the graph of one chunk", () => {
    const net = withMembraneReadout(NETWORKS.lif());
    const peak = (pass: (n: Net) => number) =>
      S.tidy(() => {
        S.resetPeakMemory();
        const before = S.memoryInfo().bytesInUse;
        pass(net);
        return S.memoryInfo().peakBytesInUse - before;
      });
    const live = S.memoryInfo().numTensors;
    const lean = peak(chunked(2, "recompute"));
    clearGrads(net);
    assert.equal(S.memoryInfo().numTensors, live);
    const full = peak(plain);
    clearGrads(net);
    assert.ok(lean < full, `peak ${lean} bytes recomputing, ${full} storing`);
  });
  test("bad chunks and layers that cannot continue a sequence are named", () => {
    const net = NETWORKS.lif();
    assert.throws(() => S.chunkedBackward(net.model, input(), { chunk: 0, mode: "recompute" }, loss), /chunk/);
    const dropout = new S.Sequential(new S.Linear(IN, 4, { rng: new S.Rng(1) }), new S.Dropout(0.2), new S.LIF());
    assert.throws(() => S.chunkedBackward(dropout, input(), { chunk: 4, mode: "recompute" }, loss), (e: unknown) => e instanceof S.ValueError && /Dropout/.test((e as Error).message));

  });
});
