// Random spike trains for property tests.
import fc from "fast-check";
import * as ST from "../../src/spiketrain.js";

/** Random trains in the authors' settings: gaps U[0.2, 1], amplitudes in {−8, …, 8}/4. */
export const trainArb = (maxLen = 30) =>
  fc
    .tuple(fc.array(fc.double({ min: 0.2, max: 1, noNaN: true }), { minLength: 0, maxLength: maxLen }), fc.array(fc.integer({ min: -8, max: 8 }), { minLength: maxLen, maxLength: maxLen }))
    .map(([gaps, amps]) => {
      let t = 0;
      const times = gaps.map((g) => (t += g));
      return ST.SpikeTrain.from(times, times.map((_, k) => amps[k] / 4));
    });

