// Fused alpha neuron (snnTorch's Alpha) over currents I[T, P] (the recurrence of src/backend/kernels/alpha.ts):
//   r = H(m[t−1] − θ);  e′ = α·e + I,  h′ = β·h − I,  m′ = τ_α·(e′ + h′)
//   subtract: e ← e′ − r·θ, h ← (1 − r)·h′, m ← m′ + r·h;   zero: e, h, m ← (1 − r)·(e′, h′, m′);   s = H(m − θ)
// Forward in the reference's float32 order (bit for bit); backward BPTT in float32. Neurons run in column
// blocks with the time loop outside.
import { RESET_SUBTRACT } from "./codes";
import { surrogateS } from "./lif";

const BLOCK: i32 = 256;
/** Per-block state: e, h, m forward; dL/de, dL/dh, dL/dm of the step after, backward. */
const stateE: usize = memory.data(BLOCK * 4, 16);
const stateH: usize = memory.data(BLOCK * 4, 16);
const stateM: usize = memory.data(BLOCK * 4, 16);

@inline function step(x: f32): f32 {
  return x > 0 ? 1 : 0;
}

/** Forward: exc, inh, mem and spk [T, P]; the starts (P floats each) may be 0 for zeros. */
export function alphaForward(
  input: usize, exc0: usize, inh0: usize, mem0: usize, exc: usize, inh: usize, mem: usize, spk: usize, T: i32, P: i32,
  alpha: f32, beta: f32, tau: f32, thr: f32, reset: i32,
): void {
  const rowBytes = <usize>P << 2;
  for (let p0 = 0; p0 < P; p0 += BLOCK) {
    const pend = min(p0 + BLOCK, P);
    for (let p = p0; p < pend; p++) {
      const col = <usize>p << 2;
      const k = <usize>(p - p0) << 2;
      store<f32>(stateE + k, exc0 != 0 ? load<f32>(exc0 + col) : 0);
      store<f32>(stateH + k, inh0 != 0 ? load<f32>(inh0 + col) : 0);
      store<f32>(stateM + k, mem0 != 0 ? load<f32>(mem0 + col) : 0);
    }
    for (let t = 0; t < T; t++) {
      const row = <usize>t * rowBytes;
      for (let p = p0; p < pend; p++) {
        const off = row + (<usize>p << 2);
        const k = <usize>(p - p0) << 2;
        const x = load<f32>(input + off);
        const e = load<f32>(stateE + k);
        const h = load<f32>(stateH + k);
        const r = step(load<f32>(stateM + k) - thr);
        const e1 = e * alpha + x;
        const h1 = h * beta - x;
        const m1 = (e1 + h1) * tau;
        const keep: f32 = <f32>1 - r;
        let eNew: f32;
        let mNew: f32;
        if (reset == RESET_SUBTRACT) {
          mNew = m1 + r * h;
          eNew = e1 - r * thr;
        } else {
          mNew = m1 * keep;
          eNew = e1 * keep;
        }
        const hNew = h1 * keep;
        store<f32>(stateE + k, eNew);
        store<f32>(stateH + k, hNew);
        store<f32>(stateM + k, mNew);
        store<f32>(exc + off, eNew);
        store<f32>(inh + off, hNew);
        store<f32>(mem + off, mNew);
        store<f32>(spk + off, step(mNew - thr));
      }
    }
  }
}

/**
 * Backward (BPTT) from the upstream gradients gSpk, gExc, gInh and gMem ([T, P], 0 when absent): writes dInput
 * [T, P], and dExc0, dInh0, dMem0 [P] where they are not 0.
 */
export function alphaBackward(
  input: usize, exc0: usize, inh0: usize, mem0: usize, exc: usize, inh: usize, mem: usize, spk: usize, gSpk: usize,
  gExc: usize, gInh: usize, gMem: usize, dInput: usize, dExc0: usize, dInh0: usize, dMem0: usize, T: i32, P: i32, alpha: f32, beta: f32, tau: f32,
  thr: f32, reset: i32, detach: bool, surrogate: i32, kParam: f32,
): void {
  const rowBytes = <usize>P << 2;
  const subtract = reset == RESET_SUBTRACT;
  for (let p0 = 0; p0 < P; p0 += BLOCK) {
    const pend = min(p0 + BLOCK, P);
    for (let t = T - 1; t >= -1; t--) {
      const row = <usize>max(t, 0) * rowBytes;
      for (let p = p0; p < pend; p++) {
        const col = <usize>p << 2;
        const off = row + col;
        const k = <usize>(p - p0) << 2;
        const m0: f32 = mem0 != 0 ? load<f32>(mem0 + col) : 0;
        const e: f32 = t >= 0 ? load<f32>(exc + off) : exc0 != 0 ? load<f32>(exc0 + col) : 0;
        const h: f32 = t >= 0 ? load<f32>(inh + off) : inh0 != 0 ? load<f32>(inh0 + col) : 0;
        const m: f32 = t >= 0 ? load<f32>(mem + off) : m0;
        let de: f32 = t >= 0 && gExc != 0 ? load<f32>(gExc + off) : 0;
        let dh: f32 = t >= 0 && gInh != 0 ? load<f32>(gInh + off) : 0;
        let dr: f32 = 0;
        if (t < T - 1) {
          const deN = load<f32>(stateE + k);
          const dhN = load<f32>(stateH + k);
          const dmN = load<f32>(stateM + k);
          const x = load<f32>(input + <usize>(t + 1) * rowBytes + col);
          const r = step(m - thr);
          const e1 = alpha * e + x;
          const h1 = beta * h - x;
          const keep: f32 = <f32>1 - r;
          de += deN * (subtract ? alpha : alpha * keep) + dmN * (subtract ? tau * alpha : tau * alpha * keep);
          dh += dhN * beta * keep + dmN * (subtract ? tau * beta + r : tau * beta * keep);
          if (!detach) dr = deN * (subtract ? -thr : -e1) - dhN * h1 + dmN * (subtract ? h : -tau * (e1 + h1));
        }
        const ds: f32 = (t >= 0 && gSpk != 0 ? load<f32>(gSpk + off) : 0) + dr;
        const dm: f32 = (t >= 0 && gMem != 0 ? load<f32>(gMem + off) : 0) + surrogateS(surrogate, m - thr, kParam) * ds;
        if (t >= 0) {
          const keep: f32 = <f32>1 - (t > 0 ? load<f32>(spk + off - rowBytes) : step(m0 - thr));
          store<f32>(dInput + off, de * (subtract ? <f32>1 : keep) - dh * keep);
        } else {
          if (dExc0 != 0) store<f32>(dExc0 + col, de);
          if (dInh0 != 0) store<f32>(dInh0 + col, dh);
          if (dMem0 != 0) store<f32>(dMem0 + col, dm);
        }
        store<f32>(stateE + k, de);
        store<f32>(stateH + k, dh);
        store<f32>(stateM + k, dm);
      }
    }
  }
}
