// Continuous-time spike trains η = Σ_k a_k δ(t − t_k): exact times (float64) and real amplitudes.
import { ValueError } from "../errors.js";
import type { Rng } from "../random/rng.js";

/** Options of SpikeTrain.from. */
export interface SpikeTrainOptions {
  /** Sort unsorted times (stable) and merge equal times by adding amplitudes, instead of rejecting them (default false). */
  sort?: boolean;
}

/**
 * A spike train with strictly increasing, finite times and finite real amplitudes (a "weighted" spike;
 * an ordinary spike has amplitude 1). Immutable: every operation returns a new train.
 */
export class SpikeTrain {
  private constructor(
    readonly times: Float64Array,
    readonly amplitudes: Float64Array,
  ) {}

  /**
   * A train from times and amplitudes (default all 1). NaN or ±Infinity is rejected; unsorted or repeated
   * times are rejected unless `sort`, which sorts them and adds the amplitudes of equal times.
   */
  static from(times: ArrayLike<number>, amplitudes?: ArrayLike<number>, options: SpikeTrainOptions = {}): SpikeTrain {
    const n = times.length;
    if (amplitudes && amplitudes.length !== n)
      throw new ValueError("SpikeTrain: amplitudes", `${n} amplitudes (one per time)`, amplitudes.length);
    for (let k = 0; k < n; k++) {
      if (!Number.isFinite(times[k])) throw new ValueError(`SpikeTrain: times[${k}]`, "a finite number", times[k]);
      if (amplitudes && !Number.isFinite(amplitudes[k]))
        throw new ValueError(`SpikeTrain: amplitudes[${k}]`, "a finite number", amplitudes[k]);
    }
    const amp = (k: number) => (amplitudes ? amplitudes[k] : 1);
    if (!options.sort) {
      for (let k = 1; k < n; k++)
        if (!(times[k] > times[k - 1]))
          throw new ValueError(`SpikeTrain: times[${k}]`, `a time after times[${k - 1}] = ${times[k - 1]} (strictly increasing; pass { sort: true } to sort)`, times[k]);
      return new SpikeTrain(Float64Array.from(times), Float64Array.from({ length: n }, (_, k) => amp(k)));
    }
    // Array.prototype.sort is stable, so equal times keep their order and add left to right.
    const order = Array.from({ length: n }, (_, k) => k).sort((i, j) => times[i] - times[j]);
    const t: number[] = [];
    const a: number[] = [];
    for (const k of order) {
      if (t.length && t[t.length - 1] === times[k]) a[a.length - 1] += amp(k);
      else {
        t.push(times[k]);
        a.push(amp(k));
      }
    }
    return new SpikeTrain(Float64Array.from(t), Float64Array.from(a));
  }

  /** The empty train. */
  static empty(): SpikeTrain {
    return new SpikeTrain(new Float64Array(0), new Float64Array(0));
  }

  /** Spikes at t₀ + i·dt for every nonzero raster[i], with the raster value as amplitude. */
  static fromRaster(raster: ArrayLike<number>, dt: number, t0 = 0): SpikeTrain {
    if (!(Number.isFinite(dt) && dt > 0)) throw new ValueError("SpikeTrain.fromRaster: dt", "a finite number > 0", dt);
    const t: number[] = [];
    const a: number[] = [];
    for (let i = 0; i < raster.length; i++) {
      if (!Number.isFinite(raster[i])) throw new ValueError(`SpikeTrain.fromRaster: raster[${i}]`, "a finite number", raster[i]);
      if (raster[i] !== 0) {
        t.push(t0 + i * dt);
        a.push(raster[i]);
      }
    }
    return new SpikeTrain(Float64Array.from(t), Float64Array.from(a));
  }

  /** A homogeneous Poisson train of the given rate (per unit time) on [0, duration): exponential gaps. */
  static poisson(rate: number, duration: number, rng: Rng, amplitude = 1): SpikeTrain {
    if (!(Number.isFinite(rate) && rate >= 0)) throw new ValueError("SpikeTrain.poisson: rate", "a finite number >= 0", rate);
    if (!(Number.isFinite(duration) && duration >= 0)) throw new ValueError("SpikeTrain.poisson: duration", "a finite number >= 0", duration);
    const t: number[] = [];
    let s = 0;
    while (rate > 0) {
      s += rng.exponential(rate);
      if (s >= duration) break;
      if (t.length === 0 || s > t[t.length - 1]) t.push(s);
    }
    return new SpikeTrain(Float64Array.from(t), new Float64Array(t.length).fill(amplitude));
  }

  /** Number of spikes. */
  get length(): number {
    return this.times.length;
  }

  /** η + ζ: the times merged, amplitudes added where times are equal (zeros kept unless `dropZeros`). */
  add(other: SpikeTrain, dropZeros = false): SpikeTrain {
    const t: number[] = [];
    const a: number[] = [];
    let i = 0;
    let j = 0;
    while (i < this.length || j < other.length) {
      const ti = i < this.length ? this.times[i] : Infinity;
      const tj = j < other.length ? other.times[j] : Infinity;
      if (ti === tj) {
        t.push(ti);
        a.push(this.amplitudes[i++] + other.amplitudes[j++]);
      } else if (ti < tj) {
        t.push(ti);
        a.push(this.amplitudes[i++]);
      } else {
        t.push(tj);
        a.push(other.amplitudes[j++]);
      }
    }
    const out = new SpikeTrain(Float64Array.from(t), Float64Array.from(a));
    return dropZeros ? out.dropZeros() : out;
  }

  /** η − ζ. */
  sub(other: SpikeTrain, dropZeros = false): SpikeTrain {
    return this.add(other.scale(-1), dropZeros);
  }

  /** c·η. */
  scale(c: number): SpikeTrain {
    if (!Number.isFinite(c)) throw new ValueError("SpikeTrain.scale: c", "a finite number", c);
    return new SpikeTrain(this.times.slice(), this.amplitudes.map((a) => a * c));
  }

  /** η(t − d): every spike moved later by d. */
  delay(d: number): SpikeTrain {
    if (!Number.isFinite(d)) throw new ValueError("SpikeTrain.delay: d", "a finite number", d);
    return new SpikeTrain(this.times.map((t) => t + d), this.amplitudes.slice());
  }

  /** The spikes with t₀ ≤ t < t₁. */
  window(t0: number, t1: number): SpikeTrain {
    const keep = Array.from(this.times.keys()).filter((k) => this.times[k] >= t0 && this.times[k] < t1);
    return new SpikeTrain(Float64Array.from(keep, (k) => this.times[k]), Float64Array.from(keep, (k) => this.amplitudes[k]));
  }

  /** The train without zero-amplitude spikes. */
  dropZeros(): SpikeTrain {
    const keep = Array.from(this.times.keys()).filter((k) => this.amplitudes[k] !== 0);
    return new SpikeTrain(Float64Array.from(keep, (k) => this.times[k]), Float64Array.from(keep, (k) => this.amplitudes[k]));
  }

  /** Largest |a_k| (0 for the empty train). */
  maxAmplitude(): number {
    return this.amplitudes.reduce((m, a) => Math.max(m, Math.abs(a)), 0);
  }
}
