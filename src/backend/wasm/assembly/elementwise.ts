// Elementwise kernels. The op codes are generated from the TypeScript tables (./codes, written by the build).
import {
  BINARY_ADD as ADD,
  BINARY_DIV as DIV,
  BINARY_MAXIMUM as MAX,
  BINARY_MINIMUM as MIN,
  BINARY_MUL as MUL,
  BINARY_SUB as SUB,
  UNARY_ABS as ABS,
  UNARY_AFFINE as AFFINE,
  UNARY_CLAMP as CLAMP,
  UNARY_EXP as EXP,
  UNARY_LOG as LOG,
  UNARY_NEG as NEG,
  UNARY_POW as POW,
  UNARY_RELU as RELU,
  UNARY_SIGMOID as SIGMOID,
  UNARY_SQRT as SQRT,
  UNARY_TANH as TANH,
} from "./codes";
import { expv, sigmoidv, tanhv } from "./simd_math";

@inline function unaryScalar(op: i32, x: f32, p0: f32, p1: f32): f32 {
  switch (op) {
    case NEG: return -x;
    case EXP: return Mathf.exp(x);
    case LOG: return Mathf.log(x);
    case ABS: return Mathf.abs(x);
    case SQRT: return Mathf.sqrt(x);
    case RELU: return x > 0 ? x : 0;
    case SIGMOID: return <f32>1 / (<f32>1 + Mathf.exp(-x));
    case TANH: return Mathf.tanh(x);
    case POW: return Mathf.pow(x, p0);
    case CLAMP: return Mathf.min(Mathf.max(x, p0), p1);
    case AFFINE: return x * p0 + p1;
    default: return NaN;
  }
}

@inline function unaryVector(op: i32, x: v128, p0: f32, p1: f32): v128 {
  switch (op) {
    case NEG: return f32x4.neg(x);
    case EXP: return expv(x);
    case ABS: return f32x4.abs(x);
    case SQRT: return f32x4.sqrt(x);
    case RELU: return f32x4.pmax(x, f32x4.splat(0));
    case SIGMOID: return sigmoidv(x);
    case TANH: return tanhv(x);
    case CLAMP: return f32x4.min(f32x4.max(x, f32x4.splat(p0)), f32x4.splat(p1));
    case AFFINE: return f32x4.add(f32x4.mul(x, f32x4.splat(p0)), f32x4.splat(p1));
    default: return x;
  }
}

/** out[i] = f(x[i]) for the unary op `op` with parameters p0, p1 (pow: exponent; clamp: lo, hi; affine: scale, shift). */
export function unary(op: i32, x: usize, out: usize, n: i32, p0: f32, p1: f32): void {
  let i = 0;
  const vectorized = op != LOG && op != POW;
  if (vectorized) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, unaryVector(op, v128.load(x + o), p0, p1));
    }
  } else if (op == POW && p0 == 2) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const v = v128.load(x + o);
      v128.store(out + o, f32x4.mul(v, v));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, unaryScalar(op, load<f32>(x + o), p0, p1));
  }
}

@inline function unaryGradScalar(op: i32, x: f32, y: f32, g: f32, p0: f32, p1: f32): f32 {
  switch (op) {
    case NEG: return -g;
    case EXP: return g * y;
    case LOG: return g / x;
    case ABS: return x > 0 ? g : x < 0 ? -g : 0;
    case SQRT: return g * <f32>0.5 / y;
    case RELU: return x > 0 ? g : 0;
    case SIGMOID: return g * y * (<f32>1 - y);
    case TANH: return g * (<f32>1 - y * y);
    case POW: return p0 == 0 ? 0 : g * p0 * Mathf.pow(x, p0 - 1);
    case CLAMP: return x >= p0 && x <= p1 ? g : 0;
    case AFFINE: return g * p0;
    default: return NaN;
  }
}

/** dx[i] = g[i]·f′ for the unary op, from its input x and output y. */
export function unaryGrad(op: i32, x: usize, y: usize, g: usize, dx: usize, n: i32, p0: f32, p1: f32): void {
  let i = 0;
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  if (op == RELU) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(dx + o, v128.and(v128.load(g + o), f32x4.gt(v128.load(x + o), zero)));
    }
  } else if (op == SIGMOID) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const yv = v128.load(y + o);
      v128.store(dx + o, f32x4.mul(f32x4.mul(v128.load(g + o), yv), f32x4.sub(one, yv)));
    }
  } else if (op == TANH) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const yv = v128.load(y + o);
      v128.store(dx + o, f32x4.mul(v128.load(g + o), f32x4.sub(one, f32x4.mul(yv, yv))));
    }
  } else if (op == EXP) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(dx + o, f32x4.mul(v128.load(g + o), v128.load(y + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dx + o, unaryGradScalar(op, load<f32>(x + o), load<f32>(y + o), load<f32>(g + o), p0, p1));
  }
}

@inline function binaryScalar(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case ADD: return a + b;
    case SUB: return a - b;
    case MUL: return a * b;
    case DIV: return a / b;
    case MAX: return a > b || isNaN(a) ? a : b;
    case MIN: return a < b || isNaN(a) ? a : b;
    default: return NaN;
  }
}

@inline function binaryVector(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ADD: return f32x4.add(a, b);
    case SUB: return f32x4.sub(a, b);
    case MUL: return f32x4.mul(a, b);
    case DIV: return f32x4.div(a, b);
    case MAX: return f32x4.max(a, b);
    case MIN: return f32x4.min(a, b);
    default: return a;
  }
}

/** Inner loop of binary(): n elements, a and b with strides 0 or 1 (in elements), out contiguous. */
@inline function binaryRow(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  let i = 0;
  if (sa == 1 && sb == 1) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, binaryVector(op, v128.load(a + o), v128.load(b + o)));
    }
  } else if (sa == 1 && sb == 0) {
    const bv = v128.load32_splat(b);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, binaryVector(op, v128.load(a + o), bv));
    }
  } else if (sa == 0 && sb == 1) {
    const av = v128.load32_splat(a);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, binaryVector(op, av, v128.load(b + o)));
    }
  }
  for (; i < n; i++) {
    store<f32>(
      out + (<usize>i << 2),
      binaryScalar(op, load<f32>(a + (<usize>(i * sa) << 2)), load<f32>(b + (<usize>(i * sb) << 2))),
    );
  }
}

/**
 * Broadcasting binary op over a 4-D output [d0,d1,d2,d3] (contiguous); a and b are read with element
 * strides (0 where broadcast). Callers coalesce shapes to at most four dimensions.
 */
export function binary(
  op: i32, a: usize, b: usize, out: usize,
  d0: i32, d1: i32, d2: i32, d3: i32,
  a0: i32, a1: i32, a2: i32, a3: i32,
  b0: i32, b1: i32, b2: i32, b3: i32,
): void {
  if (a3 > 1 || b3 > 1) {
    // Non-unit inner strides: plain scalar loop.
    let o: usize = out;
    for (let i0 = 0; i0 < d0; i0++)
      for (let i1 = 0; i1 < d1; i1++)
        for (let i2 = 0; i2 < d2; i2++) {
          const ao = i0 * a0 + i1 * a1 + i2 * a2;
          const bo = i0 * b0 + i1 * b1 + i2 * b2;
          for (let i3 = 0; i3 < d3; i3++) {
            store<f32>(o, binaryScalar(op, load<f32>(a + (<usize>(ao + i3 * a3) << 2)), load<f32>(b + (<usize>(bo + i3 * b3) << 2))));
            o += 4;
          }
        }
    return;
  }
  let o: usize = out;
  const rowBytes = <usize>d3 << 2;
  for (let i0 = 0; i0 < d0; i0++)
    for (let i1 = 0; i1 < d1; i1++)
      for (let i2 = 0; i2 < d2; i2++) {
        const ao = i0 * a0 + i1 * a1 + i2 * a2;
        const bo = i0 * b0 + i1 * b1 + i2 * b2;
        binaryRow(op, a + (<usize>ao << 2), a3, b + (<usize>bo << 2), b3, o, d3);
        o += rowBytes;
      }
}

/** y[i] += alpha · x[i] (in place). */
export function axpy(y: usize, x: usize, alpha: f32, n: i32): void {
  let i = 0;
  const av = f32x4.splat(alpha);
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(av, v128.load(x + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + alpha * load<f32>(x + o));
  }
}
