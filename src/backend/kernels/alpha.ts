// The fused alpha-neuron family (snnTorch's Alpha): the time loop in one kernel, forward and backward.
// Over [T, P], with the reset r[t] = H(m[t−1] − θ) = s[t−1]:
//   e′ = α·e + I,  h′ = β·h − I,  m′ = τ_α·(e′ + h′)
//   subtract: e ← e′ − r·θ,  h ← (1 − r)·h′,  m ← m′ + r·h      zero: e ← (1 − r)·e′,  h ← (1 − r)·h′,  m ← (1 − r)·m′
//   s = H(m − θ)
// The forward pass rounds to float32 in the composed path's order (neurons/alpha.ts); backward in float64.
import { SurrogateCode, type SurrogateName, surrogateDerivative } from "../../surrogate/surrogate.js";
import { ResetCode } from "../kernel_codes.js";
import type { Storage } from "../storage.js";
import type { KernelFamily } from "./family.js";

/** Scalar parameters of the fused alpha kernels. */
export interface AlphaKernelParams {
  readonly T: number;
  readonly P: number;
  readonly alpha: number;
  readonly beta: number;
  readonly tauAlpha: number;
  readonly threshold: number;
  readonly reset: "subtract" | "zero";
  readonly detachReset: boolean;
  readonly surrogate: SurrogateName;
  readonly surrogateParam: number;
}

/** The three state variables, as storages [P] (start: null for zeros) or [T, P] (every step). */
export interface AlphaStates<S> {
  exc: S;
  inh: S;
  mem: S;
}

/** The fused alpha kernels. */
export interface AlphaKernels {
  /** Forward over [T, P]: every step's currents, membranes and spikes. */
  alphaForward(input: Storage, start: AlphaStates<Storage | null>, out: AlphaStates<Storage>, spk: Storage, p: AlphaKernelParams): void;
  /** BPTT from the upstream gradients of spikes and the three states (each may be absent): dInput [T, P] and the starting states' gradients where given. */
  alphaBackward(
    input: Storage,
    start: AlphaStates<Storage | null>,
    out: AlphaStates<Storage>,
    spk: Storage,
    grads: { spk: Storage | null } & AlphaStates<Storage | null>,
    dInput: Storage,
    dStart: AlphaStates<Storage | null>,
    p: AlphaKernelParams,
  ): void;
}

const f = Math.fround;

function forwardRef(input: Float32Array, start: AlphaStates<Float32Array | null>, out: AlphaStates<Float32Array>, spk: Float32Array, p: AlphaKernelParams): void {
  const { T, P } = p;
  const [alpha, beta, tau, thr] = [p.alpha, p.beta, p.tauAlpha, p.threshold].map(f);
  for (let j = 0; j < P; j++) {
    let e = start.exc ? start.exc[j] : 0;
    let h = start.inh ? start.inh[j] : 0;
    let m = start.mem ? start.mem[j] : 0;
    for (let t = 0; t < T; t++) {
      const i = t * P + j;
      const x = input[i];
      const r = f(m - thr) > 0 ? 1 : 0;
      const e1 = f(f(e * alpha) + x);
      const h1 = f(f(h * beta) - x);
      const m1 = f(f(e1 + h1) * tau);
      const keep = 1 - r;
      if (p.reset === "subtract") {
        m = f(m1 + f(r * h));
        e = f(e1 - f(r * thr));
      } else {
        m = f(m1 * keep);
        e = f(e1 * keep);
      }
      h = f(h1 * keep);
      out.exc[i] = e;
      out.inh[i] = h;
      out.mem[i] = m;
      spk[i] = f(m - thr) > 0 ? 1 : 0;
    }
  }
}

function backwardRef(
  input: Float32Array,
  start: AlphaStates<Float32Array | null>,
  out: AlphaStates<Float32Array>,
  spk: Float32Array,
  gS: Float32Array | null,
  g: AlphaStates<Float32Array | null>,
  dInput: Float32Array,
  dStart: AlphaStates<Float32Array | null>,
  p: AlphaKernelParams,
): void {
  const { T, P, alpha, beta, tauAlpha: tau, threshold: thr, reset, detachReset } = p;
  const subtract = reset === "subtract";
  const sigma = (x: number) => surrogateDerivative(p.surrogate, x, p.surrogateParam);
  for (let j = 0; j < P; j++) {
    const at = (s: Float32Array, s0: Float32Array | null, t: number) => (t >= 0 ? s[t * P + j] : s0 ? s0[j] : 0);
    // Totals dL/de[t+1], dL/dh[t+1], dL/dm[t+1].
    let [deN, dhN, dmN] = [0, 0, 0];
    for (let t = T - 1; t >= -1; t--) {
      const e = at(out.exc, start.exc, t);
      const h = at(out.inh, start.inh, t);
      const m = at(out.mem, start.mem, t);
      let de = t >= 0 && g.exc ? g.exc[t * P + j] : 0;
      let dh = t >= 0 && g.inh ? g.inh[t * P + j] : 0;
      let dr = 0;
      if (t < T - 1) {
        const x = input[(t + 1) * P + j];
        const r = m - thr > 0 ? 1 : 0;
        const e1 = alpha * e + x;
        const h1 = beta * h - x;
        const keep = 1 - r;
        de += deN * (subtract ? alpha : alpha * keep) + dmN * (subtract ? tau * alpha : tau * alpha * keep);
        dh += dhN * beta * keep + dmN * (subtract ? tau * beta + r : tau * beta * keep);
        if (!detachReset) dr = deN * (subtract ? -thr : -e1) - dhN * h1 + dmN * (subtract ? h : -tau * (e1 + h1));
      }
      const ds = (t >= 0 && gS ? gS[t * P + j] : 0) + dr;
      const dm = (t >= 0 && g.mem ? g.mem[t * P + j] : 0) + sigma(m - thr) * ds;
      if (t >= 0) {
        // I enters e′ (+1) and h′ (−1) of step t; its terms in m′ cancel.
        const keep = 1 - (t > 0 ? spk[(t - 1) * P + j] : at(out.mem, start.mem, -1) - thr > 0 ? 1 : 0);
        dInput[t * P + j] = de * (subtract ? 1 : keep) - dh * keep;
      } else {
        if (dStart.exc) dStart.exc[j] = de;
        if (dStart.inh) dStart.inh[j] = dh;
        if (dStart.mem) dStart.mem[j] = dm;
      }
      [deN, dhN, dmN] = [de, dh, dm];
    }
  }
}

const f32 = (s: Storage | null): Float32Array | null => (s ? s.f32() : null);
const ptr = (s: Storage | null): number => (s ? s.ptr : 0);
const views = (s: AlphaStates<Storage | null>): AlphaStates<Float32Array | null> => ({ exc: f32(s.exc), inh: f32(s.inh), mem: f32(s.mem) });
/** The scalar arguments of the wasm alpha kernels: T, P, α, β, τ_α, θ, reset code. */
const alphaScalars = (p: AlphaKernelParams): [number, number, number, number, number, number, number] => [p.T, p.P, p.alpha, p.beta, p.tauAlpha, p.threshold, ResetCode[p.reset]];

/** The fused alpha family. */
export const alphaFamily: KernelFamily<AlphaKernels> = {
  reference: {
    alphaForward: (input, start, out, spk, p) => forwardRef(input.f32(), views(start), { exc: out.exc.f32(), inh: out.inh.f32(), mem: out.mem.f32() }, spk.f32(), p),
    alphaBackward: (input, start, out, spk, grads, dInput, dStart, p) =>
      backwardRef(input.f32(), views(start), { exc: out.exc.f32(), inh: out.inh.f32(), mem: out.mem.f32() }, spk.f32(), f32(grads.spk), views(grads), dInput.f32(), views(dStart), p),
  },
  wasm: {
    alphaForward: (w) => (input, start, out, spk, p) =>
      w.exports.alphaForward(input.ptr, ptr(start.exc), ptr(start.inh), ptr(start.mem), out.exc.ptr, out.inh.ptr, out.mem.ptr, spk.ptr, ...alphaScalars(p)),
    alphaBackward: (w) => (input, start, out, spk, grads, dInput, dStart, p) =>
      w.exports.alphaBackward(
        input.ptr,
        ptr(start.exc),
        ptr(start.inh),
        ptr(start.mem),
        out.exc.ptr,
        out.inh.ptr,
        out.mem.ptr,
        spk.ptr,
        ptr(grads.spk),
        ptr(grads.exc),
        ptr(grads.inh),
        ptr(grads.mem),
        dInput.ptr,
        ptr(dStart.exc),
        ptr(dStart.inh),
        ptr(dStart.mem),
        ...alphaScalars(p),
        p.detachReset,
        SurrogateCode[p.surrogate],
        p.surrogateParam,
      ),
  },
};
