// A trained network through NIR and back into training: `snnkit export --format nir` and `snnkit nir
// export` write it; `snnkit train --from-nir` imports it with its weights (the same test accuracy as the
// network it came from, before any learning), trains and resumes it; its checkpoints and model files
// rebuild it without the NIR file; files it cannot train are refused, naming the file and the reason.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../../src/cli/program.js";
import { readNir } from "../../src/nir/hdf5.js";
import { runInDirectory } from "../../src/node.js";
import { loadModel, trainTask } from "../../src/tasks.js";
import { withConsole } from "../helpers.js";

test("train → export NIR → train --from-nir: the imported network scores as the original; training, resume and model files work without the NIR file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "snnkit-from-nir-"));
  const common = { steps: 4, encoding: "direct", trainLimit: 1500, testLimit: 200 } as const;
  const original = await runInDirectory(trainTask, join(dir, "original"), { config: trainTask.configure({ model: "mlp", neuron: "lif", epochs: 1, ...common }) });
  assert.ok(original.test_accuracy > 0.5, `original ${original.test_accuracy}`);
  const flags = ["--steps", "4", "--encoding", "direct", "--train-limit", "1500", "--test-limit", "200", "--json"];
  await withConsole(async (out) => {
    assert.equal(await runCli(["export", "--checkpoint", original.checkpoint, "--format", "nir", "--out", join(dir, "a.nir"), "--json"]), 0, out.join("\n"));
    const { format, dt, method } = JSON.parse(out.pop()!);
    assert.deepEqual({ format, dt, method }, { format: "nir", dt: 1e-4, method: "euler" });
    assert.equal(await runCli(["nir", "export", "--checkpoint", original.checkpoint, "--out", join(dir, "b.nir"), "--dt", "1e-3", "--method", "exact"]), 0, out.join("\n"));
    assert.match(out.pop()!, /NIR file \(dt = 0\.001 s, exact\): .*b\.nir/);
    // Imported at the dt it was written for, with a learning rate too small to move it: the original's test accuracy.
    for (const [file, dt, method] of [["a.nir", "1e-4", "euler"], ["b.nir", "1e-3", "exact"]]) {
      const code = await runCli(["train", "--from-nir", join(dir, file), "--nir-dt", dt, "--nir-method", method, "--epochs", "1", "--lr", "1e-12", "--out", join(dir, `same-${file}`), ...flags]);
      assert.equal(code, 0, out.join("\n"));
      const r = JSON.parse(out.pop()!);
      assert.equal(r.test_accuracy, original.test_accuracy, `${file}: imported`);
    }
    // Fine-tuning: one epoch, then resumed for a second.
    const tuned = join(dir, "tuned");
    assert.equal(await runCli(["train", "--from-nir", join(dir, "a.nir"), "--epochs", "1", "--lr", "1e-3", "--out", tuned, ...flags]), 0, out.join("\n"));
    assert.ok(JSON.parse(out.pop()!).test_accuracy > 0.5);
    rmSync(join(dir, "a.nir"));
    assert.equal(await runCli(["train", "--resume", "--epochs", "2", "--out", tuned, "--json"]), 0, out.join("\n"));
    const resumed = JSON.parse(out.pop()!);
    assert.equal(resumed.epochs, 2);
    assert.ok(resumed.test_accuracy > 0.5);
    assert.equal(await runCli(["export", "--checkpoint", join(tuned, "checkpoint.snnk"), "--out", join(dir, "tuned.json")]), 0, out.join("\n"));
  });
  const model = loadModel(readFileSync(join(dir, "tuned.json"), "utf8"), "tuned.json");
  assert.equal(model.config.model, "nir");
  assert.deepEqual(model.config.network!.layers.map((l) => l.kind), ["flatten", "linear", "lif", "linear", "lif"]);
  model.model.dispose();
  // The exported file is NIR's graph of the network, with its dt kept.
  const doc = await readNir(readFileSync(join(dir, "b.nir")), "b.nir");
  assert.deepEqual(Object.keys(doc.graph.nodes).sort(), ["0", "1", "2", "3", "4", "input", "output"]);
  assert.equal(doc.graph.metadata.discretisation, "exact");
});

test("what train --from-nir and nir export refuse: another input or output size, a layer NIR cannot express, a missing file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "snnkit-from-nir-bad-"));
  const fixtures = join(import.meta.dirname, "..", "fixtures", "nir");
  const conv = await runInDirectory(trainTask, join(dir, "conv"), { config: trainTask.configure({ model: "conv", neuron: "lif", steps: 2, epochs: 1, trainLimit: 32, testLimit: 8 }) });
  await withConsole(async (out) => {
    assert.equal(await runCli(["train", "--from-nir", join(fixtures, "braille_noDelay_bias_zero.nir"), "--out", join(dir, "b")]), 1);
    assert.match(out.join("\n"), /braille_noDelay_bias_zero\.nir: its Input takes \[12\]; the images of .* are \[1,28,28\]/);
    assert.equal(await runCli(["nir", "export", "--checkpoint", conv.checkpoint, "--out", join(dir, "c.nir")]), 1);
    assert.match(out.join("\n"), /layer 1 \(MaxPool2d\).*NIR pools by sum or average only/);
    assert.equal(await runCli(["train", "--from-nir", join(dir, "none.nir"), "--out", join(dir, "n")]), 1);
    assert.match(out.join("\n"), /none\.nir/);
    assert.equal(await runCli(["train", "--model", "nir", "--out", join(dir, "m")]), 1);
    assert.match(out.join("\n"), /--from-nir/);
  });
});
