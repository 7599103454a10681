// The functions exported by the AssemblyScript kernels, typed from the compiler's own declarations:
// scripts/build-wasm.mjs keeps asc's --bindings output as generated/kernel_exports.d.ts, so a kernel's
// signature is written once, in src/backend/wasm/assembly. Pointers are byte offsets into the memory.
import type { instantiate } from "./generated/kernel_exports.js";

/** The kernels' exports (memory and functions), as asc declares them. */
export type WasmKernels = Awaited<ReturnType<typeof instantiate>>;
