// Spike encoders: analog data [B, ...] (values in [0, 1]) to spike trains [T, B, ...].
import { ValueError } from "../errors.js";
import { defaultRng, type Rng } from "../random/rng.js";
import { bernoulli, tensor } from "../tensor/creation.js";
import { broadcastTo } from "../tensor/ops/reduce.js";
import { reshape } from "../tensor/ops/shape_ops.js";
import type { Tensor } from "../tensor/tensor.js";

function checkSteps(op: string, T: number): void {
  if (!Number.isInteger(T) || T < 1) throw new ValueError(`${op}: steps`, "a positive integer", T);
}

function checkUnit(op: string, v: Float32Array): void {
  for (let i = 0; i < v.length; i++)
    if (!(v[i] >= 0 && v[i] <= 1)) throw new ValueError(`${op}: x`, `values in [0, 1] (index ${i})`, v[i]);
}

/** Rate coding: s[t] ~ Bernoulli(x) independently at each of T steps. */
export function rateEncode(x: Tensor, steps: number, rng: Rng = defaultRng()): Tensor {
  checkSteps("rateEncode", steps);
  checkUnit("rateEncode", x.dataFloat32());
  const probs = broadcastTo(reshape(x, [1, ...x.shape]), [steps, ...x.shape]);
  const s = bernoulli(probs, undefined, { rng });
  probs.dispose();
  return s;
}

/** Options of latency coding. */
export interface LatencyOptions {
  /** "linear" (default): t = (1 − x)(T − 1); "log": t = τ·ln(x / (x − θ)) steps, clipped to T − 1. */
  mode?: "linear" | "log";
  /** log mode: RC time constant τ in steps (default 5). */
  tau?: number;
  /** Inputs at or below θ never spike (default 0.01 in log mode; 0 in linear mode). */
  threshold?: number;
}

/**
 * Time-to-first-spike coding: one spike per input above θ, earlier for larger x (snnTorch's `latency`).
 * Linear: t = round((1 − x)(T − 1)). Log (an RC circuit charged by current x reaches θ at
 * t = τ ln(x/(x − θ))): t = round(min(τ ln(x/(x − θ)), T − 1)).
 */
export function latencyEncode(x: Tensor, steps: number, options: LatencyOptions = {}): Tensor {
  checkSteps("latencyEncode", steps);
  const v = x.dataFloat32();
  checkUnit("latencyEncode", v);
  const mode = options.mode ?? "linear";
  if (mode !== "linear" && mode !== "log") throw new ValueError("latencyEncode: mode", `"linear" or "log"`, mode);
  const thr = options.threshold ?? (mode === "log" ? 0.01 : 0);
  const tau = options.tau ?? 5;
  if (!(thr >= 0 && thr < 1)) throw new ValueError("latencyEncode: threshold", "a number in [0, 1)", thr);
  if (!(tau > 0)) throw new ValueError("latencyEncode: tau", "a number > 0", tau);
  const P = v.length;
  const out = new Float32Array(steps * P);
  for (let i = 0; i < P; i++) {
    const xi = v[i];
    if (!(xi > thr)) continue;
    const t = mode === "linear" ? (1 - xi) * (steps - 1) : Math.min(tau * Math.log(xi / (xi - thr)), steps - 1);
    out[Math.round(t) * P + i] = 1;
  }
  return tensor(out, [steps, ...x.shape]);
}

/**
 * Delta modulation of a sequence x [T, B, ...]: +1 where x[t] − x[t−1] ≥ θ, −1 where it is ≤ −θ (when
 * `offSpikes`), else 0; the first step compares with x[0] itself (no spike) unless `fromZero`.
 */
export function deltaEncode(
  x: Tensor,
  options: { threshold?: number; offSpikes?: boolean; fromZero?: boolean } = {},
): Tensor {
  const thr = options.threshold ?? 0.1;
  if (!(thr > 0)) throw new ValueError("deltaEncode: threshold", "a number > 0", thr);
  if (x.rank < 2) throw new ValueError("deltaEncode: x", "a sequence [T, ...]", x.shape);
  const v = x.dataFloat32();
  const T = x.shape[0];
  const P = v.length / T;
  const out = new Float32Array(v.length);
  for (let t = 0; t < T; t++)
    for (let i = 0; i < P; i++) {
      const prev = t > 0 ? v[(t - 1) * P + i] : options.fromZero ? 0 : v[i];
      const d = v[t * P + i] - prev;
      if (d >= thr) out[t * P + i] = 1;
      else if (options.offSpikes && d <= -thr) out[t * P + i] = -1;
    }
  return tensor(out, x.shape);
}

/** Direct (analog) coding: the same input current x at every step, [T, B, ...]. */
export function directEncode(x: Tensor, steps: number): Tensor {
  checkSteps("directEncode", steps);
  return broadcastTo(reshape(x, [1, ...x.shape]), [steps, ...x.shape]);
}
