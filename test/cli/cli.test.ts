// The command line: bad flags and bad files give clear errors; a tiny run prints the --json object.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { idxFile } from "../helpers.js";

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { encoding: "utf8", timeout: 120_000 });

test("bad flags are rejected with a message naming the flag", () => {
  for (const [args, pattern] of [
    [["train", "--epochs", "0"], /--epochs must be an integer in \[1, 10000\]/],
    [["train", "--lr", "-1"], /--lr must be a number in \(0, 10\]/],
    [["train", "--model", "resnet"], /--model.*resnet.*Allowed choices/s],
    [["train", "--steps", "2.5"], /--steps must be an integer in \[1, 10000\]/],
    [["train", "--surrogate", "nope"], /surrogate: expected one of/],
    [["train", "--dataset", "fashion-mnist"], /--data-dir: expected a directory/],
    [["train", "--data-dir", "/nonexistent/dir"], /nonexistent.*not found/],
    [["eval"], /required option '--checkpoint/],
    [["train", "--threads", "0"], /--threads must be an integer in \[1, 256\]/],
  ] as const) {
    const r = cli(...args, "--out", mkdtempSync(join(tmpdir(), "snnkit-cli-")));
    assert.notEqual(r.status, 0, args.join(" "));
    assert.match(r.stderr, pattern, `${args.join(" ")}: ${r.stderr}`);
  }
});

test("train --json prints the result object; eval reads the checkpoint back", () => {
  const out = mkdtempSync(join(tmpdir(), "snnkit-cli-"));
  const r = cli("train", "--model", "mlp", "--loss", "ce-membrane", "--steps", "2", "--epochs", "1", "--limit-train", "256", "--limit-test", "64", "--out", out, "--json");
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout.trim().split("\n").pop()!);
  for (const k of ["test_accuracy", "epochs", "seconds", "checkpoint"]) assert.ok(k in res, k);
  assert.equal(res.epochs, 1);
  // Evaluated on one kernel thread, the checkpoint gives the same accuracy as the run on all of them.
  const e = cli("eval", "--checkpoint", res.checkpoint, "--threads", "1", "--json");
  assert.equal(e.status, 0, e.stderr);
  assert.equal(JSON.parse(e.stdout).test_accuracy, res.test_accuracy);
  // The validation images the run held out (1,000 by default) evaluate to the accuracy the run reported.
  const v = cli("eval", "--checkpoint", res.checkpoint, "--split", "validation", "--json");
  assert.equal(v.status, 0, v.stderr);
  assert.deepEqual([JSON.parse(v.stdout).validation_accuracy, JSON.parse(v.stdout).validation_images], [res.validation_accuracy, 1000]);
  const bad = join(out, "bad.snnk");
  writeFileSync(bad, "garbage");
  const b = cli("eval", "--checkpoint", bad);
  assert.notEqual(b.status, 0);
  assert.match(b.stderr, /bad\.snnk: not an snnkit checkpoint/);
  // A recipe sets the authors' settings as defaults; a flag given on purpose still wins.
  const rec = cli("train", "--recipe", "yanguas-gil", "--lr", "0.002", "--epochs", "1", "--limit-train", "64", "--limit-test", "16", "--validation", "0", "--out", join(out, "recipe"), "--json");
  assert.equal(rec.status, 0, rec.stderr);
  const config = JSON.parse(readFileSync(join(out, "recipe", "metrics.json"), "utf8")).config;
  assert.deepEqual(
    [config.model, config.neuron, config.encoding, config.loss, config.steps, config.schedule, config.batchSize, config.lr, config.epochs],
    ["coarse-lenet", "coarse", "rate", "mse-count", 8, "constant", 64, 0.002, 1],
  );
  assert.match(cli("train", "--recipe", "mine").stderr, /--recipe.*Allowed choices/s);
});

/** Starts `snnkit train args`, sends `signal` once the first progress line appears; its exit code and output. */
async function trainUntilSignal(args: string[], signal: NodeJS.Signals) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
    if (/batch \d+\//.test(stdout) && !child.killed) child.kill(signal);
  });
  child.stderr.on("data", (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { code, stdout, stderr };
}

test("Ctrl-C saves a checkpoint after the current batch; --resume finishes the run", async () => {
  const out = mkdtempSync(join(tmpdir(), "snnkit-cli-"));
  const args = ["train", "--model", "mlp", "--loss", "ce-membrane", "--steps", "2", "--epochs", "3", "--limit-train", "6400", "--limit-test", "64", "--batch-size", "16", "--out", out];
  const { code, stdout, stderr } = await trainUntilSignal(args, "SIGINT");
  assert.equal(code, 130, stderr); // stopped by SIGINT, after saving
  assert.match(stderr, /SIGINT: stopping after this batch/);
  assert.match(stdout, /stopped: .*continue with --resume/s);
  const r = cli(...args, "--resume", "--json");
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout.trim().split("\n").pop()!);
  assert.equal(res.completed, true);
  assert.equal(res.epochs, 3);
});

test("tem one-layer --json reports error, rank and spikes; bad parameters are rejected", () => {
  const r = cli("tem", "one-layer", "--examples", "1", "--json");
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout);
  assert.deepEqual(res.rank, [10, 10, 10, 10, 10]);
  assert.equal(res.determined, false);
  assert.ok(res.error > 1 && res.spikes > 0);
  const ok = JSON.parse(cli("tem", "one-layer", "--json").stdout);
  assert.ok(ok.error < 1e-9 && ok.determined);
  for (const [flag, v] of [["--kappa", "0"], ["--delta", "-1"], ["--inputs", "0"], ["--jitter", "-0.1"]]) {
    const b = cli("tem", "one-layer", flag, v);
    assert.notEqual(b.status, 0);
    assert.match(b.stderr, new RegExp(`${flag} must be`));
  }
});

test("tem two-layer --json reports error_w1, error_w2, rank and spikes", () => {
  const r = cli("tem", "two-layer", "--json");
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout);
  for (const k of ["error_w1", "error_w2", "rank", "spikes"]) assert.ok(k in res, k);
  assert.ok(res.error_w1 < 1e-8 && res.error_w2 < 1e-8);
  const b = cli("tem", "two-layer", "--kappa1", "0");
  assert.notEqual(b.status, 0);
  assert.match(b.stderr, /--kappa1 must be/);
});

test("tem sweep --quick writes the JSON data and SVG plots of both experiments", () => {
  const out = mkdtempSync(join(tmpdir(), "snnkit-tem-"));
  const r = cli("tem", "sweep", "--quick", "--out", out, "--json");
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout);
  assert.ok(Array.isArray(res.two_layer) && res.two_layer.length === 4);
  assert.ok(res.one_layer.examples.length > 0 && res.one_layer.jitter.length > 0);
  for (const f of Object.values(res.files) as string[]) assert.ok(readFileSync(f, "utf8").length > 100, f);
});

test("analyze quantize --json on the worked example; analyze bounds counts violations per reset", () => {
  const q = cli("analyze", "quantize", "--times", "1,2,3,4", "--amplitudes", "0.6,0.7,2.5,-0.4", "--threshold", "1", "--alpha", "0", "--reset", "mod", "--json");
  assert.equal(q.status, 0, q.stderr);
  const r = JSON.parse(q.stdout);
  assert.deepEqual(r.output, { times: [2, 3], amplitudes: [1, 2] });
  assert.ok(Math.abs(r.error_norm - 0.8) < 1e-12 && r.bound === 1 && r.holds === true);
  const b = JSON.parse(cli("analyze", "bounds", "--trials", "100", "--json").stdout);
  assert.equal(b.violations.mod.quantization, 0);
  assert.ok(b.violations.subtract.quantization > 0 && b.violations.zero.quantization > 0);
  const bad = cli("analyze", "quantize", "--times", "2,1");
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /strictly increasing/);
  const nan = cli("analyze", "quantize", "--times", "1,x");
  assert.match(nan.stderr, /--times: item 2/);
});

test("analyze resonance writes the surfaces and one heat map per reset mode", () => {
  const out = mkdtempSync(join(tmpdir(), "snnkit-res-"));
  const r = cli("analyze", "resonance", "--out", out, "--json");
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout);
  assert.deepEqual(res.summary.map((s: { reset: string }) => s.reset), ["mod", "subtract", "zero"]);
  assert.ok(res.summary.every((s: { trains: number; interior_peaks: number }) => s.trains === 1 && s.interior_peaks <= 1));
  for (const f of Object.values(res.files) as string[]) assert.ok(readFileSync(f, "utf8").length > 200, f);
});

test("simulate --json runs a network file; a bad file is named in the error", () => {
  const out = mkdtempSync(join(tmpdir(), "snnkit-sim-"));
  const r = cli("simulate", "--network", "examples/small_network.json", "--duration", "0.5", "--out", out, "--json");
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout);
  for (const k of ["spikes", "mean_rate_hz", "seconds"]) assert.ok(k in res, k);
  assert.ok(res.spikes > 0 && res.mean_rate_hz > 0);
  for (const f of Object.values(res.files) as string[]) assert.ok(readFileSync(f, "utf8").length > 50, f);
  const stepped = JSON.parse(cli("simulate", "--network", "examples/small_network.json", "--duration", "0.5", "--dt", "1e-4", "--out", out, "--json").stdout);
  assert.equal(stepped.mode, "stepped, dt 0.0001");
  assert.ok(Math.abs(stepped.mean_rate_hz - res.mean_rate_hz) < 0.25 * res.mean_rate_hz, `${stepped.mean_rate_hz} vs ${res.mean_rate_hz}`);
  const badFile = join(out, "bad.json");
  writeFileSync(badFile, JSON.stringify({ neurons: { count: 2, threshold: 0 } }));
  const b = cli("simulate", "--network", badFile, "--duration", "1");
  assert.notEqual(b.status, 0);
  assert.match(b.stderr, /bad\.json: neurons\.threshold: expected a number > 0/);
  // --record: membranes of the listed neurons at evenly spaced times, in JSON and as a trace plot.
  const rec = JSON.parse(cli("simulate", "--network", "examples/small_network.json", "--duration", "0.2", "--record", "0,3", "--record-points", "50", "--out", out, "--json").stdout);
  const m = JSON.parse(readFileSync(rec.files.membrane, "utf8"));
  assert.deepEqual(m.neurons, [0, 3]);
  assert.equal(m.times.length, 50);
  assert.equal(m.membrane.length, 2);
  assert.ok(m.membrane.every((row: number[]) => row.length === 50 && row.every((v) => Number.isFinite(v) && v < 1 + 1e-9)));
  assert.match(readFileSync(rec.files.membrane_plot, "utf8"), />threshold θ</);
  const withDt = cli("simulate", "--network", "examples/small_network.json", "--duration", "0.2", "--dt", "1e-4", "--record", "0");
  assert.equal(withDt.status, 1);
  assert.match(withDt.stderr, /--record: expected the event-driven mode/);
});

test("SIGTERM saves like Ctrl-C and exits 143; --resume refuses changed flags, says where it resumes, and finishes", async () => {
  const out = mkdtempSync(join(tmpdir(), "snnkit-cli-"));
  const args = ["train", "--model", "mlp", "--loss", "ce-membrane", "--steps", "2", "--epochs", "2", "--limit-train", "3200", "--limit-test", "64", "--batch-size", "16", "--out", out];
  const { code, stderr } = await trainUntilSignal(args, "SIGTERM");
  assert.equal(code, 143, stderr);
  assert.match(stderr, /SIGTERM: stopping after this batch/);
  const changed = cli(...args, "--lr", "0.01", "--resume");
  assert.equal(changed.status, 1);
  assert.match(changed.stderr, /--resume: .*different: --lr 0\.01 \(the checkpoint has 0\.004\)/);
  const r = cli(...args, "--epochs", "3", "--resume", "--json");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /resuming from .*checkpoint\.snnk: epoch 1, batch \d+ of 200/);
  assert.equal(JSON.parse(r.stdout.trim().split("\n").pop()!).epochs, 3);
});

test("eval --data-dir needs only the t10k files; bad sizes name the file", () => {
  const out = mkdtempSync(join(tmpdir(), "snnkit-cli-"));
  const t = cli("train", "--model", "mlp", "--steps", "2", "--epochs", "1", "--limit-train", "64", "--limit-test", "32", "--out", out, "--json");
  assert.equal(t.status, 0, t.stderr);
  const data = mkdtempSync(join(tmpdir(), "snnkit-t10k-"));
  writeFileSync(join(data, "t10k-images-idx3-ubyte"), idxFile([5, 28, 28], 0));
  writeFileSync(join(data, "t10k-labels-idx1-ubyte"), idxFile([5], 3));
  const e = cli("eval", "--checkpoint", join(out, "checkpoint.snnk"), "--data-dir", data, "--json");
  assert.equal(e.status, 0, e.stderr);
  assert.equal(JSON.parse(e.stdout).test_images, 5);
  writeFileSync(join(data, "t10k-images-idx3-ubyte"), idxFile([5, 32, 32], 0));
  const bad = cli("eval", "--checkpoint", join(out, "checkpoint.snnk"), "--data-dir", data);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /t10k-images-idx3-ubyte: images are 32×32; the models expect 28×28/);
});

test("train --model without a name lists every preset with what it is", () => {
  const r = cli("train", "--model");
  assert.equal(r.status, 0, r.stderr);
  const names = r.stdout.trim().split("\n").map((line) => line.split(/\s+/)[0]);
  assert.deepEqual(names, ["mlp", "conv", "coarse-lenet", "yinyang", "event-conv", "shd-rnn", "shd-alif", "nir"]);
  assert.match(r.stdout, /shd-alif\s+learned synaptic delays into 128 recurrent adaptive LIF/);
  assert.equal(cli("train", "--model", "--epochs", "1").status, 0, "before another flag too");
});
