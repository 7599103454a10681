// Loads snnkit's native addon (native/build/Release/snnkit_native.node, built at install by
// scripts/build-native.mjs) and installs it, making the `native` backend available. Where it was not built,
// or cannot load, snnkit runs on wasm and `nativeStatus()` says why.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { installNativeAddon, type NativeAddon } from "../backend/native.js";

let status = "the native addon is not loaded";
let tried = false;

/** The addon's file: native/build/Release under the package root (found upwards from this module, in src/ or dist/src/). */
function addonPath(): string | null {
  for (let dir = dirname(fileURLToPath(import.meta.url)), k = 0; k < 6; dir = dirname(dir), k++) {
    if (existsSync(join(dir, "native", "binding.gyp"))) return join(dir, "native", "build", "Release", "snnkit_native.node");
  }
  return null;
}

/** Loads and installs the addon once (idempotent); the Node entry points call it when imported. */
export function installNodeNativeAddon(): void {
  if (tried) return;
  tried = true;
  const path = addonPath();
  if (!path || !existsSync(path)) {
    status = "native addon not built (npm rebuild snnkit builds it; it needs a C++ compiler)";
    return;
  }
  try {
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    installNativeAddon(addon);
    const f = addon.features();
    const kernels = f.avx512 ? "AVX-512" : f.avx2 ? "AVX2" : "portable";
    status = `native addon loaded: GEMM, convolution and spike products on snnkit's ${kernels} kernels${f.blas !== null ? ` (${f.blas.split(" ").slice(0, 2).join(" ")} found: setGemmPath("blas") chooses it)` : ""}`;
  } catch (e) {
    status = `native addon not loaded (${(e as Error).message.split("\n")[0]})`;
  }
}

/** One line on the native addon: loaded with what, or why not. */
export function nativeStatus(): string {
  return status;
}
