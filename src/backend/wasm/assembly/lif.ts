// Fused multi-step LIF (snnTorch convention), over currents I[T, P] (P = batch × neurons):
//   m[t] = β·m[t−1] + g·I[t] − θ·s[t−1]        (reset "subtract")
//   m[t] = (β·m[t−1] + g·I[t])·(1 − s[t−1]) + s[t−1]·g_r·I[t]   (reset "zero"; g_r: refractory gain)
//   m[t] = β·m[t−1] + g·I[t]                    (reset "none")
// (with input gain g = 1 and g_r = 0 unless set; the coarse-scale LIF uses β = a, g = b, g_r = c)
//   s[t] = H(m[t] + ε[t] − θ), with H(0) = h0 and membrane noise ε [T, P] when given (noisy neurons).
// At t = 0 the previous spike is spk0 when given, else H(m[−1] − θ).
// The backward pass runs BPTT through this recurrence with the surrogate derivative σ′(m − θ) in place
// of H′. The codes are generated from the TypeScript tables (./codes, written by the build).
import {
  RESET_SUBTRACT,
  RESET_ZERO,
  SURROGATE_ATAN as ATAN,
  SURROGATE_FAST_SIGMOID as FAST_SIGMOID,
  SURROGATE_GAUSSIAN as GAUSSIAN,
  SURROGATE_LOGISTIC as LOGISTIC,
  SURROGATE_RECTANGLE as RECTANGLE,
  SURROGATE_SIGMOID as SIGMOID,
  SURROGATE_STRAIGHT_THROUGH as STRAIGHT_THROUGH,
  SURROGATE_TRIANGLE as TRIANGLE,
} from "./codes";
import { expv, sigmoidv } from "./simd_math";
const HALF_PI: f32 = 1.5707963267948966;
/** Neurons per column block of the vector loops (2 KiB per row of each array). */
const BLOCK: i32 = 512;
/** Per-block carry of dL/dm[t+1] in the backward pass. */
const carry: usize = memory.data(BLOCK * 4, 16);
const INV_SQRT_2PI: f32 = 0.3989422804014327;

@inline function spikeV(m: v128, thr: v128, h0: v128): v128 {
  const one = f32x4.splat(1);
  return v128.bitselect(one, v128.and(h0, f32x4.eq(m, thr)), f32x4.gt(m, thr));
}

@inline export function spikeS(m: f32, thr: f32, h0: f32): f32 {
  return m > thr ? 1 : m == thr ? h0 : 0;
}

/** Surrogate derivative σ′(x) on four lanes. */
@inline function surrogateV(kind: i32, x: v128, k: f32): v128 {
  const one = f32x4.splat(1);
  switch (kind) {
    case FAST_SIGMOID: {
      const d = f32x4.add(one, f32x4.mul(f32x4.splat(k), f32x4.abs(x)));
      return f32x4.div(one, f32x4.mul(d, d));
    }
    case ATAN: {
      const z = f32x4.mul(f32x4.splat(HALF_PI * k), x);
      return f32x4.div(f32x4.splat(k * 0.5), f32x4.add(one, f32x4.mul(z, z)));
    }
    case SIGMOID: {
      const s = sigmoidv(f32x4.mul(f32x4.splat(k), x));
      return f32x4.mul(f32x4.splat(k), f32x4.mul(s, f32x4.sub(one, s)));
    }
    case TRIANGLE: {
      const t = f32x4.sub(one, f32x4.div(f32x4.abs(x), f32x4.splat(k)));
      return f32x4.div(f32x4.max(t, f32x4.splat(0)), f32x4.splat(k));
    }
    case STRAIGHT_THROUGH:
      return one;
    case GAUSSIAN: {
      const z = f32x4.div(x, f32x4.splat(k));
      const e = expv(f32x4.mul(f32x4.splat(-0.5), f32x4.mul(z, z)));
      return f32x4.mul(e, f32x4.splat(INV_SQRT_2PI / k));
    }
    case LOGISTIC: {
      const s = sigmoidv(f32x4.div(x, f32x4.splat(k)));
      return f32x4.div(f32x4.mul(s, f32x4.sub(one, s)), f32x4.splat(k));
    }
    case RECTANGLE:
      return v128.and(f32x4.splat(0.5 / k), f32x4.lt(f32x4.abs(x), f32x4.splat(k)));
    default:
      return f32x4.splat(NaN);
  }
}

/** Surrogate derivative σ′(x), scalar: lane 0 of the vector form, so each surrogate is written once here. */
@inline export function surrogateS(kind: i32, x: f32, k: f32): f32 {
  return f32x4.extract_lane(surrogateV(kind, f32x4.splat(x), k), 0);
}

/**
 * Forward pass: writes mem[T, P] and spk[T, P]. `mem0` (P floats) may be 0 for a zero initial state,
 * `spk0` (P floats) 0 for s[−1] = H(m[−1] − θ), `noise` ([T, P]) 0 for none.
 */
export function lifForward(
  input: usize, mem0: usize, spk0: usize, noise: usize, mem: usize, spk: usize, T: i32, P: i32, beta: f32, thr: f32,
  reset: i32, h0: f32, g: f32, gr: f32,
): void {
  const bv = f32x4.splat(beta);
  const gv = f32x4.splat(g);
  const grv = f32x4.splat(gr);
  const tv = f32x4.splat(thr);
  const hv = f32x4.splat(h0);
  const one = f32x4.splat(1);
  const rowBytes = <usize>P << 2;
  // Vector lanes run in column blocks of BLOCK neurons with the time loop outside, so that each step
  // touches a few contiguous kilobytes (walking one column down T rows would miss the TLB at every step).
  const P4 = P & ~3;
  for (let p0 = 0; p0 < P4; p0 += BLOCK) {
    const pend = min(p0 + BLOCK, P4);
    for (let t = 0; t < T; t++) {
      const row = <usize>t * rowBytes;
      for (let p = p0; p < pend; p += 4) {
        const col = <usize>p << 2;
        let m: v128;
        let s: v128;
        if (t == 0) {
          m = mem0 != 0 ? v128.load(mem0 + col) : f32x4.splat(0);
          s = spk0 != 0 ? v128.load(spk0 + col) : spikeV(m, tv, hv);
        } else {
          m = v128.load(mem + row - rowBytes + col);
          s = v128.load(spk + row - rowBytes + col);
        }
        const x = v128.load(input + row + col);
        const h = f32x4.add(f32x4.mul(bv, m), f32x4.mul(gv, x));
        if (reset == RESET_SUBTRACT) m = f32x4.sub(h, f32x4.mul(tv, s));
        else if (reset == RESET_ZERO) m = f32x4.add(f32x4.mul(h, f32x4.sub(one, s)), f32x4.mul(s, f32x4.mul(grv, x)));
        else m = h;
        v128.store(mem + row + col, m);
        v128.store(spk + row + col, spikeV(noise != 0 ? f32x4.add(m, v128.load(noise + row + col)) : m, tv, hv));
      }
    }
  }
  let p = P4;
  for (; p < P; p++) {
    const col = <usize>p << 2;
    let m: f32 = mem0 != 0 ? load<f32>(mem0 + col) : 0;
    let s = spk0 != 0 ? load<f32>(spk0 + col) : spikeS(m, thr, h0);
    let off = col;
    for (let t = 0; t < T; t++) {
      const x = load<f32>(input + off);
      const h = beta * m + g * x;
      if (reset == RESET_SUBTRACT) m = h - thr * s;
      else if (reset == RESET_ZERO) m = h * (<f32>1 - s) + s * (gr * x);
      else m = h;
      s = spikeS(noise != 0 ? m + load<f32>(noise + off) : m, thr, h0);
      store<f32>(mem + off, m);
      store<f32>(spk + off, s);
      off += rowBytes;
    }
  }
}

/**
 * Backward pass (BPTT). gSpk and gMem (upstream gradients w.r.t. spk and mem, [T, P]) may be 0 (absent);
 * writes dInput[T, P] and, if dMem0 != 0, the gradient w.r.t. the initial membrane (through s[−1] too when
 * it was computed, or given with spk0Grad).
 */
export function lifBackward(
  input: usize, mem0: usize, spk0: usize, mem: usize, spk: usize, gSpk: usize, gMem: usize, dInput: usize, dMem0: usize,
  T: i32, P: i32, beta: f32, thr: f32, reset: i32, h0: f32, g: f32, gr: f32, detach: bool, surrogate: i32,
  k: f32, spk0Grad: bool,
): void {
  const bv = f32x4.splat(beta);
  const gv = f32x4.splat(g);
  const grv = f32x4.splat(gr);
  const tv = f32x4.splat(thr);
  const hv = f32x4.splat(h0);
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  const negThr = f32x4.splat(-thr);
  const rowBytes = <usize>P << 2;
  const P4 = P & ~3;
  for (let p0 = 0; p0 < P4; p0 += BLOCK) {
    const pend = min(p0 + BLOCK, P4);
    for (let t = T - 1; t >= 0; t--) {
      const row = <usize>t * rowBytes;
      for (let p = p0; p < pend; p += 4) {
        const col = <usize>p << 2;
        const cp = carry + (<usize>(p - p0) << 2);
        const c = t == T - 1 ? zero : v128.load(cp); // dL/dm[t+1]
        const off = row + col;
        const m = v128.load(mem + off);
        let a = bv; // ∂m[t+1]/∂m[t]
        let bs = zero; // ∂m[t+1]/∂s[t]
        if (reset == RESET_SUBTRACT) bs = negThr;
        else if (reset == RESET_ZERO && t < T - 1) {
          const s = v128.load(spk + off);
          a = f32x4.mul(bv, f32x4.sub(one, s));
          const xNext = v128.load(input + off + rowBytes);
          bs = f32x4.sub(f32x4.mul(grv, xNext), f32x4.add(f32x4.mul(bv, m), f32x4.mul(gv, xNext)));
        }
        let ds = gSpk != 0 ? v128.load(gSpk + off) : zero;
        if (!detach) ds = f32x4.add(ds, f32x4.mul(c, bs));
        let dm = f32x4.mul(c, a);
        if (gMem != 0) dm = f32x4.add(dm, v128.load(gMem + off));
        dm = f32x4.add(dm, f32x4.mul(ds, surrogateV(surrogate, f32x4.sub(m, tv), k)));
        if (reset == RESET_ZERO) {
          const sPrev = t > 0 ? v128.load(spk + off - rowBytes) : spk0 != 0 ? v128.load(spk0 + col) : spikeV(mem0 != 0 ? v128.load(mem0 + col) : zero, tv, hv);
          const gain = f32x4.add(f32x4.mul(gv, f32x4.sub(one, sPrev)), f32x4.mul(grv, sPrev));
          v128.store(dInput + off, f32x4.mul(dm, gain));
        } else {
          v128.store(dInput + off, f32x4.mul(dm, gv));
        }
        v128.store(cp, dm);
      }
    }
    if (dMem0 != 0) {
      for (let p = p0; p < pend; p += 4) {
        const col = <usize>p << 2;
        const c = T > 0 ? v128.load(carry + (<usize>(p - p0) << 2)) : zero;
        const m0 = mem0 != 0 ? v128.load(mem0 + col) : zero;
        const s0 = spk0 != 0 ? v128.load(spk0 + col) : spikeV(m0, tv, hv);
        let a = bv;
        let bs = zero;
        if (reset == RESET_SUBTRACT) bs = negThr;
        else if (reset == RESET_ZERO) {
          a = f32x4.mul(bv, f32x4.sub(one, s0));
          const x0 = v128.load(input + col);
          bs = f32x4.sub(f32x4.mul(grv, x0), f32x4.add(f32x4.mul(bv, m0), f32x4.mul(gv, x0)));
        }
        let d = f32x4.mul(c, a);
        // s[−1] depends on m[−1] when it was not given, or given with its surrogate gradient (spk0Grad).
        if (!detach && (spk0 == 0 || spk0Grad)) d = f32x4.add(d, f32x4.mul(f32x4.mul(c, bs), surrogateV(surrogate, f32x4.sub(m0, tv), k)));
        v128.store(dMem0 + col, d);
      }
    }
  }
  let p = P4;
  for (; p < P; p++) {
    const col = <usize>p << 2;
    const m0: f32 = mem0 != 0 ? load<f32>(mem0 + col) : 0;
    let c: f32 = 0;
    let off = col + <usize>(T - 1) * rowBytes;
    for (let t = T - 1; t >= 0; t--) {
      const m = load<f32>(mem + off);
      let a = beta;
      let bs: f32 = 0;
      if (reset == RESET_SUBTRACT) bs = -thr;
      else if (reset == RESET_ZERO && t < T - 1) {
        const s = load<f32>(spk + off);
        a = beta * (<f32>1 - s);
        const xNext = load<f32>(input + off + rowBytes);
        bs = gr * xNext - (beta * m + g * xNext);
      }
      let ds: f32 = gSpk != 0 ? load<f32>(gSpk + off) : 0;
      if (!detach) ds = ds + c * bs;
      let dm = c * a;
      if (gMem != 0) dm = dm + load<f32>(gMem + off);
      dm = dm + ds * surrogateS(surrogate, m - thr, k);
      if (reset == RESET_ZERO) {
        const sPrev = t > 0 ? load<f32>(spk + off - rowBytes) : spk0 != 0 ? load<f32>(spk0 + col) : spikeS(m0, thr, h0);
        store<f32>(dInput + off, dm * (g * (<f32>1 - sPrev) + gr * sPrev));
      } else {
        store<f32>(dInput + off, dm * g);
      }
      c = dm;
      off -= rowBytes;
    }
    if (dMem0 != 0) {
      const s0 = spk0 != 0 ? load<f32>(spk0 + col) : spikeS(m0, thr, h0);
      let a = beta;
      let bs: f32 = 0;
      if (reset == RESET_SUBTRACT) bs = -thr;
      else if (reset == RESET_ZERO) {
        a = beta * (<f32>1 - s0);
        const x0 = load<f32>(input + col);
        bs = gr * x0 - (beta * m0 + g * x0);
      }
      let d = c * a;
      if (!detach && (spk0 == 0 || spk0Grad)) d = d + c * bs * surrogateS(surrogate, m0 - thr, k);
      store<f32>(dMem0 + col, d);
    }
  }
}
