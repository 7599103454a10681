// Perturbations of a batch of inputs x [B, ...] for robustness tests: random noise, salt-and-pepper, and
// white-box attacks that follow the gradient of the loss. None clips to a valid range, so each changes
// the input by exactly its stated strength (the caller clips where an encoder needs it).
import { ValueError } from "../errors.js";
import type { Rng } from "../random/rng.js";
import { tensor } from "../tensor/creation.js";
import type { Tensor } from "../tensor/tensor.js";

/** dL/dx for a batch x (the loss summed or averaged over the batch: only the direction per image matters). */
export type InputGradient = (x: Tensor) => Float32Array;

function checkStrength(name: string, v: number, max: number): void {
  if (!(Number.isFinite(v) && v >= 0 && v <= max)) throw new ValueError(name, `a number in [0, ${max}]`, v);
}

/** Images per batch and values per image of x [B, ...]. */
function perImage(x: Tensor): [number, number] {
  if (x.rank < 1 || x.shape[0] === 0) throw new ValueError("x", "a batch [B, ...] with B ≥ 1", `shape [${x.shape.join(", ")}]`);
  return [x.shape[0], x.size / x.shape[0]];
}

/** x + σ·n, n ~ N(0, 1) per value. */
export function additiveNoise(x: Tensor, sigma: number, rng: Rng): Tensor {
  checkStrength("sigma", sigma, 1e3);
  return tensor(x.dataFloat32().map((v) => v + sigma * rng.normal()), x.shape);
}

/** x·(1 + σ·n), n ~ N(0, 1) per value. */
export function multiplicativeNoise(x: Tensor, sigma: number, rng: Rng): Tensor {
  checkStrength("sigma", sigma, 1e3);
  return tensor(x.dataFloat32().map((v) => v * (1 + sigma * rng.normal())), x.shape);
}

/** k distinct indices of [0, n), uniformly (partial Fisher–Yates); `pool` holds the candidates and is shuffled in place. */
export function chooseDistinct(pool: Int32Array, k: number, rng: Rng): Int32Array {
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(pool.length - i);
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.subarray(0, k);
}

/** Salt and pepper: in every image exactly round(α·n) of its n values become 0 or 1 (each with probability ½). */
export function saltAndPepper(x: Tensor, alpha: number, rng: Rng): Tensor {
  checkStrength("alpha", alpha, 1);
  const [B, n] = perImage(x);
  const out = x.dataFloat32(); // a copy of x's values
  const k = Math.round(alpha * n);
  const pool = new Int32Array(n);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < n; i++) pool[i] = i;
    for (const i of chooseDistinct(pool, k, rng)) out[b * n + i] = rng.uniform() < 0.5 ? 0 : 1;
  }
  return tensor(out, x.shape);
}

/** FGSM (Goodfellow et al. 2015): x + ε·sign(∇ₓL). Every value moves by exactly ε (or 0 where the gradient is 0). */
export function fgsm(x: Tensor, epsilon: number, gradient: InputGradient): Tensor {
  checkStrength("epsilon", epsilon, 1e3);
  const g = gradient(x);
  return tensor(x.dataFloat32().map((v, i) => v + epsilon * Math.sign(g[i])), x.shape);
}

/** Options of the L2-sphere attack (defaults: Ma, Yan & Tang 2023, 30 Adam steps at lr 0.002). */
export interface SphereAttackOptions {
  steps?: number;
  lr?: number;
  rng: Rng;
}

/** Scales each image's δ to ‖δ_b‖₂ = γ (a zero δ_b gets a random direction). */
function projectToSphere(delta: Float32Array, B: number, n: number, gamma: number, rng: Rng): void {
  for (let b = 0; b < B; b++) {
    const d = delta.subarray(b * n, (b + 1) * n);
    let norm = 0;
    for (const v of d) norm += v * v;
    norm = Math.sqrt(norm);
    if (norm === 0) {
      for (let i = 0; i < n; i++) d[i] = rng.normal();
      norm = Math.sqrt(d.reduce((s, v) => s + v * v, 0));
    }
    for (let i = 0; i < n; i++) d[i] *= gamma / norm;
  }
}

/**
 * The attack on the L2 sphere: δ with ‖δ_b‖₂ = γ for every image b, from a random direction, moved by
 * `steps` Adam steps (β₁ 0.9, β₂ 0.999) up the loss and projected back onto the sphere after each;
 * returns x + δ.
 */
export function sphereAttack(x: Tensor, gamma: number, gradient: InputGradient, options: SphereAttackOptions): Tensor {
  checkStrength("gamma", gamma, 1e4);
  const steps = options.steps ?? 30;
  const lr = options.lr ?? 0.002;
  if (!(Number.isInteger(steps) && steps >= 0 && steps <= 10_000)) throw new ValueError("steps", "an integer in [0, 10000]", steps);
  if (!(Number.isFinite(lr) && lr > 0)) throw new ValueError("lr", "a number > 0", lr);
  const [B, n] = perImage(x);
  const base = x.dataFloat32();
  const delta = new Float32Array(base.length);
  if (gamma === 0) return tensor(base, x.shape);
  projectToSphere(delta, B, n, gamma, options.rng);
  const m = new Float64Array(base.length);
  const v = new Float64Array(base.length);
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  for (let t = 1; t <= steps; t++) {
    const g = gradient(tensor(base.map((value, i) => value + delta[i]), x.shape));
    for (let i = 0; i < base.length; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      const mh = m[i] / (1 - b1 ** t);
      const vh = v[i] / (1 - b2 ** t);
      delta[i] += (lr * mh) / (Math.sqrt(vh) + eps);
    }
    projectToSphere(delta, B, n, gamma, options.rng);
  }
  return tensor(base.map((value, i) => value + delta[i]), x.shape);
}
