// NIR graphs as trainable snnkit networks and back: every fixture imported by nirToNetwork spikes as the
// reference executor (runNir) runs the file, step for step; snnkit networks exported by networkToNir and
// read back give identical outputs; what NIR cannot express, and what nirToNetwork cannot build, is named.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { DataError, ValueError } from "../../src/errors.js";
import type { NirArray, NirGraph, NirNode } from "../../src/nir/graph.js";
import { readNir } from "../../src/nir/hdf5.js";
import { writeNir } from "../../src/nir/hdf5_write.js";
import { networkForInput, networkToNir, nirToNetwork } from "../../src/nir/network.js";
import { buildNetwork } from "../../src/nir/network_spec.js";
import { runNir } from "../../src/nir/run.js";
import { Linear } from "../../src/nn/linear.js";
import { Sequential } from "../../src/nn/sequential.js";
import { LIF } from "../../src/neurons/lif_module.js";
import { Recurrent } from "../../src/neurons/recurrent.js";
import { Rng } from "../../src/random/rng.js";
import { runEventNetwork } from "../../src/transfer/event_network.js";
import { runSteppedNetwork } from "../../src/transfer/stepped_network.js";
import { tensor } from "../../src/tensor/creation.js";
import { noGrad, tidy } from "../../src/tensor/engine.js";
import { buildModel, type ModelSpec } from "../../src/tasks/train/models.js";
import { moduleGradCheck, randomData } from "../helpers.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "nir");
const read = async (name: string) => (await readNir(readFileSync(join(FIXTURES, name)), name)).graph;
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Random input spikes (scaled by `amplitude`) of T steps for a network of input shape `shape`. */
function spikes(T: number, shape: readonly number[], seed: number, amplitude = 3, p = 0.3): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: T * size(shape) }, () => (rng.uniform() < p ? amplitude : 0));
}

/** runNir's single output at every step, flattened. */
function reference(g: NirGraph, x: Float32Array, T: number, dt: number, method: "euler" | "exact" = "euler"): Float64Array {
  const input = Object.entries(g.nodes).find(([, n]) => n.type === "Input")![0];
  const n = x.length / T;
  const out = Object.values(runNir(g, { [input]: Array.from({ length: T }, (_, t) => Float64Array.from(x.subarray(t * n, (t + 1) * n))) }, { dt, steps: T, method }))[0];
  return Float64Array.from(out.flatMap((v) => [...v]));
}

const forward = (model: Sequential, x: Float32Array, shape: readonly number[], T: number): Float32Array => {
  let out: Float32Array = new Float32Array(0);
  tidy(() => noGrad(() => void (out = model.forward(tensor(x, [T, 1, ...shape])).dataFloat32())));
  return out;
};

const FILES = ["snntorch_lif.nir", "lif_rockpool.nir", "two_lif_neurons.nir", "braille_noDelay_bias_zero.nir", "braille_noDelay_bias_zero_subgraph.nir", "conv_cuba_gzip_nir1.nir"];

test("every fixture imports and spikes as runNir runs the file, step for step (forward Euler; dt 1e-4 and 5e-5)", async () => {
  for (const name of FILES) {
    const g = await read(name);
    // two_lif_neurons' second neuron (θ = 20, driven by the first one's spikes through w = 1) fires within 60 steps at a threshold of 0.005.
    if (name.startsWith("two")) ((g.nodes.lif2 as NirNode).params.v_threshold as NirArray).data[0] = 0.005;
    for (const dt of [1e-4, 5e-5]) {
      const net = nirToNetwork(g, { dt, file: name });
      const T = 60;
      // two_lif_neurons' second neuron needs a strong drive (θ = 20).
      const x = spikes(T, net.spec.input, 7, name.startsWith("two") ? 400 : 3);
      const ours = forward(net.model, x, net.spec.input, T);
      const ref = reference(g, x, T, dt);
      assert.equal(ours.length, ref.length, name);
      assert.ok(ref.some((v) => v > 0), `${name}: the reference spikes`);
      assert.deepEqual(Array.from(ours), Array.from(ref, Math.fround), `${name} at dt ${dt}`);
      net.model.dispose();
    }
  }
  const braille = nirToNetwork(await read("braille_noDelay_bias_zero.nir"), { dt: 1e-4 });
  assert.deepEqual(braille.spec.layers.map((l) => l.kind), ["linear", "recurrent", "linear", "synaptic"]);
  braille.model.dispose();
});

test("the exact discretisation: a LIF graph imported with method exact spikes as runNir's exact step", async () => {
  for (const name of ["snntorch_lif.nir", "lif_rockpool.nir", "two_lif_neurons.nir"]) {
    const g = await read(name);
    const net = nirToNetwork(g, { dt: 2e-4, method: "exact" });
    const x = spikes(50, net.spec.input, 3, name.startsWith("two") ? 400 : 3);
    assert.deepEqual(Array.from(forward(net.model, x, net.spec.input, 50)), Array.from(reference(g, x, 50, 2e-4, "exact"), Math.fround), name);
    net.model.dispose();
  }
  await assert.rejects(async () => nirToNetwork(await read("braille_noDelay_bias_zero.nir"), { dt: 1e-4, method: "exact" }), (e: unknown) => e instanceof DataError && /CubaLIF node maps to snnkit's Synaptic layer by forward Euler only/.test((e as Error).message));
});

/** The train presets NIR can express, built small. */
const PRESETS: (Omit<ModelSpec, "rng"> & { neuron: "lif" | "if" | "synaptic" | "coarse" })[] = [
  { model: "mlp", neuron: "lif" },
  { model: "mlp", neuron: "if" },
  { model: "mlp", neuron: "synaptic" },
  { model: "mlp", neuron: "coarse" },
];

test("export → file → import: snnkit networks come back with identical outputs (both discretisations), and with their settings", async () => {
  for (const preset of PRESETS)
    for (const method of ["euler", "exact"] as const) {
      const model = buildModel({ ...preset, rng: new Rng(5) });
      const graph = networkToNir(model, { dt: 1e-3, method, inputShape: [1, 28, 28] });
      const bytes = await writeNir({ version: "1.0", graph });
      const back = await readNir(bytes, "exported.nir");
      const net = nirToNetwork(back.graph, { dt: 1e-3, method, file: "exported.nir" });
      assert.deepEqual(net.warnings, [], `${preset.neuron} ${method}`);
      const x = spikes(12, [1, 28, 28], 11, 1, 0.2);
      assert.deepEqual(forward(net.model, x, [1, 28, 28], 12), forward(model, x, [1, 28, 28], 12), `${preset.neuron} ${method}`);
      assert.deepEqual(net.model.stateDict()["1.weight"].data, model.stateDict()["1.weight"].data);
      const neuron = back.graph.nodes["2"] as NirNode;
      assert.equal(neuron.type, { lif: "LIF", if: "IF", synaptic: "CubaLIF", coarse: "LIF" }[preset.neuron]);
      assert.equal(neuron.metadata.discretisation, method);
      assert.equal(neuron.metadata.reset, preset.neuron === "coarse" ? "zero" : "subtract");
      assert.equal(Number((neuron.metadata.dt as NirArray).data[0]), 1e-3);
      model.dispose();
      net.model.dispose();
    }
});

test("an exported LIF's parameters are NIR's for the same step: τ = dt/(1 − β) and R = 1/(1 − β) under Euler, τ = −dt/ln β under exact", () => {
  const model = new Sequential(new Linear(3, 2, { rng: new Rng(1) }), new LIF({ beta: 0.9, threshold: 0.5 }));
  const at = (method: "euler" | "exact") => (networkToNir(model, { dt: 1e-4, method, inputShape: [3] }).nodes["1"] as NirNode).params;
  const value = (p: Record<string, unknown>, name: string) => Number((p[name] as NirArray).data[0]);
  assert.ok(Math.abs(value(at("euler"), "tau") - 1e-4 / 0.1) < 1e-15);
  assert.ok(Math.abs(value(at("euler"), "r") - 10) < 1e-12);
  assert.ok(Math.abs(value(at("exact"), "tau") + 1e-4 / Math.log(0.9)) < 1e-15);
  assert.equal(value(at("exact"), "v_threshold"), 0.5);
  // Without snnkit's metadata the file reads by NIR's semantics, which runNir runs: same as the import.
  const graph = networkToNir(model, { dt: 1e-4, inputShape: [3] });
  (graph.nodes["1"] as NirNode).metadata = {};
  const net = nirToNetwork(graph, { dt: 1e-4 });
  assert.deepEqual(net.spec.layers[1], { kind: "lif", beta: 0.9, threshold: 0.5, reset: "zero", inputGain: net.spec.layers[1].kind === "lif" ? net.spec.layers[1].inputGain : 0, refractoryGain: net.spec.layers[1].kind === "lif" ? net.spec.layers[1].inputGain : 0, output: "spikes" });
  const x = spikes(30, [3], 2, 1, 0.5);
  assert.deepEqual(Array.from(forward(net.model, x, [3], 30)), Array.from(reference(graph, x, 30, 1e-4), Math.fround));
  // Imported at another dt, the metadata no longer matches: NIR's semantics, with a warning.
  const other = nirToNetwork(networkToNir(model, { dt: 1e-4, inputShape: [3] }), { dt: 5e-5 });
  assert.ok(other.warnings.some((w) => /written at dt = 0.0001 s; imported at dt = 0.00005 s|written at dt = 0\.0001 s/.test(w)), other.warnings.join("; "));
  assert.ok(other.warnings.some((w) => /do not give these parameters at dt = 0\.00005 s/.test(w)), other.warnings.join("; "));
  for (const m of [model, net.model, other.model]) m.dispose();
});

test("Delay: each unit's input arrives its delay later, as runNir runs it; a network with a Delay layer exports and comes back identical", async () => {
  const f64 = (values: number[], shape = [values.length]): NirArray => ({ dtype: "float64", shape, data: Float64Array.from(values) });
  const graph: NirGraph = {
    type: "NIRGraph",
    params: {},
    metadata: {},
    nodes: {
      input: { type: "Input", params: { shape: { dtype: "int64", shape: [1], data: BigInt64Array.of(3n) } }, metadata: {} },
      delay: { type: "Delay", params: { delay: f64([0, 2e-4, 5e-4]) }, metadata: {} },
      affine: { type: "Affine", params: { weight: f64([1, 0.5, -0.25, 0.3, 1, 0.7], [2, 3]), bias: f64([0.1, 0]) }, metadata: {} },
      lif: { type: "LIF", params: { tau: f64([1e-3, 1e-3]), r: f64([10, 10]), v_leak: f64([0, 0]), v_threshold: f64([0.5, 0.5]) }, metadata: {} },
      output: { type: "Output", params: { shape: { dtype: "int64", shape: [1], data: BigInt64Array.of(2n) } }, metadata: {} },
    },
    edges: [["input", "delay"], ["delay", "affine"], ["affine", "lif"], ["lif", "output"]],
  };
  const net = nirToNetwork(graph, { dt: 1e-4 });
  assert.deepEqual(net.spec.layers[0], { kind: "delay", shape: [3], steps: [0, 2, 5] });
  const x = spikes(40, [3], 4, 2, 0.4);
  const ours = forward(net.model, x, [3], 40);
  assert.ok(ours.some((v) => v > 0));
  assert.deepEqual(Array.from(ours), Array.from(reference(graph, x, 40, 1e-4), Math.fround));
  const back = nirToNetwork((await readNir(await writeNir({ version: "1.0", graph: networkToNir(net.model, { dt: 1e-4, inputShape: [3] }) }), "d.nir")).graph, { dt: 1e-4 });
  assert.deepEqual(forward(back.model, x, [3], 40), ours);
  net.model.dispose();
  back.model.dispose();
});

test("a recurrent layer exports as a subgraph and comes back identical", async () => {
  const cell = new LIF({ beta: 0.8, threshold: 0.7 });
  const model = new Sequential(new Linear(4, 5, { rng: new Rng(2) }), new Recurrent(cell, new Linear(5, 5, { rng: new Rng(3) })), new Linear(5, 3, { rng: new Rng(4) }), new LIF({ beta: 0.9 }));
  const graph = networkToNir(model, { dt: 1e-3, inputShape: [4] });
  const sub = graph.nodes["1"] as NirGraph;
  assert.equal(sub.type, "NIRGraph");
  assert.deepEqual(sub.edges, [["input", "cell"], ["cell", "feedback"], ["feedback", "cell"], ["cell", "output"]]);
  const back = nirToNetwork((await readNir(await writeNir({ version: "1.0", graph }), "r.nir")).graph, { dt: 1e-3 });
  const x = spikes(25, [4], 9, 2, 0.4);
  const ours = forward(model, x, [4], 25);
  assert.ok(ours.some((v) => v > 0));
  assert.deepEqual(forward(back.model, x, [4], 25), ours);
  model.dispose();
  back.model.dispose();
});

test("an imported LIF graph runs on the event-driven and stepped engines as NIR's ODE: spikes where the closed form crosses θ", async () => {
  const g = await read("lif_rockpool.nir");
  const first = (node: string, p: string) => Number(((g.nodes[node] as NirNode).params[p] as NirArray).data[0]);
  const [w, tau, r, theta] = [first("0_LinearTorch", "weight"), first("1_LIFNeuronTorch", "tau"), first("1_LIFNeuronTorch", "r"), first("1_LIFNeuronTorch", "v_threshold")];
  const dt = 1e-4;
  const net = nirToNetwork(g, { dt, method: "exact" });
  const [T, x, k] = [30, 0.8, 1000];
  // From rest, v(t) = R·w·x·(1 − e^{−t/τ}) reaches θ at t* and resets to 0: spikes at n·t*, counted per step of dt.
  const vInf = r * w * x;
  const period = (tau / dt) * Math.log(vInf / (vInf - theta));
  const expected = Array.from({ length: T }, (_, s) => Array.from({ length: 40 }, (_, n) => (n + 1) * period).filter((t) => t >= s && t < s + 1).length);
  // Several spikes, none within 1/k·10 of a step's edge (where the engines' k impulses per step may place it either side).
  assert.ok(expected.reduce((a, b) => a + b, 0) >= 6);
  for (let n = 1; n * period < T; n++) assert.ok(Math.abs(n * period - Math.round(n * period)) > 10 / k, `spike ${n} at ${n * period}`);
  const event = runEventNetwork(net.model, new Float32Array(T).fill(x), [1], T, { substeps: k });
  assert.deepEqual(Array.from(event.output), expected, "event engine");
  const stepped = runSteppedNetwork(net.model, tensor(new Float32Array(T).fill(x), [T, 1, 1]), k);
  assert.deepEqual(Array.from(stepped.output.dataFloat32()), expected, "stepped engine");
  stepped.output.dispose();
  net.model.dispose();
});

test("what NIR cannot express is named: max pooling, noisy neurons; what nirToNetwork cannot build is named with its node and field", async () => {
  const conv = buildModel({ model: "conv", neuron: "lif", rng: new Rng(1) });
  assert.throws(() => networkToNir(conv, { dt: 1e-4, inputShape: [1, 28, 28] }), (e: unknown) => e instanceof ValueError && /layer 1 \(MaxPool2d\).*MaxPool2d \(NIR pools by sum or average only\)/.test((e as Error).message));
  const noisy = buildModel({ model: "mlp", neuron: "noisy", rng: new Rng(1), noiseRng: new Rng(2) });
  assert.throws(() => networkToNir(noisy, { dt: 1e-4, inputShape: [784] }), (e: unknown) => e instanceof ValueError && /layer 2 \(NoisyLIF\).*noisy neurons/.test((e as Error).message));
  assert.throws(() => networkToNir(buildModel({ model: "mlp", neuron: "lif", rng: new Rng(1) }), { dt: 0, inputShape: [784] }), ValueError);
  for (const m of [conv, noisy]) m.dispose();

  const g = await read("two_lif_neurons.nir");
  const lif1 = g.nodes.lif1 as NirNode;
  const tau = lif1.params.tau as NirArray;
  // Per-neuron values that differ, a reset that is not 0, a τ shorter than dt, a branch.
  const variants: [string, (h: NirGraph) => void, RegExp][] = [
    ["reset", (h) => ((h.nodes.lif1 as NirNode).params.v_reset = { ...tau, data: Float64Array.of(0.5) }), /lif1\.v_reset: 0\.5; snnkit's neurons reset to 0/],
    ["tau", (h) => ((h.nodes.lif1 as NirNode).params.tau = { ...tau, data: Float64Array.of(1e-5) }), /lif1\.tau: 0\.00001 s is shorter than dt = 0\.0001 s/],
    ["branch", (h) => h.edges.push(["in", "linear2"]), /in: feeds linear1, linear2; nirToNetwork takes a chain/],
    ["delay", (h) => ((h.nodes.linear2 as NirNode).type = "Delay"), /linear2\.delay: missing/],
    ["unknown", (h) => ((h.nodes.linear2 as NirNode).type = "Spiky"), /linear2: a Spiky node, which nirToNetwork has no layer for/],
  ];
  for (const [what, edit, message] of variants) {
    const h = structuredClone(g);
    edit(h);
    assert.throws(() => nirToNetwork(h, { dt: 1e-4, file: "edited.nir" }), (e: unknown) => e instanceof DataError && /^edited\.nir: /.test((e as Error).message) && message.test((e as Error).message), what);
  }
  const wide = structuredClone(await read("braille_noDelay_bias_zero.nir"));
  const r = (wide.nodes["lif1.lif"] as NirNode).params.r as NirArray;
  (r.data as Float64Array)[3] = 11;
  assert.throws(() => nirToNetwork(wide, { dt: 1e-4, file: "w.nir" }), (e: unknown) => e instanceof DataError && /lif1\.lif\.r: per-neuron values from 9\.99\d* to 11/.test((e as Error).message));
});

test("an imported network trains: the gradients of a recurrent leaky layer, Synaptic with the previous step's current, Conv1d and Scale equal finite differences", () => {
  const spec = {
    input: [2, 6],
    layers: [
      { kind: "conv1d", in: 2, out: 3, kernel: 3, stride: 1, padding: 1, bias: true },
      { kind: "scale", shape: [], factors: [0.5] },
      { kind: "flatten" },
      { kind: "linear", in: 18, out: 4, bias: true },
      { kind: "recurrent", size: 4, bias: true, cell: { kind: "lif", beta: 0.8, threshold: 1e30, reset: "none", inputGain: 0.7, refractoryGain: 0, output: "membrane" } },
      { kind: "synaptic", alpha: 0.6, beta: 0.9, threshold: 1e30, reset: "none", inputGain: 0.3, refractoryGain: 0, currentGain: 2, previousCurrent: true, output: "membrane" },
    ],
  } as const;
  const model = buildNetwork(structuredClone(spec) as never, { rng: new Rng(4) });
  const x = tensor(randomData(5 * 2 * 12, 3), [5, 2, 2, 6], { requiresGrad: true });
  moduleGradCheck(() => model.forward(x), [["x", x], ...model.namedParameters()], { atol: 2e-3, rtol: 2e-2 });
  x.dispose();
  model.dispose();
});

test("networkForInput: a flat Input gets a Flatten first and its weights renamed; another size or shape is named", async () => {
  const net = nirToNetwork(networkToNir(buildModel({ model: "mlp", neuron: "lif", rng: new Rng(1) }), { dt: 1e-4, inputShape: [784] }), { dt: 1e-4 });
  // The exported MLP starts with a Flatten of its own; its Input here is flat.
  const fitted = networkForInput(net, [1, 28, 28], "m.nir");
  assert.deepEqual(fitted.spec.input, [1, 28, 28]);
  assert.equal(fitted.spec.layers[0].kind, "flatten");
  assert.deepEqual(Object.keys(fitted.weights).sort(), Object.keys(net.model.stateDict()).map((k) => k.replace(/^(\d+)/, (i) => String(Number(i) + 1))).sort());
  assert.throws(() => networkForInput(net, [1, 20, 20], "m.nir", "the images"), (e: unknown) => e instanceof DataError && /^m\.nir: its Input takes \[784\]; the images are \[1,20,20\]$/.test((e as Error).message));
  const square = nirToNetwork(networkToNir(new Sequential(new Linear(4, 2, { rng: new Rng(2) }), new LIF()), { dt: 1e-4, inputShape: [4] }), { dt: 1e-4 });
  const shaped = { ...square, spec: { ...square.spec, input: [2, 2] } };
  assert.throws(() => networkForInput(shaped, [1, 4], "s.nir"), (e: unknown) => e instanceof DataError && /s\.nir: its Input takes \[2,2\]; the inputs are \[1,4\] \(give the Input their shape, or flat\)/.test((e as Error).message));
  for (const m of [net.model, square.model]) m.dispose();
});
