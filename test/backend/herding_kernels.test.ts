// The herding kernels: the reference against its definition written out here (a herd that emits one spike
// at a time from the unit of largest |φ|), and the wasm kernels and the native ones (on each of its paths
// this machine has: AVX-512, AVX2) against the reference, bit for bit, on random inputs (fast-check),
// including output lists too small for one call (the pending-herd resume) and herds large enough for each
// of the native herd's strategies (insertion sort, bucket sort, heap).
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { Backend } from "../../src/backend/backend.js";
import type { HerdWeights } from "../../src/backend/kernels/herding.js";
import { type NativeBackend, nativeAddon } from "../../src/backend/native.js";
import type { Storage } from "../../src/backend/storage.js";
import { backendByName } from "../../src/index.js";
import { installNodeNativeAddon } from "../../src/node/native_addon.js";
import { randomData } from "../helpers.js";

installNodeNativeAddon();
const js = backendByName("js");
const RUNS = { numRuns: 150 };

/** The kernels checked against the reference: wasm's, and the native backend's on each herding path this machine has. */
const CONTESTANTS: { name: string; backend: Backend; use: () => void }[] = [{ name: "wasm", backend: backendByName("wasm"), use: () => undefined }];
/** Puts the native backend back on its default path. */
let restore = (): void => undefined;
if (nativeAddon()) {
  const native = backendByName("native") as NativeBackend;
  const initial = native.gemmPath();
  restore = () => native.setGemmPath(initial);
  for (const path of ["avx512", "avx2"] as const)
    if (native.features[path]) CONTESTANTS.push({ name: `native ${path}`, backend: native, use: () => native.setGemmPath(path) });
}

/** `run` on the reference and on each contestant (its path chosen first): each contestant's result must equal the reference's. */
function eachEqualsReference<R>(run: (b: Backend) => R): void {
  const ref = run(js);
  try {
    for (const c of CONTESTANTS) {
      c.use();
      assert.deepEqual(run(c.backend), ref, c.name);
    }
  } finally {
    restore();
  }
}

function put(b: Backend, data: ArrayLike<number>, dtype: "float32" | "int32" = "float32"): Storage {
  const s = b.alloc(dtype, data.length);
  s.view().set(data);
  return s;
}

/** Random spike codes over `units` (negative spikes too when `signed`). */
function randomSpikes(n: number, units: number, signed: boolean, seed: number): Int32Array {
  const r = randomData(2 * n, seed);
  return Int32Array.from({ length: n }, (_, k) => {
    const u = Math.floor(Math.abs(r[2 * k]) * 1e6) % units;
    return signed && r[2 * k + 1] < 0 ? ~u : u;
  });
}

/**
 * Runs a herd kernel to completion on a list that starts with room for `room` spikes, doubling it and
 * resuming with `pending` each time it fills: the list written, as the kernel's own (growing) output.
 */
function runGrowing(b: Backend, room: number, call: (out: Storage, written: number, pending: boolean, from: number) => number): Int32Array {
  let out = b.alloc("int32", room);
  let written = 0;
  let from = 0;
  let pending = false;
  for (;;) {
    const r = call(out, written, pending, from);
    if (r >= 0) {
      const codes = Int32Array.from(out.i32().subarray(0, r));
      out.free();
      return codes;
    }
    // Full: −(k + 1) says spike k's herd is pending (−1 for a vector: its one event).
    const bigger = b.alloc("int32", out.length * 2 + 1);
    bigger.i32().set(out.i32());
    written = out.length;
    out.free();
    out = bigger;
    pending = true;
    from = -r - 1;
  }
}

test("herdVector: the order of |φ| and the counts, written out for a small case", () => {
  const phi = put(js, [0.25, 2.75, -1.75, 0.75]);
  const x = put(js, [0.5, 0, 0, 0]);
  const counts = put(js, [0, 0, 0, 0]);
  const out = js.alloc("int32", 16);
  const n = js.herdVector({ phi, x, scale: 1, signed: true, pending: false, counts, out, written: 0 });
  // φ = [0.75, 2.75, −1.75, 0.75]: 2.75 (unit 1) → 1.75; then |1.75| twice, lower unit first: unit 1 → 0.75,
  // unit 2 (negative) → −0.75; then four at |0.75|, in unit order.
  assert.deepEqual([...out.i32().subarray(0, n)], [1, 1, ~2, 0, 1, ~2, 3]);
  assert.deepEqual([...phi.f32()], [-0.25, -0.25, 0.25, -0.25]);
  assert.deepEqual([...counts.f32()], [1, 3, -2, 1]);
  for (const s of [phi, x, counts, out]) s.free();
});

test("herdVector: wasm and native equal the reference, with lists that fill up", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 70 }), fc.boolean(), fc.integer({ min: 0, max: 6 }), fc.constantFrom(3, 40), fc.nat(), (n, signed, room, size, seed) => {
      const phi0 = randomData(n, seed, 0.5);
      // |x| up to 3: herds of a few spikes a unit (sorted); up to 40: more than 2n + 16 (the native heap).
      const x = randomData(n, seed + 1, size);
      eachEqualsReference((b) => {
        const phi = put(b, phi0);
        const xs = put(b, x);
        const counts = put(b, new Float32Array(n));
        const codes = runGrowing(b, room, (out, written, pending) => b.herdVector({ phi, x: xs, scale: -1, signed, pending, counts, out, written }));
        const r = { codes: [...codes], phi: [...phi.f32()], counts: [...counts.f32()] };
        for (const s of [phi, xs, counts]) s.free();
        return r;
      });
    }),
    RUNS,
  );
});

/** One herdRows or herdColumns call from the same state on the reference and each contestant, which must end in the same state. */
function runWeights(kind: "herdRows" | "herdColumns", rows: number, cols: number, nSpikes: number, signed: boolean, room: number, rate: number, seed: number, withPhi = true): void {
  const w0 = randomData(rows * cols, seed, 1.5);
  const inUnits = kind === "herdRows" ? rows : cols;
  const outUnits = kind === "herdRows" ? cols : rows;
  const spikes0 = randomSpikes(nSpikes, inUnits, true, seed + 1);
  const phi0 = randomData(outUnits, seed + 2, 0.5);
  const c0 = Float32Array.from(randomData(rows, seed + 3, 3), (v) => Math.round(v));
  eachEqualsReference((b) => {
    const [w, spikes, phi, sum, counts, c] = [put(b, w0), put(b, spikes0, "int32"), put(b, phi0), put(b, new Float32Array(outUnits)), put(b, new Float32Array(outUnits)), put(b, c0)];
    const codes = runGrowing(
      b,
      room,
      (out, written, pending, from) => {
        const p: HerdWeights = { w, rows, cols, spikes, from, to: nSpikes, pending, phi: withPhi ? phi : null, signed, sum: kind === "herdRows" ? sum : null, counts, out, written, rate, inputCounts: c };
        return b[kind](p);
      },
    );
    const r = { codes: [...codes], phi: [...phi.f32()], sum: [...sum.f32()], counts: [...counts.f32()], w: [...w.f32()] };
    for (const s of [w, spikes, phi, sum, counts, c]) s.free();
    return r;
  });
}

test("herdRows: wasm and native equal the reference (rectified and signed, widths across 8 and 16 lanes, full lists)", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 37 }), fc.integer({ min: 0, max: 30 }), fc.boolean(), fc.integer({ min: 0, max: 9 }), fc.nat(), (rows, cols, n, signed, room, seed) => {
      runWeights("herdRows", rows, cols, n, signed, room, 0, seed);
    }),
    RUNS,
  );
});

test("herdColumns: wasm and native equal the reference (with and without herder, fractional updates)", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 37 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 9 }), fc.boolean(), fc.boolean(), fc.nat(), (rows, cols, n, room, fractional, withPhi, seed) => {
      runWeights("herdColumns", rows, cols, n, true, room, fractional ? 0.013 : 0, seed, withPhi);
    }),
    RUNS,
  );
});

test("herdRows: each spike adds its row once to φ and to Σu, and φ + counts = Σu from φ = 0", () => {
  // A rectified herder from φ = 0: after the spikes, φ_j + N_j = Σ_k s_k·W[i_k, j] (exact in these binary fractions).
  const w = put(js, [0.75, 0.25, 1, 0.5, 0.5, -1]);
  const spikes = put(js, [0, 1, 0, ~1], "int32");
  const [phi, sum, counts] = [put(js, [0, 0, 0]), put(js, [0, 0, 0]), put(js, [0, 0, 0])];
  const out = js.alloc("int32", 32);
  const n = js.herdRows({ w, rows: 2, cols: 3, spikes, from: 0, to: 4, pending: false, phi, signed: false, sum, counts, out, written: 0, rate: 0, inputCounts: null });
  const rowSums = [1.5, 0.5, 2]; // row 0 + row 1 + row 0 − row 1
  assert.deepEqual([...sum.f32()], rowSums);
  for (let j = 0; j < 3; j++) assert.equal(phi.f32()[j] + counts.f32()[j], rowSums[j], `unit ${j}`);
  const c = counts.f32();
  assert.equal(n, c[0] + c[1] + c[2]);
  assert.ok(phi.f32().every((v) => v <= 0.5));
  for (const s of [w, spikes, phi, sum, counts, out]) s.free();
});

test("outerUpdate: wasm and native equal the reference, which equals the formula W −= rate·c⁺ eᵀ", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 23 }), fc.nat(), (rows, cols, seed) => {
      const w0 = randomData(rows * cols, seed);
      const c0 = Float32Array.from(randomData(rows, seed + 1, 4), (v) => Math.round(v));
      const e0 = Float32Array.from(randomData(cols, seed + 2, 4), (v) => Math.round(v));
      const rate = 0.0001;
      const update = (b: Backend) => {
        const [w, c, e] = [put(b, w0), put(b, c0), put(b, e0)];
        b.outerUpdate({ w, rows, cols, c, e, rate });
        const r = [...w.f32()];
        for (const s of [w, c, e]) s.free();
        return r;
      };
      eachEqualsReference(update);
      const after = update(js);
      for (let i = 0; i < rows; i++)
        for (let j = 0; j < cols; j++) {
          const expected = w0[i * cols + j] - (c0[i] > 0 ? rate * c0[i] * e0[j] : 0);
          assert.ok(Math.abs(after[i * cols + j] - expected) <= 1e-6, `W[${i},${j}]`);
        }
    }),
    RUNS,
  );
});
