// Every wasm kernel against the js reference kernel on random inputs (fast-check, 200 cases each),
// including sizes that are not multiples of the SIMD width and degenerate sizes (0 and 1).
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { Backend } from "../../src/backend/backend.js";
import type { Conv2dGeometry } from "../../src/backend/kernels/conv.js";
import type { DType, Storage } from "../../src/backend/storage.js";
import { ResetCode, UnaryOp } from "../../src/backend/kernel_codes.js";
import { SurrogateCode } from "../../src/surrogate/surrogate.js";
import { backendByName } from "../../src/index.js";
import { referenceKernels, wasmReferenceFallbacks } from "../../src/backend/kernels/index.js";
import { broadcastPlan, broadcastShapes } from "../../src/tensor/shape.js";
import { assertClose, randomData } from "../helpers.js";

const js = backendByName("js");
const wasm = backendByName("wasm");
const RUNS = { numRuns: 200 };
const dim = (max: number) => fc.integer({ min: 0, max });
const pos = (max: number) => fc.integer({ min: 1, max });

/** The same data on both backends. */
function pair(data: ArrayLike<number>, dtype: DType = "float32"): [Storage, Storage] {
  const make = (b: Backend) => {
    const s = b.alloc(dtype, data.length);
    s.view().set(data);
    return s;
  };
  return [make(js), make(wasm)];
}
function outPair(length: number, dtype: DType = "float32"): [Storage, Storage] {
  return pair(new Float32Array(length), dtype);
}
function freeAll(...pairs: ([Storage, Storage] | null)[]): void {
  for (const p of pairs) if (p) for (const s of p) s.free();
}
/** Tolerance scaled by the reference's magnitude. */
function expectSame(p: [Storage, Storage], what: string, rtol = 1e-5, atol = 1e-5): void {
  const ref = p[0].view();
  let scale = 0;
  for (const v of ref) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  assertClose(p[1].view(), ref, atol * (1 + scale), rtol, what);
}

test("gemm: all transposes, accumulate, odd sizes", () => {
  fc.assert(
    fc.property(
      pos(37),
      pos(41),
      dim(35),
      fc.boolean(),
      fc.boolean(),
      fc.boolean(),
      fc.nat(),
      (M, N, K, tA, tB, acc, seed) => {
        const a = pair(randomData(M * K, seed));
        const b = pair(randomData(K * N, seed + 1));
        const c = pair(randomData(M * N, seed + 2));
        for (const [i, be] of [js, wasm].entries()) be.gemm({ a: a[i], b: b[i], c: c[i], M, N, K, transA: tA, transB: tB, accumulate: acc });
        expectSame(c, `gemm ${M}x${N}x${K} tA=${tA} tB=${tB}`, 1e-4, 1e-5 * Math.sqrt(K + 1));
        freeAll(a, b, c);
      },
    ),
    RUNS,
  );
});

test("gemv (both orientations, accumulate, zero entries of x) and ger", () => {
  fc.assert(
    fc.property(pos(37), pos(41), fc.boolean(), fc.boolean(), fc.nat(), (M, N, trans, acc, seed) => {
      const a = pair(randomData(M * N, seed));
      const x = pair(Float32Array.from(randomData(trans ? M : N, seed + 1), (v, i) => (i % 3 === 0 ? 0 : v)));
      const y = pair(randomData(trans ? N : M, seed + 2));
      for (const [i, be] of [js, wasm].entries()) be.gemv({ a: a[i], x: x[i], y: y[i], M, N, trans, accumulate: acc });
      expectSame(y, `gemv ${M}x${N} trans=${trans}`, 1e-4, 1e-5 * Math.sqrt(M + N));
      const gx = pair(Float32Array.from(randomData(M, seed + 3), (v, i) => (i % 4 === 1 ? 0 : v)));
      const gy = pair(randomData(N, seed + 4));
      for (const [i, be] of [js, wasm].entries()) be.ger({ a: a[i], x: gx[i], y: gy[i], M, N, alpha: -0.37 });
      assert.deepEqual([...a[1].f32()], [...a[0].f32()], "ger is exact in float32");
      freeAll(a, x, y, gx, gy);
    }),
    RUNS,
  );
});

test("gemm: large blocked sizes with offsets", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 90, max: 140 }),
      fc.integer({ min: 1, max: 20 }),
      fc.integer({ min: 250, max: 300 }),
      fc.nat(),
      (M, N, K, seed) => {
        const a = pair(randomData(M * K + 3, seed));
        const b = pair(randomData(K * N + 5, seed + 1));
        const c = pair(new Float32Array(M * N + 2));
        for (const [i, be] of [js, wasm].entries())
          be.gemm({ a: a[i], aOffset: 3, b: b[i], bOffset: 5, c: c[i], cOffset: 2, M, N, K, transB: seed % 2 === 0 });
        expectSame(c, "gemm large", 1e-4, 1e-4);
        freeAll(a, b, c);
      },
    ),
    { numRuns: 20 },
  );
});

const unaryNames = Object.keys(UnaryOp) as (keyof typeof UnaryOp)[];
test("unary and unaryGrad, every op", () => {
  fc.assert(
    fc.property(fc.constantFrom(...unaryNames), dim(67), fc.nat(), (op, n, seed) => {
      const positive = op === "log" || op === "sqrt" || op === "pow";
      const x = pair(randomData(n, seed, 3).map((v) => (positive ? Math.abs(v) + 0.1 : v)));
      const [p0, p1] =
        op === "clamp" ? [-1, 0.5] : op === "pow" ? [[2, 3, -1.5, 0.5][seed % 4], 0] : [1.7, -0.3];
      const y = outPair(n);
      for (const [i, be] of [js, wasm].entries()) be.unary(op, x[i], y[i], p0, p1);
      expectSame(y, `unary ${op}`, 2e-6, 1e-6);
      const g = pair(randomData(n, seed + 1));
      const dx = outPair(n);
      for (const [i, be] of [js, wasm].entries()) be.unaryGrad(op, x[i], y[0 + i], g[i], dx[i], p0, p1);
      expectSame(dx, `unaryGrad ${op}`, 1e-5, 1e-6);
      freeAll(x, y, g, dx);
    }),
    RUNS,
  );
});

// sigmoid(x) below x ≈ −88.7 is 0 in wasm (e^{−x} overflows) where the reference gives a subnormal < 1.2e-38.
test("unary exp, sigmoid and tanh over the whole float range, incl. overflow and NaN", () => {
  const x = pair(
    Float32Array.from([
      -200,
      -104,
      -90,
      -87.5,
      -20,
      -1e-6,
      0,
      1e-6,
      0.3,
      20,
      88.5,
      89,
      200,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]),
  );
  for (const op of ["exp", "sigmoid", "tanh"] as const) {
    const y = outPair(x[0].length);
    for (const [i, be] of [js, wasm].entries()) be.unary(op, x[i], y[i], 0, 0);
    assertClose(y[1].view(), y[0].view(), op === "sigmoid" ? 1.2e-38 : 1e-44, 3e-6, op);
    freeAll(y);
  }
  freeAll(x);
});

const shapeArb = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 5 });
test("binary ops with broadcasting (up to rank 5)", () => {
  fc.assert(
    fc.property(
      fc.constantFrom("add", "sub", "mul", "div", "maximum", "minimum" as const),
      shapeArb,
      fc.array(fc.boolean(), { maxLength: 5 }),
      fc.nat(),
      (op, shapeA, mask, seed) => {
        // b: a random broadcast-compatible shape (some dims set to 1, maybe fewer dims)
        const shapeB = shapeA.map((d, i) => (mask[i] ? 1 : d)).slice(seed % (shapeA.length + 1));
        const out = broadcastShapes("test", shapeA, shapeB);
        const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
        const a = pair(randomData(size(shapeA), seed));
        const b = pair(randomData(size(shapeB), seed + 1));
        const o = outPair(size(out));
        const plan = broadcastPlan(out, [shapeA, shapeB]);
        for (const [i, be] of [js, wasm].entries()) be.binary(op, a[i], b[i], o[i], plan);
        expectSame(o, `binary ${op}`, 1e-6, 1e-7);
        freeAll(a, b, o);
      },
    ),
    RUNS,
  );
});

test("axpy, reduceSum, reduceMax (with indices)", () => {
  fc.assert(
    fc.property(pos(9), dim(23), pos(11), fc.nat(), (outer, n, inner, seed) => {
      const size = outer * n * inner;
      const x = pair(randomData(size, seed).map((v) => (v > 0.8 ? 0 : v)));
      const y = pair(randomData(size, seed + 1));
      for (const [i, be] of [js, wasm].entries()) be.axpy(y[i], x[i], -0.7);
      expectSame(y, "axpy", 1e-6, 1e-7);
      const s = outPair(outer * inner);
      for (const [i, be] of [js, wasm].entries()) be.reduceSum(x[i], s[i], outer, n, inner);
      expectSame(s, "reduceSum", 1e-5, 1e-6);
      if (n > 0) {
        const m = outPair(outer * inner);
        const idx = outPair(outer * inner, "int32");
        for (const [i, be] of [js, wasm].entries()) be.reduceMax(x[i], m[i], idx[i], outer, n, inner);
        expectSame(m, "reduceMax", 0, 0);
        expectSame(idx, "reduceMax indices", 0, 0);
        freeAll(m, idx);
      }
      freeAll(x, y, s);
    }),
    RUNS,
  );
});

const convArb = fc
  .record({
    N: pos(3),
    C: pos(3),
    H: pos(9),
    W: pos(9),
    OC: pos(4),
    kh: pos(4),
    kw: pos(4),
    sh: pos(3),
    sw: pos(3),
    ph: dim(2),
    pw: dim(2),
    seed: fc.nat(),
  })
  .filter((g) => g.H + 2 * g.ph >= g.kh && g.W + 2 * g.pw >= g.kw && 2 * g.ph <= g.kh && 2 * g.pw <= g.kw);
function geometryOf(g: {
  N: number;
  C: number;
  H: number;
  W: number;
  OC: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
}): Conv2dGeometry {
  const OH = Math.floor((g.H + 2 * g.ph - g.kh) / g.sh) + 1;
  const OW = Math.floor((g.W + 2 * g.pw - g.kw) / g.sw) + 1;
  return { ...g, OH, OW };
}

/**
 * Runs the three conv kernels on both backends and compares; with `spikeDensity`, x is a spike tensor of
 * that density (the wasm spike-product path up to 50 %).
 */
function checkConv(g: Conv2dGeometry, seed: number, spikeDensity?: number): void {
  const data = randomData(g.N * g.C * g.H * g.W, seed);
  const x = pair(spikeDensity === undefined ? data : data.map((v) => (Math.abs(v) < spikeDensity ? 1 : 0)));
  const w = pair(randomData(g.OC * g.C * g.kh * g.kw, seed + 1));
  const y = outPair(g.N * g.OC * g.OH * g.OW);
  for (const [i, be] of [js, wasm].entries()) be.conv2dForward(x[i], w[i], y[i], g);
  expectSame(y, "conv2d forward", 1e-4, 1e-5);
  const dy = pair(randomData(y[0].length, seed + 2));
  const dx = outPair(x[0].length);
  const dw = outPair(w[0].length);
  for (const [i, be] of [js, wasm].entries()) {
    be.conv2dBackwardInput(dy[i], w[i], dx[i], g);
    be.conv2dBackwardWeight(x[i], dy[i], dw[i], g);
  }
  expectSame(dx, "conv2d input gradient", 1e-4, 1e-5);
  expectSame(dw, "conv2d weight gradient", 1e-4, 1e-5);
  freeAll(x, w, y, dy, dx, dw);
}

test("binaryNonzeros: the count of ones of a 0/1 array, −1 at any other value (any length, any position)", () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(0, 1), { maxLength: 70 }), fc.nat(80), fc.constantFrom(0.5, -1, 2, NaN, -0), (bits, at, other) => {
      const data: number[] = [...bits];
      if (at < data.length) data[at] = other;
      const [a, b] = pair(data);
      const want = js.binaryNonzeros(a);
      assert.equal(wasm.binaryNonzeros(b), want);
      const ones = data.filter((v) => v === 1).length;
      const binary = data.every((v) => v === 0 || v === 1);
      assert.equal(want, binary ? ones : -1);
    }),
    RUNS,
  );
});

test("conv2d forward, input gradient and weight gradient", () => {
  fc.assert(
    fc.property(convArb, (r) => checkConv(geometryOf(r), r.seed)),
    RUNS,
  );
});

test("conv2d of spike inputs (wasm: im2row and spike products) equals the reference", () => {
  fc.assert(
    fc.property(convArb, fc.double({ min: 0, max: 0.6, noNaN: true }), (r, density) => checkConv(geometryOf(r), r.seed, density)),
    RUNS,
  );
  // Several groups of images and enough rows for the lookup tables: 8×8 outputs, groups of 32 images.
  checkConv({ N: 70, C: 6, H: 12, W: 12, OC: 40, kh: 5, kw: 5, sh: 1, sw: 1, ph: 0, pw: 0, OH: 8, OW: 8 }, 13, 0.25);
});

test("conv2d over several image groups, the last one partial (wasm groups ~2048 output columns)", () => {
  // 24×24 outputs: groups of 3 images, so N = 7 runs groups of 3, 3 and 1; 15×15: groups of 9 and 2.
  checkConv({ N: 7, C: 2, H: 28, W: 28, OC: 3, kh: 5, kw: 5, sh: 1, sw: 1, ph: 0, pw: 0, OH: 24, OW: 24 }, 11);
  checkConv({ N: 11, C: 3, H: 30, W: 30, OC: 4, kh: 3, kw: 3, sh: 2, sw: 2, ph: 1, pw: 1, OH: 15, OW: 15 }, 12);
});

test("max and average pooling, forward and backward", () => {
  fc.assert(
    fc.property(convArb, (r) => {
      const g = { ...geometryOf({ ...r, OC: r.C }) };
      const planes = g.N * g.C;
      const x = pair(randomData(planes * g.H * g.W, r.seed));
      const n = planes * g.OH * g.OW;
      const y = outPair(n);
      const idx = outPair(n, "int32");
      const dy = pair(randomData(n, r.seed + 1));
      const dx = outPair(x[0].length);
      for (const [i, be] of [js, wasm].entries()) {
        be.maxPool2dForward(x[i], y[i], idx[i], g);
        be.maxPool2dBackward(dy[i], idx[i], dx[i], g);
      }
      expectSame(y, "maxPool2d", 0, 0);
      expectSame(idx, "maxPool2d indices", 0, 0);
      expectSame(dx, "maxPool2d backward", 1e-6, 1e-6);
      const ay = outPair(n);
      const adx = outPair(x[0].length);
      for (const [i, be] of [js, wasm].entries()) {
        be.avgPool2dForward(x[i], ay[i], g);
        be.avgPool2dBackward(dy[i], adx[i], g);
      }
      expectSame(ay, "avgPool2d", 1e-5, 1e-6);
      expectSame(adx, "avgPool2d backward", 1e-5, 1e-6);
      freeAll(x, y, idx, dy, dx, ay, adx);
    }),
    RUNS,
  );
});

test("2×2 stride-2 max pooling (the wasm four-window path), with ties, spikes and NaN", () => {
  fc.assert(
    fc.property(pos(3), fc.integer({ min: 2, max: 21 }), fc.integer({ min: 2, max: 21 }), fc.nat(), fc.constantFrom("real", "spikes", "nan"), (planes, H, W, seed, kind) => {
      const g: Conv2dGeometry = { N: planes, C: 1, H, W, OC: 1, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0, OH: H >> 1, OW: W >> 1 };
      // Spikes make ties everywhere (the first of equal values wins); NaN must win over numbers.
      const data = randomData(planes * H * W, seed).map((v, i) =>
        kind === "spikes" ? (v > 0.3 ? 1 : 0) : kind === "nan" && i % 7 === 3 ? Number.NaN : v,
      );
      const x = pair(data);
      const n = planes * g.OH * g.OW;
      const y = outPair(n);
      const idx = outPair(n, "int32");
      for (const [i, be] of [js, wasm].entries()) be.maxPool2dForward(x[i], y[i], idx[i], g);
      assert.deepEqual(Array.from(idx[1].view()), Array.from(idx[0].view()), "indices");
      assert.deepEqual(Array.from(y[1].view()), Array.from(y[0].view()), "maxima");
      freeAll(x, y, idx);
    }),
    RUNS,
  );
});

test("sparse products (spikes and weighted sparse inputs) equal the reference", () => {
  fc.assert(
    fc.property(
      dim(17),
      dim(29),
      // N up to 300 crosses the kernels' 32-column register blocks and 128-column cache chunks.
      fc.oneof(pos(37), pos(300)),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.boolean(),
      fc.nat(),
      fc.boolean(),
      (M, K, N, density, acc, seed, binary) => {
        const value = (v: number) => (binary ? 1 : 0.5 + v);
        const s = pair(randomData(M * K, seed).map((v) => (Math.abs(v) < density ? value(v) : 0)));
        const w = pair(randomData(K * N, seed + 1));
        const o = outPair(M * N);
        for (const [i, be] of [js, wasm].entries()) be.spmm(s[i], w[i], o[i], M, K, N);
        expectSame(o, "spmm", 1e-5, 1e-6);
        const dy = pair(randomData(M * N, seed + 2));
        const dw = pair(randomData(K * N, seed + 3));
        for (const [i, be] of [js, wasm].entries()) be.spmmTransposed(s[i], dy[i], dw[i], M, K, N, acc);
        expectSame(dw, "spmmTransposed", 1e-5, 1e-6);
        freeAll(s, w, o, dy, dw);
      },
    ),
    RUNS,
  );
});

test("spike products past one lookup-table block (more than 512 summed rows) equal the reference", () => {
  // The spike path tabulates groups of four rows in blocks of 128 groups: K = 1030 and M = 530 need
  // several blocks (the later ones accumulate), N = 45 a partial 32-column chunk.
  const [M, K, N] = [530, 1030, 45];
  for (const [seed, density] of [[5, 0.3], [6, 0.02]] as const) {
    const s = pair(randomData(M * K, seed).map((v) => (Math.abs(v) < density ? 1 : 0)));
    const w = pair(randomData(K * N, seed + 1));
    const o = outPair(M * N);
    for (const [i, be] of [js, wasm].entries()) be.spmm(s[i], w[i], o[i], M, K, N);
    expectSame(o, "spmm", 1e-5, 1e-5);
    const dy = pair(randomData(M * N, seed + 2));
    for (const acc of [false, true]) {
      const dw = pair(randomData(K * N, seed + 3));
      for (const [i, be] of [js, wasm].entries()) be.spmmTransposed(s[i], dy[i], dw[i], M, K, N, acc);
      expectSame(dw, "spmmTransposed", 1e-5, 1e-5);
      freeAll(dw);
    }
    freeAll(s, w, o, dy);
  }
});

const resets = Object.keys(ResetCode) as (keyof typeof ResetCode)[];
const surrogates = Object.keys(SurrogateCode) as (keyof typeof SurrogateCode)[];
test("fused LIF forward (bit-exact) and backward, every reset and surrogate, with and without s[−1] and membrane noise", () => {
  fc.assert(
    fc.property(
      fc.record({
        T: pos(12),
        P: dim(23),
        reset: fc.constantFrom(...resets),
        surrogate: fc.constantFrom(...surrogates),
        detach: fc.boolean(),
        withMem0: fc.boolean(),
        withSpk0: fc.boolean(),
        spk0Surrogate: fc.boolean(),
        withNoise: fc.boolean(),
        withGSpk: fc.boolean(),
        withGMem: fc.boolean(),
        beta: fc.double({ min: 0, max: 1, noNaN: true }),
        threshold: fc.double({ min: 0.1, max: 2, noNaN: true }),
        h0: fc.constantFrom(0, 0.5),
        inputGain: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1.5, noNaN: true })),
        refractoryGain: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
        seed: fc.nat(),
      }),
      (r) => {
        const { T, P } = r;
        const params = {
          T,
          P,
          beta: Math.fround(r.beta),
          threshold: Math.fround(r.threshold),
          reset: r.reset,
          h0: r.h0,
          inputGain: Math.fround(r.inputGain),
          refractoryGain: Math.fround(r.refractoryGain),
          detachReset: r.detach,
          surrogate: r.surrogate,
          surrogateParam: [25, 2, 5, 1, 1, 0.3, 0.25, 0.5][SurrogateCode[r.surrogate]],
          spk0Surrogate: r.spk0Surrogate,
        };
        const input = pair(randomData(T * P, r.seed, 0.8));
        const mem0 = r.withMem0 ? pair(randomData(P, r.seed + 1)) : null;
        const spk0 = r.withSpk0 ? pair(Float32Array.from(randomData(P, r.seed + 4), (v) => (v > 0 ? 1 : 0))) : null;
        const noise = r.withNoise ? pair(randomData(T * P, r.seed + 5, 0.3)) : null;
        const start = [0, 1].map((i) => ({ mem0: mem0?.[i] ?? null, spk0: spk0?.[i] ?? null, noise: noise?.[i] ?? null }));
        const mem = outPair(T * P);
        const spk = outPair(T * P);
        for (const [i, be] of [js, wasm].entries()) be.lifForward(input[i], start[i], mem[i], spk[i], params);
        expectSame(mem, "lif membrane", 0, 0);
        expectSame(spk, "lif spikes", 0, 0);
        const gSpk = r.withGSpk ? pair(randomData(T * P, r.seed + 2)) : null;
        const gMem = r.withGMem ? pair(randomData(T * P, r.seed + 3)) : null;
        const dIn = outPair(T * P);
        const dM0 = r.withMem0 ? outPair(P) : null;
        for (const [i, be] of [js, wasm].entries()) {
          be.lifBackward(
            input[i],
            start[i],
            mem[i],
            spk[i],
            gSpk?.[i] ?? null,
            gMem?.[i] ?? null,
            dIn[i],
            dM0?.[i] ?? null,
            params,
          );
        }
        expectSame(dIn, "lif input gradient", 1e-4, 1e-5);
        if (dM0) expectSame(dM0, "lif mem0 gradient", 1e-4, 1e-5);
        freeAll(input, mem0, spk0, noise, mem, spk, gSpk, gMem, dIn, dM0);
      },
    ),
    RUNS,
  );
});

test("fused ALIF forward (bit-exact) and backward, both resets and every surrogate, with and without a start and each upstream gradient", () => {
  fc.assert(
    fc.property(
      fc.record({
        T: pos(12),
        P: dim(300),
        reset: fc.constantFrom("subtract" as const, "zero" as const),
        surrogate: fc.constantFrom(...surrogates),
        detach: fc.boolean(),
        withStart: fc.boolean(),
        grads: fc.constantFrom("spk", "mem", "adapt", "all"),
        beta: fc.double({ min: 0, max: 1, noNaN: true }),
        threshold: fc.double({ min: 0.1, max: 2, noNaN: true }),
        rho: fc.double({ min: 0, max: 0.999, noNaN: true }),
        gamma: fc.double({ min: 0, max: 3, noNaN: true }),
        h0: fc.constantFrom(0, 0.5),
        refractoryGain: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
        seed: fc.nat(),
      }),
      (r) => {
        const { T, P } = r;
        const params = {
          T,
          P,
          beta: Math.fround(r.beta),
          threshold: Math.fround(r.threshold),
          rho: Math.fround(r.rho),
          gamma: Math.fround(r.gamma),
          inputGain: 1,
          reset: r.reset,
          refractoryGain: Math.fround(r.refractoryGain),
          h0: r.h0,
          detachReset: r.detach,
          surrogate: r.surrogate,
          surrogateParam: [25, 2, 5, 1, 1, 0.3, 0.25, 0.5][SurrogateCode[r.surrogate]],
        };
        const input = pair(randomData(T * P, r.seed, 1).map((v) => v + 0.3));
        const mem0 = r.withStart ? pair(randomData(P, r.seed + 1)) : null;
        const adapt0 = r.withStart ? pair(randomData(P, r.seed + 2, 0.3).map(Math.abs)) : null;
        const start = [0, 1].map((i) => ({ mem0: mem0?.[i] ?? null, adapt0: adapt0?.[i] ?? null }));
        const [mem, spk, adapt] = [outPair(T * P), outPair(T * P), outPair(T * P)];
        for (const [i, be] of [js, wasm].entries()) be.alifForward(input[i], start[i], mem[i], spk[i], adapt[i], params);
        expectSame(mem, "alif membrane", 0, 0);
        expectSame(spk, "alif spikes", 0, 0);
        expectSame(adapt, "alif adaptation", 0, 0);
        const upstream = (name: string, seed: number) => (r.grads === name || r.grads === "all" ? pair(randomData(T * P, seed)) : null);
        const [gS, gM, gA] = [upstream("spk", r.seed + 3), upstream("mem", r.seed + 4), upstream("adapt", r.seed + 5)];
        const dIn = outPair(T * P);
        const dM0 = r.withStart ? outPair(P) : null;
        const dA0 = r.withStart ? outPair(P) : null;
        for (const [i, be] of [js, wasm].entries())
          be.alifBackward(input[i], start[i], mem[i], spk[i], adapt[i], { spk: gS?.[i] ?? null, mem: gM?.[i] ?? null, adapt: gA?.[i] ?? null }, dIn[i], { mem0: dM0?.[i] ?? null, adapt0: dA0?.[i] ?? null }, params);
        expectSame(dIn, "alif input gradient", 1e-4, 1e-5);
        if (dM0) expectSame(dM0, "alif mem0 gradient", 1e-4, 1e-5);
        if (dA0) expectSame(dA0, "alif adapt0 gradient", 1e-4, 1e-5);
        freeAll(input, mem0, adapt0, mem, spk, adapt, gS, gM, gA, dIn, dM0, dA0);
      },
    ),
    RUNS,
  );
});

test("fused alpha neuron forward (bit-exact) and backward, both resets and every surrogate, with and without starts and each upstream gradient", () => {
  fc.assert(
    fc.property(
      fc.record({
        T: pos(12),
        P: dim(300),
        reset: fc.constantFrom("subtract" as const, "zero" as const),
        surrogate: fc.constantFrom(...surrogates),
        detach: fc.boolean(),
        withStart: fc.boolean(),
        grads: fc.constantFrom("spk", "exc", "inh", "mem", "all"),
        alpha: fc.double({ min: 0.5, max: 0.99, noNaN: true }),
        beta: fc.double({ min: 0.01, max: 0.49, noNaN: true }),
        threshold: fc.double({ min: 0.1, max: 2, noNaN: true }),
        seed: fc.nat(),
      }),
      (r) => {
        const { T, P } = r;
        const params = {
          T,
          P,
          alpha: Math.fround(r.alpha),
          beta: Math.fround(r.beta),
          tauAlpha: Math.fround(Math.log(r.alpha) / (Math.log(r.beta) - Math.log(r.alpha)) + 1),
          threshold: Math.fround(r.threshold),
          reset: r.reset,
          detachReset: r.detach,
          surrogate: r.surrogate,
          surrogateParam: [25, 2, 5, 1, 1, 0.3, 0.25, 0.5][SurrogateCode[r.surrogate]],
        };
        const input = pair(randomData(T * P, r.seed, 1).map((v) => v + 0.3));
        const starts = [1, 2, 3].map((k) => (r.withStart ? pair(randomData(P, r.seed + k, 0.5)) : null));
        const start = [0, 1].map((i) => ({ exc: starts[0]?.[i] ?? null, inh: starts[1]?.[i] ?? null, mem: starts[2]?.[i] ?? null }));
        const [exc, inh, mem, spk] = [outPair(T * P), outPair(T * P), outPair(T * P), outPair(T * P)];
        for (const [i, be] of [js, wasm].entries()) be.alphaForward(input[i], start[i], { exc: exc[i], inh: inh[i], mem: mem[i] }, spk[i], params);
        for (const [p, what] of [[exc, "exc"], [inh, "inh"], [mem, "mem"], [spk, "spikes"]] as const) expectSame(p, `alpha ${what}`, 0, 0);
        const upstream = (name: string, seed: number) => (r.grads === name || r.grads === "all" ? pair(randomData(T * P, seed)) : null);
        const g = { spk: upstream("spk", r.seed + 4), exc: upstream("exc", r.seed + 5), inh: upstream("inh", r.seed + 6), mem: upstream("mem", r.seed + 7) };
        const dIn = outPair(T * P);
        const dStarts = [0, 1, 2].map(() => (r.withStart ? outPair(P) : null));
        for (const [i, be] of [js, wasm].entries())
          be.alphaBackward(
            input[i],
            start[i],
            { exc: exc[i], inh: inh[i], mem: mem[i] },
            spk[i],
            { spk: g.spk?.[i] ?? null, exc: g.exc?.[i] ?? null, inh: g.inh?.[i] ?? null, mem: g.mem?.[i] ?? null },
            dIn[i],
            { exc: dStarts[0]?.[i] ?? null, inh: dStarts[1]?.[i] ?? null, mem: dStarts[2]?.[i] ?? null },
            params,
          );
        expectSame(dIn, "alpha input gradient", 1e-4, 1e-5);
        dStarts.forEach((d, k) => d && expectSame(d, `alpha start ${k} gradient`, 1e-4, 1e-5));
        freeAll(input, ...starts, exc, inh, mem, spk, g.spk, g.exc, g.inh, g.mem, dIn, ...dStarts);
      },
    ),
    RUNS,
  );
});

test("the wasm backend binds every kernel except its listed reference fallbacks", () => {
  const reference = referenceKernels() as unknown as Record<string, unknown>;
  const onWasm = wasm as unknown as Record<string, unknown>;
  const fallbacks = wasmReferenceFallbacks();
  for (const name of Object.keys(reference)) {
    assert.equal(typeof onWasm[name], "function", `wasm backend lacks ${name}`);
    assert.equal(onWasm[name] === reference[name], fallbacks.includes(name), `${name}: bound or listed, not both`);
  }
  // The fallbacks are a decision: a kernel added to this list must be added here too.
  assert.deepEqual(fallbacks.sort(), ["compare", "copy", "fill", "gather", "scatterAdd", "softmax", "softmaxGrad", "stridedCopy", "where"]);
});
