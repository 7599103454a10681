// Reference fused LIF over [T, P] (snnTorch convention):
//   m[t] = β·m[t−1] + g·I[t] − θ·s[t−1]                          (subtract)
//   m[t] = (β·m[t−1] + g·I[t])·(1 − s[t−1]) + s[t−1]·g_r·I[t]    (zero; g_r = 0 is a plain reset to zero)
//   m[t] = β·m[t−1] + g·I[t]                                     (none)
//   s[t] = H(m[t] − θ), H(0) = h0
// The forward pass rounds every operation to float32 (Math.fround) so spikes match the wasm kernel bit
// for bit; the backward pass runs in float64.
import { surrogateDerivative } from "../../surrogate/surrogate.js";
import type { LifKernelParams } from "../backend.js";

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
export function lifForwardRef(
  input: Float32Array,
  mem0: Float32Array | null,
  mem: Float32Array,
  spk: Float32Array,
  p: LifKernelParams,
): void {
  const { T, P } = p;
  const thr = f(p.threshold);
  for (let j = 0; j < P; j++) {
    let m = mem0 ? mem0[j] : 0;
    let s = heaviside(m - thr, p.h0);
    for (let t = 0; t < T; t++) {
      m = charge(m, s, input[t * P + j], p);
      s = heaviside(m - thr, p.h0);
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
export function lifBackwardRef(
  input: Float32Array,
  mem0: Float32Array | null,
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
  for (let j = 0; j < P; j++) {
    const m0 = mem0 ? mem0[j] : 0;
    const s0 = heaviside(m0 - thr, p.h0);
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
      dMem0[j] = c * first.dm + (p.detachReset ? 0 : c * first.ds * sigma(m0 - thr));
    }
  }
}
