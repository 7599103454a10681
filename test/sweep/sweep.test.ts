// Sweep files: validation with errors naming the file and field, expansion into runs with stable ids, and a
// local sweep in child processes whose runs equal the same runs made one by one, never run twice.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../../src/cli/program.js";
import { DataError, ValueError } from "../../src/errors.js";
import { expandRuns, parseSweepSpec, runId } from "../../src/tasks/sweep/spec.js";
import { withConsole } from "../helpers.js";

const tiny = { model: "mlp", epochs: 1, steps: 4, "train-limit": 300, "test-limit": 100, validation: 100, "batch-size": 32 };

test("sweep files: errors name the file and the field; a grid with seeds expands into runs with stable, distinct ids", () => {
  const bad: [string, RegExp][] = [
    ["{", /s\.json: not JSON/],
    [JSON.stringify({ command: "train" }), /s\.json: out: /],
    [JSON.stringify({ command: "fly", out: "x" }), /s\.json: command: expected one of train, dsn train/],
    [JSON.stringify({ command: "train", grid: { lrr: [1] }, out: "x" }), /s\.json: grid\.lrr: not a flag of snnkit train/],
    [JSON.stringify({ command: "train", args: { seed: 3 }, out: "x" }), /args\.seed: set by the sweep/],
    [JSON.stringify({ command: "train", grid: { lr: [] }, out: "x" }), /grid\.lr: /],
    [JSON.stringify({ command: "train", grid: { lr: Array.from({ length: 200 }, (_, i) => (i + 1) / 1000), epochs: Array.from({ length: 60 }, (_, i) => i + 1) }, out: "x" }), /12000 runs, more than 10000/],
  ];
  for (const [text, message] of bad) assert.throws(() => parseSweepSpec(text, "s.json"), (e: unknown) => e instanceof DataError && message.test((e as Error).message), text);
  const spec = parseSweepSpec(JSON.stringify({ command: "train", args: tiny, grid: { lr: [0.001, 0.005], "batch-size": [16, 32] }, seeds: [0, 1, 2], out: "x" }), "s.json");
  const runs = expandRuns(spec);
  assert.equal(runs.length, 12);
  assert.equal(new Set(runs.map((r) => r.id)).size, 12);
  assert.deepEqual(runs[0].settings, { ...tiny, lr: 0.001, "batch-size": 16, seed: 0 });
  // The id depends on the run's settings only, not on the order of keys or its place in the sweep.
  assert.equal(runs[0].id, runId("train", { seed: 0, ...tiny, lr: 0.001, "batch-size": 16 }));
  assert.deepEqual(expandRuns(spec).map((r) => r.id), runs.map((r) => r.id));
  // A value the command refuses stops the sweep before it starts, naming the run and the field.
  const refused = parseSweepSpec(JSON.stringify({ command: "train", grid: { lr: [0.01, 20] }, out: "x" }), "s.json");
  assert.throws(() => expandRuns(refused), (e: unknown) => e instanceof ValueError && /the run \{"lr":20,"seed":0\}: lr/.test((e as Error).message));
  // The same sweep in YAML.
  const yaml = parseSweepSpec(["command: train", "args:", "  model: mlp", "grid:", "  lr: [0.001, 0.005]", "  batch-size: [16, 32]", "seeds: [0, 1, 2]", "out: x"].join("\n"), "s.yaml");
  assert.deepEqual(expandRuns(yaml).map((r) => r.settings.lr), runs.map((r) => r.settings.lr));
  assert.throws(() => parseSweepSpec("command: [", "s.yml"), (e: unknown) => e instanceof DataError && /s\.yml: not YAML/.test((e as Error).message));
  // Random search: reproducible draws within the ranges.
  const random = parseSweepSpec(JSON.stringify({ command: "train", random: { samples: 5, seed: 4, space: { lr: { min: 1e-4, max: 1e-2, log: true }, steps: { min: 2, max: 8, integer: true } } }, seeds: [0], out: "x" }), "s.json");
  const drawn = expandRuns(random);
  assert.equal(drawn.length, 5);
  for (const r of drawn) assert.ok((r.settings.lr as number) >= 1e-4 && (r.settings.lr as number) <= 1e-2 && Number.isInteger(r.settings.steps));
  assert.deepEqual(expandRuns(random), drawn);
});

test("sweep run --local: runs in child processes, the same results as each run alone, a second call runs nothing again; results --json", async () => {
  const dir = mkdtempSync(join(tmpdir(), "snnkit-sweep-"));
  try {
    const path = join(dir, "sweep.json");
    writeFileSync(path, JSON.stringify({ command: "train", args: tiny, grid: { lr: [0.001, 0.005] }, seeds: [0, 1], out: join(dir, "runs") }));
    const first = await withConsole(async (lines) => {
      assert.equal(await runCli(["sweep", "run", path, "--local", "--parallel", "2", "--json"]), 0, lines.join("\n"));
      return JSON.parse(lines.at(-1)!) as { runs: { id: string; settings: Record<string, unknown>; status: string; metrics: { test_accuracy: number } }[] };
    });
    assert.equal(first.runs.length, 4);
    assert.ok(first.runs.every((r) => r.status === "completed" && r.metrics.test_accuracy > 0));
    // One run alone, through snnkit train with the same flags: the same accuracy.
    const r0 = first.runs[0];
    const alone = await withConsole(async (lines) => {
      const flags = Object.entries(r0.settings).flatMap(([k, v]) => [`--${k}`, String(v)]);
      assert.equal(await runCli(["train", ...flags, "--out", join(dir, "alone"), "--json"]), 0, lines.join("\n"));
      return JSON.parse(lines.at(-1)!) as { test_accuracy: number };
    });
    assert.equal(alone.test_accuracy, r0.metrics.test_accuracy);
    // Run again: every run is found finished in its folder (its result.json untouched).
    const resultFile = join(dir, "runs", r0.id, "result.json");
    const before = readFileSync(resultFile, "utf8");
    await withConsole(async (lines) => assert.equal(await runCli(["sweep", "run", path, "--local", "--json"]), 0, lines.join("\n")));
    assert.equal(readFileSync(resultFile, "utf8"), before);
    const results = await withConsole(async (lines) => {
      assert.equal(await runCli(["sweep", "results", path, "--json"]), 0, lines.join("\n"));
      return JSON.parse(lines.at(-1)!) as { runs: unknown[]; files: { results: string; plot: string } };
    });
    assert.equal(results.runs.length, 4);
    assert.match(readFileSync(results.files.plot, "utf8"), /<svg/);
    // Both --local and --queue, or neither, is refused.
    await withConsole(async () => assert.equal(await runCli(["sweep", "run", path]), 1));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
