// The shape of a bias-free MLP, as the spiking MLP and its ReLU baseline take it: layer sizes and one
// row-major weight matrix W_l [sizes[l], sizes[l+1]] per layer, checked in one place.
import { ValueError } from "../errors.js";

/** Layer sizes: at least two, each an integer in [1, 2²⁰]. */
export function checkSizes(sizes: readonly number[]): void {
  if (sizes.length < 2) throw new ValueError("layer sizes", "at least an input and an output size", sizes);
  sizes.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 1 || n > 1 << 20) throw new ValueError(`layer sizes[${i}]`, "an integer in [1, 2^20]", n);
  });
}

/** The sizes, and one finite matrix of sizes[l]·sizes[l+1] values per layer. */
export function checkWeights(sizes: readonly number[], weights: readonly Float32Array[]): void {
  checkSizes(sizes);
  const L = sizes.length - 1;
  if (weights.length !== L) throw new ValueError("weights", `${L} matrices`, `${weights.length}`);
  weights.forEach((wl, l) => {
    if (wl.length !== sizes[l] * sizes[l + 1]) throw new ValueError(`weights[${l}]`, `${sizes[l]}×${sizes[l + 1]} = ${sizes[l] * sizes[l + 1]} values`, `${wl.length} values`);
    const bad = wl.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new ValueError(`weights[${l}][${bad}]`, "a finite number", wl[bad]);
  });
}
