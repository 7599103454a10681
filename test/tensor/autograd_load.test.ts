// Tensor.backward() works when a program imports single op modules, not the package index (as the CLI
// does): the ops install the autograd pass. This file runs in its own process, so nothing else loads it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { tensor } from "../../src/tensor/creation.js";
import { mul } from "../../src/tensor/ops/elementwise.js";
import { sum } from "../../src/tensor/ops/reduce.js";

test("backward through ops imported one by one", () => {
  const x = tensor([1, 2, 3], [3], { requiresGrad: true });
  sum(mul(x, x)).backward();
  assert.deepEqual(Array.from(x.grad!.dataFloat32()), [2, 4, 6]);
});
