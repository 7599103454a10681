// The native backend (Node, where its addon is built): its GEMM on every path this machine has (OpenBLAS,
// snnkit's AVX-512, AVX2 and portable kernels) against the js reference on random inputs (fast-check),
// across the blocking boundaries; its spike products bit for bit the wasm kernel's (itself tested against
// the reference); every other kernel is the wasm backend's own (checked, so wasm_vs_js covers them); a
// training pass on it matches the wasm backend's; bad operands are typed errors.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import type { NativeBackend, NativeGemmPath } from "../../src/backend/native.js";
import { nativeAddon } from "../../src/backend/native.js";
import { backendByName, defaultBackendName, setBackend } from "../../src/backend/registry.js";
import { runBackend } from "../../src/tasks/run/settings.js";
import type { Storage } from "../../src/backend/storage.js";
import { BackendError, ValueError } from "../../src/errors.js";
import { installNodeNativeAddon, nativeStatus } from "../../src/node/native_addon.js";
import { assertClose, randomData } from "../helpers.js";
import { LIF } from "../../src/neurons/lif_module.js";
import { Linear } from "../../src/nn/linear.js";
import { Sequential } from "../../src/nn/sequential.js";
import { ceCountLoss } from "../../src/nn/spike_losses.js";
import { Rng } from "../../src/random/rng.js";
import { bernoulli } from "../../src/tensor/creation.js";
import { initialWeights, SpikingMlp } from "../../src/dsn/spiking_mlp.js";

installNodeNativeAddon();
const present = nativeAddon() !== null;
const skip = present ? false : `no native addon here (${nativeStatus()})`;

const js = backendByName("js");

function on(backend: ReturnType<typeof backendByName>, data: ArrayLike<number>): Storage {
  const s = backend.alloc("float32", data.length);
  s.view().set(data);
  return s;
}

/** The paths this machine has. */
function paths(native: NativeBackend): NativeGemmPath[] {
  const f = native.features;
  return [...(f.blas !== null ? ["blas" as const] : []), ...(f.avx512 ? ["avx512" as const] : []), ...(f.avx2 ? ["avx2" as const] : []), "portable" as const];
}

test("native gemm, every path: all transposes, accumulate, offsets, sizes across the blocking (KC 256, panels of 12, 6 and 4 rows) against the reference", { skip }, () => {
  const native = backendByName("native") as NativeBackend;
  const before = native.gemmPath();
  try {
    for (const path of paths(native)) {
      native.setGemmPath(path);
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 200 }),
          fc.integer({ min: 1, max: 90 }),
          fc.integer({ min: 0, max: 600 }),
          fc.boolean(),
          fc.boolean(),
          fc.boolean(),
          fc.nat({ max: 7 }),
          fc.nat(),
          (M, N, K, tA, tB, acc, off, seed) => {
            const a = randomData(off + M * K, seed);
            const b = randomData(off + K * N, seed + 1);
            const c = randomData(off + M * N, seed + 2);
            const [ra, rb, rc] = [on(js, a), on(js, b), on(js, c)];
            const [na, nb, nc] = [on(native, a), on(native, b), on(native, c)];
            const g = { M, N, K, aOffset: off, bOffset: off, cOffset: off, transA: tA, transB: tB, accumulate: acc };
            js.gemm({ a: ra, b: rb, c: rc, ...g });
            native.gemm({ a: na, b: nb, c: nc, ...g });
            const ref = rc.view();
            let scale = 0;
            for (const v of ref) scale = Math.max(scale, Math.abs(v));
            assertClose(nc.view(), ref, 1e-5 * (1 + scale) * Math.sqrt(K + 1), 1e-4, `${path}: gemm ${M}×${N}×${K} tA=${tA} tB=${tB} acc=${acc} offset ${off}`);
            assert.deepEqual(Array.from(nc.view().subarray(0, off)), Array.from(c.subarray(0, off)), "nothing before the offset is written");
            for (const s of [ra, rb, rc, na, nb, nc]) s.free();
          },
        ),
        { numRuns: 60, seed: 24 },
      );
    }
  } finally {
    native.setGemmPath(before);
  }
});

test("native spike products (the four-spike tables), every add path, both orientations, accumulate: bit for bit the wasm kernel's; non-binary S and sparse S left to the wasm kernel", { skip }, () => {
  const native = backendByName("native") as NativeBackend;
  const wasm = backendByName("wasm");
  const addon = nativeAddon()!;
  const addPaths = (["avx512", "avx2", "portable"] as const).filter((p) => p === "portable" || native.features[p]);
  let tabled = 0;
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 300 }),
      fc.integer({ min: 1, max: 700 }),
      fc.integer({ min: 1, max: 150 }),
      fc.double({ min: 0.05, max: 0.6, noNaN: true }),
      fc.boolean(),
      fc.nat(),
      (M, K, N, density, acc, seed) => {
        let state = seed + 1;
        const rand = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
        const spikes = Float32Array.from({ length: M * K }, () => (rand() < density ? 1 : 0));
        const w = randomData(K * N, seed + 1);
        const dy = randomData(M * N, seed + 2);
        const start = randomData(K * N, seed + 3);
        // Forward S·W and the weight gradient Sᵀ·dY on the wasm backend, then natively through the backend.
        const sw = on(wasm, spikes);
        const [ww, outW] = [on(wasm, w), wasm.alloc("float32", M * N)];
        const [dyW, dwW] = [on(wasm, dy), on(wasm, start)];
        wasm.spmm(sw, ww, outW, M, K, N);
        wasm.spmmTransposed(sw, dyW, dwW, M, K, N, acc);
        const sn = on(native, spikes);
        const [wn, outN] = [on(native, w), native.alloc("float32", M * N)];
        const [dyN, dwN] = [on(native, dy), on(native, start)];
        native.spmm(sn, wn, outN, M, K, N);
        native.spmmTransposed(sn, dyN, dwN, M, K, N, acc);
        assert.deepEqual(outN.view(), outW.view(), `S·W ${M}×${K}·${K}×${N} at ${density.toFixed(2)}`);
        assert.deepEqual(dwN.view(), dwW.view(), `Sᵀ·dY, accumulate ${acc}`);
        // Each add path directly, where the table pays: the same bits.
        for (const path of addPaths) {
          const out = new Float32Array(M * N);
          const status = addon.spikeTable(spikes, 0, M, K, false, w, 0, N, out, 0, false, path, 2);
          if (status === 1) {
            assert.deepEqual(out, outW.view(), `${path}: S·W`);
            tabled++;
          } else assert.equal(status, 0, "binary S: done or declined");
        }
        for (const x of [sw, ww, outW, dyW, dwW, sn, wn, outN, dyN, dwN]) x.free();
      },
    ),
    { numRuns: 40, seed: 7 },
  );
  assert.ok(tabled >= 30, `${tabled} products ran on the tables`);
  // A value other than 0 or 1: −1, nothing written; a very sparse S: 0 (one row per spike pays better).
  const out = new Float32Array(4 * 8).fill(5);
  const s = new Float32Array(4 * 64).fill(0);
  s[3] = 0.5;
  assert.equal(addon.spikeTable(s, 0, 4, 64, false, new Float32Array(64 * 8), 0, 8, out, 0, false, "portable", 1), -1);
  assert.ok(out.every((v) => v === 5));
  s[3] = 1;
  assert.equal(addon.spikeTable(s, 0, 4, 64, false, new Float32Array(64 * 8), 0, 8, out, 0, false, "portable", 1), 0);
});

test("native convolution (im2col and the own GEMM), every path: forward, input and weight gradients, strides, padding, spike inputs, against the reference", { skip }, () => {
  const native = backendByName("native") as NativeBackend;
  const before = native.gemmPath();
  try {
    for (const path of paths(native).filter((p) => p !== "blas")) {
      native.setGemmPath(path);
      fc.assert(
        fc.property(
          fc.record({ N: fc.integer({ min: 1, max: 5 }), C: fc.integer({ min: 1, max: 6 }), OC: fc.integer({ min: 1, max: 20 }), H: fc.integer({ min: 3, max: 18 }), W: fc.integer({ min: 3, max: 18 }), k: fc.integer({ min: 1, max: 5 }), s: fc.integer({ min: 1, max: 2 }), p: fc.integer({ min: 0, max: 2 }) }),
          fc.boolean(),
          fc.nat(),
          ({ N, C, OC, H, W, k, s, p }, spikes, seed) => {
            const [kh, kw] = [Math.min(k, H + 2 * p), Math.min(k, W + 2 * p)];
            const g = { N, C, H, W, OC, kh, kw, sh: s, sw: s, ph: p, pw: p, OH: Math.floor((H + 2 * p - kh) / s) + 1, OW: Math.floor((W + 2 * p - kw) / s) + 1 };
            const x = spikes ? Float32Array.from(randomData(N * C * H * W, seed), (v) => (v > 0.3 ? 1 : 0)) : randomData(N * C * H * W, seed);
            const w = randomData(OC * C * kh * kw, seed + 1);
            const dy = randomData(N * OC * g.OH * g.OW, seed + 2);
            const run = (b: ReturnType<typeof backendByName>) => {
              const [xs, ws, dys] = [on(b, x), on(b, w), on(b, dy)];
              const [out, dx, dw] = [b.alloc("float32", dy.length), b.alloc("float32", x.length), b.alloc("float32", w.length)];
              b.conv2dForward(xs, ws, out, g);
              b.conv2dBackwardInput(dys, ws, dx, g);
              b.conv2dBackwardWeight(xs, dys, dw, g);
              const result = [Float32Array.from(out.view()), Float32Array.from(dx.view()), Float32Array.from(dw.view())];
              for (const t of [xs, ws, dys, out, dx, dw]) t.free();
              return result;
            };
            const [ref, got] = [run(js), run(native)];
            ["forward", "input gradient", "weight gradient"].forEach((what, i) => {
              let scale = 0;
              for (const v of ref[i]) scale = Math.max(scale, Math.abs(v));
              assertClose(got[i], ref[i], 1e-5 * (1 + scale) * 10, 1e-4, `${path}: conv ${what} ${JSON.stringify(g)}`);
            });
          },
        ),
        { numRuns: 40, seed: 11 },
      );
    }
  } finally {
    native.setGemmPath(before);
  }
});

test("the native backend shares the wasm backend's memory and runs its kernels but GEMM, convolution, spike products, herding and the fused LIF; a training pass on it matches the wasm backend's", { skip }, () => {
  const native = backendByName("native") as NativeBackend;
  const wasm = backendByName("wasm");
  const own = new Set(["gemm", "spmm", "spmmTransposed", "conv2dForward", "conv2dBackwardInput", "conv2dBackwardWeight", "herdVector", "herdRows", "herdColumns", "outerUpdate", "lifForward", "lifBackward", "name", "features", "gemmPath", "setGemmPath"]);
  for (const [k, v] of Object.entries(wasm)) if (!own.has(k)) assert.equal((native as unknown as Record<string, unknown>)[k], v, `${k} is the wasm backend's`);
  // A forward and backward pass of a small spiking network on each backend, from the same weights and data.
  const grads: Float32Array[] = [];
  const losses: number[] = [];
  for (const backend of ["wasm", "native"] as const) {
    setBackend(backend);
    const net = new Sequential(new Linear(784, 100, { rng: new Rng(1) }), new LIF({ beta: 0.9 }), new Linear(100, 10, { rng: new Rng(2) }), new LIF({ beta: 0.9 }));
    const x = bernoulli(0.3, [4, 32, 784], { rng: new Rng(0) });
    const loss = ceCountLoss(net.forward(x), Array.from({ length: 32 }, (_, i) => i % 10));
    loss.backward();
    losses.push(loss.item());
    grads.push(Float32Array.from(net.parameters()[0].grad!.data()));
    x.dispose();
    net.dispose();
  }
  setBackend("wasm");
  assertClose(grads[1], grads[0], 1e-5, 1e-3, "first layer's weight gradient, native against wasm");
  assert.ok(Math.abs(losses[0] - losses[1]) <= 1e-5 * Math.abs(losses[0]), `losses: wasm ${losses[0]}, native ${losses[1]}`);
});

test("Deep Spiking Networks on the native backend: 300 online training steps leave the weights and the work bit for bit as on wasm", { skip }, () => {
  const sizes = [784, 40, 30, 10];
  const rng = new Rng(7);
  const samples = Array.from({ length: 300 }, () => Float32Array.from({ length: 784 }, () => (rng.uniform() < 0.2 ? rng.uniform() : 0)));
  const run = (backend: "wasm" | "native") => {
    const net = new SpikingMlp(sizes, initialWeights(sizes, new Rng(3), 0.1), { backend: backendByName(backend) });
    const work = samples.map((x, i) => net.trainSample(x, i % 10));
    const w = net.weights();
    net.dispose();
    return { w, work };
  };
  const [onWasm, onNative] = [run("wasm"), run("native")];
  assert.deepEqual(onNative.work, onWasm.work);
  onWasm.w.forEach((w, l) => assert.deepEqual(onNative.w[l], w, `layer ${l}`));
  assert.ok(onWasm.work.reduce((s, k) => s + k.forwardRowAdds[1], 0) > 0, "spikes reached the hidden layers");
});

test("native fused LIF on each vector path: forward bit for bit the wasm kernel's, backward the reference's to rounding, every reset and surrogate", { skip }, () => {
  const native = backendByName("native") as NativeBackend;
  const wasm = backendByName("wasm");
  const before = native.gemmPath();
  const vectorPaths = (["avx512", "avx2"] as const).filter((p) => native.features[p]);
  const resets = ["subtract", "zero", "none"] as const;
  const surrogates = ["fast_sigmoid", "atan", "sigmoid", "triangle", "straight_through", "gaussian", "logistic", "rectangle"] as const;
  try {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 41 }), fc.nat({ max: 2 }), fc.nat({ max: 7 }), fc.nat({ max: 127 }), fc.nat(), (T, P, reset, surrogate, flags, seed) => {
        const has = (bit: number) => (flags & (1 << bit)) !== 0;
        const params = { T, P, beta: 0.875, threshold: 0.75, reset: resets[reset], h0: has(5) ? 0.5 : 0, inputGain: 1, refractoryGain: reset === 1 ? 0.25 : 0, detachReset: has(0), surrogate: surrogates[surrogate], surrogateParam: [25, 2, 5, 1, 1, 0.3, 0.25, 0.5][surrogate], spk0Surrogate: has(6) };
        // Each backend: its own copies of the operands, the forward and backward results as arrays.
        const run = (be: typeof wasm) => {
          const put = (data: Float32Array | null) => (data ? on(be, data) : null);
          const input = put(randomData(T * P, seed, 0.8))!;
          const start = { mem0: put(has(1) ? randomData(P, seed + 1) : null), spk0: put(has(2) ? Float32Array.from(randomData(P, seed + 2), (v) => (v > 0 ? 1 : 0)) : null), noise: put(has(3) ? randomData(T * P, seed + 3, 0.3) : null) };
          const [mem, spk, dIn] = [be.alloc("float32", T * P), be.alloc("float32", T * P), be.alloc("float32", T * P)];
          const gSpk = put(randomData(T * P, seed + 4));
          const gMem = put(has(4) ? randomData(T * P, seed + 5) : null);
          const dMem0 = start.mem0 ? be.alloc("float32", P) : null;
          be.lifForward(input, start, mem, spk, params);
          be.lifBackward(input, start, mem, spk, gSpk, gMem, dIn, dMem0, params);
          const out = { mem: Float32Array.from(mem.f32()), spk: Float32Array.from(spk.f32()), dIn: Float32Array.from(dIn.f32()), dMem0: dMem0 ? Float32Array.from(dMem0.f32()) : null };
          for (const st of [input, start.mem0, start.spk0, start.noise, mem, spk, dIn, gSpk, gMem, dMem0]) st?.free();
          return out;
        };
        const [ref, onWasm] = [run(js), run(wasm)];
        for (const path of vectorPaths) {
          native.setGemmPath(path);
          const got = run(native);
          assert.deepEqual(got.mem, onWasm.mem, `${path}: membranes`);
          assert.deepEqual(got.spk, onWasm.spk, `${path}: spikes`);
          assertClose(got.dIn, ref.dIn, 1e-4, 1e-5, `${path}: input gradient`);
          if (ref.dMem0) assertClose(got.dMem0!, ref.dMem0, 1e-4, 1e-5, `${path}: initial membrane gradient`);
        }
      }),
      { numRuns: 200, seed: 11 },
    );
  } finally {
    native.setGemmPath(before);
  }
});

test("bad operands (an array too short, a spike naming no row) are BackendErrors naming the kernel; an unknown GEMM path a ValueError", { skip }, () => {
  const native = backendByName("native") as NativeBackend;
  const a = native.alloc("float32", 100 * 100);
  const b = native.alloc("float32", 100 * 100);
  const c = native.alloc("float32", 10);
  assert.throws(() => native.gemm({ a, b, c, M: 100, N: 100, K: 100 }), (e: unknown) => e instanceof BackendError && /native gemm 100×100×100: snnkit native: sgemm: an operand extends past its array/.test(e.message));
  for (const s of [a, b, c]) s.free();
  if (native.features.avx2) {
    const [w, spikes, phi, out] = [native.alloc("float32", 6), native.alloc("int32", 2), native.alloc("float32", 3), native.alloc("int32", 8)];
    spikes.i32().set([1, ~5]);
    const p = { w, rows: 2, cols: 3, spikes, from: 0, to: 2, pending: false, phi, signed: false, sum: null, counts: null, out, written: 0, rate: 0, inputCounts: null };
    assert.throws(() => native.herdRows(p), (e: unknown) => e instanceof BackendError && /native herdRows: snnkit native: herdRows: spike 1 names unit 5 of 2/.test(e.message));
    // Operands are checked against the memory they are offsets into: none reaches past it.
    assert.throws(() => native.herdRows({ ...p, cols: 1e9 }), (e: unknown) => e instanceof BackendError && /herdRows: w \(2000000000 values at \d+\) lies outside the memory/.test(e.message));
    for (const s of [w, spikes, phi, out]) s.free();
  }
  // A GEMM path the machine has not (or no such path) is a ValueError naming the setting.
  assert.throws(() => native.setGemmPath("sse" as never), (e: unknown) => e instanceof ValueError && /native GEMM path: expected one this machine supports/.test(e.message));
});

test("where the addon is installed, it is the default backend, and runs' --backend auto resolve to it", { skip }, () => {
  assert.equal(defaultBackendName(), "native");
  assert.equal(runBackend("auto"), "native");
  assert.equal(runBackend("wasm"), "wasm");
});

test("where the addon is not installed (a browser, or no compiler at install), the default is wasm, and choosing the native backend is a BackendError that says so", () => {
  const program = `import { setBackend } from ${JSON.stringify(join(import.meta.dirname, "..", "..", "src", "backend", "registry.ts"))};
import { getBackendName } from ${JSON.stringify(join(import.meta.dirname, "..", "..", "src", "backend", "registry.ts"))};
console.log("default " + getBackendName());
try { setBackend("native"); console.log("chosen"); } catch (e) { console.log(e.name + ": " + e.message); }`;
  const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", program], { encoding: "utf8" });
  assert.match(out, /^default wasm\nBackendError: the native backend is not available here: its addon runs in Node where it was built at install .*the wasm backend runs without it/);
});
