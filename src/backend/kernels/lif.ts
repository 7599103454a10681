// The fused LIF family: the whole time loop of a LIF layer in one kernel, forward and backward (BPTT).
// Reference recurrence over [T, P] (snnTorch convention):
//   m[t] = β·m[t−1] + g·I[t] − θ·s[t−1]                          (subtract)
//   m[t] = (β·m[t−1] + g·I[t])·(1 − s[t−1]) + s[t−1]·g_r·I[t]    (zero; g_r = 0 is a plain reset to zero)
//   m[t] = β·m[t−1] + g·I[t]                                     (none)
//   s[t] = H(m[t] + ε[t] − θ), H(0) = h0, with membrane noise ε [T, P] when given (noisy neurons), else ε = 0
// At t = 0 the previous spike s[−1] is given (spk0) or H(m[−1] − θ).
// The forward pass rounds every operation to float32 (Math.fround) so spikes match the wasm kernel bit
// for bit; the backward pass runs in float64.
import { SurrogateCode, type SurrogateName, surrogateDerivative } from "../../surrogate/surrogate.js";
import { ResetCode, type ResetMode } from "../kernel_codes.js";
import type { Storage } from "../storage.js";
import type { KernelFamily } from "./family.js";

/** Scalar parameters of the fused LIF kernel. */
export interface LifKernelParams {
  readonly T: number;
  /** Neurons per step (batch × features). */
  readonly P: number;
  readonly beta: number;
  readonly threshold: number;
  readonly reset: ResetMode;
  /** Value of the Heaviside step at exactly zero. */
  readonly h0: number;
  /** Input gain g: the membrane adds g·I[t] (1 for the snnTorch LIF, b for the coarse-scale LIF). */
  readonly inputGain: number;
  /** Zero reset only: gain g_r of the input in the step after a spike (0 = plain reset; c for the coarse LIF). */
  readonly refractoryGain: number;
  readonly detachReset: boolean;
  readonly surrogate: SurrogateName;
  readonly surrogateParam: number;
  /** Backward: a given s[−1] takes the gradient σ′(m[−1] − θ) as if it were H(m[−1] − θ) (a noisy layer's drawn spike, carried to the next run); default false (a constant). */
  readonly spk0Surrogate?: boolean;
}

/** Where a LIF recurrence starts, and the noise on its spikes. */
export interface LifStart {
  /** The membrane m[−1] [P] (null: zeros). */
  mem0: Storage | null;
  /** The spikes s[−1] [P] (null: H(m[−1] − θ)); given, they are constants for the backward pass. */
  spk0: Storage | null;
  /** Membrane noise ε [T, P]: s[t] = H(m[t] + ε[t] − θ) (null: none). The backward pass does not use it. */
  noise: Storage | null;
}

/** The fused LIF kernels. */
export interface LifKernels {
  /** Fused LIF forward over [T, P]. */
  lifForward(input: Storage, start: LifStart, mem: Storage, spk: Storage, p: LifKernelParams): void;
  /** Fused LIF backward (BPTT), with the surrogate σ′(m − θ) for H′ (with noise: its density, noise-driven learning). */
  lifBackward(
    input: Storage,
    start: LifStart,
    mem: Storage,
    spk: Storage,
    gSpk: Storage | null,
    gMem: Storage | null,
    dInput: Storage,
    dMem0: Storage | null,
    p: LifKernelParams,
  ): void;
}

const f = Math.fround;

function heaviside(x: number, h0: number): number {
  return x > 0 ? 1 : x === 0 ? h0 : 0;
}

/** One step of the membrane recurrence in float32 arithmetic. */
function charge(mPrev: number, sPrev: number, input: number, p: LifKernelParams): number {
  const h = f(f(f(p.beta) * mPrev) + f(f(p.inputGain) * input));
  if (p.reset === "subtract") return f(h - f(f(p.threshold) * sPrev));
  if (p.reset === "zero") return f(f(h * f(1 - sPrev)) + f(sPrev * f(f(p.refractoryGain) * input)));
  return h;
}

/** Forward pass: mem and spk, both [T, P]. */
function lifForwardRef(
  input: Float32Array,
  start: F32Start,
  mem: Float32Array,
  spk: Float32Array,
  p: LifKernelParams,
): void {
  const { T, P } = p;
  const thr = f(p.threshold);
  const { mem0, spk0, noise } = start;
  for (let j = 0; j < P; j++) {
    let m = mem0 ? mem0[j] : 0;
    let s = spk0 ? spk0[j] : heaviside(m - thr, p.h0);
    for (let t = 0; t < T; t++) {
      m = charge(m, s, input[t * P + j], p);
      s = heaviside((noise ? f(m + noise[t * P + j]) : m) - thr, p.h0);
      mem[t * P + j] = m;
      spk[t * P + j] = s;
    }
  }
}

/** Partial derivatives of m[t+1] with respect to m[t] and s[t]. */
function stepPartials(
  m: number,
  s: number,
  nextInput: number,
  p: LifKernelParams,
): { dm: number; ds: number } {
  const beta = f(p.beta);
  if (p.reset === "subtract") return { dm: beta, ds: -f(p.threshold) };
  if (p.reset === "zero") {
    const ds = p.refractoryGain * nextInput - (beta * m + p.inputGain * nextInput);
    return { dm: beta * (1 - s), ds };
  }
  return { dm: beta, ds: 0 };
}

/** Backward pass (BPTT through the recurrence, surrogate σ′(m − θ) for H′). */
function lifBackwardRef(
  input: Float32Array,
  start: F32Start,
  mem: Float32Array,
  spk: Float32Array,
  gSpk: Float32Array | null,
  gMem: Float32Array | null,
  dInput: Float32Array,
  dMem0: Float32Array | null,
  p: LifKernelParams,
): void {
  const { T, P } = p;
  const thr = f(p.threshold);
  const sigma = (x: number) => surrogateDerivative(p.surrogate, x, p.surrogateParam);
  const { mem0, spk0 } = start;
  for (let j = 0; j < P; j++) {
    const m0 = mem0 ? mem0[j] : 0;
    const s0 = spk0 ? spk0[j] : heaviside(m0 - thr, p.h0);
    let c = 0; // dL/dm[t+1]
    for (let t = T - 1; t >= 0; t--) {
      const i = t * P + j;
      const m = mem[i];
      const next = t < T - 1 ? stepPartials(m, spk[i], input[i + P], p) : { dm: 0, ds: 0 };
      let ds = gSpk ? gSpk[i] : 0;
      if (!p.detachReset) ds += c * next.ds;
      const dm = c * next.dm + (gMem ? gMem[i] : 0) + ds * sigma(m - thr);
      const sPrev = t > 0 ? spk[i - P] : s0;
      const gain = p.reset === "zero" ? p.inputGain * (1 - sPrev) + p.refractoryGain * sPrev : p.inputGain;
      dInput[i] = dm * gain;
      c = dm;
    }
    if (dMem0) {
      const first = stepPartials(m0, s0, input[j], p);
      // s[−1] depends on m[−1] when it was not given, or given with its surrogate gradient.
      dMem0[j] = c * first.dm + (p.detachReset || (spk0 && !p.spk0Surrogate) ? 0 : c * first.ds * sigma(m0 - thr));
    }
  }
}

const f32 = (s: Storage | null): Float32Array | null => (s ? s.f32() : null);

/** A LifStart as float32 views. */
interface F32Start {
  mem0: Float32Array | null;
  spk0: Float32Array | null;
  noise: Float32Array | null;
}
const f32Start = (s: LifStart): F32Start => ({ mem0: f32(s.mem0), spk0: f32(s.spk0), noise: f32(s.noise) });
/** A wasm pointer argument: the storage's byte offset, or 0 for none. */
const ptr = (s: Storage | null): number => (s ? s.ptr : 0);

/** The scalar arguments shared by the wasm LIF kernels: T, P, β, θ, reset code, H(0), g, g_r. */
const lifScalars = (p: LifKernelParams): [number, number, number, number, number, number, number, number] => [
  p.T,
  p.P,
  p.beta,
  p.threshold,
  ResetCode[p.reset],
  p.h0,
  p.inputGain,
  p.refractoryGain,
];

/** The fused LIF family. */
export const lifFamily: KernelFamily<LifKernels> = {
  reference: {
    lifForward: (input, start, mem, spk, p) => lifForwardRef(input.f32(), f32Start(start), mem.f32(), spk.f32(), p),
    lifBackward: (input, start, mem, spk, gSpk, gMem, dInput, dMem0, p) =>
      lifBackwardRef(input.f32(), f32Start(start), mem.f32(), spk.f32(), f32(gSpk), f32(gMem), dInput.f32(), f32(dMem0), p),
  },
  wasm: {
    lifForward: (w) => (input, start, mem, spk, p) =>
      w.exports.lifForward(input.ptr, ptr(start.mem0), ptr(start.spk0), ptr(start.noise), mem.ptr, spk.ptr, ...lifScalars(p)),
    lifBackward: (w) => (input, start, mem, spk, gSpk, gMem, dInput, dMem0, p) =>
      w.exports.lifBackward(
        input.ptr,
        ptr(start.mem0),
        ptr(start.spk0),
        mem.ptr,
        spk.ptr,
        ptr(gSpk),
        ptr(gMem),
        dInput.ptr,
        ptr(dMem0),
        ...lifScalars(p),
        p.detachReset,
        SurrogateCode[p.surrogate],
        p.surrogateParam,
        p.spk0Surrogate ?? false,
      ),
  },
};
