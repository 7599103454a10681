// The Alexiewicz norm and its leaky form, plus the usual spike-train distances (van Rossum, Victor–Purpura).
import { ValueError } from "../errors.js";
import type { SpikeTrain } from "./spike_train.js";

function checkAlpha(alpha: number): number {
  if (!(Number.isFinite(alpha) && alpha >= 0)) throw new ValueError("alpha", "a finite number >= 0", alpha);
  return alpha;
}

/**
 * Leaky Alexiewicz norm ‖η‖_{A,α} = max_k |Σ_{i≤k} e^{−α(t_k − t_i)} a_i|, computed by the recurrence
 * s_k = e^{−α(t_k − t_{k−1})} s_{k−1} + a_k; α = 0 gives ‖η‖_A = max_k |Σ_{i≤k} a_i|. Empty train: 0.
 */
export function alexiewiczNorm(eta: SpikeTrain, alpha = 0): number {
  checkAlpha(alpha);
  let s = 0;
  let best = 0;
  for (let k = 0; k < eta.length; k++) {
    s = (k > 0 && alpha > 0 ? Math.exp(-alpha * (eta.times[k] - eta.times[k - 1])) * s : s) + eta.amplitudes[k];
    best = Math.max(best, Math.abs(s));
  }
  return best;
}

/**
 * Continuous form for a signal f sampled every dt (held constant over each sample interval):
 * sup_t |∫₀ᵗ e^{−α(t−s)} f(s) ds|. With f constant on a step the integral is monotone there, so the sup is
 * taken at the step ends: I ← e^{−α dt} I + f_i (1 − e^{−α dt})/α (f_i·dt when α = 0).
 */
export function alexiewiczNormSampled(f: ArrayLike<number>, dt: number, alpha = 0): number {
  checkAlpha(alpha);
  if (!(Number.isFinite(dt) && dt > 0)) throw new ValueError("dt", "a finite number > 0", dt);
  const decay = Math.exp(-alpha * dt);
  const gain = alpha > 0 ? -Math.expm1(-alpha * dt) / alpha : dt;
  let I = 0;
  let best = 0;
  for (let i = 0; i < f.length; i++) {
    if (!Number.isFinite(f[i])) throw new ValueError(`f[${i}]`, "a finite number", f[i]);
    I = decay * I + f[i] * gain;
    best = Math.max(best, Math.abs(I));
  }
  return best;
}

/**
 * van Rossum distance with time constant τ: D² = (1/τ)∫(Σ_k c_k e^{−(t−t_k)/τ} H(t − t_k))² dt over the
 * difference η − ζ (amplitudes c_k), in closed form D² = ½ Σ_{i,j} c_i c_j e^{−|t_i − t_j|/τ}.
 */
export function vanRossumDistance(eta: SpikeTrain, zeta: SpikeTrain, tau: number): number {
  if (!(Number.isFinite(tau) && tau > 0)) throw new ValueError("tau", "a finite number > 0", tau);
  const d = eta.sub(zeta);
  // Σ_{i,j} c_i c_j e^{−|t_i−t_j|/τ} = Σ_i c_i² + 2 Σ_i c_i Σ_{j<i} c_j e^{−(t_i−t_j)/τ}, the inner sum by recurrence.
  let acc = 0;
  let prefix = 0;
  for (let k = 0; k < d.length; k++) {
    if (k > 0) prefix *= Math.exp(-(d.times[k] - d.times[k - 1]) / tau);
    const c = d.amplitudes[k];
    acc += c * c + 2 * c * prefix;
    prefix += c;
  }
  return Math.sqrt(Math.max(0.5 * acc, 0));
}

/**
 * Victor–Purpura distance D^spike[q] between the spike times of two trains (amplitudes ignored): the least
 * cost of turning one into the other with deletions and insertions (cost 1 each) and shifts (cost q·|Δt|).
 */
export function victorPurpuraDistance(eta: SpikeTrain, zeta: SpikeTrain, q: number): number {
  if (!(Number.isFinite(q) && q >= 0)) throw new ValueError("q", "a finite number >= 0", q);
  const n = eta.length;
  const m = zeta.length;
  let prev = Float64Array.from({ length: m + 1 }, (_, j) => j);
  for (let i = 1; i <= n; i++) {
    const cur = new Float64Array(m + 1);
    cur[0] = i;
    for (let j = 1; j <= m; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + q * Math.abs(eta.times[i - 1] - zeta.times[j - 1]));
    prev = cur;
  }
  return prev[m];
}
