// The robustness suite on trained networks: FGSM and the L2 attack raise the loss, every network meets the
// same perturbations, and bad sweeps or flags give typed errors (the attacks themselves: attacks.test.ts).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import * as S from "../../src/index.js";
import {
  attackPoint,
  createSession,
  curveArea,
  DEFAULT_CONFIG,
  loadRunData,
  parseRange,
  nodeImages,
  runInDirectory,
  runRobustnessSuite,
  directoryContext,
  sweep,
  type TrainConfig,
  trainEpochs,
  trainingLoss,
  type TrainingSession,
  trainTask,
} from "../../src/node.js";

test("sweeps, ranges and the area under a curve", () => {
  assert.deepEqual(sweep(0, 0.3, 0.1), [0, 0.1, 0.2, 0.3]);
  assert.deepEqual(parseRange("0:0.25:0.05"), [0, 0.05, 0.1, 0.15, 0.2, 0.25]);
  assert.deepEqual(parseRange("1:1:0.5"), [1]);
  for (const bad of ["0:1", "1:0:0.1", "0:1:0", "a:b:c", "0:1:-1", "0:1e6:0.001", "-1:1:1", "::"]) assert.throws(() => parseRange(bad), S.ValueError, bad);
  const pts = [0, 1, 3].map((strength, i) => ({ strength, loss: 0, accuracy: [1, 0.5, 0.5][i] }));
  // (1 + 0.5)/2 · 1 + 0.5 · 2 = 1.75 over a range of 3.
  assert.ok(Math.abs(curveArea(pts) - 1.75 / 3) < 1e-15);
});

/** A small MLP trained for one short epoch (a few seconds). */
async function trained(c: Partial<TrainConfig>): Promise<TrainingSession> {
  const config: TrainConfig = { ...DEFAULT_CONFIG, model: "mlp", neuron: "lif", encoding: "rate", steps: 4, epochs: 1, batchSize: 32, lr: 5e-3, trainLimit: 1000, testLimit: 120, ...c };
  const { train, test } = loadRunData(nodeImages, config);
  const s = createSession(config, train);
  await trainEpochs(s, { train, validation: null, test });
  return s;
}

test("on trained networks: FGSM and the L2 attack raise the loss, both models meet the same perturbations, NSNNs use their noise density", async () => {
  const snn = await trained({ beta: 0.5, surrogate: { name: "gaussian", param: 0.3 } });
  const nsnn = await trained({ neuron: "noisy", noise: "gaussian:0.3" });
  const { test } = loadRunData(nodeImages, snn.config);
  for (const s of [snn, nsnn]) {
    const m = { name: "m", session: s };
    const clean = attackPoint(m, "fgsm", 0, test, { seed: 3 });
    // One short epoch: 81 % (SNN) and 82 % (NSNN) on these 120 images.
    assert.ok(clean.accuracy > 0.75, `clean accuracy ${clean.accuracy}`);
    const f = attackPoint(m, "fgsm", 0.1, test, { seed: 3, strengthIndex: 1 });
    const l2 = attackPoint(m, "l2", 2, test, { seed: 3, strengthIndex: 1 });
    const noise = attackPoint(m, "gaussian", 0.3, test, { seed: 3, strengthIndex: 1 });
    assert.ok(f.loss > clean.loss && l2.loss > clean.loss, `losses: clean ${clean.loss}, fgsm ${f.loss}, l2 ${l2.loss}`);
    // A white-box step up the gradient does far more harm than random noise of a larger norm: FGSM at
    // ε = 0.1 (‖δ‖₂ = 2.8) takes 45–55 points, the 30-step L2 attack at γ = 2 over 20, Gaussian noise
    // of σ = 0.3 (‖δ‖₂ ≈ 8.4) about 13 (measured: 27 / 56 / 68 % for the SNN, 34 / 59 / 69 % for the NSNN).
    assert.ok(f.accuracy < clean.accuracy - 0.3 && l2.accuracy < clean.accuracy - 0.15, `accuracy: clean ${clean.accuracy}, fgsm ${f.accuracy}, l2 ${l2.accuracy}`);
    assert.ok(f.accuracy < noise.accuracy && l2.accuracy < noise.accuracy, `fgsm ${f.accuracy} and l2 ${l2.accuracy} against noise ${noise.accuracy}`);
    // Every attack at strength 0 is the clean network (the noisy one too: its spikes follow the batch's stream).
    for (const attack of ["gaussian", "salt-pepper", "spike-noise", "membrane"] as const) assert.deepEqual(attackPoint(m, attack, 0, test, { seed: 3 }), clean, attack);
    // White-box points leave no memory behind (the attacks' gradients are freed; the first call may
    // size the backend's scratch buffers, which it keeps).
    const whiteBox = () => [attackPoint(m, "l2", 1, test, { seed: 3, strengthIndex: 1 }), attackPoint(m, "fgsm", 0.05, test, { seed: 3, strengthIndex: 1 })];
    whiteBox();
    const before = S.getBackend().bytesInUse();
    whiteBox();
    assert.equal(S.getBackend().bytesInUse(), before);
    // Reproducible, and the model's own generator is left alone.
    const state = s.neuronRng?.getState();
    assert.deepEqual(attackPoint(m, "gaussian", 0.3, test, { seed: 3, strengthIndex: 3 }), attackPoint(m, "gaussian", 0.3, test, { seed: 3, strengthIndex: 3 }));
    assert.deepEqual(s.neuronRng?.getState(), state);
  }
  // The same perturbation for every model: the same network under two names gives the same curves.
  const dir = mkdtempSync(join(tmpdir(), "snnkit-rob-"));
  const run = await runInDirectory(trainTask, join(dir, "a"), { config: snn.config });
  const r = runRobustnessSuite({
    models: [
      { name: "one", checkpoint: run.checkpoint },
      { name: "two", checkpoint: run.checkpoint },
    ],
    sweeps: [
      { attack: "salt-pepper", strengths: [0, 0.1] },
      { attack: "spike-noise", strengths: [0.1] },
    ],
    testLimit: 60,
    seed: 9,
  }, directoryContext(join(dir, "rob")));
  for (const a of r.attacks) assert.deepEqual(a.curves[0].points, a.curves[1].points, a.attack);
  const json = JSON.parse(readFileSync(r.results, "utf8"));
  assert.equal(json.format, "snnkit-robustness");
  assert.equal(json.test_images, 60);
  assert.equal(json.attacks[0].curves[1].points[1].strength, 0.1);
  for (const p of Object.values(r.plots)) assert.match(readFileSync(p, "utf8"), /^<svg/);
  assert.match(r.table, /salt-pepper[\s\S]*area/);
  // Gradients reach the input through the rate encoder (straight through).
  S.tidy(() => {
    const { x, labels } = S.gatherBatch(test, [0, 1, 2]);
    const enc = S.tensor(S.rateEncode(x, 4, new S.Rng(1)).dataFloat32(), [4, 3, 1, 28, 28], { requiresGrad: true });
    trainingLoss(nsnn.config, nsnn.model.run(enc).output, labels).backward();
    assert.ok(enc.grad!.dataFloat32().some((v) => v !== 0));
    enc.zeroGrad();
    enc.dispose();
  });
});

const cli = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { encoding: "utf8", timeout: 120_000 });

test("snnkit robustness: bad flags and files give clear errors", () => {
  const out = mkdtempSync(join(tmpdir(), "snnkit-robcli-"));
  for (const [args, pattern] of [
    [["robustness"], /--checkpoint \/ --preset: expected one or more --checkpoint, or --preset paper/],
    [["robustness", "--checkpoint", "a.snnk", "--preset", "paper"], /--checkpoint.*--preset paper/],
    [["robustness", "--checkpoint", join(out, "none.snnk")], /none\.snnk.*not found/],
    [["robustness", "--checkpoint", "x", "--attack", "pgd"], /--attack must be one of/],
    [["robustness", "--checkpoint", "x", "--range", "0:1:0.1"], /--range needs exactly one --attack/],
    [["robustness", "--checkpoint", "x", "--attack", "fgsm", "--attack", "l2", "--range", "0:1:0.1"], /--range needs exactly one --attack/],
    [["robustness", "--checkpoint", "x", "--attack", "fgsm", "--range", "0:1"], /range: expected start:end:step/],
    [["robustness", "--checkpoint", "=x"], /--checkpoint must be \[name=\]path/],
    [["robustness", "--preset", "resnet"], /--preset.*Allowed choices/s],
    [["robustness", "--checkpoint", "x", "--limit-test", "0"], /--limit-test must be an integer/],
  ] as const) {
    const r = cli(...args, "--out", join(out, "o"));
    assert.notEqual(r.status, 0, args.join(" "));
    assert.match(r.stderr, pattern, `${args.join(" ")}: ${r.stderr}`);
  }
  assert.ok(!existsSync(join(out, "o")), "a failed run leaves no directory");
});
