// Every kernel family, and the two kernel tables made from them: the reference kernels, and the wasm
// backend's (its bindings, with the reference code where a family says so). A new kernel is added to its
// family's module; a new family is added here.
import type { WasmContext } from "../wasm/wasm_context.js";
import { type ConvKernels, convFamily } from "./conv.js";
import { type ElementwiseKernels, elementwiseFamily } from "./elementwise.js";
import { type KernelFamily, REFERENCE } from "./family.js";
import { type GemmKernels, gemmFamily } from "./gemm.js";
import { type HerdingKernels, herdingFamily } from "./herding.js";
import { type AlifKernels, alifFamily } from "./alif.js";
import { type AlphaKernels, alphaFamily } from "./alpha.js";
import { type LifKernels, lifFamily } from "./lif.js";
import { type PoolKernels, poolFamily } from "./pool.js";
import { type ReduceKernels, reduceFamily } from "./reduce.js";
import { type SpikeProductKernels, spikeProductFamily } from "./spike_products.js";

/** Every kernel a backend supplies. All sizes are in elements; offsets are element offsets. */
export type Kernels = ElementwiseKernels & ReduceKernels & GemmKernels & SpikeProductKernels & ConvKernels & PoolKernels & LifKernels & AlifKernels & AlphaKernels & HerdingKernels;

/** The families, each a set of kernels with their reference code and wasm bindings. */
const FAMILIES = [elementwiseFamily, reduceFamily, gemmFamily, spikeProductFamily, convFamily, poolFamily, lifFamily, alifFamily, alphaFamily, herdingFamily] as const;

type AnyFamily = KernelFamily<Record<string, unknown>>;
const families = FAMILIES as readonly KernelFamily<object>[] as readonly AnyFamily[];

/** The reference kernels: readable TypeScript over typed-array views of any storage. */
export function referenceKernels(): Kernels {
  return Object.assign({}, ...families.map((f) => f.reference)) as Kernels;
}

/** The wasm backend's kernels on one context: each family's binding, or its reference code where it says REFERENCE. */
export function wasmKernels(w: WasmContext): Kernels {
  const table: Record<string, unknown> = {};
  for (const family of families)
    for (const [name, binding] of Object.entries(family.wasm)) table[name] = binding === REFERENCE ? family.reference[name] : binding(w);
  return table as unknown as Kernels;
}

/** The kernels the wasm backend runs with the reference code (on views of its memory, no copies). */
export function wasmReferenceFallbacks(): string[] {
  return families.flatMap((f) => Object.entries(f.wasm).filter(([, binding]) => binding === REFERENCE).map(([name]) => name));
}
