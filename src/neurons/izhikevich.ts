// The Izhikevich neuron (Izhikevich 2003): a quadratic membrane v and a recovery variable u, reset when v
// passes its peak; the 2004 paper's firing patterns come from four parameters. Pure step, time loop, layer.
import { checkedNumber, ValueError } from "../errors.js";
import { full } from "../tensor/creation.js";
import { add, mul, sub } from "../tensor/ops/elementwise.js";
import type { Tensor } from "../tensor/tensor.js";
import { type NeuronRun, type NeuronState, SpikingNeuron } from "./neuron.js";
import { builtinSurrogate, isCustomSurrogate, type NeuronSurrogate, spikeFunction } from "./spike_function.js";
import { timeLoop } from "./time_loop.js";

/** The four parameters of a firing pattern (Izhikevich 2003, 2004): u's rate a, its coupling b, the reset c of v (mV), the jump d of u. */
export interface IzhikevichPattern {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  /** The resting v (mV) the pattern starts from (u starts at b·v). */
  readonly vRest: number;
}

/**
 * Firing patterns of Izhikevich (2004) with Norse's presets' names and values: tonic (regular) spiking,
 * phasic spiking, tonic bursting, mixed mode, spike-frequency adaptation, class 2 excitability.
 */
export const IZHIKEVICH_PATTERNS = {
  tonic_spiking: { a: 0.02, b: 0.2, c: -65, d: 6, vRest: -70 },
  phasic_spiking: { a: 0.02, b: 0.25, c: -65, d: 6, vRest: -64 },
  tonic_bursting: { a: 0.02, b: 0.2, c: -50, d: 2, vRest: -70 },
  mixed_mode: { a: 0.02, b: 0.2, c: -55, d: 4, vRest: -70 },
  spike_frequency_adaptation: { a: 0.01, b: 0.2, c: -65, d: 8, vRest: -70 },
  class_2_excitable: { a: 0.2, b: 0.26, c: -65, d: 0, vRest: -64 },
} as const satisfies Record<string, IzhikevichPattern>;
/** A firing pattern's name. */
export type IzhikevichPatternName = keyof typeof IZHIKEVICH_PATTERNS;

/** Options of the Izhikevich neuron. */
export interface IzhikevichOptions {
  /** A named pattern (default tonic_spiking), or its four parameters and resting potential. */
  pattern?: IzhikevichPatternName | IzhikevichPattern;
  /** Length of one step h in ms (default 0.25: Norse's dt = 1 ms·τ_inv·10⁻³ with τ_inv = 250). */
  stepMs?: number;
  /** Peak (mV) above which the neuron spikes and resets (default 30). */
  peak?: number;
  /** Surrogate of H′ for gradients (default fast_sigmoid); the model is meant for simulation. */
  surrogate?: NeuronSurrogate;
}

/** Validated parameters. */
export interface IzhikevichParams extends IzhikevichPattern {
  readonly stepMs: number;
  readonly peak: number;
  readonly surrogate: NeuronSurrogate;
}

/** Checks the options once; a ValueError names the option. */
export function izhikevichParams(o: IzhikevichOptions = {}, where = "Izhikevich"): IzhikevichParams {
  const name = o.pattern ?? "tonic_spiking";
  let pattern: IzhikevichPattern;
  if (typeof name === "string") {
    if (!Object.hasOwn(IZHIKEVICH_PATTERNS, name)) throw new ValueError(`${where}: pattern`, Object.keys(IZHIKEVICH_PATTERNS).join(" | "), name);
    pattern = IZHIKEVICH_PATTERNS[name];
  } else pattern = name;
  const finite = (field: keyof IzhikevichPattern) => checkedNumber(`${where}: pattern.${field}`, pattern[field], (v) => Number.isFinite(v) && Math.abs(v) <= 1e6, "a finite number of magnitude ≤ 1e6");
  const surrogate = o.surrogate ?? "fast_sigmoid";
  if (!isCustomSurrogate(surrogate)) builtinSurrogate(surrogate);
  return {
    a: finite("a"),
    b: finite("b"),
    c: finite("c"),
    d: finite("d"),
    vRest: finite("vRest"),
    stepMs: checkedNumber(`${where}: stepMs`, o.stepMs ?? 0.25, (h) => h > 0 && h <= 1, "a step in (0, 1] ms (the quadratic membrane diverges on longer Euler steps)"),
    peak: checkedNumber(`${where}: peak`, o.peak ?? 30, (v) => Number.isFinite(v) && v > pattern.c, "a finite number above the reset c"),
    surrogate,
  };
}

/** The state between steps: membrane v (mV) and recovery u. */
export interface IzhikevichState {
  v: Tensor;
  u: Tensor;
}

/**
 * One forward-Euler step of length h (ms) with input current I (in the model's units, mV/ms):
 *   v′ = v + h·(0.04·v² + 5·v + 140 − u + I)
 *   u′ = u + h·a·(b·v − u)
 *   s = H(v′ − v_peak);   v ← (1 − s)·v′ + s·c;   u ← u′ + s·d
 * (Norse's izhikevich_feed_forward_step with h = τ_inv·dt, and Brian2's Euler step of the same equations.)
 */
export function izhikevichStep(input: Tensor, state: IzhikevichState, p: IzhikevichParams): { spikes: Tensor; membrane: Tensor; state: IzhikevichState } {
  const { v, u } = state;
  const dv = add(sub(add(add(mul(mul(v, v), 0.04), mul(v, 5)), 140), u), input);
  const v1 = add(v, mul(dv, p.stepMs));
  const u1 = add(u, mul(sub(mul(v, p.b), u), p.stepMs * p.a));
  const s = spikeFunction(sub(v1, p.peak), p.surrogate);
  const vNext = add(mul(v1, sub(1, s)), mul(s, p.c));
  const uNext = add(u1, mul(s, p.d));
  return { spikes: s, membrane: vNext, state: { v: vNext, u: uNext } };
}

/** Runs izhikevichStep over input [T, ...] from `state` (default: v = v_rest, u = b·v_rest). */
export function izhikevich(input: Tensor, p: IzhikevichParams, state: Partial<IzhikevichState> | null = null): { spikes: Tensor; membrane: Tensor; final: IzhikevichState } {
  const stepShape = input.shape.slice(1);
  const start = {
    v: state?.v ?? full(stepShape, p.vRest, { backend: input.backend }),
    u: state?.u ?? full(stepShape, p.b * p.vRest, { backend: input.backend }),
  };
  return timeLoop("Izhikevich", input, start, (x, s) => izhikevichStep(x, s, p));
}

/** A layer of Izhikevich neurons (izhikevichStep); membrane in mV; state { v, u }. */
export class Izhikevich extends SpikingNeuron {
  override readonly kind: string = "Izhikevich";
  readonly params: IzhikevichParams;

  constructor(options: IzhikevichOptions = {}) {
    super();
    this.params = izhikevichParams(options);
  }

  run(x: Tensor, initial: NeuronState | null = null): NeuronRun {
    const r = izhikevich(x, this.params, initial ? { v: initial.v, u: initial.u } : null);
    return { spikes: r.spikes, membrane: r.membrane, final: { ...r.final } };
  }
}
