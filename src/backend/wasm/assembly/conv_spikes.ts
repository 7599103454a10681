// Convolution of spike inputs (values 0/1) by spike products instead of GEMM: the input patches become
// the rows of a binary matrix (im2row), so out = rows · Wᵀ and dW = (rowsᵀ · dY)ᵀ run on the four-spike
// table product of sparse.ts. Work per group of images, as conv.ts, so the patch rows stay near the cache.
import { convGroup } from "./conv";
import { spmm, spmmScratchInts, spmmTransposed } from "./sparse";

/**
 * rows[oy·OW + ox, (c·kh + i)·kw + j] = x[c, oy·sh − ph + i, ox·sw − pw + j] (0 outside) for one image:
 * each output position's receptive field as one row of C·kh·kw floats.
 */
function im2row(
  x: usize, rows: usize, C: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32,
  OH: i32, OW: i32,
): void {
  let dst = rows;
  for (let oy = 0; oy < OH; oy++) {
    for (let ox = 0; ox < OW; ox++) {
      const x0 = ox * sw - pw;
      const inside = x0 >= 0 && x0 + kw <= W;
      for (let c = 0; c < C; c++) {
        for (let i = 0; i < kh; i++) {
          const y = oy * sh - ph + i;
          // Element loops: kw is a few floats, too short for memory.copy/fill to pay for their calls.
          if (y < 0 || y >= H) {
            for (let j = 0; j < kw; j++) store<f32>(dst + (<usize>j << 2), 0);
          } else {
            const src = x + (<usize>((c * H + y) * W) << 2);
            if (inside) {
              const from = src + (<usize>x0 << 2);
              let j = 0;
              for (; j + 4 <= kw; j += 4) v128.store(dst + (<usize>j << 2), v128.load(from + (<usize>j << 2)));
              for (; j < kw; j++) store<f32>(dst + (<usize>j << 2), load<f32>(from + (<usize>j << 2)));
            } else {
              for (let j = 0; j < kw; j++) {
                const xx = x0 + j;
                store<f32>(dst + (<usize>j << 2), xx >= 0 && xx < W ? load<f32>(src + (<usize>xx << 2)) : 0);
              }
            }
          }
          dst += <usize>kw << 2;
        }
      }
    }
  }
}

/** dst[b, c, r] = src[b, r, c] for b < B: a batch of [R, C] matrices transposed to [C, R]. */
export function transposeBatched(src: usize, dst: usize, B: i32, R: i32, C: i32): void {
  for (let b = 0; b < B; b++) {
    const s = src + (<usize>(b * R * C) << 2);
    const d = dst + (<usize>(b * R * C) << 2);
    for (let r = 0; r < R; r++)
      for (let c = 0; c < C; c++) store<f32>(d + (<usize>(c * R + r) << 2), load<f32>(s + (<usize>(r * C + c) << 2)));
  }
}

/** im2row of images n0 .. n0+g−1 of x [N, C, H, W] into consecutive rows. */
function im2rowImages(
  x: usize, rows: usize, n0: i32, g: i32, C: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  ph: i32, pw: i32, OH: i32, OW: i32,
): void {
  const rowsPerImage = OH * OW * C * kh * kw;
  for (let n = 0; n < g; n++)
    im2row(x + (<usize>((n0 + n) * C * H * W) << 2), rows + (<usize>(n * rowsPerImage) << 2), C, H, W, kh, kw, sh, sw, ph, pw, OH, OW);
}

/** The [rows, OC] block after a group's patch rows in the temporary memory (convSpikeTempFloats). */
@inline function blockOf(temp: usize, groupRows: i32, ckk: i32): usize {
  return temp + (<usize>(groupRows * ckk) << 2);
}

/** The spmm scratch after the block, cache-line aligned. */
@inline function scratchOf(temp: usize, groupRows: i32, ckk: i32, OC: i32): usize {
  return (blockOf(temp, groupRows, ckk) + (<usize>(groupRows * OC) << 2) + 63) & ~(<usize>63);
}

/** Floats of temporary memory the spike conv kernels need: a group's patch rows, its [rows, OC] block, and spmm scratch. */
export function convSpikeTempFloats(N: i32, C: i32, kh: i32, kw: i32, OC: i32, ohw: i32): i32 {
  const rows = convGroup(N, ohw) * ohw;
  const ckk = C * kh * kw;
  return rows * ckk + rows * OC + spmmScratchInts(rows, ckk) + 32;
}

/**
 * out[N, OC, OH, OW] = conv(x, w) for spike input x, given wt = wᵀ [C·kh·kw, OC]: per group, the patch rows
 * times wt by the spike product, then transposed to [OC, OH·OW] per image. `temp`: convSpikeTempFloats.
 */
export function conv2dSpikeForward(
  x: usize, wt: usize, out: usize, N: i32, C: i32, H: i32, W: i32, OC: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, OH: i32, OW: i32, temp: usize,
): void {
  const ckk = C * kh * kw;
  const ohw = OH * OW;
  const G = convGroup(N, ohw);
  const block = blockOf(temp, G * ohw, ckk);
  const scratch = scratchOf(temp, G * ohw, ckk, OC);
  for (let n0 = 0; n0 < N; n0 += G) {
    const g = min(G, N - n0);
    im2rowImages(x, temp, n0, g, C, H, W, kh, kw, sh, sw, ph, pw, OH, OW);
    spmm(temp, wt, block, g * ohw, ckk, OC, false, scratch);
    transposeBatched(block, out + (<usize>(n0 * OC * ohw) << 2), g, ohw, OC);
  }
}

/**
 * dwt[C·kh·kw, OC] = Σ over groups of rowsᵀ · dYᵀ (the transposed weight gradient) for spike input x:
 * per group, the patch rows and dy transposed to [rows, OC], then the transposed spike product.
 * `temp`: convSpikeTempFloats.
 */
export function conv2dSpikeBackwardWeight(
  x: usize, dy: usize, dwt: usize, N: i32, C: i32, H: i32, W: i32, OC: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, OH: i32, OW: i32, temp: usize,
): void {
  const ckk = C * kh * kw;
  const ohw = OH * OW;
  const G = convGroup(N, ohw);
  const block = blockOf(temp, G * ohw, ckk);
  const scratch = scratchOf(temp, G * ohw, ckk, OC);
  if (N <= 0) memory.fill(dwt, 0, <usize>(ckk * OC) << 2);
  for (let n0 = 0; n0 < N; n0 += G) {
    const g = min(G, N - n0);
    im2rowImages(x, temp, n0, g, C, H, W, kh, kw, sh, sw, ph, pw, OH, OW);
    transposeBatched(dy + (<usize>(n0 * OC * ohw) << 2), block, g, OC, ohw);
    spmmTransposed(temp, block, dwt, g * ohw, ckk, OC, n0 > 0, scratch);
  }
}
