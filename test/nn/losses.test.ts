// Spike losses and accuracy against direct formulas.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as S from "../../src/index.js";
import { assertClose } from "../helpers.js";

const spikes = () =>
  S.tensor(
    // T = 2, B = 2, C = 3
    [1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1],
    [2, 2, 3],
  );

test("counts, cross-entropy on counts, MSE on counts with a target count, accuracy", () => {
  const s = spikes();
  assert.deepEqual(Array.from(S.spikeCounts(s).dataFloat32()), [2, 0, 1, 0, 2, 1]);
  const labels = [0, 2];
  const ce = (row: number[], y: number, k: number) => -(k * row[y] - Math.log(row.reduce((a, v) => a + Math.exp(k * v), 0)));
  const expectedCe = (ce([2, 0, 1], 0, 4) + ce([0, 2, 1], 2, 4)) / 2;
  assertClose([S.ceCountLoss(s, labels, 4).item()], [expectedCe], 1e-5, 1e-5, "CE on counts");
  // targets: 4 for the label, 0 elsewhere → mean of squared differences over B·C entries
  const sq = [(2 - 4) ** 2, 0, 1, 0, 4, (1 - 4) ** 2];
  assertClose([S.mseCountLoss(s, labels).item()], [sq.reduce((a, b) => a + b) / 6], 1e-6, 0, "MSE on counts");
  assert.equal(S.accuracy(S.spikeCounts(s), labels), 0.5);
  assert.deepEqual(S.predictions(S.spikeCounts(s)), [0, 1]);
  const mem = S.tensor([0, 1, 2, 2, 1, 0, 2, 1, 0, 0, 1, 2], [2, 2, 3]);
  const m = [1, 1, 1, 1, 1, 1];
  const expectedMem = (ce(m.slice(0, 3), 0, 1) + ce(m.slice(3), 2, 1)) / 2;
  assertClose([S.ceMembraneLoss(mem, labels).item()], [expectedMem], 1e-5, 1e-5, "CE on mean membrane");
  assert.throws(() => S.mseCountLoss(s, [0, 3]), S.ValueError);
  assert.throws(() => S.ceCountLoss(S.zeros([2, 3]), labels), S.ShapeError);
});
