// Training on event data sets from their files: N-MNIST folders, SHD files and DVS Gesture recordings
// that the tests write (or h5py wrote) with learnable classes. The presets learn them well above chance;
// the frames are the events counted by hand; preprocessing goes through a cache keyed by the files'
// checksums and the settings, which a rerun reads, an interrupted run resumes, and a changed file or
// setting replaces; missing and foreign files are named.
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../../src/cli/program.js";
import { DataError } from "../../src/errors.js";
import { encodeAedat3 } from "../../src/events/aedat.js";
import { frameShape } from "../../src/events/datasets.js";
import { allocateEvents, concatEvents, type PolarityEvents } from "../../src/events/events.js";
import { encodeNmnist } from "../../src/events/nmnist.js";
import { CHUNK, loadEventSplit, verifyArchivesIn } from "../../src/node/event_data.js";
import { Rng } from "../../src/random/rng.js";
import { withConsole } from "../helpers.js";

/** The sum of an array's values. */
const total = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0);

/** Events of one class: `n` events at pixels of the class's quadrant-like region, times spread over `span` µs from `t0`. */
function classEvents(label: number, n: number, rng: Rng, size: number, span: number, t0 = 0): PolarityEvents {
  const e = allocateEvents(n);
  const half = Math.floor(size / 2);
  const [x0, y0] = [(label % 2) * half, Math.floor(label / 2) * half];
  for (let i = 0; i < n; i++) {
    e.x[i] = x0 + rng.int(half);
    e.y[i] = y0 + rng.int(half);
    e.p[i] = rng.int(2);
    e.t[i] = t0 + Math.floor((i / n) * span);
  }
  return e;
}

/** An N-MNIST folder (Train|Test/<digit>/<id>.bin) of three classes, `perClass` samples each per split. */
function writeNmnist(dir: string, perClass: number, seed: number): void {
  const rng = new Rng(seed);
  for (const split of ["Train", "Test"])
    for (let digit = 0; digit < 3; digit++) {
      mkdirSync(join(dir, split, String(digit)), { recursive: true });
      for (let k = 0; k < perClass; k++) writeFileSync(join(dir, split, String(digit), `${String(k).padStart(5, "0")}.bin`), encodeNmnist(classEvents(digit, 150, rng, 34, 300_000)));
    }
}

test("N-MNIST folders: frames are the events counted by hand; the conv preset learns three classes well above chance", async () => {
  const dir = mkdtempSync(join(tmpdir(), "snnkit-nmnist-"));
  writeNmnist(join(dir, "data"), 40, 1);
  // Frames of one file, by hand: 2 polarities × 17 × 17 after downsampling by 2, 4 bins over the span.
  const one = await loadEventSplit({ dataset: "nmnist", dataDir: join(dir, "data"), split: "test", frames: { bins: 4, downsample: 2 }, pick: () => [0] });
  assert.deepEqual([one.frames, ...one.imageShape], [4, 2, 17, 17]);
  assert.equal(total(one.images), 150, "every event counted once");
  await withConsole(async (out) => {
    const code = await runCli(["train", "--dataset", "nmnist", "--data-dir", join(dir, "data"), "--steps", "4", "--downsample", "2", "--validation", "12", "--epochs", "4", "--batch-size", "16", "--out", join(dir, "run"), "--json"]);
    assert.equal(code, 0, out.join("\n"));
    const r = JSON.parse(out.pop()!);
    assert.ok(r.test_accuracy > 0.8, `test accuracy ${r.test_accuracy} (chance 1/3)`);
    assert.ok(r.validation_accuracy > 0.6, `validation accuracy ${r.validation_accuracy}`);
    // eval reads the same test split through the cache.
    assert.equal(await runCli(["eval", "--checkpoint", join(dir, "run", "checkpoint.snnk"), "--json"]), 0, out.join("\n"));
    assert.equal(JSON.parse(out.pop()!).test_accuracy, r.test_accuracy);
    // predict on sample files, through the model file: mostly their own digit.
    assert.equal(await runCli(["export", "--checkpoint", join(dir, "run", "checkpoint.snnk"), "--out", join(dir, "m.json")]), 0, out.join("\n"));
    const files = [0, 1, 2].flatMap((d) => [0, 1, 2, 3].map((k) => join(dir, "data", "Test", String(d), `${String(k).padStart(5, "0")}.bin`)));
    assert.equal(await runCli(["predict", "--model", join(dir, "m.json"), ...files.flatMap((f) => ["--input", f]), "--json"]), 0, out.join("\n"));
    const predictions = JSON.parse(out.pop()!).predictions as { input: string; class: number }[];
    assert.equal(predictions.length, 12);
    const right = predictions.filter((p) => p.class === Number(p.input.split(/[/\\]/).at(-2))).length;
    assert.ok(right >= 9, `${right} of 12 sample files predicted as their digit`);
    // A file of another data set, and an image, are refused by name.
    writeFileSync(join(dir, "g.aedat"), encodeAedat3(classEvents(0, 10, new Rng(1), 128, 1000)));
    assert.equal(await runCli(["predict", "--model", join(dir, "m.json"), "--input", join(dir, "g.aedat")]), 1);
    assert.match(out.join("\n"), /g\.aedat: a DVS Gesture file; the model was trained on N-MNIST/);
  });
});

test("SHD files (written by h5py): the recurrent presets (LIF; ALIF with learned delays) learn four classes well above chance", async () => {
  const dir = mkdtempSync(join(tmpdir(), "snnkit-shd-"));
  cpSync(join(import.meta.dirname, "..", "fixtures", "events", "shd_toy"), join(dir, "data"), { recursive: true });
  await withConsole(async (out) => {
    const code = await runCli(["train", "--dataset", "shd", "--data-dir", join(dir, "data"), "--steps", "20", "--validation", "20", "--epochs", "6", "--batch-size", "16", "--out", join(dir, "run"), "--json"]);
    assert.equal(code, 0, out.join("\n"));
    const r = JSON.parse(out.pop()!);
    assert.ok(r.test_accuracy > 0.7, `test accuracy ${r.test_accuracy} (chance 1/4)`);
    // The adaptive preset: learned delays into recurrent ALIF neurons, through the recomputing BPTT.
    const alif = await runCli(["train", "--dataset", "shd", "--model", "shd-alif", "--recompute", "--data-dir", join(dir, "data"), "--steps", "20", "--validation", "20", "--epochs", "6", "--batch-size", "16", "--out", join(dir, "alif"), "--json"]);
    assert.equal(alif, 0, out.join("\n"));
    const a = JSON.parse(out.pop()!);
    assert.ok(a.test_accuracy > 0.55, `shd-alif: test accuracy ${a.test_accuracy} (chance 1/4)`);
  });
  const frames = await loadEventSplit({ dataset: "shd", dataDir: join(dir, "data"), split: "test", frames: { bins: 10, downsample: 5 }, pick: () => [0, 1] });
  assert.deepEqual([frames.frames, ...frames.imageShape], [10, 1, 1, 140]);
  assert.equal(total(frames.images.subarray(0, 1400)), 32, "a sample's 32 spikes");
});

test("DVS Gesture recordings: one sample per labelled gesture, the split of trials_to_*.txt, classes 1–11 as 0–10", async () => {
  const dir = mkdtempSync(join(tmpdir(), "snnkit-gesture-"));
  const rng = new Rng(3);
  const root = join(dir, "DvsGesture");
  mkdirSync(root, { recursive: true });
  for (const [name, labels] of [["user01_led", [1, 2, 3]], ["user02_led", [3, 1]], ["user24_led", [2, 11]]] as const) {
    const parts = labels.map((label, k) => classEvents(label % 4, 400, rng, 128, 900_000, k * 1_000_000));
    writeFileSync(join(root, `${name}.aedat`), encodeAedat3(concatEvents(parts), 128));
    writeFileSync(join(root, `${name}_labels.csv`), `class,startTime_usec,endTime_usec\n${labels.map((l, k) => `${l},${k * 1_000_000},${k * 1_000_000 + 900_000}`).join("\n")}\n`);
  }
  writeFileSync(join(root, "trials_to_train.txt"), "user01_led.aedat\nuser02_led.aedat\n");
  writeFileSync(join(root, "trials_to_test.txt"), "user24_led.aedat\n");
  const train = await loadEventSplit({ dataset: "dvsgesture", dataDir: dir, split: "train", frames: { bins: 3, downsample: 4 } });
  assert.deepEqual(Array.from(train.labels), [0, 1, 2, 2, 0]);
  assert.deepEqual(train.imageShape, frameShape("dvsgesture", { bins: 3, downsample: 4 }));
  const per = 3 * 2 * 32 * 32;
  for (let i = 0; i < 5; i++) assert.ok(Math.abs(total(train.images.subarray(i * per, (i + 1) * per)) - 400) <= 1, `gesture ${i}: its 400 events (±1 at the cut)`);
  const test_ = await loadEventSplit({ dataset: "dvsgesture", dataDir: dir, split: "test", frames: { bins: 3, downsample: 4 } });
  assert.deepEqual(Array.from(test_.labels), [1, 10]);
});

test("the preprocessing cache: read on a rerun, resumed after an interruption, replaced when a file or a setting changes", async () => {
  const dir = mkdtempSync(join(tmpdir(), "snnkit-cache-"));
  const data = join(dir, "data");
  writeNmnist(data, Math.ceil((2.5 * CHUNK) / 3), 2);
  const frames = { bins: 2, downsample: 2 };
  const runs: { cached: number; built: number }[] = [];
  const load = (f = frames) => loadEventSplit({ dataset: "nmnist", dataDir: data, split: "train", frames: f, progress: (p) => p.done === p.total && runs.push({ cached: p.cached, built: p.built }) });
  // Interrupted after its second chunk.
  let chunks = 0;
  await assert.rejects(
    loadEventSplit({
      dataset: "nmnist",
      dataDir: data,
      split: "train",
      frames,
      progress: () => {
        if (++chunks === 2) throw new Error("interrupted");
      },
    }),
    /interrupted/,
  );
  const first = await load();
  assert.deepEqual(runs.pop(), { cached: 2, built: 1 }, "resumed: two chunks from the cache, the third built");
  const again = await load();
  assert.deepEqual(runs.pop(), { cached: 3, built: 0 });
  assert.deepEqual(again.images, first.images);
  assert.deepEqual(again.labels, first.labels);
  // One file changed: only its chunk is rebuilt. Another setting: all of them.
  const digit = join(data, "Train", "1");
  const victim = join(digit, readdirSync(digit)[0]);
  writeFileSync(victim, encodeNmnist(classEvents(3, 10, new Rng(9), 34, 1000)));
  await load();
  assert.deepEqual(runs.pop(), { cached: 2, built: 1 });
  await load({ bins: 3, downsample: 2 });
  assert.deepEqual(runs.pop(), { cached: 0, built: 3 });
  // A corrupt entry is rebuilt, not trusted.
  const cacheDir = join(data, ".snnkit-cache");
  const entry = readdirSync(cacheDir).find((f) => f.startsWith("nmnist-train-0-") && f.endsWith(".frames"))!;
  writeFileSync(join(cacheDir, entry), "garbage");
  const rebuilt = await load({ bins: 3, downsample: 2 });
  assert.ok(runs.pop()!.built >= 1);
  assert.equal(rebuilt.labels.length, 3 * Math.ceil((2.5 * CHUNK) / 3));
});

test("missing and foreign data are named: no directory, another layout, a corrupt sample file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "snnkit-eventbad-"));
  await assert.rejects(loadEventSplit({ dataset: "nmnist", dataDir: join(dir, "none"), split: "train", frames: { bins: 2, downsample: 1 } }), (e: unknown) => e instanceof DataError && /none: not a directory/.test((e as Error).message));
  await assert.rejects(loadEventSplit({ dataset: "nmnist", dataDir: dir, split: "train", frames: { bins: 2, downsample: 1 } }), (e: unknown) => e instanceof DataError && /no Train or train folder/.test((e as Error).message));
  await assert.rejects(loadEventSplit({ dataset: "shd", dataDir: dir, split: "test", frames: { bins: 2, downsample: 1 } }), (e: unknown) => e instanceof DataError && /shd_test\.h5: not found/.test((e as Error).message));
  mkdirSync(join(dir, "Train", "4"), { recursive: true });
  writeFileSync(join(dir, "Train", "4", "00001.bin"), new Uint8Array(7));
  await assert.rejects(loadEventSplit({ dataset: "nmnist", dataDir: dir, split: "train", frames: { bins: 2, downsample: 1 } }), (e: unknown) => e instanceof DataError && /00001\.bin: 7 bytes: not a whole number of 5-byte N-MNIST events/.test((e as Error).message));
  await withConsole(async (out) => {
    assert.equal(await runCli(["train", "--dataset", "shd", "--out", join(dir, "r")]), 1);
    assert.match(out.join("\n"), /--data-dir.*SHD files \(snnkit downloads nothing\)/);
    assert.equal(await runCli(["train", "--dataset", "nmnist", "--encoding", "rate", "--data-dir", dir, "--out", join(dir, "r")]), 1);
    assert.match(out.join("\n"), /encoding.*events with the event data set nmnist/);
  });
});

test("snnkit data verify: archives against their publishers' MD5 (the empty file's MD5 is RFC 1321's d41d8cd9…); unknown names reported, a mismatch exits 1", async () => {
  const dir = mkdtempSync(join(tmpdir(), "snnkit-verify-"));
  writeFileSync(join(dir, "Train.zip"), "");
  writeFileSync(join(dir, "notes.txt"), "abc");
  await withConsole(async (out) => {
    assert.equal(await runCli(["data", "verify", join(dir, "notes.txt"), "--json"]), 0, out.join("\n"));
    // MD5("abc") = 900150983cd24fb0d6963f7d28e17f72 (RFC 1321's test suite).
    assert.deepEqual(JSON.parse(out.pop()!).files, [{ file: join(dir, "notes.txt"), md5: "900150983cd24fb0d6963f7d28e17f72", archive: null, matches: null }]);
    assert.equal(await runCli(["data", "verify", join(dir, "Train.zip")]), 1);
    assert.match(out.pop()!, /Train\.zip: MD5 d41d8cd98f00b204e9800998ecf8427e DIFFERS from the published checksum of N-MNIST Train\.zip/);
    assert.equal(await runCli(["data", "verify", join(dir, "none.zip")]), 1);
    assert.match(out.join("\n"), /none\.zip: not found/);
  });
  assert.deepEqual(verifyArchivesIn(dir).map((c) => [c.archive, c.matches]), [["N-MNIST Train.zip", false]]);
});
