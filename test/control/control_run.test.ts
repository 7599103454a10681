// Cart-pole runs on disk: solved runs, exact resume, checkpoints checked, and the command line.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import * as S from "../../src/index.js";
import { controlTask, HELD_OUT_EPISODES, loadRun, readCheckpoint, runInDirectory, STOPPING_EPISODES, writeCheckpoint } from "../../src/node.js";
import * as Ctl from "../../src/control.js";

test("an ES run reaches 475 on the stopping episodes, is judged on the held-out ones, and a run stopped midway resumes exactly", async () => {
  const dir = mkdtempSync(join(tmpdir(), "snnkit-cp-"));
  const config = controlTask.configure({ method: "es", seed: 1, episodes: 49 * 40, keepGoing: true });
  const full = await runInDirectory(controlTask, join(dir, "full"), { config });
  let calls = 0;
  const part = await runInDirectory(controlTask, join(dir, "part"), { config, shouldStop: () => ++calls === 7 });
  assert.equal(part.completed, false);
  const resumed = await runInDirectory(controlTask, join(dir, "part"), { config, resume: true });
  assert.equal(resumed.completed, true);
  assert.deepEqual(loadRun(controlTask, resumed.checkpoint).session.s.params, loadRun(controlTask, full.checkpoint).session.s.params);
  const a = JSON.parse(readFileSync(full.metrics, "utf8")).records;
  const b = JSON.parse(readFileSync(resumed.metrics, "utf8")).records;
  assert.deepEqual(b, a);
  assert.ok(full.stopped_after_episodes !== null && full.stopping_return >= 475, `stopping episodes ${full.stopping_return}`);
  // Judged on the held-out episodes, which the run never saw: their mean, re-measured from the checkpoint.
  const trained = loadRun(controlTask, full.checkpoint).session;
  assert.equal(full.held_out_return, Ctl.meanReturn(trained.s.shape, trained.s.params, () => new Ctl.CartPole(), 1000, HELD_OUT_EPISODES.seed));
  assert.equal(full.held_out_episodes, 1000);
  assert.equal(full.solved, full.held_out_return >= 475);
  const [stop, held] = [STOPPING_EPISODES, HELD_OUT_EPISODES];
  assert.ok(held.seed > stop.seed + stop.episodes || held.seed + held.episodes < stop.seed, "the two episode sets share no seed");
  assert.match(readFileSync(full.plot, "utf8"), /^<svg/);
  // A corrupt checkpoint names the file.
  const bad = join(dir, "bad.snnk");
  writeFileSync(bad, readFileSync(full.checkpoint).subarray(0, 100));
  assert.throws(() => loadRun(controlTask, bad), (e: unknown) => e instanceof S.DataError && /bad\.snnk/.test(e.message));
  // A checkpoint from before the stopping episodes had their own name still reads.
  const raw = readCheckpoint<Record<string, unknown> & { records: Record<string, unknown>[] }>(full.checkpoint);
  const { stoppedAtEpisode, records, ...rest } = raw.header;
  const older = join(dir, "older.snnk");
  writeCheckpoint(older, { header: { ...rest, solvedAtEpisode: stoppedAtEpisode, records: records.map(({ stopping_return, ...r }) => ({ ...r, eval_return: stopping_return })) }, arrays: raw.arrays });
  assert.deepEqual(loadRun(controlTask, older).records, loadRun(controlTask, full.checkpoint).records);
});

test("a PG run stops once the stopping episodes average 475", async () => {
  const dir = mkdtempSync(join(tmpdir(), "snnkit-cppg-"));
  const r = await runInDirectory(controlTask, dir, { config: controlTask.configure({ method: "pg", seed: 0, episodes: 8 * 150 }) });
  assert.ok(r.stopped_after_episodes !== null, `PG did not reach 475 on the stopping episodes: ${r.stopping_return}`);
  assert.equal(r.episodes, r.stopped_after_episodes);
  const run = loadRun(controlTask, r.checkpoint);
  assert.equal(run.session.method, "pg");
});

const cli = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { encoding: "utf8", timeout: 120_000 });

test("snnkit control cartpole: --json result, --eval, and clear errors", () => {
  const out = mkdtempSync(join(tmpdir(), "snnkit-cpcli-"));
  const r = cli("control", "cartpole", "--episodes", "98", "--out", out, "--json");
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout.trim().split("\n").pop()!);
  assert.equal(res.episodes, 98);
  for (const k of ["method", "seconds", "stopped_after_episodes", "stopping_return", "held_out_return", "held_out_episodes", "solved", "checkpoint"]) assert.ok(k in res, k);
  const e = cli("control", "cartpole", "--eval", "--checkpoint", res.checkpoint, "--eval-episodes", "5", "--json");
  assert.equal(e.status, 0, e.stderr);
  assert.equal(JSON.parse(e.stdout).episodes, 5);
  // The harder variant is part of the run's configuration.
  const noisy = cli("control", "cartpole", "--episodes", "49", "--observation-noise", "0.05", "--out", join(out, "noisy"), "--json");
  assert.equal(noisy.status, 0, noisy.stderr);
  assert.equal(loadRun(controlTask, join(out, "noisy", "checkpoint.snnk")).session.config.observationNoise, 0.05);
  for (const [args, pattern] of [
    [["control", "cartpole", "--observation-noise", "-1"], /--observation-noise must be a number/],
    [["control", "cartpole", "--method", "dqn"], /--method.*Allowed choices/s],
    [["control", "cartpole", "--episodes", "0"], /--episodes must be an integer/],
    [["control", "cartpole", "--eval", "--checkpoint", join(out, "none.snnk")], /none\.snnk.*not found/],
    [["control", "cartpole", "--method", "pg", "--resume", "--out", out], /--method pg \(the checkpoint has es\)/],
    [["control", "cartpole", "--seed", "3", "--resume", "--out", out], /--resume: expected the settings.*--seed 3 \(the checkpoint has 0\)/],
  ] as const) {
    const b = cli(...args);
    assert.notEqual(b.status, 0, args.join(" "));
    assert.match(b.stderr, pattern, `${args.join(" ")}: ${b.stderr}`);
  }
});
