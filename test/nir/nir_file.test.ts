// NIR files written by other libraries (Rockpool, snnTorch, the NIR paper, NIR's reference writer): each
// reads with its nodes, parameters and metadata; read → write → read keeps every node, edge and parameter
// exactly; files that are not NIR, or are inconsistent in ways that cannot be repaired, are DataErrors
// naming the file, the node and the field.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../../src/cli/program.js";
import { withConsole } from "../helpers.js";
import { DataError, SnnkitError } from "../../src/errors.js";
import { Rng } from "../../src/random/rng.js";
import { isGraph, type NirArray, type NirDocument, type NirGraph, type NirNode, nirParam } from "../../src/nir/graph.js";
import { readNir } from "../../src/nir/hdf5.js";
import { writeNir } from "../../src/nir/hdf5_write.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "nir");
const read = (name: string) => readNir(readFileSync(join(FIXTURES, name)), name);
const node = (g: NirGraph, path: string): NirNode | NirGraph => path.split("/").reduce<NirNode | NirGraph>((n, part) => (n as NirGraph).nodes[part], g);
const values = (n: NirNode | NirGraph, p: string) => Array.from((n.params[p] as NirArray).data as ArrayLike<number | bigint>, Number);

test("Rockpool's single LIF: Linear → LIF with its τ, R and threshold; v_reset takes NIR's default 0, with a warning", async () => {
  const doc = await read("lif_rockpool.nir");
  assert.equal(doc.version, "0.2.0");
  assert.deepEqual(Object.fromEntries(Object.entries(doc.graph.nodes).map(([k, n]) => [k, n.type])), { "0_LinearTorch": "Linear", "1_LIFNeuronTorch": "LIF", input: "Input", output: "Output" });
  const lif = node(doc.graph, "1_LIFNeuronTorch") as NirNode;
  assert.deepEqual([values(lif, "tau")[0], values(lif, "r")[0], values(lif, "v_threshold")[0]].map((v) => Math.fround(v)), [Math.fround(0.0025), Math.fround(24.019737243652344), Math.fround(0.1)]);
  assert.equal((lif.params.tau as NirArray).dtype, "float32");
  assert.deepEqual(Array.from(nirParam(lif, "v_reset")!.data as Float32Array), [0]);
  assert.equal(lif.params.v_reset, undefined, "the node itself stays as read");
  assert.match(doc.warnings.join("\n"), /1_LIFNeuronTorch: no v_reset in the file; NIR's default used/);
  assert.deepEqual(doc.graph.edges.length, 3);
});

test("NIR 1.0's gzip-compressed file: every node type, int64 shapes, a nested recurrent cell, metadata", async () => {
  const doc = await read("conv_cuba_gzip_nir1.nir");
  assert.equal(doc.version, "1.0.7");
  assert.deepEqual(doc.warnings, []);
  const conv = node(doc.graph, "conv") as NirNode;
  assert.deepEqual((conv.params.weight as NirArray).shape, [4, 2, 3, 3]);
  assert.deepEqual(values(conv, "padding"), [1, 1]);
  assert.equal((conv.params.groups as NirArray).dtype, "int64");
  assert.deepEqual((conv.params.groups as NirArray).shape, []);
  const cell = node(doc.graph, "cell");
  assert.ok(isGraph(cell));
  assert.deepEqual(cell.edges, [["input", "lif"], ["lif", "rec"], ["rec", "lif"], ["lif", "output"]]);
  assert.equal(node(doc.graph, "cell/lif").type, "CubaLIF");
  const meta = (node(doc.graph, "lif_out") as NirNode).metadata;
  assert.equal(meta.discretisation, "forward-euler");
  assert.equal((meta.dt as NirArray).dtype, "float64");
  assert.equal((meta.dt as NirArray).data[0], 1e-4);
  assert.deepEqual(values(node(doc.graph, "flat"), "input_type"), [4, 6, 6]);
});

test("the Braille networks: flat (dotted names) and nested (an edge naming the subgraph's neuron differently, repaired with a warning)", async () => {
  const flat = await read("braille_noDelay_bias_zero.nir");
  assert.ok(flat.graph.edges.some(([a, b]) => a === "lif1.w_rec" && b === "lif1.lif"));
  const nested = await read("braille_noDelay_bias_zero_subgraph.nir");
  const cell = node(nested.graph, "lif1") as NirGraph;
  assert.deepEqual(cell.edges, [["input", "lif1"], ["lif1", "lin"], ["lin", "lif1"], ["lif1", "output"]]);
  assert.match(nested.warnings.join("\n"), /lif1: the edges name "lif", which no node is, and no edge names node "lif1"; read as that node/);
  // The same weights in both files.
  assert.deepEqual(values(node(flat.graph, "lif1.w_rec"), "weight"), values(node(cell, "lin"), "weight"));
});

/** Two documents' graphs as comparable text: every value with its dtype and shape, bit for bit. */
const canonical = (d: NirDocument) => JSON.stringify(d.graph, (_k, v) => (typeof v === "bigint" ? `${v}n` : ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number | bigint>, (x) => (typeof x === "bigint" ? `${x}n` : Object.is(x, -0) ? "-0" : x)) : v));

test("read → write → read keeps every node, edge, parameter (dtype, shape, bits) and metadata of every file", async () => {
  for (const name of ["lif_rockpool.nir", "two_lif_neurons.nir", "snntorch_lif.nir", "braille_noDelay_bias_zero.nir", "braille_noDelay_bias_zero_subgraph.nir", "conv_cuba_gzip_nir1.nir"]) {
    const doc = await read(name);
    const again = await readNir(await writeNir(doc), `${name} rewritten`);
    assert.equal(again.version, doc.version);
    assert.equal(canonical(again), canonical(doc), name);
  }
});

/** A NIR document with one graph around `nodes` and `edges` (written by our writer, to make inconsistent files). */
const file = (nodes: Record<string, NirNode | NirGraph>, edges: [string, string][]) =>
  writeNir({ version: "1.0.0", graph: { type: "NIRGraph", nodes, edges, params: {}, metadata: {} } });
const f32 = (...v: number[]): NirArray => ({ dtype: "float32", shape: [v.length], data: Float32Array.from(v) });
const plain = (type: string, params: NirNode["params"]): NirNode => ({ type, params, metadata: {} });

test("not NIR, corrupt or inconsistent: a DataError naming the file, the node and the field; never a crash", async () => {
  const good = readFileSync(join(FIXTURES, "lif_rockpool.nir"));
  const cases: [string, Uint8Array | Promise<Uint8Array>, RegExp][] = [
    ["garbage", new TextEncoder().encode("not an hdf5 file at all"), /g: not an HDF5 file \(no HDF5 signature at offset 0\)/],
    ["truncated", good.subarray(0, 1500), /truncated: truncated HDF5 file: its superblock \(offset \d+\) records 17312 bytes, the file has 1500/],
    ["bad superblock", Uint8Array.from([...good.subarray(0, 8), 9, ...good.subarray(9, 64)]), /bad superblock: offset 8: superblock version 9 \(0 to 3\)/],
    ["unknown type", file({ a: plain("Spiky", { w: f32(1) }) }, []), /unknown type: a: unknown NIR node type "Spiky"/],
    ["missing threshold", file({ n: plain("LIF", { tau: f32(1), r: f32(1), v_leak: f32(0) }) }, []), /missing threshold: n\.v_threshold: missing \(a LIF node needs tau, r, v_leak, v_threshold\)/],
    ["shapes differ", file({ n: plain("LI", { tau: f32(1, 2), r: f32(1), v_leak: f32(0, 0) }) }, []), /shapes differ: n\.r: shape \[1\] differs from tau's \[2\]/],
    ["text as a weight", file({ l: plain("Linear", { weight: "heavy" }) }, []), /text as a weight: l\.weight: expected numbers, got text "heavy"/],
    ["edge to nowhere", file({ a: plain("Input", { shape: f32(1) }), b: plain("Output", { shape: f32(1) }) }, [["a", "b"], ["b", "c"], ["d", "a"]]), /edge to nowhere: edges\[1\]: "c" is not a node of this graph \(nodes: a, b\)/],
  ];
  for (const [name, bytes, message] of cases)
    await assert.rejects(readNir(await bytes, name === "garbage" ? "g" : name), (e: unknown) => e instanceof DataError && message.test(e.message), name);
});

test("damaged files (random bytes flipped in three files): a graph or a typed error, never a raw one", async () => {
  const rng = new Rng(11);
  let typed = 0;
  for (const name of ["lif_rockpool.nir", "conv_cuba_gzip_nir1.nir", "braille_noDelay_bias_zero_subgraph.nir"]) {
    const good = readFileSync(join(FIXTURES, name));
    for (let k = 0; k < 60; k++) {
      const bytes = Buffer.from(good);
      for (let j = 0; j <= rng.int(3); j++) bytes[rng.int(bytes.length)] ^= 1 + rng.int(255);
      try {
        await readNir(bytes, name);
      } catch (e) {
        assert.ok(e instanceof SnnkitError, `${name}, case ${k}: ${(e as Error).message}`);
        typed++;
      }
    }
  }
  assert.ok(typed > 0, "some damage is detected");
});

test("snnkit nir inspect: version, nodes with type and shape, edges, subgraphs as nested entries (--json); clean errors", async () => {
  await withConsole(async (out) => {
    assert.equal(await runCli(["nir", "inspect", join(FIXTURES, "conv_cuba_gzip_nir1.nir"), "--json"]), 0);
    const r = JSON.parse(out.pop()!);
    assert.equal(r.version, "1.0.7");
    const byName = Object.fromEntries(r.nodes.map((n: { name: string }) => [n.name, n]));
    assert.deepEqual([byName.input.type, byName.input.shape], ["Input", [2, 12, 12]]);
    assert.deepEqual([byName.conv.type, byName.conv.shape], ["Conv2d", [4, 2, 3, 3]]);
    assert.deepEqual([byName.lif_out.type, byName.lif_out.shape], ["LIF", [5]]);
    assert.deepEqual(byName.cell.edges, [["input", "lif"], ["lif", "rec"], ["rec", "lif"], ["lif", "output"]]);
    assert.equal(byName.cell.nodes.find((n: { name: string }) => n.name === "lif").type, "CubaLIF");
    assert.equal(r.edges.length, 10);
    assert.equal(await runCli(["nir", "inspect", join(FIXTURES, "lif_rockpool.nir")]), 0);
    assert.match(out.join("\n"), /1_LIFNeuronTorch: LIF \[1\][\s\S]*warning: 1_LIFNeuronTorch: no v_reset/);
    for (const bad of [join(FIXTURES, "README.md"), join(FIXTURES, "none.nir"), FIXTURES]) assert.equal(await runCli(["nir", "inspect", bad]), 1, bad);
    assert.equal(await runCli(["nir", "inspect"]), 2);
  });
});
