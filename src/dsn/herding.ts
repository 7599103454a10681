// Herding quantizers (sigma-delta modulators), the neurons of Deep Spiking Networks (O'Connor & Welling
// 2016). Each unit keeps a state φ; a step adds the input, φ += x, and the unit emits a spike while
// φ > ½ (φ −= 1); a signed herder also emits a negative spike while φ < −½ (φ += 1). Over T steps of a
// constant input x the count N of a signed herder started at 0 satisfies |T·x − N| ≤ ½; a rectified
// herder emits N = max(0, ⌈T·x − ½⌉), so N/T → ReLU(x). Spikes of one step go out in order of |φ|.
import { herdInto } from "../backend/kernels/herding.js";
import { LimitError, ValueError } from "../errors.js";
import type { Rng } from "../random/rng.js";

/** How a herder's state starts each sample: at 0, carried over from the last sample, or drawn from U(−½, ½). */
export const HERDER_STARTS = ["reset", "noreset", "random-shift"] as const;
/** How a herder's state starts each sample. */
export type HerderStart = (typeof HERDER_STARTS)[number];

/** A herder's kind: signed (positive and negative spikes) or rectified (positive only, a ReLU). */
export interface HerderKind {
  signed: boolean;
}

/** The most spikes one herding step of a HerdingQuantizer or herdingStep may emit. */
const MAX_STEP_SPIKES = 1 << 24;

/** The spikes of one step, as codes (unit u ≥ 0 positive, ~u negative), in order of emission. */
export type SpikeCodes = Int32Array;

function checkInput(x: ArrayLike<number>, size: number, what: string): void {
  if (x.length !== size) throw new ValueError(what, `${size} values`, `${x.length} values`);
  for (let i = 0; i < x.length; i++)
    if (!Number.isFinite(x[i])) throw new ValueError(`${what}[${i}]`, "a finite number", x[i]);
}

/**
 * One herding step as a pure function: returns the new state φ′ = herd(φ + x) and the spikes emitted, in
 * order of |φ| (ties: lower unit first). φ is not modified.
 */
export function herdingStep(phi: ArrayLike<number>, x: ArrayLike<number>, kind: HerderKind): { phi: Float64Array; spikes: SpikeCodes } {
  checkInput(x, phi.length, "x");
  const next = Float64Array.from(phi, (v, i) => v + x[i]);
  let owed = 0;
  for (const v of next) owed += Math.max(0, Math.ceil(Math.abs(v) - 0.5));
  if (owed > MAX_STEP_SPIKES) throw new LimitError("spikes per step", `the inputs ask for ${owed} spikes in one step (at most ${MAX_STEP_SPIKES}); scale the input down`);
  const out = new Int32Array(owed);
  const n = herdInto(next, kind.signed, null, out, 0);
  return { phi: next, spikes: out.subarray(0, n) };
}

/** Spike counts per unit over `steps` steps of a constant input x, from φ = phi0 (default 0). */
export function herdCounts(x: ArrayLike<number>, steps: number, kind: HerderKind, phi0?: ArrayLike<number>): Int32Array {
  if (!Number.isInteger(steps) || steps < 0) throw new ValueError("steps", "a non-negative integer", steps);
  let phi: ArrayLike<number> = phi0 ?? new Float64Array(x.length);
  const counts = new Int32Array(x.length);
  for (let t = 0; t < steps; t++) {
    const step = herdingStep(phi, x, kind);
    for (const code of step.spikes) counts[code >= 0 ? code : ~code] += code >= 0 ? 1 : -1;
    phi = step.phi;
  }
  return counts;
}

/** Options of a HerdingQuantizer. */
export interface HerdingQuantizerOptions extends HerderKind {
  /** How φ starts each sample (default "reset"). */
  start?: HerderStart;
  /** The generator of "random-shift" starts. */
  rng?: Rng;
}

/** A herder with its state: `startSample()` applies the start mode, `step(x)` herds one input. */
export class HerdingQuantizer {
  readonly signed: boolean;
  readonly start: HerderStart;
  private phi: Float64Array;
  private readonly rng: Rng | null;

  constructor(
    readonly size: number,
    options: HerdingQuantizerOptions,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new ValueError("size", "a positive integer", size);
    this.signed = options.signed;
    this.start = options.start ?? "reset";
    if (!HERDER_STARTS.includes(this.start)) throw new ValueError("start", HERDER_STARTS.join(", "), this.start);
    if (this.start === "random-shift" && !options.rng) throw new ValueError("rng", "a generator for random-shift starts", options.rng);
    this.rng = options.rng ?? null;
    this.phi = new Float64Array(size);
    this.startSample();
  }

  /** The current state φ (a copy). */
  get state(): Float64Array {
    return Float64Array.from(this.phi);
  }

  /** Starts a sample: φ ← 0 (reset), kept (noreset) or drawn from U(−½, ½) (random-shift). */
  startSample(): void {
    if (this.start === "reset") this.phi.fill(0);
    else if (this.start === "random-shift") for (let i = 0; i < this.size; i++) this.phi[i] = this.rng!.uniform() - 0.5;
  }

  /** Adds x and returns the spikes of this step. */
  step(x: ArrayLike<number>): SpikeCodes {
    const { phi, spikes } = herdingStep(this.phi, x, this);
    this.phi = phi;
    return spikes;
  }
}
