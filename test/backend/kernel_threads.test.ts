// The wasm backend's kernel threads: GEMM, convolution and spike products split over 3 threads equal
// the js reference, and (except the convolution weight gradient, summed per image range) equal the
// one-thread wasm result bit for bit.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { Backend } from "../../src/backend/backend.js";
import type { Conv2dGeometry } from "../../src/backend/kernels/conv.js";
import type { Storage } from "../../src/backend/storage.js";
import { backendByName, getThreads, setThreads, startThreads, ValueError } from "../../src/index.js";
import { defaultNodeThreads, installNodeKernelThreads } from "../../src/node/kernel_workers.js";
import { assertClose, randomData } from "../helpers.js";

installNodeKernelThreads();
const js = backendByName("js");
const wasm = backendByName("wasm");
setThreads(3);

function filled(b: Backend, data: ArrayLike<number>): Storage {
  const s = b.alloc("float32", data.length);
  s.view().set(data);
  return s;
}

/** Runs `kernel` on the js backend and on wasm with 1 and 3 threads; returns the three outputs. */
function threeWays(
  inputs: Float32Array[],
  outLength: number,
  initialOut: Float32Array | null,
  kernel: (b: Backend, ins: Storage[], out: Storage) => void,
): [Float32Array, Float32Array, Float32Array] {
  const results: Float32Array[] = [];
  for (const [backend, threads] of [[js, 1], [wasm, 1], [wasm, 3]] as const) {
    setThreads(threads);
    const ins = inputs.map((d) => filled(backend, d));
    const out = filled(backend, initialOut ?? new Float32Array(outLength));
    kernel(backend, ins, out);
    results.push(Float32Array.from(out.view()));
    for (const s of [...ins, out]) s.free();
  }
  setThreads(3);
  return results as [Float32Array, Float32Array, Float32Array];
}

function scaleOf(x: Float32Array): number {
  return x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

test("kernel threads start in Node", () => {
  assert.equal(getThreads(), 3, "the wasm backend should run kernel threads under Node");
});

test("startThreads starts the kernel workers without blocking, at the thread count, before any kernel runs", async () => {
  setThreads(4);
  assert.equal(await startThreads(), 3, "three workers beside this thread");
  setThreads(3);
  assert.equal(await startThreads(), 3, "a smaller count keeps the pool");
});

test("the default thread count: SNNKIT_THREADS, else the cores (at most 8); a bad value is a typed error", () => {
  assert.equal(defaultNodeThreads({ SNNKIT_THREADS: "3" }), 3);
  const cores = defaultNodeThreads({});
  assert.ok(cores >= 1 && cores <= 8);
  for (const bad of ["0", "-1", "1.5", "x"]) assert.throws(() => defaultNodeThreads({ SNNKIT_THREADS: bad }), ValueError);
});

test("GEMM split over threads (rows or columns, every transpose, accumulate) equals one thread and the reference", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 40, max: 260 }),
      fc.integer({ min: 40, max: 260 }),
      fc.integer({ min: 60, max: 300 }),
      fc.boolean(),
      fc.boolean(),
      fc.boolean(),
      fc.nat(),
      (M, N, K, transA, transB, accumulate, seed) => {
        const a = randomData(M * K, seed);
        const b = randomData(K * N, seed + 1);
        const c0 = randomData(M * N, seed + 2);
        const [ref, one, three] = threeWays([a, b], M * N, c0, (be, [sa, sb], out) =>
          be.gemm({ a: sa, b: sb, c: out, M, N, K, transA, transB, accumulate }),
        );
        assert.deepEqual(three, one, "3 threads differ from 1");
        assertClose(three, ref, 1e-4 * (1 + scaleOf(ref)), 1e-4, "gemm");
      },
    ),
    { numRuns: 25 },
  );
});

test("convolution split over images equals one thread and the reference (weight gradient within rounding)", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 3, max: 9 }),
      fc.integer({ min: 4, max: 9 }),
      fc.integer({ min: 10, max: 18 }),
      fc.integer({ min: 8, max: 20 }),
      fc.nat(),
      (N, C, H, OC, seed) => {
        const [kh, kw, sh, sw, ph, pw] = [3, 3, 1, 1, 1, 1];
        const [OH, OW] = [H, H];
        const g: Conv2dGeometry = { N, C, H, W: H, OC, kh, kw, sh, sw, ph, pw, OH, OW };
        const x = randomData(N * C * H * H, seed);
        const w = randomData(OC * C * kh * kw, seed + 1);
        const dy = randomData(N * OC * OH * OW, seed + 2);
        const [yRef, y1, y3] = threeWays([x, w], N * OC * OH * OW, null, (be, [sx, sw2], out) => be.conv2dForward(sx, sw2, out, g));
        assert.deepEqual(y3, y1, "forward: 3 threads differ from 1");
        assertClose(y3, yRef, 1e-4 * (1 + scaleOf(yRef)), 1e-4, "conv forward");
        const [dxRef, dx1, dx3] = threeWays([dy, w], x.length, null, (be, [sdy, sw2], out) => be.conv2dBackwardInput(sdy, sw2, out, g));
        assert.deepEqual(dx3, dx1, "input gradient: 3 threads differ from 1");
        assertClose(dx3, dxRef, 1e-4 * (1 + scaleOf(dxRef)), 1e-4, "conv input gradient");
        const [dwRef, , dw3] = threeWays([x, dy], w.length, null, (be, [sx, sdy], out) => be.conv2dBackwardWeight(sx, sdy, out, g));
        assertClose(dw3, dwRef, 1e-4 * (1 + scaleOf(dwRef)), 1e-4, "conv weight gradient");
      },
    ),
    { numRuns: 10 },
  );
});

test("spike products split over column ranges equal one thread and the reference", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 200, max: 700 }),
      fc.integer({ min: 100, max: 600 }),
      fc.integer({ min: 33, max: 200 }),
      fc.double({ min: 0.05, max: 0.6, noNaN: true }),
      fc.boolean(),
      fc.nat(),
      (M, K, N, density, accumulate, seed) => {
        const s = randomData(M * K, seed).map((v) => (Math.abs(v) < density ? 1 : 0));
        const w = randomData(K * N, seed + 1);
        const [ref, one, three] = threeWays([s, w], M * N, null, (be, [ss, sw], out) => be.spmm(ss, sw, out, M, K, N));
        assert.deepEqual(three, one, "spmm: 3 threads differ from 1");
        assertClose(three, ref, 1e-4 * (1 + scaleOf(ref)), 1e-4, "spmm");
        const dy = randomData(M * N, seed + 2);
        const dw0 = randomData(K * N, seed + 3);
        const [tRef, t1, t3] = threeWays([s, dy], K * N, dw0, (be, [ss, sdy], out) => be.spmmTransposed(ss, sdy, out, M, K, N, accumulate));
        assert.deepEqual(t3, t1, "spmmTransposed: 3 threads differ from 1");
        assertClose(t3, tRef, 1e-4 * (1 + scaleOf(tRef)), 1e-4, "spmmTransposed");
      },
    ),
    { numRuns: 10 },
  );
});

test("setThreads rejects counts that are not positive integers", () => {
  for (const bad of [0, -2, 1.5, Number.NaN]) assert.throws(() => setThreads(bad), ValueError);
});
