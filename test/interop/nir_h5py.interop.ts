// snnkit's HDF5 files as an independent reader sees them: h5py (Debian's python3-h5py, which .ci/run
// installs) lists the same groups, datasets, dtypes, shapes and values in the NIR file NIR's writer
// produced and in the one snnkit writes back (and the same gzip compression as NIR 1.0's writer); and
// reads the same spikes from an SHD file as snnkit's reader; a network snnkit exports has NIR's layout.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { openShd } from "../../src/events/shd.js";
import { readNir } from "../../src/nir/hdf5.js";
import { writeNir } from "../../src/nir/hdf5_write.js";
import { networkToNir } from "../../src/nir/network.js";
import { Conv2d } from "../../src/nn/conv2d.js";
import { Flatten } from "../../src/nn/flatten.js";
import { Linear } from "../../src/nn/linear.js";
import { AvgPool2d } from "../../src/nn/pool.js";
import { Sequential } from "../../src/nn/sequential.js";
import { IF, LIF } from "../../src/neurons/lif_module.js";
import { Recurrent } from "../../src/neurons/recurrent.js";
import { Synaptic } from "../../src/neurons/synaptic.js";
import { Rng } from "../../src/random/rng.js";
import { DirectoryStore } from "../../src/node/run_store.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "nir");
type Entry = { kind: string; dtype?: string; shape?: number[]; compression?: string | null; value?: unknown };

test("h5py sees in snnkit's rewrite of every NIR file what NIR's writers wrote", async () => {
  const dir = mkdtempSync(join(tmpdir(), "snnkit-nir-"));
  for (const name of ["lif_rockpool.nir", "two_lif_neurons.nir", "snntorch_lif.nir", "braille_noDelay_bias_zero.nir", "braille_noDelay_bias_zero_subgraph.nir", "conv_cuba_gzip_nir1.nir"]) {
    const original = join(FIXTURES, name);
    const ours = join(dir, name);
    const doc = await readNir(readFileSync(original), name);
    writeFileSync(ours, await writeNir(doc));
    const listed = JSON.parse(execFileSync("/usr/bin/python3", [join(import.meta.dirname, "h5_listing.py"), original, ours], { encoding: "utf8", maxBuffer: 1 << 26 })) as Record<string, Record<string, Entry>>;
    const [theirs, mine] = [listed[original], listed[ours]];
    assert.deepEqual(Object.keys(mine).sort(), Object.keys(theirs).sort(), `${name}: the same groups and datasets`);
    for (const [path, e] of Object.entries(theirs)) {
      const m = mine[path];
      assert.equal(m.kind, e.kind, `${name}: ${path}`);
      if (e.kind === "group") continue;
      assert.equal(m.dtype, e.dtype, `${name}: ${path} dtype`);
      assert.deepEqual(m.shape, e.shape, `${name}: ${path} shape`);
      // The one edge list the reader repairs (braille: the subgraph's neuron is named "lif1", its edges say "lif").
      const repaired = name.includes("subgraph") && path === "node/nodes/lif1/edges";
      if (!repaired) assert.deepEqual(m.value, e.value, `${name}: ${path} values`);
      // NIR 1.0's writer gzips every array, as snnkit's writer does.
      if (name.includes("gzip")) assert.equal(m.compression, e.compression, `${name}: ${path} compression`);
    }
  }
});

test("the SHD reader sees what h5py sees: every sample's spike times and units, and the labels", async () => {
  const path = join(import.meta.dirname, "..", "fixtures", "events", "shd_small.h5");
  const script = "import h5py, json, sys\nf = h5py.File(sys.argv[1], 'r')\nprint(json.dumps({'times': [t.tolist() for t in f['spikes/times'][()]], 'units': [u.tolist() for u in f['spikes/units'][()]], 'labels': f['labels'][()].tolist()}))";
  const theirs = JSON.parse(execFileSync("/usr/bin/python3", ["-c", script, path], { encoding: "utf8" })) as { times: number[][]; units: number[][]; labels: number[] };
  const h5 = await new DirectoryStore(".").openHdf5(path);
  try {
    const shd = openShd(h5, path);
    assert.deepEqual(shd.labels, theirs.labels);
    for (let i = 0; i < shd.samples; i++) {
      const s = shd.sample(i);
      assert.deepEqual(Array.from(s.times), theirs.times[i], `sample ${i} times`);
      assert.deepEqual(Array.from(s.units), theirs.units[i], `sample ${i} units`);
    }
  } finally {
    h5.close();
  }
});

test("a network snnkit exports has the layout NIR 1.0's writer gives the same node types, as h5py lists it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "snnkit-nir-export-"));
  const rng = new Rng(1);
  // The node types of NIR's conv_cuba file: Conv2d, IF, SumPool2d (ours: AvgPool2d), Flatten, Affine, a recurrent CubaLIF cell, LIF.
  const model = new Sequential(
    new Conv2d(2, 4, 3, { padding: 1, rng }),
    new IF(),
    new AvgPool2d(2),
    new Flatten(),
    new Linear(144, 16, { rng }),
    new Recurrent(new Synaptic({ alpha: 0.8, beta: 0.9 }), new Linear(16, 16, { rng, bias: false })),
    new Linear(16, 5, { rng }),
    new LIF({ beta: 0.9 }),
  );
  const ours = join(dir, "ours.nir");
  writeFileSync(ours, await writeNir({ version: "1.0.0", graph: networkToNir(model, { dt: 1e-4, inputShape: [2, 12, 12] }) }));
  model.dispose();
  const theirsPath = join(FIXTURES, "conv_cuba_gzip_nir1.nir");
  const listed = JSON.parse(execFileSync("/usr/bin/python3", [join(import.meta.dirname, "h5_listing.py"), theirsPath, ours], { encoding: "utf8", maxBuffer: 1 << 26 })) as Record<string, Record<string, Entry>>;
  const [theirs, mine] = [listed[theirsPath], listed[ours]];
  /** A node's datasets (not its metadata) by name, for the nodes of a type. */
  const byType = (files: Record<string, Entry>) => {
    const out = new Map<string, Record<string, Entry>>();
    for (const [path, e] of Object.entries(files)) {
      if (!path.endsWith("/type") || e.kind !== "dataset") continue;
      const node = path.slice(0, -"/type".length);
      const datasets = Object.fromEntries(Object.entries(files).filter(([p, d]) => d.kind === "dataset" && p.startsWith(`${node}/`) && !p.slice(node.length + 1).includes("/")).map(([p, d]) => [p.slice(node.length + 1), d]));
      out.set(String(e.value), datasets);
    }
    return out;
  };
  const [theirTypes, myTypes] = [byType(theirs), byType(mine)];
  for (const type of ["NIRGraph", "Input", "Output", "Conv2d", "IF", "Flatten", "Affine", "Linear", "CubaLIF"]) {
    const [t, m] = [theirTypes.get(type), myTypes.get(type)];
    assert.ok(t && m, `${type}: in both files`);
    assert.deepEqual(Object.keys(m).filter((k) => k !== "edges" || type === "NIRGraph").sort(), Object.keys(t).sort(), `${type}: the same datasets`);
    for (const [name, e] of Object.entries(t)) {
      // Neuron parameters: snnkit writes τ and R in float64 (they come from β exactly); NIR's writer keeps the library's float32.
      const neuron = ["IF", "CubaLIF"].includes(type) && name !== "type";
      assert.equal(neuron ? m[name].dtype!.replace("64", "32") : m[name].dtype, e.dtype, `${type}.${name}: dtype`);
      assert.equal(m[name].shape!.length, e.shape!.length, `${type}.${name}: rank`);
      assert.equal(m[name].compression, e.compression, `${type}.${name}: compression`);
    }
  }
  assert.equal(mine.version.dtype, "str");
  assert.deepEqual(mine["node/edges"].shape, [9, 2]);
  assert.equal(mine["node/nodes/1/metadata/discretisation"].value, "euler");
});
