// The run layer on its own: a counting task whose checkpoints and events follow from a formula checks
// the runner's cadence, stop and resume rules, the NaN guard and the resume conflicts; the training task
// runs, stops and resumes exactly in a MemoryStore (no file system).
import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import * as S from "../../src/index.js";
import { type Checkpoint, decodeCheckpoint } from "../../src/io/checkpoint_codec.js";
import { nodeImages } from "../../src/node/images.js";
import { MemoryStore } from "../../src/tasks/run/memory_store.js";
import { restoreRun, resumeConflicts, resumedConfig, runTask } from "../../src/tasks/run/runner.js";
import type { Task } from "../../src/tasks/run/task.js";
import { DEFAULT_CONFIG, type TrainConfig } from "../../src/tasks/train/config.js";
import { trainTask } from "../../src/tasks/train/task.js";

interface CountConfig {
  epochs: number;
  units: number;
  step: number;
}
interface CountState {
  config: CountConfig;
  epoch: number;
  unit: number;
  total: number;
}

/** Adds `step` per unit, `units` units an epoch; its checkpoint holds the running total as an array. */
const counter: Task<CountConfig, CountState, null, { total: number; completed: boolean }, number, number> = {
  name: "count",
  schema: z.strictObject({ epochs: z.number(), units: z.number(), step: z.number() }),
  defaults: { epochs: 2, units: 5, step: 1 },
  configure: (f) => ({ epochs: 2, units: 5, step: 1, ...f }),
  extendable: "epochs",
  replaceable: [],
  data: () => null,
  create: (config) => ({ config, epoch: 0, unit: 0, total: 0 }),
  configOf: (s) => s.config,
  position: (s) => ({ epoch: s.epoch, unit: s.unit, units: s.config.units }),
  *run(s, _data, grain) {
    assert.ok(grain >= 0);
    while (s.epoch < s.config.epochs) {
      while (s.unit < s.config.units) {
        s.total += s.config.step;
        s.unit++;
        yield { kind: "progress", unit: s.unit, units: s.config.units, report: s.total };
      }
      s.epoch++;
      s.unit = 0;
      yield { kind: "epoch", record: s.epoch };
    }
  },
  finished: (s) => s.epoch >= s.config.epochs,
  save: (s) => ({ header: { config: s.config, epoch: s.epoch, unit: s.unit }, arrays: { total: new Float32Array([s.total]) } }),
  restore(ck: Checkpoint<unknown>) {
    const h = ck.header as { config: CountConfig; epoch: number; unit: number };
    return { config: { ...h.config }, epoch: h.epoch, unit: h.unit, total: ck.arrays.total[0] };
  },
  result: (s, _d, _f, completed) => ({ total: s.total, completed }),
  metrics: (s, r) => ({ config: s.config, ...r }),
  plots: () => ({ curve: "<svg/>" }),
};

/** The (epoch, unit) of every checkpoint the runner writes, recorded through the store. */
function recordingStore(): { store: MemoryStore; saved: [number, number][] } {
  const store = new MemoryStore();
  const saved: [number, number][] = [];
  const write = store.write.bind(store);
  store.write = (name, content) => {
    if (name === "checkpoint.snnk") {
      const h = decodeCheckpoint(content as Uint8Array, name).header as { epoch: number; unit: number };
      saved.push([h.epoch, h.unit]);
    }
    write(name, content);
  };
  return { store, saved };
}

test("runner: checkpoints every n units, at each epoch's last unit and end; stop and resume continue exactly", async () => {
  const { store, saved } = recordingStore();
  const r = await runTask(counter, { config: counter.configure({}), context: { store, images: nodeImages }, checkpointEvery: 2 });
  assert.deepEqual(r, { total: 10, completed: true });
  // Units 2 and 4 (every 2), unit 5 (the epoch's last, before its end), then the epoch's end: per epoch.
  assert.deepEqual(saved, [[0, 2], [0, 4], [0, 5], [1, 0], [1, 2], [1, 4], [1, 5], [2, 0]]);
  assert.deepEqual(JSON.parse(store.text("metrics.json")!), { config: { epochs: 2, units: 5, step: 1 }, total: 10, completed: true });
  assert.equal(store.text("curve.svg"), "<svg/>");
  // Stopped after the 7th event, it saves where it stands; resumed, it ends where the whole run ends.
  const part = recordingStore();
  let polls = 0;
  const stopped = await runTask(counter, { config: counter.configure({}), context: { store: part.store, images: nodeImages }, shouldStop: () => ++polls === 7 });
  assert.deepEqual(stopped, { total: 6, completed: false });
  assert.deepEqual(part.saved.at(-1), [1, 1]);
  const resumed = await runTask(counter, { config: counter.configure({}), context: { store: part.store, images: nodeImages }, resume: true });
  assert.deepEqual(resumed, { total: 10, completed: true });
  // A larger length extends only when asked (explicitly, or by a caller naming no explicit fields).
  assert.deepEqual(await runTask(counter, { config: counter.configure({ epochs: 3 }), context: { store: part.store, images: nodeImages }, resume: true, explicit: {} }), { total: 10, completed: true });
  assert.deepEqual(await runTask(counter, { config: counter.configure({ epochs: 3 }), context: { store: part.store, images: nodeImages }, resume: true, explicit: { epochs: "--epochs" } }), { total: 15, completed: true });
  // A checkpoint past its data (here: fewer units an epoch than it has done) is refused, naming it; so is a missing one.
  const short = new MemoryStore();
  let calls = 0;
  await runTask(counter, { config: counter.configure({}), context: { store: short, images: nodeImages }, shouldStop: () => ++calls === 3 });
  const moved = { ...counter, replaceable: ["units"] as const };
  await assert.rejects(
    runTask(moved, { config: counter.configure({ units: 2 }), context: { store: short, images: nodeImages }, resume: true, explicit: { units: "--units" } }),
    (e: unknown) => e instanceof S.DataError && /memory:checkpoint\.snnk: progress is at unit 3 of an epoch, past the 2/.test((e as Error).message),
  );
  await assert.rejects(runTask(counter, { config: counter.configure({}), context: { store: new MemoryStore(), images: nodeImages }, resume: true }), /memory:checkpoint\.snnk: checkpoint not found/);
});

test("runner: a state holding NaN is never saved over a good checkpoint", async () => {
  const store = new MemoryStore();
  let n = 0;
  const poisoned = { ...counter, save: (s: CountState) => ({ ...counter.save(s), arrays: { total: new Float32Array([++n > 3 ? Number.NaN : s.total]) } }) };
  await assert.rejects(runTask(poisoned, { config: counter.configure({}), context: { store, images: nodeImages }, checkpointEvery: 1 }), (e: unknown) => e instanceof S.DivergenceError && /array "total" holds NaN at index 0/.test((e as Error).message));
  assert.equal(restoreRun(counter, { store }).total, 3);
});

test("resume conflicts and the resumed configuration follow the task's extendable and replaceable fields", () => {
  const task = { extendable: "epochs" as const, replaceable: ["dataDir"] as const };
  const saved = { epochs: 4, lr: 0.1, dataDir: "a" };
  assert.deepEqual(resumeConflicts(task, saved, { epochs: 6, lr: 0.1, dataDir: "b" }, { epochs: "--epochs", lr: "--lr", dataDir: "--data-dir" }), []);
  assert.deepEqual(resumeConflicts(task, saved, { epochs: 3, lr: 0.2, dataDir: "b" }, { epochs: "--epochs", lr: "--lr" }), ["--epochs 3 (the checkpoint has 4)", "--lr 0.2 (the checkpoint has 0.1)"]);
  assert.deepEqual(resumedConfig(task, saved, { epochs: 6, lr: 0.2, dataDir: "b" }, { dataDir: "--data-dir" }), { epochs: 4, lr: 0.1, dataDir: "b" });
  assert.deepEqual(resumedConfig(task, saved, { epochs: 6, lr: 0.2, dataDir: "b" }, undefined), { epochs: 6, lr: 0.1, dataDir: "a" });
});

test("training in memory: stopped mid-epoch and resumed, it equals the uninterrupted run bit for bit", async () => {
  const c: TrainConfig = trainTask.configure({ ...DEFAULT_CONFIG, model: "mlp", neuron: "lif", encoding: "rate", steps: 2, epochs: 2, batchSize: 32, trainLimit: 192, testLimit: 32, validation: 64 });
  const whole = new MemoryStore();
  const a = await runTask(trainTask, { config: c, context: { store: whole, images: nodeImages } });
  const parted = new MemoryStore();
  let polls = 0;
  const stopped = await runTask(trainTask, { config: c, context: { store: parted, images: nodeImages }, shouldStop: () => ++polls === 4 });
  assert.equal(stopped.completed, false);
  const b = await runTask(trainTask, { config: c, context: { store: parted, images: nodeImages }, resume: true });
  assert.equal(b.completed, true);
  assert.deepEqual(JSON.parse(parted.text("metrics.json")!).batch_losses, JSON.parse(whole.text("metrics.json")!).batch_losses);
  const [wa, wb] = [whole, parted].map((s) => decodeCheckpoint(s.read("checkpoint.snnk")!, "x").arrays);
  for (const k of Object.keys(wa)) assert.deepEqual(wb[k], wa[k], k);
  assert.equal(b.test_accuracy, a.test_accuracy);
  assert.match(parted.text("training_curve.svg")!, /^<svg/);
  assert.equal(a.checkpoint, "memory:checkpoint.snnk");
});
