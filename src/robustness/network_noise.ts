// Perturbations inside a spiking network for robustness tests: spike deletion and insertion after every
// spiking layer, and noise on the membranes of every spiking layer. A perturbed network is the same
// layers (shared, not copied) with perturbation modules between them.
import { ValueError } from "../errors.js";
import { Module, type TimeMode } from "../nn/module.js";
import { Sequential } from "../nn/sequential.js";
import { SpikingNeuron } from "../neurons/neuron.js";
import type { Rng } from "../random/rng.js";
import { tensor } from "../tensor/creation.js";
import type { Tensor } from "../tensor/tensor.js";
import { chooseDistinct } from "./input_attacks.js";

/**
 * Spike noise at fraction p: of the spikes (nonzero values) of s exactly round(p·N₁) are deleted and of
 * its silent positions exactly round(p·N₀) get a spike, chosen uniformly at random.
 */
export function flipSpikes(s: Float32Array, p: number, rng: Rng): Float32Array {
  if (!(Number.isFinite(p) && p >= 0 && p <= 1)) throw new ValueError("p", "a fraction in [0, 1]", p);
  const out = s.slice();
  let ones = 0;
  for (const v of s) if (v !== 0) ones++;
  const on = new Int32Array(ones);
  const off = new Int32Array(s.length - ones);
  let [a, b] = [0, 0];
  s.forEach((v, i) => {
    if (v !== 0) on[a++] = i;
    else off[b++] = i;
  });
  for (const i of chooseDistinct(on, Math.round(p * on.length), rng)) out[i] = 0;
  for (const i of chooseDistinct(off, Math.round(p * off.length), rng)) out[i] = 1;
  return out;
}

/** A layer that applies flipSpikes to the spikes [T, B, ...] passing through it. */
export class SpikeNoise extends Module {
  override readonly time: TimeMode = "temporal";
  constructor(
    readonly p: number,
    private readonly rng: Rng,
  ) {
    super();
  }
  forward(s: Tensor): Tensor {
    return tensor(flipSpikes(s.dataFloat32(), this.p, this.rng), s.shape);
  }
}

/** A layer that adds α·n, n ~ N(0, 1), to every value of the currents [T, B, ...] passing through it. */
export class CurrentNoise extends Module {
  override readonly time: TimeMode = "temporal";
  constructor(
    readonly alpha: number,
    private readonly rng: Rng,
  ) {
    super();
    if (!(Number.isFinite(alpha) && alpha >= 0)) throw new ValueError("alpha", "a number ≥ 0", alpha);
  }
  forward(x: Tensor): Tensor {
    return tensor(x.dataFloat32().map((v) => v + this.alpha * this.rng.normal()), x.shape);
  }
}

/** What to perturb inside a network. */
export interface NetworkNoise {
  /** Spike noise after every spiking layer whose output is spikes (fraction p). */
  spikes?: number;
  /**
   * Membrane noise: N(0, α²) added to the input current of every spiking layer at every step (the
   * membrane receives it times the layer's input gain).
   */
  membrane?: number;
}

/** The network with perturbation layers around its spiking layers (the layers themselves are shared). */
export function withNetworkNoise(model: Sequential, noise: NetworkNoise, rng: Rng): Sequential {
  const layers: Module[] = [];
  for (const layer of model.layers) {
    const spiking = layer instanceof SpikingNeuron;
    if (spiking && noise.membrane !== undefined) layers.push(new CurrentNoise(noise.membrane, rng));
    layers.push(layer);
    if (spiking && noise.spikes !== undefined && layer.output === "spikes") layers.push(new SpikeNoise(noise.spikes, rng));
  }
  const perturbed = new Sequential(...layers);
  perturbed.train(model.training);
  return perturbed;
}
