// The playground in a real browser: Debian's Chromium driven by playwright-core, on the built site served
// by `vite preview` (with its cross-origin isolation headers). Every page loads without console errors;
// a slider redraws the trace; the spike-train lab shows the numbers of `snnkit analyze quantize`; the page
// is cross-origin isolated. Screenshots of every page go to test-output/browser/ (look at them).
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import { runCli } from "../../src/cli/program.js";
import { subset } from "../../src/data/dataset.js";
import { encodeAedat3 } from "../../src/events/aedat.js";
import { allocateEvents } from "../../src/events/events.js";
import { encodeNmnist } from "../../src/events/nmnist.js";
import { openShd } from "../../src/events/shd.js";
import { memoryHdf5 } from "../../src/io/hdf5_reader.js";
import { Rng } from "../../src/random/rng.js";
import { runInDirectory } from "../../src/node.js";
import { embeddedSplit } from "../../src/node/mnist_embedded.js";
import { loadModel, predictClasses, trainTask } from "../../src/tasks.js";
import { cartPoleDemo } from "../../web/cartpole_demo.js";
import { noisyConfigs } from "../../web/noisy_demo.js";
import { MemoryStore } from "../../src/tasks/run/memory_store.js";
import { restoreRun, runTask } from "../../src/tasks/run/runner.js";
import { attackPoint } from "../../src/tasks/robustness/suite.js";
import { engineChecks } from "../../web/engine_checks.js";
import { assertClose, freePort, withConsole } from "../helpers.js";

const ROOT = join(import.meta.dirname, "..", "..");
const SHOTS = join(ROOT, "test-output", "browser");
const CHROMIUM = "/usr/bin/chromium";


let server: ChildProcess;
let browser: Browser;
let base = "";

before(async () => {
  assert.ok(existsSync(join(ROOT, "dist-web", "index.html")), "the site is built (npm run build:web)");
  assert.ok(existsSync(CHROMIUM), `Chromium at ${CHROMIUM} (Debian's chromium; .ci/run installs it)`);
  const port = await freePort();
  base = `http://127.0.0.1:${port}/`;
  server = spawn(join(ROOT, "node_modules", ".bin", "vite"), ["preview", "--port", String(port), "--strictPort"], { cwd: ROOT, stdio: "ignore" });
  for (let k = 0; k < 100; k++) {
    try {
      if ((await fetch(base)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

/** A page at `hash`, collecting console errors and uncaught exceptions. */
async function open(hash: string, viewport = { width: 1280, height: 900 }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${base}#${hash}`);
  await page.waitForSelector("main h2");
  return { page, errors };
}

/** Paints a 28 × 28 image (values in [0, 1]) on the train page's canvas, each pixel a 10 × 10 block, and returns the class the page answers. */
async function paintAndClassify(page: Page, pixels: ArrayLike<number>): Promise<number> {
  await page.evaluate((p) => {
    const ctx = document.querySelector<HTMLCanvasElement>("#draw")!.getContext("2d")!;
    p.forEach((v, i) => {
      ctx.fillStyle = `rgb(${Math.round(255 * v)},${Math.round(255 * v)},${Math.round(255 * v)})`;
      ctx.fillRect((i % 28) * 10, Math.floor(i / 28) * 10, 10, 10);
    });
    delete document.querySelector<HTMLElement>("#answer")!.dataset.class;
  }, Array.from(pixels));
  await page.click("#classify");
  await page.waitForFunction(() => document.querySelector<HTMLElement>("#answer")?.dataset.class !== undefined);
  return Number(await page.getAttribute("#answer", "data-class"));
}

test("every page loads without console errors, cross-origin isolated; screenshots on a laptop and a phone", async () => {
  for (const hash of ["neuron", "spiketrain", "train", "tem", "dsn", "noisy", "events", "cartpole", "engine"]) {
    const { page, errors } = await open(hash);
    assert.equal(await page.evaluate(() => crossOriginIsolated), true, "COOP/COEP from the preview server");
    assert.match((await page.textContent("#isolation")) ?? "", /Cross-origin isolated/);
    await page.screenshot({ path: join(SHOTS, `${hash}.png`), fullPage: true });
    await page.close();
    const phone = await open(hash, { width: 390, height: 844 });
    await phone.page.screenshot({ path: join(SHOTS, `${hash}-phone.png`), fullPage: true });
    await phone.page.close();
    assert.deepEqual([...errors, ...phone.errors], [], `${hash}: console errors`);
  }
});

test("neuron lab: moving a slider redraws the membrane; every model draws", async () => {
  const { page, errors } = await open("neuron");
  const trace = () => page.getAttribute("#neuron-plots svg polyline", "points");
  const before = await trace();
  await page.locator("#ctl-beta").fill("0.5");
  assert.notEqual(await trace(), before, "the trace changed with β");
  for (const model of ["lif", "if", "coarse", "synaptic", "noisy", "continuous"]) {
    await page.selectOption("#ctl-model", model);
    const texts = await page.$$eval("#neuron-plots svg text", (t) => t.map((e) => e.textContent ?? ""));
    assert.ok(texts.some((t) => new RegExp(`^${model}: membrane \\(\\d+ spikes\\)`).test(t)), `${model}: its title`);
  }
  await page.selectOption("#ctl-input", "poisson");
  await page.screenshot({ path: join(SHOTS, "neuron-continuous-poisson.png"), fullPage: true });
  // A drawn input: a stroke across the canvas at about 1.5 drives the neuron to spike.
  await page.selectOption("#ctl-model", "lif");
  await page.selectOption("#ctl-input", "drawn");
  const spikesOf = async () => Number(/\((\d+) spikes\)/.exec((await page.$$eval("#neuron-plots svg text", (t) => t.map((e) => e.textContent ?? "").join(" "))) ?? "")![1]);
  assert.equal(await spikesOf(), 0, "no input drawn yet");
  const box = (await page.locator("#input-draw").boundingBox())!;
  await page.mouse.move(box.x + 2, box.y + box.height * 0.25);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width - 2, box.y + box.height * 0.25, { steps: 60 });
  await page.mouse.up();
  assert.ok((await spikesOf()) > 10, "the drawn input makes spikes");
  await page.screenshot({ path: join(SHOTS, "neuron-drawn.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test("spike-train lab: the same numbers as `snnkit analyze quantize` for the same train, for every reset", async () => {
  const { page, errors } = await open("spiketrain");
  await page.locator("#ctl-times").fill("0.5, 1, 2.5, 3, 4.2");
  await page.locator("#ctl-amplitudes").fill("0.8, -1.3, 2.2, 0.4, -0.9");
  await page.locator("#ctl-alpha").fill("0.3");
  const shown = await page.$$eval("#bounds tr", (rows) => rows.slice(1).map((r) => Array.from(r.querySelectorAll("td"), (td) => td.textContent)));
  await withConsole(async (out) => {
    for (const [k, reset] of ["mod", "subtract", "zero"].entries()) {
      assert.equal(await runCli(["analyze", "quantize", "--times", "0.5,1,2.5,3,4.2", "--amplitudes", "0.8,-1.3,2.2,0.4,-0.9", "--alpha", "0.3", "--reset", reset, "--json"]), 0, out.join("\n"));
      const cli = JSON.parse(out.pop()!);
      assert.deepEqual(shown[k], [reset, String(Number(cli.error_norm.toPrecision(6))), String(Number(cli.bound.toPrecision(6))), cli.holds ? "holds" : "violated"], reset);
    }
  });
  assert.match((await page.textContent("#resonance svg")) ?? "", /resonance, reset mod: the largest change at α = /);
  await page.screenshot({ path: join(SHOTS, "spiketrain-edited.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test("train in the browser: the MLP preset in a Web Worker reaches > 85 % on 500 test digits; a drawn digit and a test digit are classified", { timeout: 300_000 }, async () => {
  const { page, errors } = await open("train");
  await page.click("#train");
  await page.waitForFunction(() => document.querySelector<HTMLElement>("#train-status")?.dataset.testAccuracy !== undefined, undefined, { timeout: 240_000 });
  const accuracy = Number(await page.getAttribute("#train-status", "data-test-accuracy"));
  assert.ok(accuracy > 0.85, `test accuracy ${accuracy} on 500 digits`);
  assert.ok((await page.$$("#train-curves svg polyline")).length >= 2, "loss and accuracy curves");
  // A stroke drawn with the mouse: some class, with the spikes of every layer.
  await page.locator("#draw").scrollIntoViewIfNeeded();
  const box = (await page.locator("#draw").boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.8, { steps: 12 });
  await page.mouse.up();
  await page.click("#classify");
  await page.waitForFunction(() => document.querySelector<HTMLElement>("#answer")?.dataset.class !== undefined);
  assert.match((await page.textContent("#answer")) ?? "", /^The network says \d/);
  assert.ok((await page.$$("#answer-raster svg")).length === 1, "the drawn digit's raster");
  assert.ok(await page.evaluate(() => Array.from(document.querySelector<HTMLCanvasElement>("#draw")!.getContext("2d")!.getImageData(0, 0, 280, 280).data).some((v, i) => i % 4 === 0 && v > 0)), "the stroke is on the canvas");
  await page.screenshot({ path: join(SHOTS, "train.png"), fullPage: true });
  // Ten test digits painted on the canvas (each pixel a 10 × 10 block): mostly their own label.
  const { test: digits } = embeddedSplit();
  let right = 0;
  for (let k = 0; k < 10; k++) if ((await paintAndClassify(page, digits.images.subarray(k * 784, (k + 1) * 784))) === digits.labels[k]) right++;
  assert.ok(right >= 7, `${right} of 10 test digits drawn on the canvas classified as their label`);
  assert.deepEqual(errors, []);
  await page.close();
});

test("engine: cross-origin isolated with more than one kernel thread; the page's kernels give Node's numbers on fixed inputs", { timeout: 120_000 }, async () => {
  const { page, errors } = await open("engine");
  await page.waitForFunction(() => document.querySelector<HTMLElement>("#engine-status")?.dataset.report !== undefined, undefined, { timeout: 100_000 });
  const report = JSON.parse((await page.getAttribute("#engine-status", "data-report"))!) as { checks: Record<string, number[]>; isolated: boolean; threads: number; workers: number; relaxedSimd: boolean; msPerStep: { one: number; all: number } };
  assert.equal(report.isolated, true);
  // Chromium has relaxed SIMD (since 114): the page runs the relaxed builds, as the flagged Node side does.
  assert.equal(report.relaxedSimd, true);
  assert.match((await page.textContent("#engine-status")) ?? "", /^Kernels: wasm SIMD128 with relaxed SIMD/);
  assert.ok(report.threads > 1 && report.workers >= 1, `${report.threads} threads, ${report.workers} kernel workers`);
  const node = engineChecks();
  for (const [name, values] of Object.entries(node)) assertClose(report.checks[name], values, 1e-6, 1e-6, name);
  console.log(`engine: a training step ${report.msPerStep.one.toFixed(2)} ms on one thread, ${report.msPerStep.all.toFixed(2)} ms on ${report.threads}`);
  await page.screenshot({ path: join(SHOTS, "engine.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test("a model file of snnkit export (JSON, and NIR), loaded in the page, classifies painted digits as predictClasses does in Node", { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "snnkit-page-model-"));
  const config = trainTask.configure({ model: "mlp", neuron: "lif", steps: 4, encoding: "direct", epochs: 1, trainLimit: 1500, testLimit: 50 });
  const run = await runInDirectory(trainTask, join(dir, "run"), { config });
  await withConsole(async (out) => assert.equal(await runCli(["export", "--checkpoint", run.checkpoint, "--out", join(dir, "m.json")]), 0, out.join("\n")));
  const model = loadModel(readFileSync(join(dir, "m.json"), "utf8"), "m.json");
  const { test: digits } = embeddedSplit();
  const first = subset(digits, [0, 1, 2, 3, 4, 5]);
  const expected = predictClasses(model, first).classes;
  model.model.dispose();
  await withConsole(async (out) => assert.equal(await runCli(["nir", "export", "--checkpoint", run.checkpoint, "--out", join(dir, "m.nir")]), 0, out.join("\n")));
  const { page, errors } = await open("train");
  // The JSON model file, then the same network as a NIR file (imported at the dt it was written for).
  for (const file of ["m.json", "m.nir"]) {
    await page.setInputFiles("#model-file", join(dir, file));
    await page.waitForFunction((f) => document.querySelector<HTMLElement>("#train-status")?.dataset.loaded === f, file);
    const shown: number[] = [];
    for (let k = 0; k < 6; k++) shown.push(await paintAndClassify(page, first.images.subarray(k * 784, (k + 1) * 784)));
    assert.deepEqual(shown, expected, file);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test("time encoding: the page's recovery error is `snnkit tem one-layer`'s for the same settings", async () => {
  const { page, errors } = await open("tem");
  await page.locator("#ctl-examples").fill("4");
  // With jittered spike times the error is well above rounding (the browser's Math.sin may differ from Node's in the last bit).
  await page.locator("#ctl-jitter").fill("0.01");
  const error = Number(await page.getAttribute("#tem-out", "data-error"));
  const text = (await page.textContent("#tem-result")) ?? "";
  await withConsole(async (out) => {
    assert.equal(await runCli(["tem", "one-layer", "--inputs", "8", "--outputs", "3", "--examples", "4", "--exposure", "9", "--jitter", "0.01", "--json"]), 0, out.join("\n"));
    const cli = JSON.parse(out.pop()!);
    assert.ok(cli.error > 1e-4 && Math.abs(error - cli.error) <= 1e-9 * cli.error, `page ${error}, CLI ${cli.error}`);
    assert.match(text, new RegExp(`^${cli.spikes} output spikes; rank per neuron ${cli.rank.join(", ")} of 8`));
  });
  await page.screenshot({ path: join(SHOTS, "tem.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test("event data: an N-MNIST sample, an AEDAT recording and an SHD file read in the page, with the readers' counts", async () => {
  const dir = mkdtempSync(join(tmpdir(), "snnkit-page-events-"));
  const rng = new Rng(5);
  const e = allocateEvents(900);
  for (let i = 0; i < 900; i++) {
    e.x[i] = 5 + rng.int(10);
    e.y[i] = 10 + rng.int(12);
    e.p[i] = rng.int(2);
    e.t[i] = i * 300;
  }
  writeFileSync(join(dir, "00001.bin"), encodeNmnist(e));
  writeFileSync(join(dir, "user01_led.aedat"), encodeAedat3({ ...e, x: e.x.map((x) => 4 * x), y: e.y.map((y) => 4 * y) }, 128, [3, 4]));
  const { page, errors } = await open("events");
  for (const [file, count] of [["00001.bin", 900], ["user01_led.aedat", 898]] as const) {
    await page.setInputFiles("#event-file", join(dir, file));
    await page.waitForFunction((c) => document.querySelector<HTMLElement>("#event-summary")?.dataset.events === String(c), count);
    await page.locator("#ctl-frame").fill("5");
    assert.match((await page.textContent("#event-frame svg")) ?? "", /frame 6 of 12/);
    await page.screenshot({ path: join(SHOTS, `events-${file.split(".").pop()}.png`), fullPage: true });
  }
  const shd = join(import.meta.dirname, "..", "fixtures", "events", "shd_small.h5");
  const expected = openShd(await memoryHdf5(readFileSync(shd), "s.h5"), "s.h5").sample(0).times.length;
  await page.setInputFiles("#event-file", shd);
  await page.waitForFunction((c) => document.querySelector<HTMLElement>("#event-summary")?.dataset.events === String(c), expected);
  await page.screenshot({ path: join(SHOTS, "events-shd.png"), fullPage: true });
  writeFileSync(join(dir, "junk.bin"), "not events!");
  await page.setInputFiles("#event-file", join(dir, "junk.bin"));
  await page.waitForSelector("#event-error");
  assert.match((await page.textContent("#event-error")) ?? "", /junk\.bin: not an event file snnkit reads/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("the documentation site: the API reference, the method pages and the tutorials, linked from the playground, without console errors", async () => {
  const { page, errors } = await open("neuron");
  await page.click("#docs-link");
  await page.waitForSelector("text=snnkit documentation");
  await page.screenshot({ path: join(SHOTS, "docs.png"), fullPage: true });
  for (const [path, heading] of [
    ["docs/documents/tutorials_train-api.html", "Tutorial: train with the API"],
    ["docs/documents/nir.html", "NIR: the Neuromorphic Intermediate Representation"],
    ["docs/classes/index.Sequential.html", "Sequential"],
  ] as const) {
    await page.goto(`${base}${path}`);
    assert.match((await page.textContent("h1")) ?? "", new RegExp(heading.replace(/[()]/g, "\\$&")), path);
  }
  await page.screenshot({ path: join(SHOTS, "docs-sequential.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test("cart-pole: the policy trains in the page as in Node (the same returns per generation), and its episode plays", { timeout: 240_000 }, async () => {
  const { page, errors } = await open("cartpole");
  await page.locator("#ctl-generations").fill("3");
  await page.click("#cartpole-train");
  await page.waitForFunction(() => document.querySelector<HTMLElement>("#cartpole-status")?.dataset.steps !== undefined, undefined, { timeout: 200_000 });
  const shown = JSON.parse((await page.getAttribute("#cartpole-status", "data-generations"))!) as { meanReturn: number; centerReturn: number }[];
  const node = cartPoleDemo(3, 0);
  assert.deepEqual(shown, node.generations);
  assert.equal(Number(await page.getAttribute("#cartpole-status", "data-steps")), node.states.length - 1);
  await page.waitForFunction(() => Number(document.querySelector<HTMLElement>("#cartpole-canvas")?.dataset.frame ?? 0) > 5);
  await page.screenshot({ path: join(SHOTS, "cartpole.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test("Deep Spiking Networks: the herding MLP and the ReLU MLP trained in the page get the test errors `snnkit dsn train` gets; the live spike counts end at its row additions per sample", { timeout: 240_000 }, async () => {
  const { page, errors } = await open("dsn");
  await page.locator("#ctl-hidden").fill("50");
  await page.locator("#ctl-trainLimit").fill("1000");
  await page.click("#dsn-train");
  await page.waitForFunction(() => document.querySelector<HTMLElement>("#dsn-table")?.dataset.relu !== undefined, undefined, { timeout: 200_000 });
  await withConsole(async (out) => {
    for (const model of ["spiking", "relu"]) {
      assert.equal(await runCli(["dsn", model === "spiking" ? "train" : "baseline", "--layers", "50", "--epochs", "1", "--train-limit", "1000", "--test-limit", "500", "--validation", "0", "--backend", "wasm", "--out", mkdtempSync(join(tmpdir(), "snnkit-page-dsn-")), "--json"]), 0, out.join("\n"));
      const cli = JSON.parse(out.pop()!);
      assert.equal(Number(await page.getAttribute("#dsn-table", `data-${model}`)), cli.test_error, model);
      // The curve: a point every 100 samples, the last (the epoch's mean) the CLI's forward row additions per sample.
      if (model === "spiking") {
        assert.equal(await page.getAttribute("#dsn-spikes", "data-points"), "10");
        const last = JSON.parse((await page.getAttribute("#dsn-spikes", "data-last"))!) as number[];
        assertClose(last, cli.ops_per_sample.forward_row_additions, 1e-9, 1e-9, "spikes per sample");
      }
    }
  });
  await page.screenshot({ path: join(SHOTS, "dsn.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test("noisy networks: the page's accuracies under an attack equal attackPoint's on the same networks trained in Node (on the page's backend, wasm)", { timeout: 240_000 }, async () => {
  const { page, errors } = await open("noisy");
  await page.locator("#ctl-trainLimit").fill("1000");
  await page.click("#noisy-train");
  await page.waitForFunction(() => document.querySelector<HTMLElement>("#noisy-plot")?.dataset.curves !== undefined, undefined, { timeout: 200_000 });
  const curves = JSON.parse((await page.getAttribute("#noisy-plot", "data-curves"))!) as Record<string, { strength: number; accuracy: number }[]>;
  const { train, test } = embeddedSplit();
  const images = { images: (_d: string, _dir: string | undefined, split: "train" | "test") => (split === "train" ? train : test) } as never;
  const first = subset(test, Array.from({ length: 200 }, (_, i) => i));
  for (const { name, fields } of noisyConfigs(1000)) {
    const store = new MemoryStore();
    // The page runs on wasm; Node's default (native, where built) rounds its products differently.
    await runTask(trainTask, { config: trainTask.configure({ ...fields, backend: "wasm" }), context: { images, store } });
    const session = restoreRun(trainTask, { store });
    const expected = curves[name].map((p, k) => attackPoint({ name, session }, "gaussian", p.strength, first, { strengthIndex: k }).accuracy);
    assert.deepEqual(curves[name].map((p) => p.accuracy), expected, name);
    session.model.dispose();
  }
  await page.screenshot({ path: join(SHOTS, "noisy.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test("train in the browser: a run stopped and the page reloaded resumes from its checkpoint in IndexedDB", { timeout: 240_000 }, async () => {
  const { page, errors } = await open("train");
  await page.locator("#ctl-epochs").fill("2");
  await page.locator("#ctl-trainLimit").fill("7000");
  await page.locator("#ctl-steps").fill("12");
  await page.click("#train");
  // Stop once the first epoch has ended (its checkpoint saved), then reload.
  await page.waitForFunction(() => /epoch 1:/.test(document.querySelector("#train-epochs")?.textContent ?? ""), undefined, { timeout: 200_000 });
  await page.click("#stop");
  await page.waitForFunction(() => /^(Stopped|Done)/.test(document.querySelector("#train-status")?.textContent ?? ""), undefined, { timeout: 200_000 });
  assert.match((await page.textContent("#train-status")) ?? "", /^Stopped/, "stopped in the second epoch");
  await page.reload();
  await page.waitForSelector("#resume");
  await page.locator("#ctl-epochs").fill("2");
  await page.locator("#ctl-trainLimit").fill("7000");
  await page.locator("#ctl-steps").fill("12");
  await page.click("#resume");
  await page.waitForFunction(() => /^Resumed at epoch/.test(document.querySelector("#train-status")?.textContent ?? "") || /^Done/.test(document.querySelector("#train-status")?.textContent ?? ""), undefined, { timeout: 200_000 });
  assert.match((await page.textContent("#train-status")) ?? "", /^Resumed at epoch 2, batch \d+ of \d+/);
  await page.waitForFunction(() => document.querySelector<HTMLElement>("#train-status")?.dataset.testAccuracy !== undefined, undefined, { timeout: 200_000 });
  assert.match((await page.textContent("#train-epochs")) ?? "", /epoch 2:/);
  assert.deepEqual(errors, []);
  await page.close();
});
