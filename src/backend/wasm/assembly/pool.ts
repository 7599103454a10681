// 2-D pooling over planes [P = N·C, H, W]. Padding positions never win a max and count as zeros in the
// average (PyTorch's count_include_pad = true).

/** Max and flat index y·W + x of the window of output (oy, ox) in plane xp (first on ties, NaN wins). */
@inline function maxWindow(
  xp: usize, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oy: i32, ox: i32, o: usize, q: usize,
): void {
  let best: f32 = -Infinity;
  let bestI = -1;
  for (let i = 0; i < kh; i++) {
    const y = oy * sh - ph + i;
    if (y < 0 || y >= H) continue;
    for (let j = 0; j < kw; j++) {
      const xx = ox * sw - pw + j;
      if (xx < 0 || xx >= W) continue;
      const v = load<f32>(xp + (<usize>(y * W + xx) << 2));
      if (v > best || bestI < 0 || (isNaN(v) && !isNaN(best))) {
        best = v;
        bestI = y * W + xx;
      }
    }
  }
  store<f32>(o, best);
  store<i32>(q, bestI);
}

/** Lanes where candidate v replaces the best so far: v > best, or v is NaN and best is not. */
@inline function takes(v: v128, best: v128): v128 {
  return v128.or(f32x4.gt(v, best), v128.andnot(f32x4.ne(v, v), f32x4.ne(best, best)));
}

/**
 * Four 2×2, stride-2 windows at once (outputs ox .. ox+3 of row oy): the even and odd columns of the two
 * input rows are the four candidates, taken in window order with the same tie and NaN rules as maxWindow.
 */
@inline function maxWindows2x2(xp: usize, W: i32, oy: i32, ox: i32, o: usize, q: usize): void {
  const r0 = xp + (<usize>(2 * oy * W + 2 * ox) << 2);
  const r1 = r0 + (<usize>W << 2);
  const a0 = v128.load(r0), a1 = v128.load(r0, 16);
  const b0 = v128.load(r1), b1 = v128.load(r1, 16);
  const lanes = i32x4(0, 2, 4, 6);
  const base = 2 * oy * W + 2 * ox;
  let best = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6);
  let bestI = i32x4.add(i32x4.splat(base), lanes);
  let v = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7);
  let take = takes(v, best);
  best = v128.bitselect(v, best, take);
  bestI = v128.bitselect(i32x4.add(i32x4.splat(base + 1), lanes), bestI, take);
  v = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
  take = takes(v, best);
  best = v128.bitselect(v, best, take);
  bestI = v128.bitselect(i32x4.add(i32x4.splat(base + W), lanes), bestI, take);
  v = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
  take = takes(v, best);
  best = v128.bitselect(v, best, take);
  bestI = v128.bitselect(i32x4.add(i32x4.splat(base + W + 1), lanes), bestI, take);
  v128.store(o, best);
  v128.store(q, bestI);
}

/** out[p, oy, ox] = max over the window; idx = flat index y·W + x of the winner (first on ties). */
export function maxPool2dForward(
  x: usize, out: usize, idx: usize, P: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  ph: i32, pw: i32, OH: i32, OW: i32,
): void {
  const pairs = kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0;
  let o: usize = out;
  let q: usize = idx;
  for (let p = 0; p < P; p++) {
    const xp = x + (<usize>(p * H * W) << 2);
    for (let oy = 0; oy < OH; oy++) {
      let ox = 0;
      if (pairs) {
        for (; 2 * ox + 8 <= W && ox + 4 <= OW; ox += 4) {
          maxWindows2x2(xp, W, oy, ox, o, q);
          o += 16;
          q += 16;
        }
      }
      for (; ox < OW; ox++) {
        maxWindow(xp, H, W, kh, kw, sh, sw, ph, pw, oy, ox, o, q);
        o += 4;
        q += 4;
      }
    }
  }
}

/** dx[p, idx] += dy[p, oy, ox]: routes each gradient to its window's maximum. */
export function maxPool2dBackward(dy: usize, idx: usize, dx: usize, P: i32, HW: i32, OHW: i32): void {
  memory.fill(dx, 0, <usize>(P * HW) << 2);
  for (let p = 0; p < P; p++) {
    const dxp = dx + (<usize>(p * HW) << 2);
    const base = p * OHW;
    for (let k = 0; k < OHW; k++) {
      const off = <usize>(base + k) << 2;
      const i = load<i32>(idx + off);
      if (i < 0) continue;
      const d = dxp + (<usize>i << 2);
      store<f32>(d, load<f32>(d) + load<f32>(dy + off));
    }
  }
}

/** out[p, oy, ox] = (1 / (kh·kw)) Σ over the window. */
export function avgPool2dForward(
  x: usize, out: usize, P: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32,
  OH: i32, OW: i32,
): void {
  const scale: f32 = <f32>1 / <f32>(kh * kw);
  let o: usize = out;
  for (let p = 0; p < P; p++) {
    const xp = x + (<usize>(p * H * W) << 2);
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        let s: f32 = 0;
        for (let i = 0; i < kh; i++) {
          const y = oy * sh - ph + i;
          if (y < 0 || y >= H) continue;
          for (let j = 0; j < kw; j++) {
            const xx = ox * sw - pw + j;
            if (xx < 0 || xx >= W) continue;
            s += load<f32>(xp + (<usize>(y * W + xx) << 2));
          }
        }
        store<f32>(o, s * scale);
        o += 4;
      }
    }
  }
}

/** The adjoint of avgPool2dForward. */
export function avgPool2dBackward(
  dy: usize, dx: usize, P: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32,
  OH: i32, OW: i32,
): void {
  const scale: f32 = <f32>1 / <f32>(kh * kw);
  memory.fill(dx, 0, <usize>(P * H * W) << 2);
  let g: usize = dy;
  for (let p = 0; p < P; p++) {
    const dxp = dx + (<usize>(p * H * W) << 2);
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const v = load<f32>(g) * scale;
        g += 4;
        for (let i = 0; i < kh; i++) {
          const y = oy * sh - ph + i;
          if (y < 0 || y >= H) continue;
          for (let j = 0; j < kw; j++) {
            const xx = ox * sw - pw + j;
            if (xx < 0 || xx >= W) continue;
            const d = dxp + (<usize>(y * W + xx) << 2);
            store<f32>(d, load<f32>(d) + v);
          }
        }
      }
    }
  }
}
