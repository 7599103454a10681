// The page's digits asset: it decodes to exactly the digits Node reads from the npm package (so a page
// trains on the CLI's data), splits as Node splits them, and refuses damaged bytes by offset.
import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeDigitsAsset, encodeDigitsAsset, splitEmbedded } from "../../src/data/embedded_digits.js";
import { DataError } from "../../src/errors.js";
import { embeddedSplit, loadEmbeddedDigits } from "../../src/node/mnist_embedded.js";

test("the digits asset decodes to the very pixel values and labels of the package, and splits as Node does", () => {
  const all = loadEmbeddedDigits();
  const bytes = encodeDigitsAsset(all);
  assert.ok(bytes.length < 16 + 4 * 256 + 10_000 * 785 + 1, `${bytes.length} bytes`);
  const back = decodeDigitsAsset(bytes, "digits.bin");
  assert.deepEqual(back.labels, all.labels);
  assert.ok(back.images.every((v, i) => v === all.images[i]), "every pixel exact");
  const [ours, node] = [splitEmbedded(back), embeddedSplit()];
  assert.deepEqual(ours.test.labels, node.test.labels);
  assert.ok(ours.train.images.every((v, i) => v === node.train.images[i]));
});

test("damaged assets: a DataError naming the file and the offset", () => {
  const small = { name: "s", images: Float32Array.from({ length: 2 * 784 }, (_, i) => (i % 7) / 6), labels: Uint8Array.of(3, 9), imageShape: [1, 28, 28] as [number, number, number], classes: 10 };
  const good = encodeDigitsAsset(small);
  assert.deepEqual(decodeDigitsAsset(good, "a").labels, small.labels);
  const cases: [Uint8Array, RegExp][] = [
    [new TextEncoder().encode("PNG....."), /not a digits asset/],
    [good.subarray(0, good.length - 1), /bytes; 2 digits and 7 values need/],
    [Uint8Array.from(good, (b, i) => (i === 16 + 28 ? 12 : b)), /offset 44: label 12/],
    [Uint8Array.from(good, (b, i) => (i === good.length - 1 ? 200 : b)), /value index 200 of a table of 7/],
  ];
  for (const [bytes, message] of cases) assert.throws(() => decodeDigitsAsset(bytes, "d.bin"), (e: unknown) => e instanceof DataError && /^d\.bin: /.test((e as Error).message) && message.test((e as Error).message), String(message));
});
