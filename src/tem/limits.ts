// Sizes a TEM experiment may ask for, checked before any work.
import { ValueError } from "../errors.js";

/** Largest sizes an experiment accepts (neurons and signals per layer, examples, bands, durations). */
export const TEM_LIMITS = { neurons: 1000, examples: 100_000, bands: 1000, exposure: 1e6, jitter: 1e6 } as const;

/**
 * Checks the sizes (integers in [1, limit]), exposure (in (0, 1e6]) and jitter (in [0, 1e6]) of an
 * experiment setup, naming the bad field; the spike count itself is bounded by temEncode's budget.
 */
export function checkSetup<K extends string>(s: Record<K | "exposure" | "jitter", number>, sizes: readonly K[]): void {
  for (const k of sizes) {
    const limit = k === "examples" ? TEM_LIMITS.examples : k.endsWith("ands") ? TEM_LIMITS.bands : TEM_LIMITS.neurons;
    if (!Number.isInteger(s[k]) || s[k] < 1 || s[k] > limit) throw new ValueError(k, `an integer in [1, ${limit}]`, s[k]);
  }
  if (!(s.exposure > 0 && s.exposure <= TEM_LIMITS.exposure)) throw new ValueError("exposure", `a number in (0, ${TEM_LIMITS.exposure}]`, s.exposure);
  if (!(s.jitter >= 0 && s.jitter <= TEM_LIMITS.jitter)) throw new ValueError("jitter", `a number in [0, ${TEM_LIMITS.jitter}]`, s.jitter);
}
