// Fused adaptive LIF over currents I[T, P] (the recurrence of src/backend/kernels/alif.ts):
//   a[t] = ρ·a[t−1] + (1 − ρ)·s[t−1],  A[t] = θ + γ·a[t]
//   m[t] = β·m[t−1] + g·I[t] − A[t]·s[t−1]  (subtract)  |  (β·m[t−1] + g·I[t])(1 − s[t−1]) + s[t−1]·g_r·I[t]  (zero)
//   s[t] = H(m[t] − A[t]),  s[−1] = H(m[−1] − θ − γ·a[−1])
// Forward in the reference's float32 order (bit for bit); backward BPTT in float32. Neurons run in column
// blocks with the time loop outside, so each step touches a few contiguous kilobytes.
import { RESET_SUBTRACT } from "./codes";
import { spikeS, surrogateS } from "./lif";

const BLOCK: i32 = 256;
/** Per-block state: m, a, s forward; dL/dm[t+1], dL/da[t+1] backward. */
const stateM: usize = memory.data(BLOCK * 4, 16);
const stateA: usize = memory.data(BLOCK * 4, 16);
const stateS: usize = memory.data(BLOCK * 4, 16);

/** Forward: mem, spk and adapt [T, P]; mem0 and adapt0 (P floats) may be 0 for zeros; keep = 1 − ρ rounded once. */
export function alifForward(
  input: usize, mem0: usize, adapt0: usize, mem: usize, spk: usize, adapt: usize, T: i32, P: i32, beta: f32, thr: f32,
  rho: f32, keep: f32, gamma: f32, reset: i32, h0: f32, g: f32, gr: f32,
): void {
  const rowBytes = <usize>P << 2;
  for (let p0 = 0; p0 < P; p0 += BLOCK) {
    const pend = min(p0 + BLOCK, P);
    for (let p = p0; p < pend; p++) {
      const col = <usize>p << 2;
      const k = <usize>(p - p0) << 2;
      const m: f32 = mem0 != 0 ? load<f32>(mem0 + col) : 0;
      const a: f32 = adapt0 != 0 ? load<f32>(adapt0 + col) : 0;
      store<f32>(stateM + k, m);
      store<f32>(stateA + k, a);
      store<f32>(stateS + k, spikeS(m - (a * gamma + thr), 0, h0));
    }
    for (let t = 0; t < T; t++) {
      const row = <usize>t * rowBytes;
      for (let p = p0; p < pend; p++) {
        const off = row + (<usize>p << 2);
        const k = <usize>(p - p0) << 2;
        const s = load<f32>(stateS + k);
        const x = load<f32>(input + off);
        const a = load<f32>(stateA + k) * rho + s * keep;
        const A = a * gamma + thr;
        const h = load<f32>(stateM + k) * beta + x * g;
        const m = reset == RESET_SUBTRACT ? h - A * s : h * (<f32>1 - s) + s * (x * gr);
        const sNew = spikeS(m - A, 0, h0);
        store<f32>(stateM + k, m);
        store<f32>(stateA + k, a);
        store<f32>(stateS + k, sNew);
        store<f32>(mem + off, m);
        store<f32>(spk + off, sNew);
        store<f32>(adapt + off, a);
      }
    }
  }
}

/**
 * Backward (BPTT) from the upstream gradients gSpk, gMem, gAdapt ([T, P], each 0 when absent): writes
 * dInput [T, P], and dMem0 and dAdapt0 [P] where they are not 0.
 */
export function alifBackward(
  input: usize, mem0: usize, adapt0: usize, mem: usize, spk: usize, adapt: usize, gSpk: usize, gMem: usize, gAdapt: usize,
  dInput: usize, dMem0: usize, dAdapt0: usize, T: i32, P: i32, beta: f32, thr: f32, rho: f32, keep: f32, gamma: f32, reset: i32,
  h0: f32, g: f32, gr: f32, detach: bool, surrogate: i32, kParam: f32,
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
        const a0: f32 = adapt0 != 0 ? load<f32>(adapt0 + col) : 0;
        const sStart = spikeS(m0 - (a0 * gamma + thr), 0, h0);
        const m = t >= 0 ? load<f32>(mem + off) : m0;
        const a = t >= 0 ? load<f32>(adapt + off) : a0;
        const s = t >= 0 ? load<f32>(spk + off) : sStart;
        const dmNext: f32 = t < T - 1 ? load<f32>(stateM + k) : 0;
        const daNext: f32 = t < T - 1 ? load<f32>(stateA + k) : 0;
        let ds: f32 = t >= 0 && gSpk != 0 ? load<f32>(gSpk + off) : 0;
        let dmFromNext: f32 = 0;
        if (t < T - 1) {
          const next = <usize>(t + 1) * rowBytes + col;
          const xNext = load<f32>(input + next);
          ds += keep * daNext;
          if (!detach) ds += (subtract ? -(thr + gamma * load<f32>(adapt + next)) : gr * xNext - (beta * m + g * xNext)) * dmNext;
          dmFromNext = beta * (subtract ? <f32>1 : <f32>1 - s) * dmNext;
        }
        const sg = surrogateS(surrogate, m - (thr + gamma * a), kParam);
        const dm: f32 = (t >= 0 && gMem != 0 ? load<f32>(gMem + off) : 0) + dmFromNext + sg * ds;
        const sPrev = t > 0 ? load<f32>(spk + off - rowBytes) : sStart;
        const dA: f32 = -sg * ds - (subtract && t >= 0 ? sPrev * dm : 0);
        const da: f32 = (t >= 0 && gAdapt != 0 ? load<f32>(gAdapt + off) : 0) + (t < T - 1 ? rho * daNext : 0) + gamma * dA;
        if (t >= 0) store<f32>(dInput + off, dm * (subtract ? g : g * (<f32>1 - sPrev) + gr * sPrev));
        else {
          if (dMem0 != 0) store<f32>(dMem0 + col, dm);
          if (dAdapt0 != 0) store<f32>(dAdapt0 + col, da);
        }
        store<f32>(stateM + k, dm);
        store<f32>(stateA + k, da);
      }
    }
  }
}
