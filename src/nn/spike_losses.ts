// Losses and metrics on the output of a spiking network [T, B, C].
import { ShapeError, ValueError } from "../errors.js";
import { tensor } from "../tensor/creation.js";
import { mul } from "../tensor/ops/elementwise.js";
import { crossEntropy, mse } from "../tensor/ops/loss.js";
import { mean, sum } from "../tensor/ops/reduce.js";
import type { Tensor } from "../tensor/tensor.js";

function checkOutput(op: string, out: Tensor): void {
  if (out.rank !== 3) throw new ShapeError(op, "output must be [T, B, classes]", [out.shape]);
}

/** Spike counts per sample and class: n[b, c] = Σ_t s[t, b, c]. */
export function spikeCounts(spikes: Tensor): Tensor {
  checkOutput("spikeCounts", spikes);
  return sum(spikes, 0);
}

/**
 * Cross-entropy with the spike counts as logits, scaled: L = CE(k·n, y). (The coarse-LIF authors use
 * logits 4·(n − T/2); the shift does not change a softmax, so that is k = 4.)
 */
export function ceCountLoss(spikes: Tensor, labels: readonly number[], scale = 1): Tensor {
  if (!(scale > 0)) throw new ValueError("ceCountLoss: scale", "a number > 0", scale);
  const counts = spikeCounts(spikes);
  return crossEntropy(scale === 1 ? counts : mul(counts, scale), labels);
}

/** Cross-entropy with the mean membrane potential over time as logits: L = CE((1/T) Σ_t m[t], y). */
export function ceMembraneLoss(membrane: Tensor, labels: readonly number[]): Tensor {
  checkOutput("ceMembraneLoss", membrane);
  return crossEntropy(mean(membrane, 0), labels);
}

/** Target spike counts of the MSE count loss. */
export interface CountTargets {
  /** Spikes wanted from the true class (default 4, as in Yanguas-Gil 2020). */
  correct?: number;
  /** Spikes wanted from every other class (default 0). */
  incorrect?: number;
}

/** L = mean_{b,c} (n[b, c] − target[b, c])², target = `correct` for the true class, else `incorrect`. */
export function mseCountLoss(spikes: Tensor, labels: readonly number[], targets: CountTargets = {}): Tensor {
  const counts = spikeCounts(spikes);
  const [B, C] = counts.shape;
  if (labels.length !== B) throw new ShapeError("mseCountLoss", `${labels.length} labels for a batch of ${B}`, [counts.shape]);
  const on = targets.correct ?? 4;
  const off = targets.incorrect ?? 0;
  const t = new Float32Array(B * C).fill(off);
  labels.forEach((l, b) => {
    if (!Number.isInteger(l) || l < 0 || l >= C) throw new ValueError("mseCountLoss: labels", `integers in [0, ${C})`, l);
    t[b * C + l] = on;
  });
  return mse(counts, tensor(t, [B, C], { backend: counts.backend }));
}

/** Index of the largest score in each row of [B, C] (first one on ties). */
export function predictions(scores: Tensor): number[] {
  if (scores.rank !== 2) throw new ShapeError("predictions", "scores must be [B, classes]", [scores.shape]);
  const [B, C] = scores.shape;
  const v = scores.dataFloat32();
  const out: number[] = [];
  for (let b = 0; b < B; b++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (v[b * C + c] > v[b * C + best]) best = c;
    out.push(best);
  }
  return out;
}

/** Fraction of rows of scores [B, C] whose largest entry is at the label. */
export function accuracy(scores: Tensor, labels: readonly number[]): number {
  const p = predictions(scores);
  if (p.length !== labels.length) throw new ShapeError("accuracy", `${labels.length} labels for ${p.length} rows`, [scores.shape]);
  return p.length === 0 ? 0 : p.filter((c, i) => c === labels[i]).length / p.length;
}
