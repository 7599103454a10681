// Which continuous-time LIF neuron a layer of neurons becomes on the event-driven and stepped engines: a
// coarse-scale LIF its own (τ in steps, θ = 1, reset to 0, one step refractory; Yanguas-Gil 2020), any
// other LIF (a LIF or IF layer, such as one imported from NIR) the neuron of its ODE: τ = −1/ln β steps
// (∞ without leak), its threshold and reset, no refractory period, and the input gain that gives it the
// layer's fixed point under a constant input, g·(−ln β)/(1 − β) (g without leak): a layer imported from
// NIR by the exact discretisation (g = (1 − β)·R) becomes NIR's ODE itself, with rate R·dt/τ.
import { ValueError } from "../errors.js";
import type { Module } from "../nn/module.js";
import { CoarseLIF } from "../neurons/coarse_lif.js";
import { COARSE_NEURON, type ContinuousNeuron } from "../neurons/continuous_lif.js";
import { LIF } from "../neurons/lif_module.js";

/** A neuron layer in continuous time: τ in steps, the gain of its inputs, and its threshold, reset and refractory period. */
export interface ContinuousLayer {
  layer: LIF;
  tau: number;
  gain: number;
  neuron: ContinuousNeuron;
}

/** The continuous-time neurons of a layer; a ValueError names what has none (noise, learned β or θ, β = 0). */
export function continuousLayer(neurons: Module): ContinuousLayer {
  if (!(neurons instanceof LIF)) throw new ValueError("transfer: neurons", "a LIF, IF or CoarseLIF layer", neurons.kind);
  const where = `transfer: ${neurons.kind}`;
  if (neurons.noise) throw new ValueError(where, "deterministic neurons (not noisy ones)", "noise");
  if (neurons instanceof CoarseLIF) {
    if (neurons.analogInput) throw new ValueError(where, "the plain coarse LIF (not the analog-input variant)", "analogInput");
    return { layer: neurons, tau: neurons.tau, gain: 1, neuron: COARSE_NEURON };
  }
  if (neurons.betaParam || neurons.thresholdParam) throw new ValueError(where, "fixed β and θ", "learned β or θ");
  const beta = neurons.beta;
  if (!(beta > 0)) throw new ValueError(`${where}: beta`, "a leak β > 0 (β = 0 keeps no membrane: no time constant)", beta);
  const g = neurons.params.inputGain;
  const leaky = beta < 1;
  return { layer: neurons, tau: leaky ? -1 / Math.log(beta) : Infinity, gain: leaky ? (g * -Math.log(beta)) / (1 - beta) : g, neuron: { threshold: neurons.threshold, refractory: 0, reset: neurons.reset } };
}
