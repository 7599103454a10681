// The backend interface: storage allocation and the kernels every backend supplies. Ops (src/tensor/ops)
// are defined once on top of it; `js` is the reference, `wasm` the fast backend everywhere, `native`
// the wasm backend with some kernels run by snnkit's Node addon (the default where it is built).
import type { Kernels } from "./kernels/index.js";
import type { DType, Storage } from "./storage.js";

/** Names of the backends: js (the reference), wasm (everywhere; the default without the addon), native (Node, where its addon is built; the default there). */
export type BackendName = "js" | "wasm" | "native";

/** A backend: storage allocation and every kernel (see the kernel families in ./kernels). */
export interface Backend extends Kernels {
  readonly name: BackendName;
  alloc(dtype: DType, length: number): Storage;
  /** Bytes currently handed out to live storage. */
  bytesInUse(): number;
  /** The most bytes handed out to live storage at once since the backend started or since resetPeakBytes(). */
  peakBytesInUse(): number;
  /** Starts a new measurement of peakBytesInUse() from the bytes in use now. */
  resetPeakBytes(): void;
  /** Bytes reserved from the platform (for wasm: the size of linear memory). */
  bytesReserved(): number;
}
