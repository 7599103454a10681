// The sparsity property (brute force) and the resonance experiment of Moser & Lunglmayr (2024; docs/spike-trains.md).
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

test("resonance peaks: interior only when the worst error exceeds both ends; over trains, as the docs report", () => {
  const surface = (worst: number[]) => ({ reset: "mod" as const, alphas: worst.map((_, i) => i), ps: [0, 1], error: worst.map((w) => [0, w]), worstByAlpha: worst, peakAlpha: 0 });
  assert.deepEqual(T.resonancePeak(surface([1, 1.5, 1.2, 1])), { peakError: 1.5, peakAlpha: 1, atZero: 1, atMax: 1, interior: true });
  assert.equal(T.resonancePeak(surface([2, 1.5, 1.2, 1])).interior, false); // largest at α = 0
  assert.equal(T.resonancePeak(surface([1, 1.5, 1.2, 1.5])).interior, false); // the end reaches it too
  assert.equal(T.resonancePeak(surface([1, 1, 1, 1])).interior, false);
  // Counting over trains is the per-train peak, train by train.
  const train = (seed: number) => T.randomTrain(new S.Rng(seed));
  const rows = T.resonanceTrials(train, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 0.3]);
  const sub1 = rows.find((r) => r.reset === "subtract" && r.threshold === 1)!;
  sub1.peaks.forEach((p) => assert.deepEqual(p, { seed: p.seed, ...T.resonancePeak(T.resonanceSurface(train(p.seed), 1, "subtract")) }));
  // What docs/spike-trains.md reports for the first ten trains: at ϑ = 1 subtract peaks inside in 8, zero in
  // 3, mod in all 10, the largest subtract peak 1.66 against 1.00 at both ends; at ϑ = 0.3 subtract and zero never.
  const count = (reset: string, threshold: number) => rows.find((r) => r.reset === reset && r.threshold === threshold)!.interior;
  assert.deepEqual([count("mod", 1), count("subtract", 1), count("zero", 1), count("subtract", 0.3), count("zero", 0.3)], [10, 8, 3, 0, 0]);
  const top = sub1.peaks.filter((p) => p.interior).reduce((a, b) => (b.peakError > a.peakError ? b : a));
  assert.ok(Math.abs(top.peakError - 1.657) < 5e-4 && top.atZero === 1 && top.atMax === 1, JSON.stringify(top));
  assert.throws(() => T.resonanceTrials(train, [], [1]), /seeds/);
});
