// A kernel family: a few related kernels defined once, with their parameter types, their reference code
// (readable TypeScript over typed-array views, which works on any backend's storage) and, for each kernel,
// how the wasm backend runs it: a binding to the compiled kernels, or the reference code, said explicitly.
import type { WasmContext } from "../wasm/wasm_context.js";

/** Marks a kernel the wasm backend runs with the reference code, on views of its memory (no copies). */
export const REFERENCE = "reference";

/** For each kernel of a family: its wasm binding, made from the wasm backend's context, or REFERENCE. */
type WasmBindings<K> = { readonly [N in keyof K]: ((w: WasmContext) => K[N]) | typeof REFERENCE };

/** A kernel family: the reference kernels and how the wasm backend runs each of them. */
export interface KernelFamily<K> {
  readonly reference: K;
  readonly wasm: WasmBindings<K>;
}
