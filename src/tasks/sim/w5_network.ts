// The W5 benchmark network (a recurrent LIF network driven by Poisson sources), as a network spec.
import { Rng } from "../../random/rng.js";
import type { NetworkSpec } from "../../sim/network.js";

/**
 * The W5 benchmark network (docs/simulation.md): 10,000 LIF (τ = 20 ms, θ = 1, reset to 0, no refractory period),
 * 8,000 excitatory (w = 0.02) and 2,000 inhibitory (w = −0.1) with connection probability 0.02 and no
 * delay, v₀ ~ U[0, 1), and 1,000 Poisson sources of 2.2 Hz with weight 0.02 per neuron.
 */
export function w5Network(seed = 12345, n = 10000): NetworkSpec {
  const rng = new Rng(seed);
  const pre: number[] = [];
  const post: number[] = [];
  const weight: number[] = [];
  const ne = Math.round(0.8 * n);
  const logq = Math.log(1 - 0.02);
  for (let i = 0; i < n; i++)
    for (let j = Math.floor(Math.log(1 - rng.uniform()) / logq); j < n; j += 1 + Math.floor(Math.log(1 - rng.uniform()) / logq)) {
      pre.push(i);
      post.push(j);
      weight.push(i < ne ? 0.02 : -0.1);
    }
  return {
    neurons: { count: n, tau: 0.02, threshold: 1, reset: "zero", refractory: 0, bias: 0, v0: Array.from({ length: n }, () => rng.uniform()) },
    synapses: { pre, post, weight, delay: new Array(pre.length).fill(0) },
    inputs: [],
    poisson: [{ neurons: Array.from({ length: n }, (_, i) => i), rate: 2.2, weight: 0.02, sources: 1000 }],
  };
}
