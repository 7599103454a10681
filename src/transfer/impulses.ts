// A coarse step's input as impulses in continuous time: its mass spread within the step, merged with the
// impulses of earlier neurons.
import { ValueError } from "../errors.js";
import type { Impulses } from "../neurons/continuous_lif.js";
import type { Rng } from "../random/rng.js";

/** How a coarse step's input mass x arrives within the step: k impulses x/k, evenly spaced or at uniform random times. */
export const SPREADS = ["even", "uniform"] as const;
/** An input spreading rule. */
export type Spread = (typeof SPREADS)[number];

/**
 * The impulses of per-step masses x[0..T) spread within each step [s, s + 1): k impulses x[s]/k at
 * s + (i + ½)/k ("even") or at s + U_i, sorted ("uniform").
 */
export function spreadSteps(x: ArrayLike<number>, k: number, spread: Spread, rng: Rng | null): Impulses {
  const out: Impulses = { t: [], w: [] };
  const times = new Float64Array(k);
  for (let s = 0; s < x.length; s++) {
    if (x[s] === 0) continue;
    if (spread === "even") for (let i = 0; i < k; i++) times[i] = s + (i + 0.5) / k;
    else {
      if (!rng) throw new ValueError("spread", "a generator for uniform times", "none");
      for (let i = 0; i < k; i++) times[i] = s + rng.uniform();
      times.sort();
    }
    for (let i = 0; i < k; i++) {
      out.t.push(times[i]);
      out.w.push(x[s] / k);
    }
  }
  return out;
}

/** Merges two impulse lists by time (ties: the first list's impulse first). */
export function mergeImpulses(a: Impulses, b: Impulses): Impulses {
  const out: Impulses = { t: [], w: [] };
  let [i, j] = [0, 0];
  while (i < a.t.length || j < b.t.length) {
    if (j >= b.t.length || (i < a.t.length && a.t[i] <= b.t[j])) {
      out.t.push(a.t[i]);
      out.w.push(a.w[i++]);
    } else {
      out.t.push(b.t[j]);
      out.w.push(b.w[j++]);
    }
  }
  return out;
}
