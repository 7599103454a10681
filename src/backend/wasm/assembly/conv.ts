// 2-D convolution (NCHW, cross-correlation as in PyTorch) by im2col + GEMM, one image at a time.
import { gemm } from "./gemm";

/** cols[(c·kh + i)·kw + j, oy·OW + ox] = x[c, oy·sh − ph + i, ox·sw − pw + j] (0 outside). */
function im2col(
  x: usize, cols: usize, C: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32,
  OH: i32, OW: i32,
): void {
  let dst = cols;
  for (let c = 0; c < C; c++) {
    const xc = x + (<usize>(c * H * W) << 2);
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
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
  OH: i32, OW: i32,
): void {
  let src = cols;
  for (let c = 0; c < C; c++) {
    const dc = dx + (<usize>(c * H * W) << 2);
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        for (let oy = 0; oy < OH; oy++) {
          const y = oy * sh - ph + i;
          if (y < 0 || y >= H) {
            src += <usize>OW << 2;
            continue;
          }
          const row = dc + (<usize>(y * W) << 2);
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

/** out[N, OC, OH, OW] = conv(x[N, C, H, W], w[OC, C, kh, kw]). `cols` holds C·kh·kw·OH·OW floats. */
export function conv2dForward(
  x: usize, w: usize, out: usize, N: i32, C: i32, H: i32, W: i32, OC: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, OH: i32, OW: i32, cols: usize, scratch: usize,
): void {
  const ckk = C * kh * kw;
  const ohw = OH * OW;
  for (let n = 0; n < N; n++) {
    im2col(x + (<usize>(n * C * H * W) << 2), cols, C, H, W, kh, kw, sh, sw, ph, pw, OH, OW);
    gemm(w, cols, out + (<usize>(n * OC * ohw) << 2), OC, ohw, ckk, false, false, false, scratch);
  }
}

/** dx = adjoint of the convolution applied to dy: per image dcols = wᵀ·dy, then col2im. */
export function conv2dBackwardInput(
  dy: usize, w: usize, dx: usize, N: i32, C: i32, H: i32, W: i32, OC: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, OH: i32, OW: i32, cols: usize, scratch: usize,
): void {
  const ckk = C * kh * kw;
  const ohw = OH * OW;
  memory.fill(dx, 0, <usize>(N * C * H * W) << 2);
  for (let n = 0; n < N; n++) {
    gemm(w, dy + (<usize>(n * OC * ohw) << 2), cols, ckk, ohw, OC, true, false, false, scratch);
    col2im(cols, dx + (<usize>(n * C * H * W) << 2), C, H, W, kh, kw, sh, sw, ph, pw, OH, OW);
  }
}

/** dw[OC, C·kh·kw] = Σ_n dy_n · cols_nᵀ. */
export function conv2dBackwardWeight(
  x: usize, dy: usize, dw: usize, N: i32, C: i32, H: i32, W: i32, OC: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, OH: i32, OW: i32, cols: usize, scratch: usize,
): void {
  const ckk = C * kh * kw;
  const ohw = OH * OW;
  memory.fill(dw, 0, <usize>(OC * ckk) << 2);
  for (let n = 0; n < N; n++) {
    im2col(x + (<usize>(n * C * H * W) << 2), cols, C, H, W, kh, kw, sh, sw, ph, pw, OH, OW);
    gemm(dy + (<usize>(n * OC * ohw) << 2), cols, dw, OC, ckk, ohw, false, true, true, scratch);
  }
}
