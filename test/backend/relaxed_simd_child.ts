// Run by relaxed_simd.test.ts with --experimental-wasm-relaxed-simd: the registry must load the relaxed
// kernels, and their GEMM must equal the js reference to rounding (fast-check).
import assert from "node:assert/strict";
import fc from "fast-check";
import { backendByName } from "../../src/backend/registry.js";
import { kernelsRelaxedWasmBase64 } from "../../src/backend/wasm/generated/kernels.js";
import { relaxedSimdSupported, wasmKernelBinaries } from "../../src/backend/wasm/relaxed_simd.js";
import { assertClose, randomData } from "../helpers.js";

assert.equal(relaxedSimdSupported(), true, "the engine has relaxed SIMD with the flag");
assert.equal(wasmKernelBinaries().plain, kernelsRelaxedWasmBase64);
const [js, wasm] = [backendByName("js"), backendByName("wasm")];
let products = 0;
fc.assert(
  fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 300 }), fc.boolean(), fc.boolean(), fc.nat(), (M, N, K, tA, tB, seed) => {
    const [a, b] = [randomData(M * K, seed), randomData(K * N, seed + 1)];
    const out = [js, wasm].map((be) => {
      const [sa, sb, sc] = [be.alloc("float32", a.length), be.alloc("float32", b.length), be.alloc("float32", M * N)];
      sa.view().set(a);
      sb.view().set(b);
      be.gemm({ a: sa, b: sb, c: sc, M, N, K, transA: tA, transB: tB });
      const c = Float32Array.from(sc.f32());
      for (const s of [sa, sb, sc]) s.free();
      return c;
    });
    assertClose(out[1], out[0], 1e-5 * Math.sqrt(K), 1e-4, `gemm ${M}×${N}×${K} tA=${tA} tB=${tB}`);
    products++;
  }),
  { numRuns: 80, seed: 5 },
);
console.log(`relaxed kernels: ${products} products equal the reference`);
