// The Yin-Yang set regenerated exactly as numpy and the authors' generator make it (fixture written by numpy).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { LegacyRandomState } from "../../src/random/mt19937.js";
import { YIN_YANG_SPLITS, yinYang, yinYangClass, yinYangSplit } from "../../src/data/yin_yang.js";

interface SplitFixture {
  seed: number;
  first: [number, number][];
  first_labels: number[];
  last: [number, number];
  label_counts: number[];
  sum_x: number;
  sum_y: number;
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/yinyang/yinyang_numpy.json", import.meta.url), "utf8")) as Record<"train" | "validation" | "test", SplitFixture>;

test("numpy's legacy RandomState: seed(42), randint(3), rand(2) as numpy 1.24 draws them", () => {
  const r = new LegacyRandomState(42);
  // Printed by /usr/bin/python3: np.random.seed(42); np.random.randint(3), np.random.rand(2).
  assert.equal(r.randint(3), 2);
  assert.equal(r.random(), 0.7965429868602328);
  assert.equal(r.random(), 0.1834347898661638);
  assert.throws(() => new LegacyRandomState(-1), /seed/);
  assert.throws(() => new LegacyRandomState(2 ** 32), /seed/);
});

test("the three published splits equal numpy's, point for point (first 20, the last, counts and sums of all)", () => {
  for (const name of ["train", "validation", "test"] as const) {
    const want = fixture[name];
    const { size, seed } = YIN_YANG_SPLITS[name];
    assert.equal(seed, want.seed);
    const d = yinYang(size, seed);
    const x = (i: number) => d.images[i * 4];
    const y = (i: number) => d.images[i * 4 + 1];
    want.first.forEach(([px, py], i) => {
      assert.equal(x(i), Math.fround(px), `${name}[${i}].x`);
      assert.equal(y(i), Math.fround(py), `${name}[${i}].y`);
      assert.equal(d.images[i * 4 + 2], Math.fround(1 - px), `${name}[${i}]: 1 − x`);
      assert.equal(d.labels[i], want.first_labels[i], `${name}[${i}] label`);
    });
    assert.equal(x(size - 1), Math.fround(want.last[0]));
    assert.equal(y(size - 1), Math.fround(want.last[1]));
    assert.deepEqual([0, 1, 2].map((c) => d.labels.filter((l) => l === c).length), want.label_counts);
    let sx = 0;
    let sy = 0;
    for (let i = 0; i < size; i++) [sx, sy] = [sx + x(i), sy + y(i)];
    assert.ok(Math.abs(sx - want.sum_x) < 1e-4 && Math.abs(sy - want.sum_y) < 1e-4, `${name}: sums ${sx}, ${sy} against ${want.sum_x}, ${want.sum_y}`);
  }
});

test("the classes: dots, yin and yang regions of the symbol; the training split holds the validation points last", () => {
  assert.equal(yinYangClass(0.75, 0.5), 2);
  assert.equal(yinYangClass(0.25, 0.5), 2);
  // Around the left dot the ring is yin; around the right one, yang.
  assert.equal(yinYangClass(0.25, 0.65), 1);
  assert.equal(yinYangClass(0.75, 0.65), 0);
  // The top half away from the right dot is yin; the bottom half away from the left dot is yang.
  assert.equal(yinYangClass(0.5, 0.95), 1);
  assert.equal(yinYangClass(0.5, 0.05), 0);
  const train = yinYangSplit("train");
  assert.equal(train.labels.length, 6000);
  assert.deepEqual(train.images.subarray(5000 * 4, 5001 * 4), yinYang(1, 41).images);
  assert.equal(yinYangSplit("test").labels.length, 1000);
  assert.throws(() => yinYang(-1, 1), /size/);
});
