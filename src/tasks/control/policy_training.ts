// What the two trainers of the spiking policy share: checked settings, the initial parameters and
// generator, and the Adam step on the flat parameter vector.
import { type PolicyShape, policySize } from "../../control/spiking_policy.js";
import { ValueError } from "../../errors.js";
import { MAX_SEED, Rng, type RngState } from "../../random/rng.js";

/** Adam's moments and step count for a flat parameter vector. */
export interface AdamState {
  m: Float32Array;
  v: Float32Array;
  t: number;
}

/** Checks a trainer's settings: integers in [1, max], positive numbers up to 1e6, and the seed. */
export function checkSettings<C extends { seed: number }>(c: C, integers: readonly [keyof C & string, number][], positives: readonly (keyof C & string)[]): C {
  const value = (name: keyof C & string) => c[name] as unknown as number;
  for (const [name, max] of integers)
    if (!(Number.isInteger(value(name)) && value(name) >= 1 && value(name) <= max)) throw new ValueError(name, `an integer in [1, ${max}]`, value(name));
  for (const name of positives)
    if (!(Number.isFinite(value(name)) && value(name) > 0 && value(name) <= 1e6)) throw new ValueError(name, "a number in (0, 1e6]", value(name));
  if (!(Number.isInteger(c.seed) && c.seed >= 0 && c.seed <= MAX_SEED)) throw new ValueError("seed", `an integer in [0, ${MAX_SEED}]`, c.seed);
  return c;
}

/** Checks an optional observation noise σ of the cart-pole (in [0, 1000]). */
export function checkObservationNoise(sigma: number | undefined): void {
  if (sigma !== undefined && !(Number.isFinite(sigma) && sigma >= 0 && sigma <= 1e3)) throw new ValueError("observationNoise", "a number in [0, 1000]", sigma);
}

/** Parameters scale·N(0, 1) from Rng(seed), fresh Adam moments, and the generator's state after the draws. */
export function initialPolicy(shape: PolicyShape, scale: number, seed: number): { params: Float32Array; adam: AdamState; rng: RngState } {
  const rng = new Rng(seed);
  const n = policySize(shape);
  const params = Float32Array.from({ length: n }, () => scale * rng.normal());
  return { params, adam: { m: new Float32Array(n), v: new Float32Array(n), t: 0 }, rng: rng.getState() };
}

/** One Adam step (β 0.9, 0.999, ε 1e-8) along `direction`: +1 ascends the gradient (ES), −1 descends it (PG). */
export function adamStep(params: Float32Array, adam: AdamState, grad: ArrayLike<number>, lr: number, direction: 1 | -1): void {
  adam.t++;
  for (let j = 0; j < params.length; j++) {
    adam.m[j] = 0.9 * adam.m[j] + 0.1 * grad[j];
    adam.v[j] = 0.999 * adam.v[j] + 0.001 * grad[j] * grad[j];
    const mh = adam.m[j] / (1 - 0.9 ** adam.t);
    const vh = adam.v[j] / (1 - 0.999 ** adam.t);
    params[j] += (direction * lr * mh) / (Math.sqrt(vh) + 1e-8);
  }
}
