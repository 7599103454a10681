// Vectorized float32 math for the SIMD128 kernels.

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

/**
 * e^x on four lanes: range reduction x = n·ln2 + r, |r| ≤ ln2/2, then a degree-6 polynomial for e^r
 * (Cephes expf coefficients) and a scale by 2^n built in the exponent bits. Relative error ≈ 1 ulp.
 * x > 88.72 gives +Infinity; results below the normal range come out as subnormals, then 0.
 */
@inline export function expv(x: v128): v128 {
  const over = f32x4.gt(x, f32x4.splat(88.72283905206835));
  const under = f32x4.lt(x, f32x4.splat(-103.97208));
  const xc = f32x4.max(f32x4.min(x, f32x4.splat(88.72)), f32x4.splat(-103.9));
  const n = f32x4.nearest(f32x4.mul(xc, f32x4.splat(LOG2E)));
  let r = f32x4.sub(xc, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const r2 = f32x4.mul(r, r);
  p = f32x4.add(f32x4.add(f32x4.mul(p, r2), r), f32x4.splat(1.0));
  // Split 2^n into two factors so that n from -150 to 128 stays representable.
  const ni = i32x4.trunc_sat_f32x4_s(n);
  const half = i32x4.shr_s(ni, 1);
  const s1 = i32x4.shl(i32x4.add(half, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(ni, half), i32x4.splat(127)), 23);
  let y = f32x4.mul(f32x4.mul(p, s1), s2);
  y = v128.bitselect(f32x4.splat(Infinity), y, over);
  y = v128.bitselect(f32x4.splat(0), y, under);
  return y;
}

/** σ(x) = 1 / (1 + e^{−x}) on four lanes. */
@inline export function sigmoidv(x: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, expv(f32x4.neg(x))));
}

/**
 * tanh(x) on four lanes: sign(x)·(1 − 2/(e^{2|x|} + 1)) for |x| ≥ 0.3, and the odd Taylor polynomial
 * x − x³/3 + 2x⁵/15 − 17x⁷/315 + 62x⁹/2835 below (where the first form cancels; truncation < 1e-7 relative).
 */
@inline export function tanhv(x: v128): v128 {
  const one = f32x4.splat(1);
  const ax = f32x4.abs(x);
  const e = expv(f32x4.add(ax, ax));
  const t = f32x4.sub(one, f32x4.div(f32x4.splat(2), f32x4.add(e, one)));
  const signMask = i32x4.splat(0x80000000);
  const big = v128.or(v128.and(x, signMask), v128.andnot(t, signMask));
  const x2 = f32x4.mul(x, x);
  let p = f32x4.splat(62.0 / 2835.0);
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(-17.0 / 315.0));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(2.0 / 15.0));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(-1.0 / 3.0));
  const small = f32x4.add(x, f32x4.mul(f32x4.mul(p, x2), x));
  return v128.bitselect(small, big, f32x4.lt(ax, f32x4.splat(0.3)));
}
