// A trained network as a model file: exported, loaded in memory, run on the same images written as IDX,
// NPY and PGM (the same predictions, and the accuracy `evaluate` measures); the README's three-line API;
// corrupt model and image files refused, naming the field or offset.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../../src/cli/program.js";
import { DataError } from "../../src/errors.js";
import { encode as encodePng } from "fast-png";
import { parseNpy, parsePgm, parsePng } from "../../src/io/image_files.js";
import { loadRunData, nodeImages, runInDirectory } from "../../src/node.js";
import { loadModel, predictClasses, trainTask } from "../../src/tasks.js";
import { evaluate } from "../../src/tasks/train/loop.js";
import { idxFile, withConsole } from "../helpers.js";

/** An NPY file of uint8 values [n, 28, 28], written by hand (format 1.0, C order). */
function npyBytes(values: Uint8Array, n: number): Buffer {
  let header = `{'descr': '|u1', 'fortran_order': False, 'shape': (${n}, 28, 28), }`;
  header += " ".repeat(63 - ((10 + header.length) % 64)) + "\n";
  const head = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head);
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, "latin1"), Buffer.from(values)]);
}

test("export → loadModel → predict: the same classes from IDX, NPY and PGM; the accuracy evaluate measures; the README's API", async () => {
  const dir = mkdtempSync(join(tmpdir(), "snnkit-predict-"));
  const config = trainTask.configure({ model: "mlp", neuron: "lif", steps: 4, epochs: 1, trainLimit: 1500, testLimit: 60, encoding: "direct" });
  const run = await runInDirectory(trainTask, join(dir, "run"), { config });
  await withConsole(async (out) => {
    assert.equal(await runCli(["export", "--checkpoint", run.checkpoint, "--out", join(dir, "model.json")]), 0, out.join("\n"));
  });
  // The test images as bytes (0–255) in three formats.
  const { test: images } = loadRunData(nodeImages, config);
  const bytes = Uint8Array.from(images.images, (v) => Math.round(v * 255));
  writeFileSync(join(dir, "t.idx"), idxFile([60, 28, 28], Array.from(bytes)));
  writeFileSync(join(dir, "t.npy"), npyBytes(bytes, 60));
  const pgm = (i: number) => Buffer.concat([Buffer.from("P5\n# one digit\n28 28\n255\n"), Buffer.from(bytes.subarray(i * 784, (i + 1) * 784))]);
  writeFileSync(join(dir, "0.pgm"), pgm(0));
  writeFileSync(join(dir, "1.pgm"), `P2\n28 28\n255\n${Array.from(bytes.subarray(784, 1568)).join(" ")}\n`);
  // PNG: 8-bit gray, RGB (the gray in every channel) and 16-bit gray with alpha give the same pixels.
  const digit = (i: number) => bytes.subarray(i * 784, (i + 1) * 784);
  writeFileSync(join(dir, "0.png"), encodePng({ width: 28, height: 28, data: Uint8Array.from(digit(0)), channels: 1, depth: 8 }));
  writeFileSync(join(dir, "1.png"), encodePng({ width: 28, height: 28, data: Uint8Array.from(Array.from(digit(1)).flatMap((v) => [v, v, v])), channels: 3, depth: 8 }));
  writeFileSync(join(dir, "2.png"), encodePng({ width: 28, height: 28, data: Uint16Array.from(Array.from(digit(2)).flatMap((v) => [v * 257, 65535])), channels: 2, depth: 16 }));
  const predicted = await withConsole(async (out) => {
    const classes: number[][] = [];
    for (const inputs of [["t.idx"], ["t.npy"], ["0.pgm", "1.pgm"], ["0.png", "1.png", "2.png"]]) {
      assert.equal(await runCli(["predict", "--model", join(dir, "model.json"), ...inputs.flatMap((f) => ["--input", join(dir, f)]), "--json"]), 0, out.join("\n"));
      classes.push(JSON.parse(out.pop()!).predictions.map((p: { class: number }) => p.class));
    }
    assert.equal(await runCli(["predict", "--model", join(dir, "model.json"), "--input", join(dir, "0.pgm"), "--raster", join(dir, "r.svg")]), 0);
    assert.match(out.pop()!, /raster: .*r\.svg/);
    assert.match(readFileSync(join(dir, "r.svg"), "utf8"), /^<svg/);
    return classes;
  });
  assert.deepEqual(predicted[1], predicted[0], "NPY as IDX");
  assert.deepEqual(predicted[2], predicted[0].slice(0, 2), "PGM as IDX");
  assert.deepEqual(predicted[3], predicted[0].slice(0, 3), "PNG as IDX");
  const png = parsePng(readFileSync(join(dir, "1.png")), "1.png");
  assert.deepEqual(png.shape, [28, 28]);
  assert.ok(png.data.every((v, i) => Math.abs(v - digit(1)[i] / 255) < 1e-6), "RGB gray: its luminance is the gray");
  // The README's three lines.
  const model = loadModel(readFileSync(join(dir, "model.json"), "utf8"), "model.json");
  const { classes } = predictClasses(model, { name: "t", images: Float32Array.from(bytes, (v) => v / 255), labels: images.labels, imageShape: [1, 28, 28], classes: 10 });
  assert.deepEqual(classes, predicted[0]);
  // The same network as the checkpoint: its accuracy on these images is what evaluate measures.
  const accuracy = classes.filter((c, i) => c === images.labels[i]).length / 60;
  assert.ok(Math.abs(accuracy - evaluate(model, { ...images, images: Float32Array.from(bytes, (v) => v / 255) })) < 1e-12);
  assert.ok(accuracy > 0.5, `accuracy ${accuracy}`);
  model.model.dispose();
});

test("corrupt model files: a DataError naming the file and the field", async () => {
  const dir = mkdtempSync(join(tmpdir(), "snnkit-model-"));
  const config = trainTask.configure({ model: "mlp", neuron: "lif", steps: 2, epochs: 1, trainLimit: 64, testLimit: 8 });
  const run = await runInDirectory(trainTask, join(dir, "run"), { config });
  await withConsole(() => runCli(["export", "--checkpoint", run.checkpoint, "--out", join(dir, "m.json")]));
  const good = JSON.parse(readFileSync(join(dir, "m.json"), "utf8"));
  const name = Object.keys(good.arrays)[0];
  const cases: [unknown, RegExp][] = [
    [{ ...good, format: "onnx" }, /format: not an snnkit model file/],
    [{ ...good, version: 2 }, /version: an snnkit model file of another version/],
    [{ ...good, arrays: { ...good.arrays, [name]: undefined } }, new RegExp(`arrays\\.${name.replace(".", "\\.")}: missing`)],
    [{ ...good, arrays: { ...good.arrays, [name]: { ...good.arrays[name], shape: [3] } } }, /shape: \[3\], the network has/],
    [{ ...good, arrays: { ...good.arrays, [name]: { ...good.arrays[name], data: "AAAA" } } }, /4 base64 characters hold 3 bytes; \d+ float32 values need/],
    [{ ...good, arrays: { ...good.arrays, extra: { shape: [1], data: "AAAAAA==" } } }, /arrays\.extra: not an array of a mlp network/],
    [{ ...good, config: { ...good.config, steps: -1 } }, /config\.steps/],
  ];
  for (const [json, message] of cases) assert.throws(() => loadModel(JSON.stringify(json), "m.json"), (e: unknown) => e instanceof DataError && message.test((e as Error).message), String(message));
  assert.throws(() => loadModel("{", "m.json"), /m\.json: not JSON/);
});

test("PNG reader: palette images through their palette; corrupt, truncated and huge files named", () => {
  const palette = encodePng({ width: 2, height: 1, data: Uint8Array.of(0, 1), channels: 1, depth: 8, palette: [[0, 0, 0], [255, 255, 255]] });
  assert.deepEqual(Array.from(parsePng(palette, "p.png").data), [0, 1]);
  const good = encodePng({ width: 28, height: 28, data: new Uint8Array(784), channels: 1, depth: 8 });
  assert.throws(() => parsePng(good.subarray(0, 20), "t.png"), (e: unknown) => e instanceof DataError && /t\.png: truncated: 20 bytes/.test((e as Error).message));
  const huge = Uint8Array.from(good);
  new DataView(huge.buffer).setUint32(16, 1 << 20);
  new DataView(huge.buffer).setUint32(20, 1 << 20);
  assert.throws(() => parsePng(huge, "h.png"), (e: unknown) => e instanceof DataError && /h\.png: offset 16: a 1048576 × 1048576 image/.test((e as Error).message));
  const broken = Uint8Array.from(good);
  broken.fill(7, 40, 60);
  assert.throws(() => parsePng(broken, "b.png"), (e: unknown) => e instanceof DataError && /b\.png: not a readable PNG/.test((e as Error).message));
  assert.throws(() => parsePng(new Uint8Array(40), "z.png"), (e: unknown) => e instanceof DataError && /not a PNG file/.test((e as Error).message));
});

test("PGM and NPY readers: comments, 16-bit samples, truncation, Fortran order and dtypes named", () => {
  const p16 = parsePgm(Uint8Array.from([...Buffer.from("P5 2 1 # two pixels\n65535\n"), 0xff, 0xff, 0x80, 0x00]), "a.pgm");
  assert.deepEqual(p16.shape, [1, 2]);
  assert.deepEqual(Array.from(p16.data), [1, Math.fround(0x8000 / 65535)]);
  assert.throws(() => parsePgm(Buffer.from("P5\n28 28\n255\n\u0001\u0002"), "t.pgm"), /t\.pgm: truncated: 784 pixels need 784 bytes from offset \d+, 2 there/);
  assert.throws(() => parsePgm(Buffer.from("P6\n1 1\n255\n"), "c.pgm"), /not a PGM image/);
  assert.throws(() => parsePgm(Buffer.from("P2\n2 1\n255\n3 300\n"), "b.pgm"), /pixel 1 near offset \d+: expected an integer in \[0, 255\], got 300/);
  const npy = (descr: string, shape: string, body: Buffer, fortran = "False") => {
    let header = `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
    header += " ".repeat(63 - ((10 + header.length) % 64)) + "\n";
    const head = Buffer.alloc(10);
    Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head);
    head.writeUInt16LE(header.length, 8);
    return Buffer.concat([head, Buffer.from(header, "latin1"), body]);
  };
  const f4 = Buffer.alloc(8);
  f4.writeFloatLE(0.25, 0);
  f4.writeFloatLE(-1.5, 4);
  assert.deepEqual(Array.from(parseNpy(npy("<f4", "(2,)", f4), "a.npy").data), [0.25, -1.5]);
  assert.throws(() => parseNpy(npy("<f4", "(3,)", f4), "s.npy"), /s\.npy: truncated: shape \(3,\) of <f4 needs 12 bytes from offset \d+, 8 there/);
  assert.throws(() => parseNpy(npy("<i8", "(1,)", f4), "i.npy"), /dtype <i8: snnkit reads <f4, <f8 and \|u1/);
  assert.throws(() => parseNpy(npy("<f4", "(2,)", f4, "True"), "f.npy"), /fortran_order True/);
  assert.throws(() => parseNpy(Buffer.from("NUMPY"), "x.npy"), /not an NPY file/);
});
