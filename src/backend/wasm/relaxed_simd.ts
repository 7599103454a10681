// Which build of the wasm kernels this engine runs: the relaxed-SIMD builds (GEMM's multiply-adds fused,
// where the engine fuses them) where the engine accepts relaxed SIMD, else the plain SIMD128 builds.
import {
  kernelsRelaxedWasmBase64,
  kernelsSharedRelaxedWasmBase64,
  kernelsSharedWasmBase64,
  kernelsWasmBase64,
} from "./generated/kernels.js";

/** A module of one function that returns f32x4.relaxed_madd of three zero vectors: valid only where relaxed SIMD is. */
const RELAXED_PROBE = Uint8Array.from([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // \0asm, version 1
  ...[0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b], // types: () → v128
  ...[0x03, 0x02, 0x01, 0x00], // one function of type 0
  ...[0x0a, 0x3d, 0x01, 0x3b, 0x00], // code: one body of 59 bytes, no locals
  ...[0, 1, 2].flatMap(() => [0xfd, 0x0c, ...new Array<number>(16).fill(0)]), // v128.const 0, three times
  ...[0xfd, 0x85, 0x02, 0x0b], // f32x4.relaxed_madd, end
]);

let relaxed: boolean | null = null;

/** Whether this engine accepts wasm relaxed SIMD (browsers since 2023, Node from 22; Node 20 with --experimental-wasm-relaxed-simd). */
export function relaxedSimdSupported(): boolean {
  relaxed ??= WebAssembly.validate(RELAXED_PROBE);
  return relaxed;
}

/** The kernels' binaries (base64) for this engine: its own memory (one thread) and a shared memory (kernel threads). */
export function wasmKernelBinaries(): { plain: string; shared: string } {
  return relaxedSimdSupported() ? { plain: kernelsRelaxedWasmBase64, shared: kernelsSharedRelaxedWasmBase64 } : { plain: kernelsWasmBase64, shared: kernelsSharedWasmBase64 };
}
