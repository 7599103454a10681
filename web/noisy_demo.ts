// The networks of the playground's noisy page, the same in the page's worker and in Node (the browser test).
import type { TrainConfig } from "../src/tasks/train/config.js";

/** The deterministic and the noisy MLP of the noisy page, trained as `snnkit train --model mlp --neuron lif|noisy`. */
export function noisyConfigs(trainLimit: number): { name: string; fields: Partial<TrainConfig> }[] {
  const common = { model: "mlp", steps: 4, encoding: "direct", epochs: 1, trainLimit, testLimit: 200, batchSize: 64 } as const;
  return [
    { name: "deterministic (lif)", fields: { ...common, neuron: "lif" } },
    { name: "noisy (gaussian 0.3)", fields: { ...common, neuron: "noisy" } },
  ];
}
