// Random trials of every bound of Moser & Lunglmayr 2024, counting violations per reset mode (`snnkit analyze bounds`).
import { ValueError } from "../../errors.js";
import { Rng } from "../../random/rng.js";
import { checkLipschitz, checkQuantization, checkQuasiIsometry, checkThresholdDeviation, checkTimeDelay } from "../../spiketrain/bounds.js";
import type { QuantizerReset } from "../../spiketrain/lif_quantizer.js";
import { SpikeTrain } from "../../spiketrain/spike_train.js";

/** The authors' settings: gaps U[0.2, 1], amplitudes in {−8, …, 8}/4, 30 spikes. */
export function randomTrain(rng: Rng, spikes = 30): SpikeTrain {
  let t = 0;
  const times: number[] = [];
  const amps: number[] = [];
  for (let k = 0; k < spikes; k++) {
    t += 0.2 + 0.8 * rng.uniform();
    times.push(t);
    amps.push((rng.int(17) - 8) / 4);
  }
  return SpikeTrain.from(times, amps);
}

/** Violations of each check out of `trials`, per reset mode. */
export type BoundTrialCounts = Record<QuantizerReset, Record<"quantization" | "quasi_isometry" | "threshold_deviation" | "time_delay" | "lipschitz", number>>;

/** Most trials `boundTrials` runs per reset mode. */
export const MAX_BOUND_TRIALS = 1_000_000;

/**
 * Runs `trials` random cases of every check per reset mode (ϑ ∈ {0.2, 0.3, 1}, α ∈ {0, 0.1, 0.8, 1, 2, 4, 10});
 * `onProgress(done, total)` is called every 100 trials.
 */
export function boundTrials(trials: number, seed = 0, onProgress?: (done: number, total: number) => void): { trials: number; violations: BoundTrialCounts } {
  if (!(Number.isInteger(trials) && trials >= 1 && trials <= MAX_BOUND_TRIALS)) throw new ValueError("trials", `an integer in [1, ${MAX_BOUND_TRIALS}]`, trials);
  const thetas = [0.2, 0.3, 1];
  const alphas = [0, 0.1, 0.8, 1, 2, 4, 10];
  const violations = {} as BoundTrialCounts;
  for (const reset of ["mod", "subtract", "zero"] as const) {
    const rng = new Rng(seed);
    const v = { quantization: 0, quasi_isometry: 0, threshold_deviation: 0, time_delay: 0, lipschitz: 0 };
    for (let i = 0; i < trials; i++) {
      const p = { threshold: thetas[rng.int(3)], alpha: alphas[rng.int(7)], reset };
      const x = randomTrain(rng);
      const y = randomTrain(rng);
      if (!checkQuantization(x, p).holds) v.quantization++;
      const q = checkQuasiIsometry(x, y, p);
      if (!q.upper.holds || !q.lower.holds) v.quasi_isometry++;
      if (!checkThresholdDeviation(x, p, 0.1).holds) v.threshold_deviation++;
      if (!checkTimeDelay(x, p.alpha, 0.19 * rng.uniform()).holds) v.time_delay++;
      const w = [Array.from({ length: 2 }, () => rng.uniform() - 0.5)];
      if (!checkLipschitz([x, y], [y, x], [{ weights: w, params: p }]).holds) v.lipschitz++;
      if (onProgress && i % 100 === 99) onProgress(Object.keys(violations).length * trials + i + 1, 3 * trials);
    }
    violations[reset] = v;
  }
  return { trials, violations };
}
