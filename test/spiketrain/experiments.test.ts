// The sparsity property (brute force) and the resonance experiment of SPECS §1.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as S from "../../src/index.js";
import * as ST from "../../src/spiketrain.js";
import * as T from "../../src/tasks.js";

test("sparsity (leak 0): the mod-reset output has the least ‖·‖₁ among admissible trains (exhaustive search)", () => {
  const rng = new S.Rng(11);
  for (let i = 0; i < 300; i++) {
    const eta = T.randomTrain(rng, 2 + rng.int(7));
    const c = ST.sparsityCheck(eta, [0.2, 0.3, 1][i % 3]);
    assert.ok(Number.isFinite(c.minL1));
    assert.ok(c.holds, `mod ‖·‖₁ ${c.modL1} vs least ${c.minL1}`);
  }
  // A hand case: η = 0.6, 0.6 with ϑ = 1: admissible trains (0, 1) and (1, 0) both have ‖s‖₁ = 1 = mod's.
  const c = ST.sparsityCheck(ST.SpikeTrain.from([1, 2], [0.6, 0.6]), 1);
  assert.equal(c.minL1, 1);
  assert.equal(c.modL1, 1);
});

test("resonance surface: one error per (α, p); zero perturbation gives zero error; mod stays within ‖ν‖ + 2ϑ", () => {
  const eta = T.randomTrain(new S.Rng(0));
  const s = T.resonanceSurface(eta, 1, "mod", { alphaSteps: 11, pSteps: 6 });
  assert.equal(s.error.length, 11);
  assert.ok(s.error.every((row) => row.length === 6 && row[0] === 0));
  s.alphas.forEach((alpha, i) =>
    s.ps.forEach((p, j) => {
      const nu = ST.alexiewiczNorm(ST.SpikeTrain.from([2.3, 5.85, 7], [p, -p, p]), alpha);
      assert.ok(s.error[i][j] < nu + 2, `α ${alpha}, p ${p}: ${s.error[i][j]}`);
    }),
  );
  // The heat map has its cells and a colour bar whose ticks reach the largest error.
  const svg = S.heatMap(s.error, s.ps, s.alphas, { title: "t", valueLabel: "error" });
  assert.match(svg, /^<svg[\s\S]*<rect[\s\S]*>error<\/text>[\s\S]*<\/svg>$/);
});
