// Two-layer TEM training and its parts: Hungarian matching, k-means, polynomial roots, the annihilating
// filter, coefficient recovery, and exact recovery of both layers up to permutation (Adam 2022; docs/time-encoding.md).
import assert from "node:assert/strict";
import { test } from "node:test";
import * as S from "../../src/index.js";
import * as TEM from "../../src/tem.js";
import * as T from "../../src/tasks.js";
import { diracCoefficients, monicFromRoots } from "./prony_reference.js";

test("Hungarian assignment equals brute force on random cost matrices", () => {
  const rng = new S.Rng(4);
  const perms = (n: number): number[][] =>
    n === 0 ? [[]] : perms(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
  for (let trial = 0; trial < 40; trial++) {
    const n = 1 + rng.int(5);
    const cost = Array.from({ length: n }, () => Array.from({ length: n }, () => Math.round(rng.uniform() * 20)));
    const total = (a: number[]) => a.reduce((s, c, r) => s + cost[r][c], 0);
    const best = Math.min(...perms(n).map(total));
    const a = TEM.hungarian(cost);
    assert.deepEqual([...a].sort(), [...Array(n).keys()]);
    assert.equal(total(a), best);
  }
});

test("k-means separates well-separated clusters; polynomial roots are found to 1e-12", () => {
  const rng = new S.Rng(5);
  const centres = [[0, 0], [5, 5], [0, 9]];
  const pts = centres.flatMap((c) => Array.from({ length: 10 }, () => c.map((v) => v + 0.1 * rng.normal())));
  const km = TEM.kMeans(pts, 3, new S.Rng(6));
  for (let c = 0; c < 3; c++) assert.equal(new Set(km.labels.slice(c * 10, c * 10 + 10)).size, 1);
  assert.equal(new Set(km.labels).size, 3);
  const roots: TEM.Complex[] = [[0.3, 0.9], [-0.7, 0.1], [0.2, -0.5], [1.2, 0]];
  const found = TEM.polynomialRoots(monicFromRoots(roots));
  for (const r of roots) assert.ok(found.some((f) => Math.hypot(f[0] - r[0], f[1] - r[1]) < 1e-12), `root ${r}`);
});

test("annihilating filter over channels recovers Dirac times from their Fourier coefficients", () => {
  const P = 10;
  const times = [1.3, 4.75, 4.9, 8.2];
  const amps = [[1, 0.5, 2, 0.7], [0.2, 1.1, 0.4, 1.5]];
  const M = 7;
  const w = (2 * Math.PI) / P;
  const channels = amps.map((a) => diracCoefficients(times, a, M, P));
  const roots = TEM.polynomialRoots(TEM.annihilatingFilter(channels, times.length));
  const found = roots.map(([re, im]) => (((-Math.atan2(im, re) / w) % P) + P) % P).sort((a, b) => a - b);
  found.forEach((t, n) => assert.ok(Math.abs(t - times[n]) < 1e-9, `time ${t} vs ${times[n]}`));
});

test("an output neuron's input coefficients are recovered exactly from its TEM spikes", () => {
  const y = TEM.diracStream([1.1, 3.4, 7.7], [0.8, 0.5, 0.9], 8, 10);
  const p = { kappa: 1, delta: 1, bias: 1 };
  const spikes = TEM.temEncode(y, p, 40);
  const { coeffs, rank } = TEM.inputCoefficients(spikes, p, 8, 10);
  assert.equal(rank, 15);
  assert.ok(Math.abs(coeffs[7][0] - y.cosines[0]) < 1e-10);
  for (let m = 1; m < 8; m++) {
    assert.ok(Math.abs(coeffs[7 + m][0] - y.cosines[m] / 2) < 1e-10);
    assert.ok(Math.abs(coeffs[7 + m][1] + y.sines[m] / 2) < 1e-10);
    assert.ok(Math.abs(coeffs[7 - m][1] - y.sines[m] / 2) < 1e-10);
  }
});

test("two-layer recovery is exact up to permutation at large exposure, and fails with too few output spikes", () => {
  for (const seed of [0, 1, 2]) {
    const r = TEM.runTwoLayer({ exposure: 38, seed });
    assert.ok(r.error_w1 < 1e-8 && r.error_w2 < 1e-8, `seed ${seed}: ${r.error_w1}, ${r.error_w2}`);
    assert.ok(r.time_error < 1e-8);
    assert.ok(r.rank.every((k) => k === 15));
  }
  const short = TEM.runTwoLayer({ exposure: 10, seed: 0 });
  assert.ok(short.rank.some((k) => k < 15));
  assert.ok(short.error_w1 > 1e-3 || short.error_w2 > 1e-3);
  assert.throws(() => TEM.runTwoLayer({ hidden: 0 }), S.ValueError);
});

test("the two-layer sweep reports median errors per exposure and a plot", () => {
  const { rows, plot } = T.twoLayerSweep([10, 38], 3);
  assert.equal(rows[1].exact, 3);
  assert.ok(rows[0].median_error_w1 > 1e-3);
  assert.match(plot, /^<svg[\s\S]*<polyline/);
});
