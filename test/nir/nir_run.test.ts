// Running NIR graphs: Rockpool's single LIF on a step current spikes where the closed-form LIF crosses
// its threshold (exactly, and as forward Euler's own closed form says); the exact step is exact (one step
// of 2h equals two of h); the Braille network gives the same spikes from its flat and its nested file.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../../src/cli/program.js";
import { withConsole } from "../helpers.js";
import { DataError, ValueError } from "../../src/errors.js";
import type { NirArray, NirGraph, NirNode } from "../../src/nir/graph.js";
import { readNir } from "../../src/nir/hdf5.js";
import { runNir } from "../../src/nir/run.js";
import { Rng } from "../../src/random/rng.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "nir");
const read = async (name: string) => (await readNir(readFileSync(join(FIXTURES, name)), name)).graph;
const first = (n: NirNode | NirGraph, p: string) => Number((n.params[p] as NirArray).data[0]);

test("Rockpool's LIF on a step current: spikes every k* steps, k* from the closed form (exact) and from Euler's recurrence (euler)", async () => {
  const g = await read("lif_rockpool.nir");
  const lif = g.nodes["1_LIFNeuronTorch"];
  const [w, tau, r, theta] = [first(g.nodes["0_LinearTorch"], "weight"), first(lif, "tau"), first(lif, "r"), first(lif, "v_threshold")];
  for (const [dt, x] of [[1e-4, 1], [1e-4, 0.2], [3e-5, 2]]) {
    const vInf = r * w * x;
    // Exact: v after m steps from rest is v∞(1 − e^{−m·dt/τ}); Euler: v∞(1 − (1 − dt/τ)^m). A spike resets to 0, so the period is the first m above θ.
    const period = (after: (m: number) => number) => {
      let m = 1;
      while (!(after(m) > theta)) m++;
      return m;
    };
    const steps = 60;
    const expected = (k: number) => Array.from({ length: steps }, (_, j) => ((j + 1) % k === 0 ? 1 : 0));
    for (const [method, after] of [["exact", (m: number) => vInf * (1 - Math.exp((-m * dt) / tau))], ["euler", (m: number) => vInf * (1 - (1 - dt / tau) ** m)]] as const) {
      const k = period(after);
      const out = runNir(g, { input: Array.from({ length: steps }, () => Float64Array.of(x)) }, { dt, steps, method });
      assert.deepEqual(out.output.map((v) => v[0]), expected(k), `${method}, dt ${dt}, x ${x}: every ${k} steps`);
    }
  }
});

/** A graph Input → node → Output around one neuron node. */
const around = (node: NirNode, n: number): NirGraph => {
  const shape: NirArray = { dtype: "int64", shape: [1], data: BigInt64Array.of(BigInt(n)) };
  return { type: "NIRGraph", params: {}, metadata: {}, edges: [["in", "n"], ["n", "out"]], nodes: { in: { type: "Input", params: { shape }, metadata: {} }, n: node, out: { type: "Output", params: { shape }, metadata: {} } } };
};
const arr = (...v: number[]): NirArray => ({ dtype: "float64", shape: [v.length], data: Float64Array.from(v) });

test("the exact step is the ODE's solution: one step of 2h equals two steps of h, for LI and CubaLI (τ_syn ≠ τ_mem and =)", () => {
  for (const node of [
    { type: "LI", params: { tau: arr(0.02, 0.005), r: arr(2, 0.5), v_leak: arr(0.1, -0.3) }, metadata: {} },
    { type: "CubaLI", params: { tau_syn: arr(0.004, 0.01), tau_mem: arr(0.02, 0.01), r: arr(2, 3), v_leak: arr(0, 0.2), w_in: arr(1.5, 0.7) }, metadata: {} },
  ] as NirNode[]) {
    const g = around(node, 2);
    const xs = [Float64Array.of(1, -2), Float64Array.of(0.5, 3), Float64Array.of(-1, 0)];
    const coarse = runNir(g, { in: xs }, { dt: 2e-3, steps: 3, method: "exact" }).out;
    const fine = runNir(g, { in: xs.flatMap((x) => [x, x]) }, { dt: 1e-3, steps: 6, method: "exact" }).out;
    coarse.forEach((v, k) => v.forEach((y, i) => assert.ok(Math.abs(y - fine[2 * k + 1][i]) < 1e-12, `${node.type}, step ${k}, unit ${i}: ${y} vs ${fine[2 * k + 1][i]}`)));
    // Euler converges to it as dt shrinks (first order).
    const err = (h: number) => {
      const steps = Math.round(6e-3 / h);
      const x = Array.from({ length: steps }, () => Float64Array.of(1, -2));
      const e = runNir(g, { in: x }, { dt: h, steps, method: "euler" }).out.at(-1)!;
      const t = runNir(g, { in: x }, { dt: h, steps, method: "exact" }).out.at(-1)!;
      return Math.abs(e[0] - t[0]);
    };
    assert.ok(err(1e-5) < err(1e-4) / 5, `${node.type}: Euler's error ${err(1e-4)} → ${err(1e-5)}`);
  }
});

test("the Braille network (CubaLIF with a recurrent connection): its flat and its nested file spike alike, step for step", async () => {
  const [flat, nested] = [await read("braille_noDelay_bias_zero.nir"), await read("braille_noDelay_bias_zero_subgraph.nir")];
  const rng = new Rng(4);
  const steps = 200;
  const input = Array.from({ length: steps }, () => Float64Array.from({ length: 12 }, () => (rng.uniform() < 0.2 ? 1 : 0)));
  for (const method of ["euler", "exact"] as const) {
    const a = runNir(flat, { input }, { dt: 1e-4, steps, method }).output;
    const b = runNir(nested, { input }, { dt: 1e-4, steps, method }).output;
    assert.deepEqual(b, a, method);
    assert.ok(a.some((v) => v.some((s) => s === 1)), `${method}: the network spikes`);
  }
});

test("bad runs: a wrong input, a missing one, dt ≤ 0, a node type the executor does not know", async () => {
  const g = await read("lif_rockpool.nir");
  assert.throws(() => runNir(g, { input: [Float64Array.of(1, 2)] }, { dt: 1e-4, steps: 1 }), (e: unknown) => e instanceof ValueError && /inputs\.input\[0\]: expected 1 values/.test((e as Error).message));
  assert.throws(() => runNir(g, {}, { dt: 1e-4, steps: 1 }), /a value for every Input node \(input\)/);
  assert.throws(() => runNir(g, { input: [Float64Array.of(1)] }, { dt: 0, steps: 1 }), /dt: expected a time step > 0/);
  const odd = around({ type: "Spiky", params: {}, metadata: {} }, 1);
  assert.throws(() => runNir(odd, { in: [Float64Array.of(1)] }, { dt: 1e-4, steps: 1 }, "d.nir"), (e: unknown) => e instanceof DataError && /d\.nir: n: a Spiky node, which the executor does not run/.test((e as Error).message));
});

test("Delay: each unit's input arrives τ later, rounded to whole steps (zero before)", () => {
  const g = around({ type: "Delay", params: { delay: arr(0, 2.6e-4, 1e-4) }, metadata: {} }, 3);
  const xs = [1, 2, 3, 4, 5, 6].map((v) => Float64Array.of(v, 10 * v, 100 * v));
  const out = runNir(g, { in: xs }, { dt: 1e-4, steps: 6 }).out.map((v) => Array.from(v));
  // Delays of 0, 3 and 1 steps.
  assert.deepEqual(out, [[1, 0, 0], [2, 0, 100], [3, 0, 200], [4, 10, 300], [5, 20, 400], [6, 30, 500]]);
  assert.throws(() => runNir(around({ type: "Delay", params: { delay: arr(-1) }, metadata: {} }, 1), { in: [Float64Array.of(1)] }, { dt: 1e-4, steps: 1 }), /delay\[0\]/);
});

test("Conv1d equals the convolution written out (stride, padding, dilation, groups; \"same\" and \"valid\")", () => {
  const rng = new Rng(8);
  const [C, L, O, K] = [4, 11, 6, 3];
  const w = Array.from({ length: O * C * K }, () => rng.normal());
  const b = Array.from({ length: O }, () => rng.normal());
  const x = Float64Array.from({ length: C * L }, () => rng.normal());
  const node = (stride: number, padding: number | string, dilation: number, groups: number): NirNode => ({
    type: "Conv1d",
    metadata: {},
    params: {
      weight: { dtype: "float64", shape: [O, C / groups, K], data: Float64Array.from(w.slice(0, O * (C / groups) * K)) },
      bias: arr(...b),
      stride: { dtype: "int64", shape: [1], data: BigInt64Array.of(BigInt(stride)) },
      padding: typeof padding === "string" ? padding : { dtype: "int64", shape: [1], data: BigInt64Array.of(BigInt(padding)) },
      dilation: { dtype: "int64", shape: [1], data: BigInt64Array.of(BigInt(dilation)) },
      groups: { dtype: "int64", shape: [], data: BigInt64Array.of(BigInt(groups)) },
    },
  });
  const byHand = (stride: number, padding: number, dilation: number, groups: number) => {
    const outL = Math.floor((L + 2 * padding - dilation * (K - 1) - 1) / stride) + 1;
    const cg = C / groups;
    const y: number[] = [];
    for (let o = 0; o < O; o++)
      for (let j = 0; j < outL; j++) {
        let s = b[o];
        const g = Math.floor(o / (O / groups));
        for (let c = 0; c < cg; c++)
          for (let k = 0; k < K; k++) {
            const i = j * stride - padding + k * dilation;
            if (i >= 0 && i < L) s += w[(o * cg + c) * K + k] * x[(g * cg + c) * L + i];
          }
        y.push(s);
      }
    return y;
  };
  const inShape: NirArray = { dtype: "int64", shape: [2], data: BigInt64Array.of(BigInt(C), BigInt(L)) };
  const run = (n: NirNode, outLen: number) => {
    const g: NirGraph = { type: "NIRGraph", params: {}, metadata: {}, edges: [["in", "c"], ["c", "out"]], nodes: { in: { type: "Input", params: { shape: inShape }, metadata: {} }, c: n, out: { type: "Output", params: { shape: { dtype: "int64", shape: [2], data: BigInt64Array.of(BigInt(O), BigInt(outLen)) } }, metadata: {} } } };
    return Array.from(runNir(g, { in: [x] }, { dt: 1e-4, steps: 1 }).out[0]);
  };
  for (const [stride, padding, dilation, groups] of [[1, 0, 1, 1], [2, 1, 2, 2], [3, 2, 1, 1]]) {
    const expected = byHand(stride, padding, dilation, groups);
    run(node(stride, padding, dilation, groups), expected.length / O).forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-12, `${stride}/${padding}/${dilation}/${groups} at ${i}`));
  }
  const same = byHand(1, 1, 1, 1);
  run(node(1, "same", 1, 1), L).forEach((v, i) => assert.ok(Math.abs(v - same[i]) < 1e-12));
  const valid = byHand(1, 0, 1, 1);
  run(node(1, "valid", 1, 1), L - 2).forEach((v, i) => assert.ok(Math.abs(v - valid[i]) < 1e-12));
});

/** An NPY file of float64 values (format 1.0, C order) of `shape`. */
function npy(values: number[], shape: number[]): Buffer {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(", ")},), }`;
  header += " ".repeat(63 - ((10 + header.length) % 64)) + "\n";
  const head = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  return Buffer.concat([head, Buffer.from(header, "latin1"), Buffer.from(Float64Array.from(values).buffer)]);
}

test("snnkit nir run: CSV, JSON, NPY and spike-train inputs, --json outputs per step, dt said in the text; bad inputs refused", async () => {
  const dir = mkdtempSync(join(tmpdir(), "snnkit-nirrun-"));
  writeFileSync(join(dir, "in.npy"), npy([1, 1, 1, 1, 1, 1], [6, 1]));
  // One spike in each step of 1e-4 s (at its middle): the same drive as a value of 1 per step.
  writeFileSync(join(dir, "spikes.json"), JSON.stringify({ spike_times: [[0.5e-4, 1.5e-4, 2.5e-4, 3.5e-4, 4.5e-4, 5.5e-4]] }));
  writeFileSync(join(dir, "unsorted.json"), JSON.stringify({ spike_times: [[2e-4, 1e-4]] }));
  writeFileSync(join(dir, "in.csv"), "1\n1\n1\n1\n1\n1\n");
  writeFileSync(join(dir, "in.json"), JSON.stringify({ input: [[1], [1], [1], [1], [1], [1]] }));
  writeFileSync(join(dir, "bad.csv"), "1\nx\n");
  writeFileSync(join(dir, "wide.json"), "[[1, 2]]");
  const file = join(FIXTURES, "lif_rockpool.nir");
  await withConsole(async (out) => {
    for (const input of ["in.csv", "in.json", "in.npy", "spikes.json"]) {
      assert.equal(await runCli(["nir", "run", file, "--input", join(dir, input), "--method", "exact", "--json"]), 0, out.join("\n"));
      const r = JSON.parse(out.pop()!);
      assert.deepEqual(r.outputs.output.map((v: number[]) => v[0]), [0, 0, 1, 0, 0, 1]);
      assert.equal(r.dt, 1e-4);
    }
    assert.equal(await runCli(["nir", "run", file, "--input", join(dir, "in.csv"), "--dt", "5e-5"]), 0);
    assert.match(out.pop()!, /6 steps of 0\.00005 s \(euler; NIR stores no dt\)/);
    const refused = [
      ["bad.csv", /bad\.csv: line 2, column 1: expected a finite number, got "x"/],
      ["wide.json", /wide\.json: input: every step needs 1 values/],
      ["none.csv", /none\.csv/],
      ["unsorted.json", /unsorted\.json: spike_times\[0\]\[1\]: 0\.0001 s comes before the spike before it \(0\.0002 s\); spike times must be sorted/],
    ] as const;
    for (const [input, message] of refused) {
      assert.equal(await runCli(["nir", "run", file, "--input", join(dir, input)]), 1, input);
      assert.match(out.join("\n"), message);
    }
    assert.equal(await runCli(["nir", "run", file, "--input", join(dir, "in.csv"), "--steps", "7"]), 1);
    assert.equal(await runCli(["nir", "run", file, "--input", join(dir, "in.csv"), "--dt", "0"]), 2);
  });
});
