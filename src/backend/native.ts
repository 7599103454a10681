// The native backend (Node, where snnkit's addon is built): the wasm backend's memory, storage and
// kernels, with the kernels the addon supplies run natively on that same memory, so no operand is
// copied. Today that is GEMM (snnkit's own AVX-512, AVX2 or portable kernels, or OpenBLAS where it is
// found, loaded as numpy and PyTorch load it), convolution (im2col and that GEMM) and the four-spike table
// product of spike operands (the wasm kernel's sums in the same order, with wider additions), and the
// herding kernels of Deep Spiking Networks and the fused LIF on AVX2 and AVX-512. The core
// stays portable: the Node rim loads the addon and installs it here (installNativeAddon).
import { BackendError, ValueError } from "../errors.js";
import type { Backend } from "./backend.js";
import type { Conv2dGeometry } from "./kernels/conv.js";
import type { Storage } from "./storage.js";
import { ResetCode } from "./kernel_codes.js";
import { SurrogateCode } from "../surrogate/surrogate.js";
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
  /** A convolution kernel by im2col and the own GEMM: kind 0 forward (x, w → out), 1 input gradient (dy, w → dx), 2 weight gradient (x, dy → dw). */
  conv(kind: 0 | 1 | 2, a: Float32Array, b: Float32Array, out: Float32Array, geometry: number[], path: OwnPath, threads: number): void;
  /**
   * The four-spike table product of S [M, K] with B ([K, N], or [M, N] when transposed) into out; 1 when
   * done, 0 when the table would not pay, −1 when S is not binary (then nothing is written).
   */
  spikeTable(s: Float32Array, sOffset: number, M: number, K: number, transposed: boolean, b: Float32Array, bOffset: number, N: number, out: Float32Array, outOffset: number, accumulate: boolean, path: OwnPath, threads: number): number;
  /** Sets the memory (the wasm backend's) and the argument block of the herding and LIF kernels; again whenever the memory's buffer changes. */
  bind(mem: Float32Array, args: Float64Array): void;
  /**
   * The herding kernels (src/backend/kernels/herding.ts), bit for bit, on the bound memory, their arguments
   * in the bound block: operands as element offsets into the memory (−1: none), flags as 0/1, the path as 0
   * (AVX-512), 1 (AVX2) or 2 (portable); see native/src/addon.cc for each kernel's order. They return what
   * the kernels there return.
   */
  herdVector(): number;
  herdRows(): number;
  herdColumns(): number;
  outerUpdate(): void;
  /** The fused LIF kernels (src/backend/kernels/lif.ts) on the bound memory and arguments: forward bit for bit, backward to rounding. */
  lifForward(): void;
  lifBackward(): void;
}

/** snnkit's own kernels (GEMM, convolution, the spike table product's additions): AVX-512, AVX2 or portable. */
type OwnPath = Exclude<NativeGemmPath, "blas">;

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
  // snnkit's own kernels by default: OpenBLAS's idle threads spin after each call and, on a machine with few
  // cores, starve the kernel threads of the rest of a training step (W1 on 2 cores: 94–109 ms with OpenBLAS,
  // 74–78 ms with the AVX-512 kernels, 95–100 ms on wasm). setGemmPath("blas") chooses OpenBLAS.
  const own = supportedPaths(features).find((p): p is OwnPath => p !== "blas")!;
  let path: NativeGemmPath = own;
  /** The own kernels in use: the chosen path's, or the fastest when GEMM goes to OpenBLAS. */
  const ownNow = (): OwnPath => (path === "blas" ? own : path);
  let blasThreads = 0;
  /** A convolution kernel natively (on the own kernels, also when GEMM goes to OpenBLAS); false when too small to pay for the call. */
  const conv = (kind: 0 | 1 | 2, a: Storage, b: Storage, out: Storage, g: Conv2dGeometry): boolean => {
    if (2 * g.N * g.OC * g.OH * g.OW * g.C * g.kh * g.kw < MIN_NATIVE_FLOPS) return false;
    try {
      addon.conv(kind, a.f32(), b.f32(), out.f32(), [g.N, g.C, g.H, g.W, g.OC, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.OH, g.OW], ownNow(), wasm.getThreads());
    } catch (e) {
      throw new BackendError(`native convolution ${g.N}×${g.C}×${g.H}×${g.W} by ${g.OC}×${g.kh}×${g.kw}: ${(e as Error).message}`);
    }
    return true;
  };
  /** The table product natively; false when S is not binary or the table would not pay (the wasm kernel then takes it). */
  const spikeTable = (s: Storage, b: Storage, out: Storage, M: number, K: number, N: number, transposed: boolean, accumulate: boolean): boolean => {
    // Narrow products (one or two 32-column chunks: a network's last layer) stay on the wasm kernel, which
    // splits them over its threads by rows; the native one splits by chunks.
    if (M * N * K < MIN_NATIVE_FLOPS || N < 64) return false;
    try {
      return addon.spikeTable(s.f32(), 0, M, K, transposed, b.f32(), 0, N, out.f32(), 0, accumulate, ownNow(), wasm.getThreads()) === 1;
    } catch (e) {
      throw new BackendError(`native spike product ${M}×${K}·${K}×${N}: ${(e as Error).message}`);
    }
  };
  // The herding and LIF kernels read their arguments from a block bound once with the memory: a call passes
  // no JavaScript values (each costs it 20–100 ns, and Deep Spiking Networks make some 70 calls per sample).
  const args = new Float64Array(24);
  let bound: ArrayBufferLike | null = null;
  /** Binds the memory (again, if it grew) and writes a kernel's arguments into the block. */
  const setArgs = (...values: (number | boolean)[]): void => {
    const buffer = wasm.context.exports.memory.buffer;
    if (buffer !== bound) {
      addon.bind(new Float32Array(buffer), args);
      bound = buffer;
    }
    for (let k = 0; k < values.length; k++) args[k] = +values[k];
  };
  const at = (s: Storage | null): number => (s ? s.ptr >> 2 : -1);
  /**
   * The addon's vector path for herding and the fused LIF (0 AVX-512, 1 AVX2), or null: the portable C++
   * herd is slower than the wasm kernels' SIMD128 (300 against 155 µs per Deep Spiking Networks sample on
   * x86-64), so there the wasm kernels run.
   */
  const vectorPath = (): number | null => ({ avx512: 0, avx2: 1, portable: null })[ownNow()];
  /** Runs a herding or LIF kernel natively, its errors as BackendErrors naming it. */
  const kernel = <T>(name: string, run: () => T): T => {
    try {
      return run();
    } catch (e) {
      throw new BackendError(`native ${name}: ${(e as Error).message}`);
    }
  };
  return {
    ...wasm,
    name: "native",
    features,
    gemmPath: () => path,
    setGemmPath(p) {
      if (!supportedPaths(features).includes(p)) throw new ValueError("native GEMM path", `one this machine supports (${supportedPaths(features).join(", ")})`, p);
      path = p;
    },
    conv2dForward(x, weights, out, g) {
      if (!conv(0, x, weights, out, g)) wasm.conv2dForward(x, weights, out, g);
    },
    conv2dBackwardInput(dy, weights, dx, g) {
      if (!conv(1, dy, weights, dx, g)) wasm.conv2dBackwardInput(dy, weights, dx, g);
    },
    conv2dBackwardWeight(x, dy, dw, g) {
      if (!conv(2, x, dy, dw, g)) wasm.conv2dBackwardWeight(x, dy, dw, g);
    },
    herdVector(p) {
      const hp = vectorPath();
      if (hp === null) return wasm.herdVector(p);
      return kernel("herdVector", () => {
        setArgs(at(p.phi), p.phi.length, at(p.x), p.scale, p.signed, p.pending, at(p.counts), at(p.out), p.out.length, p.written, hp);
        return addon.herdVector();
      });
    },
    herdRows(p) {
      const hp = vectorPath();
      if (hp === null) return wasm.herdRows(p);
      return kernel("herdRows", () => {
        setArgs(at(p.w), p.rows, p.cols, at(p.spikes), p.from, p.to, p.pending, at(p.phi), p.signed, at(p.sum), at(p.counts), at(p.out), p.out.length, p.written, hp);
        return addon.herdRows();
      });
    },
    herdColumns(p) {
      const hp = vectorPath();
      if (hp === null) return wasm.herdColumns(p);
      return kernel("herdColumns", () => {
        setArgs(at(p.w), p.rows, p.cols, at(p.spikes), p.from, p.to, p.pending, at(p.phi), p.signed, at(p.counts), at(p.out), p.out.length, p.written, p.rate, at(p.inputCounts), hp);
        return addon.herdColumns();
      });
    },
    outerUpdate(p) {
      if (vectorPath() === null) return wasm.outerUpdate(p);
      kernel("outerUpdate", () => {
        setArgs(at(p.w), p.rows, p.cols, at(p.c), at(p.e), p.rate);
        addon.outerUpdate();
      });
    },
    lifForward(input, start, mem, spk, p) {
      const vp = vectorPath();
      if (vp === null) return wasm.lifForward(input, start, mem, spk, p);
      kernel("lifForward", () => {
        setArgs(at(input), at(start.mem0), at(start.spk0), at(start.noise), at(mem), at(spk), p.T, p.P, p.beta, p.threshold, ResetCode[p.reset], p.h0, p.inputGain, p.refractoryGain, vp);
        addon.lifForward();
      });
    },
    lifBackward(input, start, mem, spk, gSpk, gMem, dInput, dMem0, p) {
      const vp = vectorPath();
      if (vp === null) return wasm.lifBackward(input, start, mem, spk, gSpk, gMem, dInput, dMem0, p);
      kernel("lifBackward", () => {
        setArgs(at(input), at(start.mem0), at(start.spk0), at(mem), at(spk), at(gSpk), at(gMem), at(dInput), at(dMem0), p.T, p.P, p.beta, p.threshold, ResetCode[p.reset], p.h0, p.inputGain, p.refractoryGain, p.detachReset, SurrogateCode[p.surrogate], p.surrogateParam, p.spk0Surrogate ?? false, vp);
        addon.lifBackward();
      });
    },
    spmm(s, weights, out, M, K, N, binaryOnly = false) {
      return spikeTable(s, weights, out, M, K, N, false, false) || wasm.spmm(s, weights, out, M, K, N, binaryOnly);
    },
    spmmTransposed(s, dy, dw, M, K, N, accumulate) {
      if (!spikeTable(s, dy, dw, M, K, N, true, accumulate)) wasm.spmmTransposed(s, dy, dw, M, K, N, accumulate);
    },
    gemm(g) {
      const { M, N, K } = g;
      if (2 * M * N * K < MIN_NATIVE_FLOPS) {
        wasm.gemm(g);
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
