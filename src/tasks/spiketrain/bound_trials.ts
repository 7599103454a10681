// Random trials of every bound of Moser & Lunglmayr 2024, counting violations per reset mode (`snnkit analyze bounds`).
import { ValueError } from "../../errors.js";
import { Rng } from "../../random/rng.js";
import { type BoundCheck, checkDelayedOutput, checkLipschitz, checkQuantization, checkQuasiIsometry, checkThresholdDeviation, checkTimeDelay } from "../../spiketrain/bounds.js";
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

/** The checks that run a LIF, per reset mode. */
export const LIF_CHECKS = ["quantization", "quasi_isometry", "threshold_deviation", "delayed_output", "lipschitz"] as const;
/** A check that runs a LIF. */
export type LifCheck = (typeof LIF_CHECKS)[number];

/** Per reset mode and check: violations out of `trials`, and the closest approach, max(measured / bound). */
export type BoundTrialCounts = Record<QuantizerReset, Record<LifCheck, number>>;

/** Results of boundTrials. */
export interface BoundTrials {
  trials: number;
  violations: BoundTrialCounts;
  /** max over the trials of measured / bound (the upper bound for quasi-isometry): how tight each check was. */
  closest: BoundTrialCounts;
  /** The time delay of the input train itself (no LIF, so not per reset mode): violations and closest approach. */
  time_delay_norm: { violations: number; closest: number };
}

/** Most trials `boundTrials` runs per reset mode. */
export const MAX_BOUND_TRIALS = 1_000_000;

/** The perturbation ν_p = p δ(t − 2.3) − p δ(t − 5.85) + p δ(t − 7) of the resonance experiment. */
function perturbation(p: number): SpikeTrain {
  return SpikeTrain.from([2.3, 5.85, 7], [p, -p, p]);
}

/**
 * Runs `trials` random cases of every check per reset mode (ϑ ∈ {0.2, 0.3, 1}, α ∈ {0, 0.1, 0.8, 1, 2, 4, 10}):
 * quantization of a train, quasi-isometry of two trains, a threshold deviation of 0.1, a delay below the
 * smallest gap (through the LIF, and of the train alone), and one layer of 3 × 3 weights in ±0.75 on three
 * trains and their copies perturbed by ν_p with p ∈ [0, 0.3) (small differences, so that the 2ϑ of the
 * bound matters). `onProgress(done, total)` is called every 100 trials.
 */
export function boundTrials(trials: number, seed = 0, onProgress?: (done: number, total: number) => void): BoundTrials {
  if (!(Number.isInteger(trials) && trials >= 1 && trials <= MAX_BOUND_TRIALS)) throw new ValueError("trials", `an integer in [1, ${MAX_BOUND_TRIALS}]`, trials);
  const thetas = [0.2, 0.3, 1];
  const alphas = [0, 0.1, 0.8, 1, 2, 4, 10];
  const violations = {} as BoundTrialCounts;
  const closest = {} as BoundTrialCounts;
  const norm = { violations: 0, closest: 0 };
  const resets = ["mod", "subtract", "zero"] as const;
  resets.forEach((reset, r) => {
    const rng = new Rng(seed);
    const v = Object.fromEntries(LIF_CHECKS.map((k) => [k, 0])) as Record<LifCheck, number>;
    const c = Object.fromEntries(LIF_CHECKS.map((k) => [k, 0])) as Record<LifCheck, number>;
    const count = (check: LifCheck, result: BoundCheck) => {
      if (!result.holds) v[check]++;
      c[check] = Math.max(c[check], result.measured / result.bound);
    };
    for (let i = 0; i < trials; i++) {
      const p = { threshold: thetas[rng.int(3)], alpha: alphas[rng.int(7)], reset };
      const x = randomTrain(rng);
      const y = randomTrain(rng);
      count("quantization", checkQuantization(x, p));
      const q = checkQuasiIsometry(x, y, p);
      if (!q.lower.holds) v.quasi_isometry++;
      count("quasi_isometry", q.upper);
      count("threshold_deviation", checkThresholdDeviation(x, p, 0.1));
      const dt = 0.19 * rng.uniform();
      count("delayed_output", checkDelayedOutput(x, p, dt));
      if (r === 0) {
        const d = checkTimeDelay(x, p.alpha, dt);
        if (!d.holds) norm.violations++;
        norm.closest = Math.max(norm.closest, d.measured / d.bound);
      }
      const inputs = [x, y, randomTrain(rng)];
      const nu = perturbation(0.3 * rng.uniform());
      const weights = Array.from({ length: 3 }, () => Array.from({ length: 3 }, () => 1.5 * (rng.uniform() - 0.5)));
      count("lipschitz", checkLipschitz(inputs, inputs.map((t) => t.add(nu)), [{ weights, params: p }]));
      if (onProgress && i % 100 === 99) onProgress(r * trials + i + 1, 3 * trials);
    }
    violations[reset] = v;
    closest[reset] = c;
  });
  return { trials, violations, closest, time_delay_norm: norm };
}
