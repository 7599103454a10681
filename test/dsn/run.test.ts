// Deep Spiking Networks runs on disk: checkpoints round-trip, a resumed run equals an uninterrupted one
// (between epochs and inside one), the CLI's commands and their typed errors.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../../src/cli/program.js";
import { loadRun, readCheckpoint, runInDirectory, writeCheckpoint } from "../../src/node/run_store.js";
import { dsnTask } from "../../src/tasks/dsn/task.js";
import { DEFAULT_DSN_CONFIG, type DsnConfig } from "../../src/tasks/dsn/config.js";

const tmp = () => mkdtempSync(join(tmpdir(), "snnkit-dsn-"));
const config = (over: Partial<DsnConfig> = {}): DsnConfig => ({
  ...DEFAULT_DSN_CONFIG,
  layers: [40, 30],
  epochs: 2,
  trainLimit: 600,
  testLimit: 100,
  forwardStart: "random-shift",
  lr: 0.05,
  ...over,
});
const weightsOf = (dir: string) => {
  const s = loadRun(dsnTask, join(dir, "checkpoint.snnk"));
  const w = s.net.weights();
  const carried = "carriedState" in s.net ? s.net.carriedState() : null;
  s.net.dispose();
  return { w, carried, progress: s.progress };
};

test("a run resumed between epochs or inside one equals the uninterrupted run", async () => {
  for (const model of ["spiking", "relu"] as const) {
    const whole = tmp();
    await runInDirectory(dsnTask, whole, { config: config({ model }) });
    const split = tmp();
    await runInDirectory(dsnTask, split, { config: config({ model, epochs: 1 }) });
    await runInDirectory(dsnTask, split, { config: config({ model }), resume: true });
    // Stopped inside the first epoch (after the first chunk of 250 samples), then resumed.
    const inside = tmp();
    let polls = 0;
    const stopped = await runInDirectory(dsnTask, inside, { config: config({ model }), shouldStop: () => ++polls === 1 });
    assert.equal(stopped.completed, false);
    assert.equal(weightsOf(inside).progress.sample, 250);
    const done = await runInDirectory(dsnTask, inside, { config: config({ model }), resume: true });
    assert.equal(done.completed, true);
    const [a, b, c] = [weightsOf(whole), weightsOf(split), weightsOf(inside)];
    for (const other of [b, c]) {
      a.w.forEach((wl, l) => assert.deepEqual(other.w[l], wl, `${model}: weights of layer ${l}`));
      assert.deepEqual(other.carried, a.carried, `${model}: herder states and generator`);
      assert.deepEqual(other.progress.epochs.map((e) => e.test_error), a.progress.epochs.map((e) => e.test_error));
    }
  }
});

test("checkpoints: corrupt, truncated and foreign files give DataErrors naming the file", async () => {
  const dir = tmp();
  await runInDirectory(dsnTask, dir, { config: config({ epochs: 1, trainLimit: 100 }) });
  const path = join(dir, "checkpoint.snnk");
  const bytes = readFileSync(path);
  const truncated = join(dir, "truncated.snnk");
  writeFileSync(truncated, bytes.subarray(0, bytes.length - 10));
  assert.throws(() => loadRun(dsnTask, truncated), (e: Error) => e.name === "DataError" && e.message.includes("truncated.snnk"));
  const flipped = Buffer.from(bytes);
  flipped[flipped.length - 3] ^= 0xff;
  const corrupt = join(dir, "corrupt.snnk");
  writeFileSync(corrupt, flipped);
  assert.throws(() => loadRun(dsnTask, corrupt), (e: Error) => e.name === "DataError" && e.message.includes("corrupt.snnk"));
  assert.throws(() => loadRun(dsnTask, join(dir, "missing.snnk")), /missing\.snnk/);
  // A checkpoint from before the baseline's loss was a setting trained on ½Σ(a − t)², and says so once read.
  const raw = readCheckpoint<{ config: Record<string, unknown> }>(path);
  delete raw.header.config.reluLoss;
  const older = join(dir, "older.snnk");
  writeCheckpoint(older, raw);
  const s = loadRun(dsnTask, older);
  assert.equal(s.config.reluLoss, "half-squared-error");
  s.net.dispose();
});

/** Runs the CLI in this process, capturing stdout and stderr. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const [out, err]: string[][] = [[], []];
  const [log, error, write] = [console.log, console.error, process.stderr.write.bind(process.stderr)];
  console.log = (...a: unknown[]) => void out.push(a.join(" "));
  console.error = (...a: unknown[]) => void err.push(a.join(" "));
  process.stderr.write = ((chunk: string) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await runCli(args);
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    [console.log, console.error, process.stderr.write] = [log, error, write];
  }
}

test("snnkit dsn baseline, convert and train: results, --json fields, and typed errors", async () => {
  const dir = tmp();
  const base = await cli("dsn", "baseline", "--layers", "100", "--epochs", "1", "--limit-train", "2000", "--limit-test", "300", "--out", join(dir, "b"), "--json");
  assert.equal(base.code, 0, base.err);
  const b = JSON.parse(base.out);
  for (const k of ["validation_error", "test_error", "train_error", "epochs", "seconds", "ops_per_sample", "checkpoint"]) assert.ok(k in b, k);
  // One online epoch of 2,000 samples takes the ReLU MLP to 16.3 % test error and 15.0 % on the 1,000
  // validation images held out of the training split (chance: 90 %).
  assert.ok(b.test_error < 0.2 && b.validation_error < 0.2, `baseline test error ${b.test_error}, validation error ${b.validation_error}`);
  const conv = await cli("dsn", "convert", "--checkpoint", b.checkpoint, "--steps", "50", "--json");
  assert.equal(conv.code, 0, conv.err);
  const c = JSON.parse(conv.out);
  // At T = 50 the spiking readout is within 1/(2T) per layer of the ReLU network's output: the two
  // classify all but a few of the 300 images alike (here they differ by one).
  assert.ok(Math.abs(c.test_error - c.source_test_error) <= 3 / 300 + 1e-12, `converted ${c.test_error} vs ReLU ${c.source_test_error}`);
  const train = await cli("dsn", "train", "--layers", "60", "--epochs", "1", "--limit-train", "300", "--limit-test", "50", "--steps", "5", "--update", "fractional", "--out", join(dir, "t"), "--json");
  assert.equal(train.code, 0, train.err);
  const t = JSON.parse(train.out);
  assert.equal(t.ops_per_sample.forward_row_additions.length, 2);
  assert.ok(t.ops_per_sample.forward_row_additions[0] > 0);
  // The resumed run refuses flags that differ from its checkpoint.
  const clash = await cli("dsn", "train", "--layers", "60", "--steps", "7", "--epochs", "2", "--out", join(dir, "t"), "--resume");
  assert.equal(clash.code, 1);
  assert.match(clash.err, /--steps 7 \(the checkpoint has 5\)/);
  for (const [args, pattern, code] of [
    [["dsn", "train", "--layers", "0"], /--layers: item 1 \("0"\) is not an integer/, 2],
    [["dsn", "train", "--layers", "20,x"], /--layers: item 2/, 2],
    [["dsn", "train", "--update", "sideways"], /--update.*sideways/s, 2],
    [["dsn", "train", "--forward-reset", "maybe"], /--forward-reset/, 2],
    [["dsn", "train", "--steps", "0"], /--steps must be an integer/, 2],
    [["dsn", "baseline", "--lr", "nan"], /--lr must be a number/, 2],
    [["dsn", "convert"], /required option '--checkpoint/, 2],
    [["dsn", "convert", "--checkpoint", join(dir, "none.snnk")], /none\.snnk/, 1],
    [["dsn", "train", "--dataset", "fashion-mnist"], /--data-dir/, 1],
    [["dsn", "train", "--validation", "8000"], /validation: expected an integer in \[0, 8000\)/, 1],
    [["dsn", "baseline", "--relu-loss", "cubic"], /--relu-loss.*cubic/s, 2],
  ] as const) {
    const r = await cli(...args, ...(args[1] === "convert" ? [] : ["--out", join(dir, "bad")]));
    assert.equal(r.code, code, `${args.join(" ")}: ${r.err}`);
    assert.match(r.err, pattern, `${args.join(" ")}: ${r.err}`);
  }
  // A training checkpoint of `snnkit train` is not a DSN checkpoint.
  const other = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "train", "--model", "mlp", "--steps", "2", "--epochs", "1", "--limit-train", "64", "--limit-test", "16", "--out", join(dir, "snn"), "--json"], { encoding: "utf8" });
  assert.equal(other.status, 0, other.stderr);
  const foreign = await cli("dsn", "convert", "--checkpoint", join(dir, "snn", "checkpoint.snnk"));
  assert.equal(foreign.code, 1);
  assert.match(foreign.err, /not a Deep Spiking Networks checkpoint/);
});
