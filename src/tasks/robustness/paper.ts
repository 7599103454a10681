// The comparison of Ma, Yan & Tang (2023) on the embedded digits: for each architecture a deterministic
// SNN and a noisy SNN (NSNN) with the same neurons (β = 0.5, θ = 1, subtract reset), the same training
// budget and the same gradient shape: the SNN trains with the Gaussian surrogate of σ = 0.3, the NSNN
// samples its spikes with Gaussian membrane noise of σ = 0.3 and trains with that density.
import { DEFAULT_CONFIG, type TrainConfig } from "../train/config.js";
import { ATTACK_NAMES, ATTACKS, type AttackSweep, sweep } from "./attacks.js";
import { seededName } from "./seed_groups.js";

/** The networks of the comparison, by name ("<group>-seed<k>"), for each training seed. */
export function paperModels(epochs = 3, seeds: readonly number[] = [0]): { name: string; config: TrainConfig }[] {
  const snn = { neuron: "lif", surrogate: { name: "gaussian", param: 0.3 } } as const;
  const nsnn = { neuron: "noisy", noise: "gaussian:0.3" } as const;
  return seeds.flatMap((seed) => {
    const base: TrainConfig = { ...DEFAULT_CONFIG, epochs, seed, beta: 0.5, loss: "ce-membrane", steps: 8 };
    return [
      { name: seededName("mlp-snn", seed), config: { ...base, model: "mlp", encoding: "rate", ...snn } },
      { name: seededName("mlp-nsnn", seed), config: { ...base, model: "mlp", encoding: "rate", ...nsnn } },
      { name: seededName("conv-snn", seed), config: { ...base, model: "conv", encoding: "direct", ...snn } },
      { name: seededName("conv-nsnn", seed), config: { ...base, model: "conv", encoding: "direct", ...nsnn } },
    ];
  });
}

/** The pairs the comparison judges: each architecture's NSNN against its deterministic SNN. */
export const PAPER_PAIRS = [
  ["mlp-nsnn", "mlp-snn"],
  ["conv-nsnn", "conv-snn"],
] as const;

/** Test images of the robustness sweeps of the comparison (the clean accuracy uses the whole test split). */
export const PAPER_TEST_IMAGES = 500;

/** Every attack over its standard range. */
export function standardSweeps(): AttackSweep[] {
  return ATTACK_NAMES.map((attack) => ({ attack, strengths: sweep(...ATTACKS[attack].range) }));
}
