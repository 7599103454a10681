// 2-D pooling over planes [P = N·C, H, W]. Padding positions never win a max and count as zeros in the
// average (PyTorch's count_include_pad = true).

/** out[p, oy, ox] = max over the window; idx = flat index y·W + x of the winner (first on ties). */
export function maxPool2dForward(
  x: usize, out: usize, idx: usize, P: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  ph: i32, pw: i32, OH: i32, OW: i32,
): void {
  let o: usize = out;
  let q: usize = idx;
  for (let p = 0; p < P; p++) {
    const xp = x + (<usize>(p * H * W) << 2);
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
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
