// The fused adaptive-LIF family: the whole time loop of an ALIF layer in one kernel, forward and backward
// (BPTT). Over [T, P], with s[−1] = H(m[−1] − θ − γ·a[−1]):
//   a[t] = ρ·a[t−1] + (1 − ρ)·s[t−1],   A[t] = θ + γ·a[t]
//   m[t] = β·m[t−1] + g·I[t] − A[t]·s[t−1]                             (subtract)
//   m[t] = (β·m[t−1] + g·I[t])·(1 − s[t−1]) + s[t−1]·g_r·I[t]           (zero)
//   s[t] = H(m[t] − A[t]),  H(0) = h0
// The forward pass rounds every operation to float32 in the order the composed path (neurons/alif.ts)
// takes, so the two agree bit for bit; the backward pass runs in float64.
import { SurrogateCode, type SurrogateName, surrogateDerivative } from "../../surrogate/surrogate.js";
import { ResetCode } from "../kernel_codes.js";
import type { Storage } from "../storage.js";
import type { KernelFamily } from "./family.js";

/** Scalar parameters of the fused ALIF kernels. */
export interface AlifKernelParams {
  readonly T: number;
  /** Neurons per step (batch × features). */
  readonly P: number;
  readonly beta: number;
  readonly threshold: number;
  readonly rho: number;
  readonly gamma: number;
  readonly inputGain: number;
  readonly reset: "subtract" | "zero";
  readonly refractoryGain: number;
  readonly h0: number;
  readonly detachReset: boolean;
  readonly surrogate: SurrogateName;
  readonly surrogateParam: number;
}

/** Where an ALIF recurrence starts: m[−1] and a[−1] [P] (null: zeros). */
interface AlifStart {
  mem0: Storage | null;
  adapt0: Storage | null;
}

/** The fused ALIF kernels. */
export interface AlifKernels {
  /** Forward over [T, P]: membranes, spikes and adaptations. */
  alifForward(input: Storage, start: AlifStart, mem: Storage, spk: Storage, adapt: Storage, p: AlifKernelParams): void;
  /** BPTT from the upstream gradients of spikes, membranes and adaptations (each may be absent): dInput [T, P], and dMem0 and dAdapt0 [P] where given. */
  alifBackward(
    input: Storage,
    start: AlifStart,
    mem: Storage,
    spk: Storage,
    adapt: Storage,
    grads: { spk: Storage | null; mem: Storage | null; adapt: Storage | null },
    dInput: Storage,
    dStart: { mem0: Storage | null; adapt0: Storage | null },
    p: AlifKernelParams,
  ): void;
}

const f = Math.fround;
const H = (x: number, h0: number) => (x > 0 ? 1 : x === 0 ? h0 : 0);

function alifForwardRef(input: Float32Array, mem0: Float32Array | null, adapt0: Float32Array | null, mem: Float32Array, spk: Float32Array, adapt: Float32Array, p: AlifKernelParams): void {
  const { T, P, h0 } = p;
  const [beta, thr, rho, gamma, g, gr, keep] = [p.beta, p.threshold, p.rho, p.gamma, p.inputGain, p.refractoryGain, 1 - p.rho].map(f);
  for (let j = 0; j < P; j++) {
    let m = mem0 ? mem0[j] : 0;
    let a = adapt0 ? adapt0[j] : 0;
    let s = H(f(m - f(f(a * gamma) + thr)), h0);
    for (let t = 0; t < T; t++) {
      const i = t * P + j;
      const x = input[i];
      a = f(f(a * rho) + f(s * keep));
      const A = f(f(a * gamma) + thr);
      const h = f(f(m * beta) + f(x * g));
      m = p.reset === "subtract" ? f(h - f(A * s)) : f(f(h * f(1 - s)) + f(s * f(x * gr)));
      s = H(f(m - A), h0);
      mem[i] = m;
      spk[i] = s;
      adapt[i] = a;
    }
  }
}

function alifBackwardRef(
  input: Float32Array,
  mem0: Float32Array | null,
  adapt0: Float32Array | null,
  mem: Float32Array,
  spk: Float32Array,
  adapt: Float32Array,
  gS: Float32Array | null,
  gM: Float32Array | null,
  gA: Float32Array | null,
  dInput: Float32Array,
  dMem0: Float32Array | null,
  dAdapt0: Float32Array | null,
  p: AlifKernelParams,
): void {
  const { T, P, beta, threshold: thr, rho, gamma, inputGain: g, refractoryGain: gr, reset, detachReset } = p;
  const sigma = (x: number) => surrogateDerivative(p.surrogate, x, p.surrogateParam);
  for (let j = 0; j < P; j++) {
    const m0 = mem0 ? mem0[j] : 0;
    const a0 = adapt0 ? adapt0[j] : 0;
    const sStart = H(f(m0 - f(f(a0 * f(gamma)) + f(thr))), p.h0);
    // Totals dL/dm[t+1] and dL/da[t+1] carried down the time loop.
    let dmNext = 0;
    let daNext = 0;
    for (let t = T - 1; t >= -1; t--) {
      const m = t >= 0 ? mem[t * P + j] : m0;
      const a = t >= 0 ? adapt[t * P + j] : a0;
      const s = t >= 0 ? spk[t * P + j] : sStart;
      const A = thr + gamma * a;
      let ds = t >= 0 && gS ? gS[t * P + j] : 0;
      let dmFromNext = 0;
      if (t < T - 1) {
        const xNext = input[(t + 1) * P + j];
        ds += (1 - rho) * daNext;
        if (!detachReset) ds += (reset === "subtract" ? -(thr + gamma * adapt[(t + 1) * P + j]) : gr * xNext - (beta * m + g * xNext)) * dmNext;
        dmFromNext = beta * (reset === "zero" ? 1 - s : 1) * dmNext;
      }
      const sg = sigma(m - A);
      const dm = (t >= 0 && gM ? gM[t * P + j] : 0) + dmFromNext + sg * ds;
      const sPrev = t > 0 ? spk[(t - 1) * P + j] : sStart;
      const dA = -sg * ds - (reset === "subtract" && t >= 0 ? sPrev * dm : 0);
      const da = (t >= 0 && gA ? gA[t * P + j] : 0) + (t < T - 1 ? rho * daNext : 0) + gamma * dA;
      if (t >= 0) dInput[t * P + j] = dm * (reset === "zero" ? g * (1 - sPrev) + gr * sPrev : g);
      else {
        if (dMem0) dMem0[j] = dm;
        if (dAdapt0) dAdapt0[j] = da;
      }
      dmNext = dm;
      daNext = da;
    }
  }
}

const f32 = (s: Storage | null): Float32Array | null => (s ? s.f32() : null);
const ptr = (s: Storage | null): number => (s ? s.ptr : 0);
/** The scalar arguments of the wasm ALIF kernels: T, P, β, θ, ρ, 1 − ρ (rounded once, as the reference), γ, reset code, H(0), g, g_r. */
const alifScalars = (p: AlifKernelParams): [number, number, number, number, number, number, number, number, number, number, number] => [
  p.T,
  p.P,
  p.beta,
  p.threshold,
  p.rho,
  1 - p.rho,
  p.gamma,
  ResetCode[p.reset],
  p.h0,
  p.inputGain,
  p.refractoryGain,
];

/** The fused ALIF family. */
export const alifFamily: KernelFamily<AlifKernels> = {
  reference: {
    alifForward: (input, start, mem, spk, adapt, p) => alifForwardRef(input.f32(), f32(start.mem0), f32(start.adapt0), mem.f32(), spk.f32(), adapt.f32(), p),
    alifBackward: (input, start, mem, spk, adapt, grads, dInput, dStart, p) =>
      alifBackwardRef(input.f32(), f32(start.mem0), f32(start.adapt0), mem.f32(), spk.f32(), adapt.f32(), f32(grads.spk), f32(grads.mem), f32(grads.adapt), dInput.f32(), f32(dStart.mem0), f32(dStart.adapt0), p),
  },
  wasm: {
    alifForward: (w) => (input, start, mem, spk, adapt, p) => w.exports.alifForward(input.ptr, ptr(start.mem0), ptr(start.adapt0), mem.ptr, spk.ptr, adapt.ptr, ...alifScalars(p)),
    alifBackward: (w) => (input, start, mem, spk, adapt, grads, dInput, dStart, p) =>
      w.exports.alifBackward(
        input.ptr,
        ptr(start.mem0),
        ptr(start.adapt0),
        mem.ptr,
        spk.ptr,
        adapt.ptr,
        ptr(grads.spk),
        ptr(grads.mem),
        ptr(grads.adapt),
        dInput.ptr,
        ptr(dStart.mem0),
        ptr(dStart.adapt0),
        ...alifScalars(p),
        p.detachReset,
        SurrogateCode[p.surrogate],
        p.surrogateParam,
      ),
  },
};
