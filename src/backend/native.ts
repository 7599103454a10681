// The native backend (Node, where snnkit's addon is built): the wasm backend's memory, storage and
// kernels, with the kernels the addon supplies run natively on that same memory, so no operand is
// copied. Today that is GEMM: OpenBLAS where it is found (as numpy and PyTorch load it), else snnkit's own
// AVX-512, AVX2 or portable kernels. The core stays portable: the Node rim loads the addon and installs
// it here (installNativeAddon).
import { BackendError, ValueError } from "../errors.js";
import type { Backend } from "./backend.js";
import type { WasmBackend } from "./wasm/wasm_backend.js";

/** Which GEMM the addon runs: OpenBLAS, or one of snnkit's own kernels. */
export type NativeGemmPath = "blas" | "avx512" | "avx2" | "portable";

/** What the addon offers (native/src/addon.cc). */
export interface NativeAddon {
  /** The CPU's vector extensions, and OpenBLAS's configuration (null without OpenBLAS). */
  features(): { avx2: boolean; avx512: boolean; blas: string | null };
  /** C = op(A)·op(B) (+ C), row-major and packed, at element offsets into the arrays (see the addon). */
  sgemm(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, c: Float32Array, cOffset: number, M: number, N: number, K: number, transA: boolean, transB: boolean, accumulate: boolean, path: NativeGemmPath, threads: number): void;
  /** OpenBLAS's thread count. */
  setBlasThreads(threads: number): void;
}

let installed: NativeAddon | null = null;

/** Makes the native backend available (the Node rim calls this with the loaded addon). */
export function installNativeAddon(addon: NativeAddon): void {
  installed = addon;
}

/** The installed addon, or null (in browsers, or where it is not built). */
export function nativeAddon(): NativeAddon | null {
  return installed;
}

/** The native backend: the wasm backend's, with native kernels; its GEMM path can be chosen (tests, benchmarks). */
export interface NativeBackend extends Backend {
  readonly features: ReturnType<NativeAddon["features"]>;
  /** The GEMM path in use. */
  gemmPath(): NativeGemmPath;
  /** Chooses the GEMM path (one this machine supports). */
  setGemmPath(path: NativeGemmPath): void;
}

/** Products smaller than this (2·M·N·K flops) stay on the wasm kernel: a native call costs about a microsecond. */
const MIN_NATIVE_FLOPS = 2 * 24 ** 3;

/** The paths this machine supports, fastest first. */
function supportedPaths(f: NativeBackend["features"]): NativeGemmPath[] {
  return [...(f.blas !== null ? (["blas"] as const) : []), ...(f.avx512 ? (["avx512"] as const) : []), ...(f.avx2 ? (["avx2"] as const) : []), "portable"];
}

/** The native backend over `wasm` (sharing its memory and every other kernel) with `addon`'s kernels. */
export function createNativeBackend(wasm: WasmBackend, addon: NativeAddon): NativeBackend {
  const features = addon.features();
  let path: NativeGemmPath = supportedPaths(features)[0];
  let blasThreads = 0;
  const wasmGemm = wasm.gemm;
  return {
    ...wasm,
    name: "native",
    features,
    gemmPath: () => path,
    setGemmPath(p) {
      if (!supportedPaths(features).includes(p)) throw new ValueError("native GEMM path", `one this machine supports (${supportedPaths(features).join(", ")})`, p);
      path = p;
    },
    gemm(g) {
      const { M, N, K } = g;
      if (2 * M * N * K < MIN_NATIVE_FLOPS) {
        wasmGemm(g);
        return;
      }
      const threads = wasm.getThreads();
      if (path === "blas" && threads !== blasThreads) {
        addon.setBlasThreads(threads);
        blasThreads = threads;
      }
      try {
        addon.sgemm(g.a.f32(), g.aOffset ?? 0, g.b.f32(), g.bOffset ?? 0, g.c.f32(), g.cOffset ?? 0, M, N, K, g.transA ?? false, g.transB ?? false, g.accumulate ?? false, path, threads);
      } catch (e) {
        throw new BackendError(`native gemm ${M}×${N}×${K}: ${(e as Error).message}`);
      }
    },
  };
}
