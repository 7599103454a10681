// The bounds of Moser & Lunglmayr 2024 as checks: each returns what it measured, the bound, and whether the bound held.
import { ValueError } from "../errors.js";
import { type QuantizerParams, lifQuantize, toleranceFloor } from "./lif_quantizer.js";
import { alexiewiczNorm } from "./norms.js";
import { SpikeTrain } from "./spike_train.js";

/** One check: the measured quantity, the bound it is compared with, and the verdict. */
export interface BoundCheck {
  measured: number;
  bound: number;
  holds: boolean;
}

const alphaOf = (p: QuantizerParams) => p.alpha ?? 0;

/** A map from an input train to an output train with the quantizer's parameters; the checks take one to test. */
export type Quantizer = (eta: SpikeTrain, p: QuantizerParams) => SpikeTrain;

/** The LIF quantizer's output train (lifQuantize): what the checks test unless given another quantizer. */
export const lifOutput: Quantizer = (eta, p) => lifQuantize(eta, p).output;

/** Quantization: ‖η − LIF(η)‖_{A,α} < ϑ (always for mod reset; often violated by subtract and zero). */
export function checkQuantization(eta: SpikeTrain, p: QuantizerParams, lif: Quantizer = lifOutput): BoundCheck {
  const measured = alexiewiczNorm(eta.sub(lif(eta, p)), alphaOf(p));
  return { measured, bound: p.threshold, holds: measured < p.threshold };
}

/** Quasi-isometry, as two checks: ‖LIF η₁ − LIF η₂‖ < ‖η₁ − η₂‖ + 2ϑ and > ‖η₁ − η₂‖ − 2ϑ. */
export function checkQuasiIsometry(eta1: SpikeTrain, eta2: SpikeTrain, p: QuantizerParams, lif: Quantizer = lifOutput): { upper: BoundCheck; lower: BoundCheck } {
  const a = alphaOf(p);
  const din = alexiewiczNorm(eta1.sub(eta2), a);
  const dout = alexiewiczNorm(lif(eta1, p).sub(lif(eta2, p)), a);
  return {
    upper: { measured: dout, bound: din + 2 * p.threshold, holds: dout < din + 2 * p.threshold },
    lower: { measured: dout, bound: din - 2 * p.threshold, holds: dout > din - 2 * p.threshold },
  };
}

/** Threshold deviation: ‖LIF_{ϑ+Δϑ}(η) − LIF_ϑ(η)‖ < 2ϑ + Δϑ. */
export function checkThresholdDeviation(eta: SpikeTrain, p: QuantizerParams, dTheta: number, lif: Quantizer = lifOutput): BoundCheck {
  if (!(Number.isFinite(dTheta) && p.threshold + dTheta > 0)) throw new ValueError("dTheta", "a finite number with ϑ + Δϑ > 0", dTheta);
  const measured = alexiewiczNorm(lif(eta, { ...p, threshold: p.threshold + dTheta }).sub(lif(eta, p)), alphaOf(p));
  const bound = 2 * p.threshold + dTheta;
  return { measured, bound, holds: measured < bound };
}

/** The smallest gap between consecutive spikes of η (Infinity for fewer than two). */
function smallestGap(eta: SpikeTrain): number {
  let gap = Infinity;
  for (let k = 1; k < eta.length; k++) gap = Math.min(gap, eta.times[k] - eta.times[k - 1]);
  return gap;
}

/** A_max + (e^{αΔt} − 1)(‖η‖ + A_max), A_max = max|a_k|: the bound on ‖η − η_Δt‖ for Δt below the smallest gap. */
function delayBound(eta: SpikeTrain, alpha: number, dt: number): number {
  const aMax = eta.maxAmplitude();
  return aMax + Math.expm1(alpha * dt) * (alexiewiczNorm(eta, alpha) + aMax);
}

/**
 * Time delay of the train itself (our reading): for Δt below the smallest gap between spikes,
 * ‖η − η_Δt‖ ≤ A_max + (e^{αΔt} − 1)(‖η‖ + A_max), A_max = max|a_k|. A property of the leaky Alexiewicz
 * norm alone: no LIF runs here, so it says nothing about a reset mode (checkDelayedOutput does).
 * Reports `applicable` (Δt small enough).
 */
export function checkTimeDelay(eta: SpikeTrain, alpha: number, dt: number): BoundCheck & { applicable: boolean } {
  if (!(Number.isFinite(dt) && dt >= 0)) throw new ValueError("dt", "a finite number >= 0", dt);
  const measured = alexiewiczNorm(eta.sub(eta.delay(dt)), alpha);
  const bound = delayBound(eta, alpha, dt);
  return { measured, bound, holds: measured <= bound * (1 + 1e-12), applicable: dt < smallestGap(eta) };
}

/**
 * Time delay through the LIF: for Δt below the smallest gap, ‖LIF(η) − LIF(η_Δt)‖ < A_max +
 * (e^{αΔt} − 1)(‖η‖ + A_max) + 2ϑ, the delay bound of the input carried through quasi-isometry. It holds for
 * mod reset; subtract and zero break it where they break quasi-isometry. Reports `applicable`.
 */
export function checkDelayedOutput(eta: SpikeTrain, p: QuantizerParams, dt: number, lif: Quantizer = lifOutput): BoundCheck & { applicable: boolean } {
  if (!(Number.isFinite(dt) && dt >= 0)) throw new ValueError("dt", "a finite number >= 0", dt);
  const alpha = alphaOf(p);
  const measured = alexiewiczNorm(lif(eta, p).sub(lif(eta.delay(dt), p)), alpha);
  const bound = delayBound(eta, alpha, dt) + 2 * p.threshold;
  return { measured, bound, holds: measured < bound, applicable: dt < smallestGap(eta) };
}

/** ‖W‖_∞: the largest absolute row sum. */
export function infinityNorm(w: readonly (readonly number[])[]): number {
  return w.reduce((m, row) => Math.max(m, row.reduce((s, v) => s + Math.abs(v), 0)), 0);
}

/** y_j = LIF(Σ_i W_ji η_i) for every output j. */
export function spikingLayer(inputs: readonly SpikeTrain[], w: readonly (readonly number[])[], p: QuantizerParams, lif: Quantizer = lifOutput): SpikeTrain[] {
  return w.map((row) => {
    if (row.length !== inputs.length) throw new ValueError("W row", `${inputs.length} weights`, row.length);
    const sum = row.reduce((acc, wji, i) => acc.add(inputs[i].scale(wji)), SpikeTrain.empty());
    return lif(sum, p);
  });
}

/**
 * Multi-layer propagation (our reading): with e_l = max_j ‖η_j − η′_j‖ over a layer's trains and mod reset,
 * e_L ≤ (Π_l ‖W_l‖_∞) e₀ + 2 Σ_l ϑ_l Π_{m>l} ‖W_m‖_∞. Runs both inputs through the layers and compares.
 * The bound is loose for every reset on random networks (subtract and zero rarely break it): it tells a
 * quantizer that amplifies differences from one that does not, not mod reset from the others.
 */
export function checkLipschitz(
  inputs: readonly SpikeTrain[],
  perturbed: readonly SpikeTrain[],
  layers: readonly { weights: readonly (readonly number[])[]; params: QuantizerParams }[],
  lif: Quantizer = lifOutput,
): BoundCheck {
  const alpha = layers.length ? alphaOf(layers[0].params) : 0;
  const err = (a: readonly SpikeTrain[], b: readonly SpikeTrain[]) => a.reduce((m, t, i) => Math.max(m, alexiewiczNorm(t.sub(b[i]), alpha)), 0);
  let bound = err(inputs, perturbed);
  let x = inputs;
  let y = perturbed;
  for (const { weights, params } of layers) {
    if (alphaOf(params) !== alpha) throw new ValueError("layers", "the same leak α in every layer", alphaOf(params));
    bound = infinityNorm(weights) * bound + 2 * params.threshold;
    x = spikingLayer(x, weights, params, lif);
    y = spikingLayer(y, weights, params, lif);
  }
  const measured = err(x, y);
  return { measured, bound, holds: measured <= bound };
}

/**
 * Sparsity (leak 0): the least ‖s‖₁ = Σ|s_k| over trains s on η's spike times with amplitudes in ϑℤ and
 * ‖η − s‖_A < ϑ, by exhaustive search (each step's residual r_k = r_{k−1} + a_k − s_k must stay in
 * (−ϑ, ϑ), which leaves at most two choices of s_k), beside the ‖·‖₁ of the mod-reset output.
 */
export function sparsityCheck(eta: SpikeTrain, threshold: number): { modL1: number; minL1: number; holds: boolean } {
  if (eta.length > 20) throw new ValueError("sparsityCheck: eta", "at most 20 spikes (exhaustive search)", eta.length);
  const mod = lifQuantize(eta, { threshold, reset: "mod" }).output;
  const modL1 = mod.amplitudes.reduce((s, a) => s + Math.abs(a), 0);
  let best = Infinity;
  const search = (k: number, r: number, l1: number): void => {
    if (l1 >= best + 1e-12) return;
    if (k === eta.length) {
      best = Math.min(best, l1);
      return;
    }
    const u = r + eta.amplitudes[k];
    const lo = toleranceFloor(u / threshold);
    for (const m of [lo - 1, lo, lo + 1]) {
      const next = u - m * threshold;
      if (Math.abs(next) < threshold * (1 - 1e-12)) search(k + 1, next, l1 + Math.abs(m) * threshold);
    }
  };
  search(0, 0, 0);
  return { modL1, minL1: best, holds: modL1 <= best + 1e-9 };
}
