// Robustness over training seeds: curves grouped by "<group>-seed<k>", mean and sample standard deviation
// per strength and of the areas, and a verdict only beyond the seeds' spread.
import assert from "node:assert/strict";
import { test } from "node:test";
import { groupCurves, groupedTable, pairVerdicts, seedGroup, verdictLines } from "../../src/tasks/robustness/seed_groups.js";
import type { AttackCurves } from "../../src/tasks/robustness/suite.js";
import { compareSpreads, rateStandardError, seedList, spread } from "../../src/tasks/seeds/spread.js";

test("spread: mean, sample standard deviation and range; ties unless the seeds' ranges are apart", () => {
  const s = spread([0.87, 0.9, 0.93]);
  assert.ok(Math.abs(s.mean - 0.9) < 1e-15);
  assert.ok(Math.abs(s.sd - 0.03) < 1e-15); // √(((−0.03)² + 0 + 0.03²) / 2)
  assert.deepEqual([s.min, s.max, s.n], [0.87, 0.93, 3]);
  assert.equal(spread([5]).sd, 0);
  assert.equal(compareSpreads(spread([3, 4, 5]), spread([1, 2, 2.9])), "higher");
  assert.equal(compareSpreads(spread([1, 2, 2.9]), spread([3, 4, 5])), "lower");
  assert.equal(compareSpreads(spread([3, 4, 5]), spread([1, 2, 3])), "tie"); // touching ranges
  assert.equal(compareSpreads(spread([9]), spread([1])), "tie"); // one seed: no spread to go beyond
  assert.deepEqual(seedList(7, 3), [7, 8, 9]);
  assert.ok(Math.abs(rateStandardError(0.97, 2000) - Math.sqrt((0.97 * 0.03) / 2000)) < 1e-15);
  assert.throws(() => spread([]), /at least one value/);
  assert.throws(() => spread([1, Number.NaN]), /values\[1\]/);
  assert.throws(() => seedList(0, 0), /seeds/);
  assert.throws(() => rateStandardError(1.5, 10), /p/);
});

test("seed groups: curves of one model over its seeds become mean ± sd per strength; pairs get a verdict only beyond the spread", () => {
  assert.deepEqual(seedGroup("conv-snn-seed12"), { group: "conv-snn", seed: 12 });
  assert.deepEqual(seedGroup("mine"), { group: "mine", seed: null });
  const curve = (model: string, acc: number[], area: number) => ({ model, points: acc.map((accuracy, i) => ({ strength: i / 10, loss: 0, accuracy })), area });
  const attacks: AttackCurves[] = [
    {
      attack: "gaussian",
      title: "noise",
      strength: "σ",
      curves: [
        curve("a-seed0", [0.9, 0.8], 0.85),
        curve("a-seed1", [0.92, 0.7], 0.81),
        curve("a-seed2", [0.94, 0.6], 0.77),
        curve("b-seed0", [0.9, 0.5], 0.7),
        curve("b-seed1", [0.9, 0.55], 0.72),
        curve("b-seed2", [0.9, 0.6], 0.75),
      ],
    },
    {
      attack: "fgsm",
      title: "fgsm",
      strength: "ε",
      curves: [curve("a-seed0", [0.9, 0.3], 0.6), curve("a-seed1", [0.9, 0.4], 0.65), curve("a-seed2", [0.9, 0.2], 0.55), curve("b-seed0", [0.9, 0.35], 0.62), curve("b-seed1", [0.9, 0.3], 0.6), curve("b-seed2", [0.9, 0.25], 0.58)],
    },
  ];
  const grouped = groupCurves(attacks);
  const a = grouped[0].groups[0];
  assert.deepEqual(a.models, ["a-seed0", "a-seed1", "a-seed2"]);
  assert.ok(Math.abs(a.points[0].accuracy.mean - 0.92) < 1e-12 && Math.abs(a.points[0].accuracy.sd - 0.02) < 1e-12);
  assert.ok(Math.abs(a.points[1].accuracy.mean - 0.7) < 1e-12 && Math.abs(a.points[1].accuracy.sd - 0.1) < 1e-12);
  assert.ok(Math.abs(a.area.mean - 0.81) < 1e-12);
  const v = pairVerdicts(grouped, [["a", "b"]]);
  // Gaussian: a's areas 0.77–0.85 all above b's 0.70–0.75; FGSM: 0.55–0.65 against 0.58–0.62 overlap.
  assert.deepEqual(v.map((x) => [x.attack, x.more_robust]), [["gaussian", "a"], ["fgsm", "tie"]]);
  assert.ok(Math.abs(v[0].difference - (0.81 - (0.7 + 0.72 + 0.75) / 3)) < 1e-12);
  assert.match(verdictLines(v)[1], /fgsm: a 60\.0 ± 5\.0 vs b 60\.0 ± 2\.0: a tie/);
  assert.match(groupedTable(grouped), /area\s+81\.0 ± 4\.0\s+72\.3 ± 2\.5/);
});
