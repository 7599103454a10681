// Training: a small network learns within seconds; checkpoints round-trip; a resumed run equals an
// uninterrupted one; corrupt checkpoints are rejected.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import * as S from "../../src/index.js";
import {
  createSession,
  DEFAULT_CONFIG,
  evaluate,
  loadRun,
  loadRunData,
  nodeImages,
  readCheckpoint,
  removeStaleTemporaries,
  runInDirectory,
  sessionCheckpoint,
  type TrainConfig,
  trainEpochs,
  trainTask,
  writeCheckpoint,
} from "../../src/node.js";
import { configureTrain, predictClasses } from "../../src/tasks.js";

const small: TrainConfig = {
  ...DEFAULT_CONFIG,
  model: "mlp",
  neuron: "lif",
  encoding: "rate",
  steps: 4,
  epochs: 1,
  batchSize: 32,
  lr: 5e-3,
  loss: "ce-membrane",
  trainLimit: 2000,
  testLimit: 500,
};

test("an MLP of LIF neurons learns MNIST digits far above chance in one short epoch; each epoch reports the validation images too", async () => {
  const c = { ...small, validation: 300 };
  const { train, validation, test: testSet } = loadRunData(nodeImages, c);
  const s = createSession(c, train);
  const chance = evaluate(s, testSet);
  assert.ok(await trainEpochs(s, { train, validation, test: testSet }));
  const acc = s.progress.epochs[0].test_accuracy;
  assert.equal(acc, evaluate(s, testSet));
  assert.equal(s.progress.epochs[0].validation_accuracy, evaluate(s, validation!));
  assert.ok(s.progress.epochs[0].validation_accuracy! > 0.7);
  assert.ok(acc > 0.7, `test accuracy ${acc} after one epoch (before: ${chance})`);
  s.model.dispose();
});

test("the coarse-LIF LeNet trains: loss falls over a few batches", async () => {
  const c: TrainConfig = { ...DEFAULT_CONFIG, steps: 4, trainLimit: 640, testLimit: 100, epochs: 1, batchSize: 64, seed: 2 };
  const { train, test: testSet } = loadRunData(nodeImages, c);
  const s = createSession(c, train);
  await trainEpochs(s, { train, validation: null, test: testSet });
  const l = s.progress.losses;
  assert.equal(l.length, 10);
  assert.ok(l.every(Number.isFinite));
  assert.ok((l[7] + l[8] + l[9]) / 3 < (l[0] + l[1] + l[2]) / 3 - 0.05, `losses ${l.map((v) => v.toFixed(3))}`);
  s.model.dispose();
});

test("resume after an interruption continues exactly as the uninterrupted run", async () => {
  const c: TrainConfig = { ...small, epochs: 2, trainLimit: 320, testLimit: 64 };
  const full = mkdtempSync(join(tmpdir(), "snnkit-full-"));
  const parted = mkdtempSync(join(tmpdir(), "snnkit-part-"));
  const a = await runInDirectory(trainTask, full, { config: c });
  let calls = 0;
  const stopped = await runInDirectory(trainTask, parted, { config: c, shouldStop: () => ++calls === 13 });
  assert.equal(stopped.completed, false);
  assert.equal(stopped.epochs, 1);
  const b = await runInDirectory(trainTask, parted, { config: c, resume: true });
  assert.equal(b.completed, true);
  const la = JSON.parse(readFileSync(a.metrics, "utf8")).batch_losses;
  const lb = JSON.parse(readFileSync(b.metrics, "utf8")).batch_losses;
  assert.equal(la.length, 20);
  assert.deepEqual(lb, la);
  assert.equal(b.test_accuracy, a.test_accuracy);
  const wa = readCheckpoint(a.checkpoint).arrays;
  const wb = readCheckpoint(b.checkpoint).arrays;
  assert.deepEqual(Object.keys(wb), Object.keys(wa));
  for (const k of Object.keys(wa)) assert.deepEqual(wb[k], wa[k], k);
  // An evaluation that fails (here: the backend out of memory after the first epoch's last batch) loses
  // no training: the checkpoint was saved before it, and the resumed run equals the uninterrupted one.
  const failed = mkdtempSync(join(tmpdir(), "snnkit-evalfail-"));
  const backend = S.getBackend();
  const alloc = backend.alloc;
  try {
    await assert.rejects(
      runInDirectory(trainTask, failed, {
        config: c,
        onProgress: (r) => {
          if (r.epoch === 0 && r.batch === r.batches)
            backend.alloc = () => {
              throw new RangeError("WebAssembly.Memory.grow(): Unable to grow instance memory");
            };
        },
      }),
      S.LimitError,
    );
  } finally {
    backend.alloc = alloc;
  }
  assert.equal(loadRun(trainTask, join(failed, "checkpoint.snnk")).progress.batch, 10);
  const resumed = await runInDirectory(trainTask, failed, { config: c, resume: true });
  assert.deepEqual(JSON.parse(readFileSync(resumed.metrics, "utf8")).batch_losses, la);
  assert.equal(resumed.test_accuracy, a.test_accuracy);
  for (const f of [a.plots.training_curve, a.plots.raster]) {
    assert.ok(existsSync(f));
    assert.match(readFileSync(f, "utf8"), /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  }
  assert.match(readFileSync(a.plots.raster, "utf8"), /spikes<\/text>/);
});

test("checkpoints: round trip; corrupt, truncated or foreign files give DataError naming the file", () => {
  const dir = mkdtempSync(join(tmpdir(), "snnkit-ck-"));
  const p = join(dir, "c.snnk");
  writeCheckpoint(p, { header: { hello: [1, 2] }, arrays: { a: new Float32Array([1, 2.5]), b: new Float32Array(3) } });
  const back = readCheckpoint<{ hello: number[] }>(p);
  assert.deepEqual(back.header, { hello: [1, 2] });
  assert.deepEqual(Array.from(back.arrays.a), [1, 2.5]);
  const bytes = readFileSync(p);
  const flipped = Buffer.from(bytes);
  flipped[flipped.length - 3] ^= 0xff;
  const cases: [Buffer, RegExp][] = [
    [flipped, /CRC/],
    [bytes.subarray(0, bytes.length - 4), /CRC|truncated/],
    [Buffer.from("not a checkpoint at all"), /magic/],
  ];
  for (const [buf, pattern] of cases) {
    writeFileSync(p, buf);
    assert.throws(() => readCheckpoint(p), (e: unknown) => e instanceof S.DataError && e.file === p && pattern.test(e.message));
  }
  writeCheckpoint(p, { header: { format: "other" }, arrays: {} });
  assert.throws(() => loadRun(trainTask, p), /not a training checkpoint/);
  assert.throws(() => readCheckpoint(join(dir, "missing.snnk")), /not found/);
});

test("nonsense stops with a message: a NaN loss, non-finite or inconsistent checkpoints, evaluation on no images", async () => {
  const c: TrainConfig = { ...small, trainLimit: 64, testLimit: 32 };
  const { train, test: testSet } = loadRunData(nodeImages, c);
  // A NaN loss stops training before the update, naming the epoch and batch.
  const s = createSession(c, train);
  s.model.parameters().at(-1)!.storage.f32()[0] = NaN; // the output layer: its membrane, and so the loss, turn NaN
  const before = s.optimizer.stateDict().step;
  await assert.rejects(trainEpochs(s, { train, validation: null, test: testSet }), (e: unknown) => e instanceof S.DivergenceError && /epoch 1, batch 1: the loss is NaN/.test(e.message));
  assert.equal(s.optimizer.stateDict().step, before);
  assert.equal(s.progress.batch, 0);
  assert.throws(() => evaluate(s, { ...testSet, images: new Float32Array(0), labels: new Uint8Array(0) }), /evaluate: data: expected at least one image/);
  // A checkpoint whose weights hold NaN is refused, naming the array.
  const dir = mkdtempSync(join(tmpdir(), "snnkit-nan-"));
  const p = join(dir, "checkpoint.snnk");
  writeCheckpoint(p, sessionCheckpoint(s));
  assert.throws(() => loadRun(trainTask, p), (e: unknown) => e instanceof S.DataError && /array "model\.[^"]+" holds NaN at index 0: the run had diverged/.test(e.message));
  s.model.dispose();
  // Crafted headers: each names the field.
  const good = createSession(c, train);
  writeCheckpoint(p, sessionCheckpoint(good));
  const { header, arrays } = readCheckpoint<Record<string, unknown>>(p);
  const progress = header.progress as Record<string, unknown>;
  const crafted: [Record<string, unknown>, RegExp][] = [
    [{ ...header, progress: undefined }, /progress: /],
    [{ ...header, progress: { ...progress, epoch: -1 } }, /progress\.epoch: /],
    [{ ...header, progress: { ...progress, epoch: 5, epochs: [] } }, /progress\.epoch: 5 epochs done, more than the configured 1/],
    [{ ...header, config: { ...(header.config as object), lr: "fast" } }, /config\.lr: /],
    [{ ...header, config: { ...(header.config as object), steps: 1e9 } }, /config\.steps: expected an integer in \[1, 10000\]/],
    [{ ...header, progress: { ...progress, shuffleRng: { s: [1, 2], spare: null } } }, /progress\.shuffleRng\.s/],
  ];
  for (const [h, pattern] of crafted) {
    writeCheckpoint(p, { header: h, arrays });
    assert.throws(() => loadRun(trainTask, p), (e: unknown) => e instanceof S.DataError && e.file === p && pattern.test(e.message), String(pattern));
  }
  good.model.dispose();
});

test("run directories: stale temporaries are removed, a failed run leaves no empty directory, --checkpoint-every saves mid-epoch, resume extends only when asked", async () => {
  const root = mkdtempSync(join(tmpdir(), "snnkit-run-"));
  // A killed writer's temporary file (pid that cannot exist) is removed at the next start; ours are not touched.
  const out = join(root, "run");
  mkdirSync(out);
  writeFileSync(join(out, "checkpoint.snnk.tmp-999999999"), "half a checkpoint");
  assert.deepEqual(removeStaleTemporaries(out), [join(out, "checkpoint.snnk.tmp-999999999")]);
  // A run that fails before writing anything removes the directory it created.
  const failed = join(root, "failed");
  await assert.rejects(runInDirectory(trainTask, failed, { config: { ...small, dataset: "mnist", dataDir: join(root, "nope") } }), S.DataError);
  assert.equal(existsSync(failed), false);
  // Checkpoints every 3 batches: a crash in batch 5 leaves the state after batch 3.
  const c: TrainConfig = { ...small, trainLimit: 320, testLimit: 32 };
  await assert.rejects(
    runInDirectory(trainTask, out, {
      config: c,
      checkpointEvery: 3,
      onProgress: (r) => {
        if (r.batch === 5) throw new Error("simulated crash");
      },
    }),
    /simulated crash/,
  );
  const saved = loadRun(trainTask, join(out, "checkpoint.snnk"));
  assert.equal(saved.progress.batch, 3);
  assert.equal(saved.progress.losses.length, 3);
  saved.model.dispose();
  // Resuming with a changed setting is refused, naming it; a larger epoch count is allowed.
  await assert.rejects(
    runInDirectory(trainTask, out, { config: { ...c, lr: 0.1 }, resume: true, explicit: { lr: "--lr" } }),
    (e: unknown) => e instanceof S.ValueError && /--lr 0\.1 \(the checkpoint has 0\.005\)/.test(e.message),
  );
  const starts: { resumed: boolean; epoch: number; unit: number }[] = [];
  const done = await runInDirectory(trainTask, out, { config: { ...c, epochs: 2 }, resume: true, explicit: { epochs: "--epochs" }, onStart: (i) => starts.push(i) });
  assert.deepEqual(starts.map(({ resumed, epoch, unit }) => ({ resumed, epoch, unit })), [{ resumed: true, epoch: 0, unit: 3 }]);
  assert.equal(done.epochs, 2);
  // A resume whose epoch count is only the CLI's default (not explicit) does not extend the run.
  const again = await runInDirectory(trainTask, out, { config: { ...c, epochs: 12 }, resume: true, explicit: {} });
  assert.equal(again.epochs, 2);
  assert.equal(loadRun(trainTask, join(out, "checkpoint.snnk")).config.epochs, 2);
});

test("noisy neurons: an NSNN learns far above chance, records its noise, resumes exactly, and evaluates reproducibly", async () => {
  const c: TrainConfig = { ...small, neuron: "noisy", noise: "logistic:0.25", evalSamples: 2 };
  const { train, test: testSet } = loadRunData(nodeImages, c);
  const s = createSession(c, train);
  assert.equal(s.config.noise, "logistic:0.25");
  const noisy = s.model.layers.filter((l) => l instanceof S.NoisyLIF);
  assert.equal(noisy.length, 2);
  assert.deepEqual((noisy[0] as S.NoisyLIF).noise, { family: "logistic", scale: 0.25 });
  assert.equal((noisy[0] as S.NoisyLIF).beta, 0.5);
  assert.ok(await trainEpochs(s, { train, validation: null, test: testSet }));
  const acc = s.progress.epochs[0].test_accuracy;
  assert.ok(acc > 0.7, `NSNN test accuracy ${acc} after one epoch`);
  // Evaluation samples from its own fixed generator and leaves the training generator where it was.
  const before = s.neuronRng!.getState();
  assert.equal(evaluate(s, testSet), acc);
  assert.deepEqual(s.neuronRng!.getState(), before);
  // Predictions draw the same noise as evaluate: their accuracy is the evaluated one.
  const { classes } = predictClasses(s, testSet);
  assert.equal(classes.filter((k, i) => k === testSet.labels[i]).length / classes.length, acc);
  assert.deepEqual(s.neuronRng!.getState(), before);
  s.model.dispose();
  // The default noise is written into the configuration; resume continues the noise stream exactly.
  const r: TrainConfig = { ...small, neuron: "noisy", epochs: 2, trainLimit: 320, testLimit: 64 };
  assert.equal(createSession(r).config.noise, "gaussian:0.3");
  const full = mkdtempSync(join(tmpdir(), "snnkit-nfull-"));
  const parted = mkdtempSync(join(tmpdir(), "snnkit-npart-"));
  const a = await runInDirectory(trainTask, full, { config: r });
  let calls = 0;
  await runInDirectory(trainTask, parted, { config: r, shouldStop: () => ++calls === 13 });
  const b = await runInDirectory(trainTask, parted, { config: r, resume: true });
  assert.deepEqual(JSON.parse(readFileSync(b.metrics, "utf8")).batch_losses, JSON.parse(readFileSync(a.metrics, "utf8")).batch_losses);
  assert.equal(loadRun(trainTask, b.checkpoint).config.noise, "gaussian:0.3");
  // Bad settings.
  assert.throws(() => createSession({ ...small, neuron: "noisy", noise: "gaussian:0" }), /noise/);
  assert.throws(() => createSession({ ...small, neuron: "noisy", noise: "cauchy:1" }), /noise/);
  assert.throws(() => createSession({ ...small, neuron: "lif", evalSamples: 3 }), /evalSamples: expected only with noisy neurons/);
  assert.throws(() => createSession({ ...small, neuron: "noisy", evalSamples: 0 }), /evalSamples/);
  assert.throws(() => createSession({ ...small, neuron: "noisy", surrogate: { name: "atan" } }), /noise density/);
  assert.throws(() => createSession({ ...small, neuron: "coarse", noise: "gaussian:0.3", surrogate: { name: "atan" } }), /noise density/);
  // The authors' NILIF as a preset neuron: it learns too, and its settings are fixed.
  const nilif = createSession({ ...small, neuron: "nilif", trainLimit: 1000, testLimit: 200 });
  assert.equal(nilif.config.noise, "gaussian:0.3");
  assert.ok(nilif.model.layers.every((l) => !(l instanceof S.NoisyLIF) || (l.variant === "nilif" && l.reset === "zero" && l.beta === 0.5)));
  const data = loadRunData(nodeImages, nilif.config);
  await trainEpochs(nilif, { train: data.train, validation: null, test: data.test });
  assert.ok(nilif.progress.epochs[0].test_accuracy > 0.6, `NILIF test accuracy ${nilif.progress.epochs[0].test_accuracy}`);
  nilif.model.dispose();
  assert.throws(() => createSession({ ...small, neuron: "nilif", detachReset: true }), /detachReset/);
  assert.throws(() => createSession({ ...small, neuron: "nilif", beta: 0.9 }), /beta/);
  // Noise given with another neuron makes it noisy: a noisy coarse-LIF LeNet.
  const coarse = createSession({ ...DEFAULT_CONFIG, noise: "triangular:0.5" });
  const layers = coarse.model.layers.filter((l) => l instanceof S.CoarseLIF) as S.CoarseLIF[];
  assert.equal(layers.length, 5);
  assert.ok(layers.every((l) => l.noise?.family === "triangular" && l.noise.scale === 0.5));
  assert.ok(coarse.neuronRng);
  coarse.model.dispose();
});

test("--recompute trains with plain BPTT's first gradient step, --tbptt K learns; both refuse what they cannot run", async () => {
  const c: TrainConfig = { ...small, steps: 12, trainLimit: 640, testLimit: 200 };
  const { train, test: testSet } = loadRunData(nodeImages, c);
  // One batch two ways: the same first loss, and after one SGD step (w − lr·g) the same weights to rounding.
  const firstStep = async (extra: Partial<TrainConfig>) => {
    const s = createSession({ ...c, ...extra, optimizer: "sgd" }, train);
    await trainEpochs(s, { train, validation: null, test: testSet }, { shouldStop: () => s.progress.batch >= 1 });
    return { loss: s.progress.losses[0], weights: s.model.parameters().map((p) => p.dataFloat32().slice()), model: s.model };
  };
  const plain = await firstStep({});
  const lean = await firstStep({ recompute: true, chunk: 5 });
  assert.equal(lean.loss, plain.loss);
  lean.weights.forEach((w, i) => {
    let worst = 0;
    for (let j = 0; j < w.length; j++) worst = Math.max(worst, Math.abs(w[j] - plain.weights[i][j]));
    assert.ok(worst < 1e-7, `parameter ${i}: weights differ by ${worst} after one step`);
  });
  plain.model.dispose();
  lean.model.dispose();
  const s = createSession({ ...c, tbptt: 4 }, train);
  assert.ok(await trainEpochs(s, { train, validation: null, test: testSet }));
  assert.ok(s.progress.epochs[0].test_accuracy > 0.6, `test accuracy ${s.progress.epochs[0].test_accuracy} with --tbptt 4`);
  s.model.dispose();
  assert.throws(() => createSession({ ...c, tbptt: 4, recompute: true }), /tbptt\/recompute/);
  assert.throws(() => createSession({ ...c, chunk: 4 }), /chunk.*only with --recompute/);
  assert.throws(() => createSession({ ...c, model: "coarse-lenet", neuron: "coarse", encoding: "direct", substeps: 2, recompute: true }), /tbptt\/recompute/);
});

test("--neuron alif and alpha: networks of adaptive LIF and of alpha neurons learn far above chance", async () => {
  const yy = configureTrain({ model: "yinyang", neuron: "alpha", epochs: 2, trainLimit: 2000 });
  const data = loadRunData(nodeImages, yy);
  const alpha = createSession(yy, data.train);
  await trainEpochs(alpha, data);
  assert.ok(alpha.progress.epochs[1].validation_accuracy! > 0.85, `Alpha on Yin-Yang: validation accuracy ${alpha.progress.epochs[1].validation_accuracy}`);
  alpha.model.dispose();
  const c: TrainConfig = { ...small, neuron: "alif", steps: 8 };
  const { train, test: testSet } = loadRunData(nodeImages, c);
  const s = createSession(c, train);
  await trainEpochs(s, { train, validation: null, test: testSet });
  assert.ok(s.progress.epochs[0].test_accuracy > 0.7, `test accuracy ${s.progress.epochs[0].test_accuracy}`);
  s.model.dispose();
  assert.throws(() => createSession({ ...c, noise: "gaussian:0.3" }), /noise.*alif/);
  assert.throws(() => createSession({ ...c, learnThreshold: true }), /learnThreshold.*only with neuron lif/);
  // snnTorch's Leaky(learn_threshold=True): each layer's θ is a parameter that training moves.
  const lt = createSession({ ...small, learnThreshold: true, trainLimit: 320 }, train);
  const thresholds = () => lt.model.namedParameters().filter(([n]) => n.endsWith("threshold")).map(([, t]) => t.dataFloat32()[0]);
  assert.deepEqual(thresholds(), [1, 1]);
  await trainEpochs(lt, { train, validation: null, test: testSet });
  assert.ok(thresholds().every((th) => th !== 1), `thresholds after training ${thresholds()}`);
  lt.model.dispose();
});

test("--model yinyang: trains on the generated Yin-Yang points past what a linear classifier reaches (64 %)", async () => {
  const c = configureTrain({ model: "yinyang", epochs: 5 });
  assert.equal(c.dataset, "yinyang");
  assert.equal(configureTrain({ dataset: "yinyang" }).model, "yinyang");
  const { train, validation, test: testSet } = loadRunData(nodeImages, c);
  assert.equal(train.labels.length, 5000);
  assert.equal(validation!.labels.length, 1000);
  const s = createSession(c, train);
  await trainEpochs(s, { train, validation, test: testSet });
  const last = s.progress.epochs.at(-1)!;
  assert.ok(last.validation_accuracy! > 0.85 && last.test_accuracy > 0.85, `validation ${last.validation_accuracy}, test ${last.test_accuracy}`);
  s.model.dispose();
});
