// The robustness suite: trained networks evaluated under every attack over a sweep of strengths, with
// (strength, loss, accuracy) per network and attack. Random perturbations are seeded by attack, strength
// and batch, so every network meets the same perturbations; white-box attacks follow each network's own
// training gradients (its surrogate, or for noisy neurons the noise density).
import { batchIndices, datasetSize, gatherBatch, type ImageDataset } from "../../data/dataset.js";
import { ValueError } from "../../errors.js";
import { accuracy } from "../../nn/spike_losses.js";
import { Rng } from "../../random/rng.js";
import { additiveNoise, fgsm, type InputGradient, multiplicativeNoise, saltAndPepper, sphereAttack } from "../../robustness/input_attacks.js";
import { withNetworkNoise } from "../../robustness/network_noise.js";
import { tensor } from "../../tensor/creation.js";
import { noGrad, tidy } from "../../tensor/engine.js";
import { clamp } from "../../tensor/ops/elementwise.js";
import type { Tensor } from "../../tensor/tensor.js";
import { averagedOutput, classScores, networkOutput, trainingLoss } from "../train/loop.js";
import { encodeBatch, type TrainingSession } from "../train/session.js";
import { ATTACK_NAMES, ATTACKS, type AttackName, type AttackSweep } from "./attacks.js";

/** A trained network under test, by name. */
export interface RobustnessModel {
  name: string;
  session: TrainingSession;
}

/** Mean loss and accuracy at one strength. */
export interface RobustnessPoint {
  strength: number;
  loss: number;
  accuracy: number;
}

/** The curves of one attack: per network its points and the area under its accuracy curve. */
export interface AttackCurves {
  attack: AttackName;
  title: string;
  /** The strength's symbol (σ, ε, γ, ...). */
  strength: string;
  curves: { model: string; points: RobustnessPoint[]; area: number }[];
}

/** Options of the suite. */
export interface RobustnessOptions {
  /** Seed of every perturbation and of the inputs' encoding noise (default 0). */
  seed?: number;
  /** Images per batch (default 250). */
  batchSize?: number;
  /** Called after each point. */
  onPoint?: (p: { model: string; attack: AttackName; strength: number; done: number; total: number } & RobustnessPoint) => void;
  /** Called after each attack with the curves of the attacks done so far (to save partial results). */
  onAttack?: (done: readonly AttackCurves[]) => void;
}

/** A seed for (attack, strength, batch) streams, the same for every network. */
const streamSeed = (seed: number, attack: number, strength: number, batch: number): number => (seed + 1_000_003 * (attack + 1) + 10_007 * strength + 17 * batch) % 2 ** 32;

/** Runs fn with the network's parameters frozen (input gradients only: no weight gradients are formed). */
function withFrozenParameters<R>(s: TrainingSession, fn: () => R): R {
  const params = s.model.parameters();
  const flags = params.map((p) => p.requiresGrad);
  for (const p of params) p.requiresGrad = false;
  try {
    return fn();
  } finally {
    params.forEach((p, i) => (p.requiresGrad = flags[i]));
  }
}

/**
 * dL/dx of a batch for a network: through a direct-encoded input exactly; through rate or latency
 * spikes by the straight-through estimate Σ_t dL/ds[t] (the encoder's own gradient being zero almost everywhere).
 */
function inputGradient(s: TrainingSession, labels: number[], encodingSeed: number): InputGradient {
  const c = s.config;
  return (x) => {
    let g = new Float32Array(0);
    tidy(() => {
      const { input, steps } = encodeBatch(c, c.encoding === "direct" ? x : clamp(x, 0, 1), new Rng(encodingSeed));
      const leaf = tensor(input.dataFloat32(), input.shape, { requiresGrad: true });
      trainingLoss(c, networkOutput(c, s.model, leaf, steps), labels).backward();
      const d = leaf.grad!.dataFloat32();
      // A leaf that requires grad, and its gradient, are kept past the scope: free both here.
      leaf.zeroGrad();
      leaf.dispose();
      if (c.encoding === "direct") g = Float32Array.from(d);
      else {
        g = new Float32Array(x.size);
        for (let i = 0; i < d.length; i++) g[i % x.size] += d[i];
      }
    });
    return g;
  };
}

/** The perturbed input of one batch (the input attacks), or x itself. */
function perturbInput(attack: AttackName, strength: number, x: Tensor, rng: Rng, gradient: () => InputGradient): Tensor {
  switch (attack) {
    case "gaussian":
      return additiveNoise(x, strength, rng);
    case "multiplicative":
      return multiplicativeNoise(x, strength, rng);
    case "salt-pepper":
      return saltAndPepper(x, strength, rng);
    case "fgsm":
      return strength === 0 ? x : fgsm(x, strength, gradient());
    case "l2":
      return strength === 0 ? x : sphereAttack(x, strength, gradient(), { rng });
    default:
      return x;
  }
}

/** Loss and accuracy of one network under one attack at one strength, over `data`. */
export function attackPoint(m: RobustnessModel, attack: AttackName, strength: number, data: ImageDataset, options: { seed?: number; batchSize?: number; strengthIndex?: number } = {}): RobustnessPoint {
  const s = m.session;
  const c = s.config;
  const n = datasetSize(data);
  if (n === 0) throw new ValueError("robustness: data", "at least one image", 0);
  const seed = options.seed ?? 0;
  const a = ATTACK_NAMES.indexOf(attack);
  const k = options.strengthIndex ?? 0;
  const wasTraining = s.model.training;
  const trainingNoise = s.neuronRng?.getState();
  s.model.eval();
  let [lossSum, correct] = [0, 0];
  try {
    batchIndices(n, options.batchSize ?? 250).forEach((idx, b) => {
      tidy(() => {
        const { x, labels } = gatherBatch(data, idx);
        const rng = new Rng(streamSeed(seed, a, k, b));
        const encodingSeed = streamSeed(seed, -1, 0, b);
        // Noisy neurons draw their spikes from a stream of the batch alone, so strength 0 of every attack is the clean accuracy.
        s.neuronRng?.setState(new Rng(streamSeed(seed, -2, 0, b)).getState());
        const kind = ATTACKS[attack].kind;
        let xin = x;
        if (kind !== "network") xin = withFrozenParameters(s, () => perturbInput(attack, strength, x, rng, () => inputGradient(s, labels, encodingSeed)));
        if (c.encoding !== "direct") xin = clamp(xin, 0, 1);
        const net = kind === "network" ? withNetworkNoise(s.model, attack === "spike-noise" ? { spikes: strength } : { membrane: strength }, rng) : s.model;
        noGrad(() => {
          const { input, steps } = encodeBatch(c, xin, new Rng(encodingSeed));
          const out = averagedOutput(c, net, input, steps);
          lossSum += trainingLoss(c, out, labels).item() * idx.length;
          correct += accuracy(classScores(c, out), labels) * idx.length;
        });
      });
    });
  } finally {
    if (trainingNoise) s.neuronRng?.setState(trainingNoise);
    s.model.train(wasTraining);
  }
  return { strength, loss: lossSum / n, accuracy: correct / n };
}

/** The area under an accuracy curve over its strength range (trapezoids), divided by the range: the mean accuracy over it. */
export function curveArea(points: readonly RobustnessPoint[]): number {
  if (points.length === 0) return NaN;
  if (points.length === 1) return points[0].accuracy;
  let area = 0;
  for (let i = 1; i < points.length; i++) area += ((points[i].strength - points[i - 1].strength) * (points[i].accuracy + points[i - 1].accuracy)) / 2;
  return area / (points[points.length - 1].strength - points[0].strength);
}

/** Every network under every sweep. */
export function runRobustness(models: readonly RobustnessModel[], sweeps: readonly AttackSweep[], data: ImageDataset, options: RobustnessOptions = {}): AttackCurves[] {
  if (models.length === 0) throw new ValueError("robustness: models", "at least one network", 0);
  const names = new Set(models.map((m) => m.name));
  if (names.size !== models.length) throw new ValueError("robustness: models", "distinct names", models.map((m) => m.name).join(", "));
  const total = models.length * sweeps.reduce((t, sw) => t + sw.strengths.length, 0);
  let done = 0;
  const out: AttackCurves[] = [];
  for (const { attack, strengths } of sweeps) {
    out.push({
      attack,
      title: ATTACKS[attack].title,
      strength: ATTACKS[attack].strength,
      curves: models.map((m) => {
        const points = strengths.map((strength, strengthIndex) => {
          const p = attackPoint(m, attack, strength, data, { seed: options.seed, batchSize: options.batchSize, strengthIndex });
          options.onPoint?.({ model: m.name, attack, done: ++done, total, ...p });
          return p;
        });
        return { model: m.name, points, area: curveArea(points) };
      }),
    });
    options.onAttack?.(out);
  }
  return out;
}

/** A text table: per attack and strength, each network's accuracy (%), and the area under each curve. */
export function robustnessTable(curves: readonly AttackCurves[]): string {
  const lines: string[] = [];
  for (const c of curves) {
    const models = c.curves.map((k) => k.model);
    const width = Math.max(10, ...models.map((m) => m.length + 2));
    lines.push(`${c.attack}: ${c.title}`);
    lines.push(`  ${c.strength.padStart(8)}${models.map((m) => m.padStart(width)).join("")}`);
    c.curves[0]?.points.forEach((p, i) => lines.push(`  ${String(p.strength).padStart(8)}${c.curves.map((k) => (100 * k.points[i].accuracy).toFixed(1).padStart(width)).join("")}`));
    lines.push(`  ${"area".padStart(8)}${c.curves.map((k) => (100 * k.area).toFixed(1).padStart(width)).join("")}`);
    lines.push("");
  }
  return lines.join("\n");
}
