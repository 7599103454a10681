// The reference strided copy (used by both backends for permute, expand, slice and concatenation), which
// merges dimensions and copies contiguous runs in blocks, against a copy element by element.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { stridedCopyRef } from "../../src/backend/kernels/elementwise.js";

/** dst[dstOffset + Σ i_d·dstStrides_d] (+)= src[srcOffset + Σ i_d·srcStrides_d] over every index. */
function naiveCopy(
  src: Float32Array,
  srcOffset: number,
  srcStrides: number[],
  dst: Float32Array,
  dstOffset: number,
  dstStrides: number[],
  shape: number[],
  accumulate: boolean,
): void {
  const total = shape.reduce((a, b) => a * b, 1);
  for (let flat = 0; flat < total; flat++) {
    let rest = flat;
    let is = srcOffset;
    let id = dstOffset;
    for (let d = shape.length - 1; d >= 0; d--) {
      const i = rest % shape[d];
      rest = Math.floor(rest / shape[d]);
      is += i * srcStrides[d];
      id += i * dstStrides[d];
    }
    dst[id] = accumulate ? dst[id] + src[is] : src[is];
  }
}

test("strided copy equals the element-by-element copy (permutations, broadcasts, offsets, size-1 axes)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 5 }),
      fc.nat(),
      fc.boolean(),
      fc.nat(),
      (shape, permSeed, accumulate, seed) => {
        const rank = shape.length;
        // The destination is contiguous; the source is a permuted contiguous layout with some axes broadcast.
        const dstStrides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
        const order = shape.map((_, d) => d).sort((a, b) => ((a * 7 + permSeed) % 5) - ((b * 7 + permSeed) % 5) || a - b);
        const srcStrides = new Array<number>(rank).fill(0);
        let step = 1;
        for (let q = rank - 1; q >= 0; q--) {
          const d = order[q];
          if ((seed >> d) & 1) continue; // broadcast axis
          srcStrides[d] = step;
          step *= Math.max(shape[d], 1);
        }
        const srcOffset = seed % 3;
        const dstOffset = (seed >> 2) % 3;
        const src = Float32Array.from({ length: step + srcOffset }, (_, i) => i * 0.5 + 1);
        const total = shape.reduce((a, b) => a * b, 1);
        const init = Float32Array.from({ length: total + dstOffset }, (_, i) => -i);
        const fast = init.slice();
        const naive = init.slice();
        stridedCopyRef(src, srcOffset, srcStrides, fast, dstOffset, dstStrides, shape, accumulate);
        naiveCopy(src, srcOffset, srcStrides, naive, dstOffset, dstStrides, shape, accumulate);
        assert.deepEqual(fast, naive);
      },
    ),
    { numRuns: 300 },
  );
});
