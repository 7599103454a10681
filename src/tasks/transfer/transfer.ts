// A trained coarse-LIF network transferred to continuous time: its accuracy and spike counts per layer
// beside the coarse network's, on the same test images and encodings.
import { batchIndices, datasetSize, gatherBatch, type ImageDataset } from "../../data/dataset.js";
import { ValueError } from "../../errors.js";
import { accuracy } from "../../nn/spike_losses.js";
import { CoarseLIF } from "../../neurons/coarse_lif.js";
import { Rng } from "../../random/rng.js";
import { noGrad, tidy } from "../../tensor/engine.js";
import { sum } from "../../tensor/ops/reduce.js";
import type { FiringRule } from "../../neurons/continuous_lif.js";
import type { Spread } from "../../transfer/impulses.js";
import { runEventNetwork } from "../../transfer/event_network.js";
import { perStepMasses, runSteppedNetwork } from "../../transfer/stepped_network.js";
import { classScores } from "../train/loop.js";
import { encodeBatch, type TrainingSession } from "../train/session.js";

/** Accuracy and spikes per image of each neuron layer, for the coarse network and its continuous-time twin. */
export interface TransferResult {
  images: number;
  steps: number;
  engine: TransferEngine;
  substeps: number;
  spread: Spread;
  fire: FiringRule;
  coarse: { accuracy: number; spikesPerImage: number[] };
  continuous: { accuracy: number; spikesPerImage: number[] };
}

/** The continuous engines: exact event by event, or on a grid of k substeps with the tensor engine (the same spikes with even spreading). */
export const TRANSFER_ENGINES = ["event", "stepped"] as const;
/** A continuous engine. */
export type TransferEngine = (typeof TRANSFER_ENGINES)[number];

/** Options of a transfer evaluation. */
export interface TransferOptions {
  /** Default "event"; "stepped" takes the even spreading only. */
  engine?: TransferEngine;
  /** Steps T to run (default: the run's). */
  steps?: number;
  substeps?: number;
  spread?: Spread;
  fire?: FiringRule;
  seed?: number;
  onImage?: (done: number, total: number) => void;
}

/**
 * Runs every test image through the coarse network (the tensor engine) and through the event-driven
 * continuous-time network with the same inputs (the same rate-coded spikes, if the run encodes by
 * rate); the prediction of each is the argmax of its class scores (the membrane averaged over the step
 * ends, or the spike counts).
 */
export function transferAccuracy(s: TrainingSession, test: ImageDataset, options: TransferOptions = {}): TransferResult {
  const c = s.config;
  if (!s.model.layers.some((l) => l instanceof CoarseLIF)) throw new ValueError("transfer: checkpoint", "a network of coarse-LIF neurons (snnkit train --neuron coarse)", c.neuron);
  const T = options.steps ?? c.steps;
  if (!(Number.isInteger(T) && T >= 1 && T <= 10_000)) throw new ValueError("steps", "an integer in [1, 10000]", T);
  const substeps = options.substeps ?? 16;
  const spread = options.spread ?? "even";
  const fire = options.fire ?? "crossing";
  const engine = options.engine ?? "event";
  if (!TRANSFER_ENGINES.includes(engine)) throw new ValueError("engine", TRANSFER_ENGINES.join(" or "), engine);
  if (engine === "stepped" && spread !== "even") throw new ValueError("spread", "even with the stepped engine (its impulses are on the grid)", spread);
  const n = datasetSize(test);
  if (n === 0) throw new ValueError("transfer: data", "at least one image", 0);
  const rng = new Rng(options.seed ?? 0);
  const run = { ...c, steps: T };
  const layers = s.model.layers.filter((l) => l instanceof CoarseLIF).length;
  const coarseSpikes = new Array<number>(layers).fill(0);
  const contSpikes = new Array<number>(layers).fill(0);
  let [coarseCorrect, contCorrect, done] = [0, 0, 0];
  const wasTraining = s.model.training;
  s.model.eval();
  try {
    for (const idx of batchIndices(n, 50))
      tidy(() =>
        noGrad(() => {
          const { x, labels } = gatherBatch(test, idx);
          const { input, steps } = encodeBatch(run, x, new Rng(rng.int(2 ** 31)));
          const r = s.model.run(input, { steps, recordSpikes: true });
          r.spikes.forEach((sp, l) => (coarseSpikes[l] += sum(sp.spikes).item()));
          coarseCorrect += accuracy(classScores(run, r.output), labels) * idx.length;
          // The per-step input masses of each image: [T, ...image] (direct: the image repeated).
          const perStep = perStepMasses(input, steps);
          if (engine === "stepped") {
            const r = runSteppedNetwork(s.model, perStep, substeps, fire);
            r.spikesPerLayer.forEach((v, l) => (contSpikes[l] += v));
            contCorrect += accuracy(sum(r.output, 0), labels) * idx.length;
          } else {
            const masses = perStep.dataFloat32();
            const imageShape = input.shape.slice(steps ? 1 : 2);
            const imageSize = imageShape.reduce((a, b) => a * b, 1);
            const B = idx.length;
            idx.forEach((_, b) => {
              const xb = new Float32Array(T * imageSize);
              for (let t = 0; t < T; t++) xb.set(masses.subarray((t * B + b) * imageSize, (t * B + b + 1) * imageSize), t * imageSize);
              const e = runEventNetwork(s.model, xb, imageShape, T, { substeps, spread, rng, fire });
              e.spikesPerLayer.forEach((v, l) => (contSpikes[l] += v));
              // The class scores summed over the steps in float64; the first largest is the prediction.
              const score = new Float64Array(e.outputs);
              for (let t = 0; t < T; t++) for (let j = 0; j < e.outputs; j++) score[j] += e.output[t * e.outputs + j];
              if (score.indexOf(Math.max(...score)) === labels[b]) contCorrect++;
            });
          }
          for (let b = 0; b < idx.length; b++) options.onImage?.(++done, n);
        }),
      );
  } finally {
    s.model.train(wasTraining);
  }
  return {
    images: n,
    steps: T,
    engine,
    substeps,
    spread,
    fire,
    coarse: { accuracy: coarseCorrect / n, spikesPerImage: coarseSpikes.map((v) => v / n) },
    continuous: { accuracy: contCorrect / n, spikesPerImage: contSpikes.map((v) => v / n) },
  };
}

