// Seeded pseudo-random numbers: xoshiro128** (32-bit state words, fast in JavaScript), seeded through
// splitmix32. The full state can be saved and restored, so an interrupted run resumes the same stream.
import { ValueError } from "../errors.js";

/** Serializable generator state. */
export interface RngState {
  readonly s: readonly [number, number, number, number];
  /** Cached second normal of the last Box–Muller pair, or null. */
  readonly spare: number | null;
}

/**
 * splitmix32 from a safe-integer seed. Seeds in [0, 2³²) start from the seed itself; the high word of
 * any other seed is hashed in, so 2³² or −1 do not wrap onto 0 or 2³² − 1.
 */
function splitmix32(seed: number): () => number {
  const high = Math.floor(seed / 2 ** 32);
  let x = seed >>> 0;
  if (high !== 0) x = (x ^ Math.imul((high >>> 0) ^ (high < 0 ? 0x5bd1e995 : 0), 0x9e3779b1) ^ 0x7f4a7c15) >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Largest seed a user should pass (CLI flags, run configurations): the generator is seeded with 32
 * bits, and larger seeds only hash their high word in.
 */
export const MAX_SEED = 2 ** 32 - 1;

/** A seeded generator of uniform, normal and integer draws. */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  constructor(seed = 0) {
    if (!Number.isSafeInteger(seed)) throw new ValueError("seed", "a safe integer", seed);
    const sm = splitmix32(seed);
    // The state is kept as int32 (small integers to V8, no boxed doubles); outputs are made unsigned.
    this.s0 = sm() | 0;
    this.s1 = sm() | 0;
    this.s2 = sm() | 0;
    this.s3 = sm() | 0;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const x = Math.imul(this.s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Uniform in [0, 1) with 32 random bits. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal (Box–Muller; the second value of each pair is cached). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Exponential draw with the given rate (mean 1/rate), by inversion: −ln(1 − U)/rate. */
  exponential(rate: number): number {
    return -Math.log(1 - this.uniform()) / rate;
  }

  /**
   * Poisson draw with mean `lambda` (≥ 0): by inversion for λ < 10 (multiplying uniforms until the
   * product falls below e^−λ), else by Hörmann's transformed rejection with squeeze (PTRS, 1993; as numpy
   * draws it), which takes about 1.1 pairs of uniforms whatever λ is.
   */
  poisson(lambda: number): number {
    if (!(lambda >= 0 && Number.isFinite(lambda))) throw new ValueError("lambda", "a finite number >= 0", lambda);
    if (lambda < 10) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let product = this.uniform();
      while (product > limit) {
        k++;
        product *= this.uniform();
      }
      return k;
    }
    const slam = Math.sqrt(lambda);
    const loglam = Math.log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.uniform() - 0.5;
      const v = this.uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logGamma(k + 1)) return k;
    }
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new ValueError("n", "a positive integer", n);
    return Math.floor(this.uniform() * n);
  }

  /** Copy of the state. */
  getState(): RngState {
    return { s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0], spare: this.spare };
  }

  /** Restores a state from getState(). */
  setState(state: RngState): void {
    const [a, b, c, d] = state.s;
    if (![a, b, c, d].every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32) || (a | b | c | d) === 0) {
      throw new ValueError("rng state", "four 32-bit unsigned integers, not all zero", state.s);
    }
    this.s0 = a | 0;
    this.s1 = b | 0;
    this.s2 = c | 0;
    this.s3 = d | 0;
    this.spare = state.spare;
  }
}


let globalRng = new Rng(0);

/** The global generator used when no generator is passed. */
export function defaultRng(): Rng {
  return globalRng;
}

/** Reseeds the global generator. */
export function manualSeed(seed: number): void {
  globalRng = new Rng(seed);
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, nine terms: relative error below 1e-15). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const z = x - 1;
  let sum = c[0];
  for (let i = 1; i < 9; i++) sum += c[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}
