// `snnkit analyze distance`: its three distances against independent computations (the Alexiewicz norm's
// double sum, van Rossum's integral by quadrature, a Victor–Purpura case by hand), and through the CLI.
import assert from "node:assert/strict";
import { test } from "node:test";
import { runCli } from "../../src/cli/program.js";
import { withConsole } from "../helpers.js";
import { MemoryStore } from "../../src/tasks/run/memory_store.js";
import { distanceJob } from "../../src/tasks/spiketrain/distance_job.js";
import { nodeImages } from "../../src/node/images.js";

const context = { store: new MemoryStore(), images: nodeImages };

test("the Alexiewicz norm of the difference equals its double sum, van Rossum its integral", async () => {
  const c = distanceJob.configure({ times: [0.5, 1, 2.5], amplitudes: [1, -0.5, 2], otherTimes: [1, 3], otherAmplitudes: [0.5, 1], alpha: 0.7, tau: 0.8 });
  const r = await distanceJob.run(c, context, {});
  // The difference's spikes: +1 at 0.5, −1 at 1 (−0.5 − 0.5), +2 at 2.5, −1 at 3.
  const d = [[0.5, 1], [1, -1], [2.5, 2], [3, -1]];
  const alex = Math.max(...d.map(([tk], k) => Math.abs(d.slice(0, k + 1).reduce((s, [ti, ci]) => s + Math.exp(-0.7 * (tk - ti)) * ci, 0))));
  assert.ok(Math.abs(r.alexiewicz - alex) < 1e-12, `${r.alexiewicz} vs ${alex}`);
  // D² = (1/τ)∫ f(t)² dt with f the difference filtered by e^{−t/τ}: midpoint rule to t = 30.
  const dt = 1e-4;
  let integral = 0;
  for (let t = dt / 2; t < 30; t += dt) {
    const f = d.reduce((s, [ti, ci]) => s + (t >= ti ? ci * Math.exp(-(t - ti) / 0.8) : 0), 0);
    integral += f * f * dt;
  }
  assert.ok(Math.abs(r.van_rossum - Math.sqrt(integral / 0.8)) < 1e-4, `${r.van_rossum} vs ${Math.sqrt(integral / 0.8)}`);
});

test("Victor–Purpura by hand: a shift costs q·|Δt| unless deleting and inserting is cheaper", async () => {
  const at = async (q: number) => (await distanceJob.run(distanceJob.configure({ times: [1, 2, 3], otherTimes: [1, 2.5], q }), context, {})).victor_purpura;
  assert.equal(await at(1), 1.5); // 1 ↔ 1, 2 → 2.5 (0.5), 3 deleted (1)
  assert.equal(await at(10), 3); // shifting 0.5 costs 5: delete 2 and 3, insert 2.5
  assert.equal(await at(0), 1); // free shifts: only the extra spike costs
});

test("snnkit analyze distance: one registration line; --json, text, and bad input refused", async () => {
  await withConsole(async (out) => {
    assert.equal(await runCli(["analyze", "distance", "--times", "1,2,3", "--other-times", "1,2.5", "--json"]), 0);
    assert.deepEqual(JSON.parse(out.pop()!), { alexiewicz: 1, van_rossum: JSON.parse(JSON.stringify((await distanceJob.run(distanceJob.configure({ times: [1, 2, 3], otherTimes: [1, 2.5] }), context, {})).van_rossum)), victor_purpura: 1.5 });
    assert.equal(await runCli(["analyze", "distance", "--times", "1,2,3", "--other-times", "1,2.5"]), 0);
    assert.match(out.pop()!, /^‖η − ζ‖_A,α = 1 \(α = 0\); van Rossum 0\.809\d+ \(τ = 1\); Victor–Purpura 1\.5 \(q = 1\)$/);
    for (const bad of [["--times", "2,1", "--other-times", "1"], ["--times", "1", "--other-times", "1", "--tau", "0"], ["--times", "1", "--other-times", Array(10_001).fill(1).join(",")], ["--times", "1"]])
      assert.notEqual(await runCli(["analyze", "distance", ...bad]), 0, bad.join(" "));
  });
});
