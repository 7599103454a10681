// 2-D convolution (NCHW, cross-correlation as in PyTorch) by im2col + GEMM over groups of G images, so that
// the GEMMs are wide (G·OH·OW columns) even for small feature maps.
import { gemm } from "./gemm";

/**
 * cols[(c·kh + i)·kw + j, oy·OW + ox] = x[c, oy·sh − ph + i, ox·sw − pw + j] (0 outside); rows of `cols`
 * are `ld` floats apart (ld ≥ OH·OW leaves room for the other images of a group).
 */
function im2col(
  x: usize, cols: usize, C: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32,
  OH: i32, OW: i32, ld: i32,
): void {
  let r = 0;
  for (let c = 0; c < C; c++) {
    const xc = x + (<usize>(c * H * W) << 2);
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        let dst = cols + (<usize>(r * ld) << 2);
        r++;
        for (let oy = 0; oy < OH; oy++) {
          const y = oy * sh - ph + i;
          if (y < 0 || y >= H) {
            memory.fill(dst, 0, <usize>OW << 2);
            dst += <usize>OW << 2;
            continue;
          }
          const row = xc + (<usize>(y * W) << 2);
          if (sw == 1) {
            for (let ox = 0; ox < OW; ox++) {
              const xx = ox - pw + j;
              store<f32>(dst, xx >= 0 && xx < W ? load<f32>(row + (<usize>xx << 2)) : 0);
              dst += 4;
            }
          } else {
            for (let ox = 0; ox < OW; ox++) {
              const xx = ox * sw - pw + j;
              store<f32>(dst, xx >= 0 && xx < W ? load<f32>(row + (<usize>xx << 2)) : 0);
              dst += 4;
            }
          }
        }
      }
    }
  }
}

/** dx[c, y, x] += cols[...] for every column entry that im2col read from (y, x): the adjoint of im2col. */
function col2im(
  cols: usize, dx: usize, C: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32,
  OH: i32, OW: i32, ld: i32,
): void {
  let r = 0;
  for (let c = 0; c < C; c++) {
    const dc = dx + (<usize>(c * H * W) << 2);
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        let src = cols + (<usize>(r * ld) << 2);
        r++;
        for (let oy = 0; oy < OH; oy++) {
          const y = oy * sh - ph + i;
          if (y < 0 || y >= H) {
            src += <usize>OW << 2;
            continue;
          }
          const row = dc + (<usize>(y * W) << 2);
          if (sw == 1) {
            // Unit stride: the valid outputs ox ∈ [lo, hi) read one contiguous run of dx (xx = ox − pw + j).
            const lo = max(0, pw - j);
            const hi = min(OW, W + pw - j);
            let ox = lo;
            for (; ox + 4 <= hi; ox += 4) {
              const p = row + (<usize>(ox - pw + j) << 2);
              v128.store(p, f32x4.add(v128.load(p), v128.load(src + (<usize>ox << 2))));
            }
            for (; ox < hi; ox++) {
              const p = row + (<usize>(ox - pw + j) << 2);
              store<f32>(p, load<f32>(p) + load<f32>(src + (<usize>ox << 2)));
            }
            src += <usize>OW << 2;
            continue;
          }
          for (let ox = 0; ox < OW; ox++) {
            const xx = ox * sw - pw + j;
            if (xx >= 0 && xx < W) {
              const p = row + (<usize>xx << 2);
              store<f32>(p, load<f32>(p) + load<f32>(src));
            }
            src += 4;
          }
        }
      }
    }
  }
}

/** Images per group: enough that G·OH·OW ≈ 2048 GEMM columns (at least 1, at most N). */
export function convGroup(N: i32, ohw: i32): i32 {
  return max(1, min(N, 2048 / max(ohw, 1)));
}

/** Floats of temporary memory the conv kernels need: cols [C·kh·kw, G·ohw] and a [OC, G·ohw] block. */
export function convTempFloats(N: i32, C: i32, kh: i32, kw: i32, OC: i32, ohw: i32): i32 {
  const gw = convGroup(N, ohw) * ohw;
  return (C * kh * kw + OC) * gw;
}

/** Copies rows between [G, OC, ohw] (per image) and [OC, G·ohw] (per group): `toGroup` picks the direction. */
function regroup(images: usize, group: usize, G: i32, OC: i32, ohw: i32, toGroup: bool): void {
  const bytes = <usize>ohw << 2;
  for (let n = 0; n < G; n++)
    for (let o = 0; o < OC; o++) {
      const a = images + (<usize>((n * OC + o) * ohw) << 2);
      const b = group + (<usize>(o * G * ohw + n * ohw) << 2);
      if (toGroup) memory.copy(b, a, bytes);
      else memory.copy(a, b, bytes);
    }
}

/** out[N, OC, OH, OW] = conv(x[N, C, H, W], w[OC, C, kh, kw]). `temp` holds convTempFloats floats. */
export function conv2dForward(
  x: usize, w: usize, out: usize, N: i32, C: i32, H: i32, W: i32, OC: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, OH: i32, OW: i32, temp: usize, scratch: usize,
): void {
  const ckk = C * kh * kw;
  const ohw = OH * OW;
  const G = convGroup(N, ohw);
  const cols = temp;
  const block = temp + (<usize>(ckk * G * ohw) << 2);
  for (let n0 = 0; n0 < N; n0 += G) {
    const g = min(G, N - n0);
    for (let n = 0; n < g; n++)
      im2col(x + (<usize>((n0 + n) * C * H * W) << 2), cols + (<usize>(n * ohw) << 2), C, H, W, kh, kw, sh, sw, ph, pw, OH, OW, g * ohw);
    gemm(w, cols, block, OC, g * ohw, ckk, false, false, false, scratch);
    regroup(out + (<usize>(n0 * OC * ohw) << 2), block, g, OC, ohw, false);
  }
}

/** dx = adjoint of the convolution applied to dy: per group dcols = wᵀ·dy, then col2im per image. */
export function conv2dBackwardInput(
  dy: usize, w: usize, dx: usize, N: i32, C: i32, H: i32, W: i32, OC: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, OH: i32, OW: i32, temp: usize, scratch: usize,
): void {
  const ckk = C * kh * kw;
  const ohw = OH * OW;
  const G = convGroup(N, ohw);
  const cols = temp;
  const block = temp + (<usize>(ckk * G * ohw) << 2);
  memory.fill(dx, 0, <usize>(N * C * H * W) << 2);
  for (let n0 = 0; n0 < N; n0 += G) {
    const g = min(G, N - n0);
    regroup(dy + (<usize>(n0 * OC * ohw) << 2), block, g, OC, ohw, true);
    gemm(w, block, cols, ckk, g * ohw, OC, true, false, false, scratch);
    for (let n = 0; n < g; n++)
      col2im(cols + (<usize>(n * ohw) << 2), dx + (<usize>((n0 + n) * C * H * W) << 2), C, H, W, kh, kw, sh, sw, ph, pw, OH, OW, g * ohw);
  }
}

/** dw[OC, C·kh·kw] = Σ_groups dy_g · cols_gᵀ. */
export function conv2dBackwardWeight(
  x: usize, dy: usize, dw: usize, N: i32, C: i32, H: i32, W: i32, OC: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, OH: i32, OW: i32, temp: usize, scratch: usize,
): void {
  const ckk = C * kh * kw;
  const ohw = OH * OW;
  const G = convGroup(N, ohw);
  const cols = temp;
  const block = temp + (<usize>(ckk * G * ohw) << 2);
  memory.fill(dw, 0, <usize>(OC * ckk) << 2);
  for (let n0 = 0; n0 < N; n0 += G) {
    const g = min(G, N - n0);
    for (let n = 0; n < g; n++)
      im2col(x + (<usize>((n0 + n) * C * H * W) << 2), cols + (<usize>(n * ohw) << 2), C, H, W, kh, kw, sh, sw, ph, pw, OH, OW, g * ohw);
    regroup(dy + (<usize>(n0 * OC * ohw) << 2), block, g, OC, ohw, true);
    gemm(block, cols, dw, OC, ckk, g * ohw, false, true, true, scratch);
  }
}

