// Which continuous-time neuron a layer of neurons becomes on the event-driven and stepped engines: a
// coarse-scale LIF its own (τ in steps, θ = 1, reset to 0, one step refractory; Yanguas-Gil 2020), any
// other LIF (a LIF or IF layer, such as one imported from NIR) the neuron of its ODE: τ = −1/ln β steps
// (∞ without leak), its threshold and reset, no refractory period, and the input gain that gives it the
// layer's fixed point under a constant input, g·(−ln β)/(1 − β) (g without leak): a layer imported from
// NIR by the exact discretisation (g = (1 − β)·R) becomes NIR's ODE itself, with rate R·dt/τ. A Synaptic
// layer becomes the current-based neuron: τ_s = −1/ln α, τ_m = −1/ln β, and its two gains chosen alike.
import { ValueError } from "../errors.js";
import type { Module } from "../nn/module.js";
import { CoarseLIF } from "../neurons/coarse_lif.js";
import type { CubaConstants } from "../neurons/continuous_cuba.js";
import { COARSE_NEURON, type ContinuousNeuron } from "../neurons/continuous_lif.js";
import { LIF } from "../neurons/lif_module.js";
import { Synaptic } from "../neurons/synaptic.js";

/**
 * A neuron layer in continuous time: its membrane layer (for the surrogate and reset gradient of
 * training), the gain of its inputs, its threshold, reset and refractory period, and its dynamics: a
 * membrane of τ steps ("lif"), or a current of τ_s into a membrane of τ_m ("cuba").
 */
export type ContinuousLayer = { layer: LIF; gain: number; neuron: ContinuousNeuron } & ({ kind: "lif"; tau: number } | { kind: "cuba"; constants: CubaConstants });

/** The gain g·(−ln β)/(1 − β) (g when β = 1) that gives the continuous neuron a discrete layer's fixed point g/(1 − β) per unit of input. */
const fixedPointGain = (g: number, beta: number): number => (beta < 1 ? (g * -Math.log(beta)) / (1 - beta) : g);

/** Checks a LIF layer can run in continuous time; a ValueError names what stops it (noise, learned β or θ). */
function checkDeterministic(neurons: LIF, where: string): void {
  if (neurons.noise) throw new ValueError(where, "deterministic neurons (not noisy ones)", "noise");
  if (neurons.betaParam || neurons.thresholdParam) throw new ValueError(where, "fixed β and θ", "learned β or θ");
}

/**
 * The continuous-time neurons of a layer; a ValueError names what has none (noise, learned β or θ, a decay
 * of 0), and a layer that passes its membrane on (an LI or I node of NIR) where it is not the network's last
 * (the engines pass spikes between layers). `output`: what the layer gives (default: the layer's own).
 */
export function continuousLayer(neurons: Module, last = true, output?: string): ContinuousLayer {
  const where = `transfer: ${neurons.kind}`;
  if (!last && (output ?? (neurons as { output?: string }).output) === "membrane")
    throw new ValueError(where, "neurons that pass spikes on (a layer that passes its membrane on runs on the tensor engine only, or last)", "a membrane output before the last layer");
  if (neurons instanceof Synaptic) {
    const membrane = neurons.membraneLayer;
    checkDeterministic(membrane, where);
    const [alpha, beta] = [neurons.alpha, membrane.beta];
    if (!(alpha > 0 && alpha < 1 && beta > 0 && beta < 1)) throw new ValueError(`${where}: alpha, beta`, "decays in (0, 1) (time constants of a current and a membrane)", [alpha, beta]);
    const constants = { tauSyn: -1 / Math.log(alpha), tauMem: -1 / Math.log(beta), coupling: fixedPointGain(membrane.params.inputGain, beta) };
    return { kind: "cuba", layer: membrane, gain: fixedPointGain(neurons.currentGain, alpha), constants, neuron: { threshold: membrane.threshold, refractory: 0, reset: membrane.reset } };
  }
  if (!(neurons instanceof LIF)) throw new ValueError("transfer: neurons", "a LIF, IF, CoarseLIF or Synaptic layer", neurons.kind);
  if (neurons instanceof CoarseLIF) {
    if (neurons.noise) throw new ValueError(where, "deterministic neurons (not noisy ones)", "noise");
    if (neurons.analogInput) throw new ValueError(where, "the plain coarse LIF (not the analog-input variant)", "analogInput");
    return { kind: "lif", layer: neurons, tau: neurons.tau, gain: 1, neuron: COARSE_NEURON };
  }
  checkDeterministic(neurons, where);
  const beta = neurons.beta;
  if (!(beta > 0)) throw new ValueError(`${where}: beta`, "a leak β > 0 (β = 0 keeps no membrane: no time constant)", beta);
  return { kind: "lif", layer: neurons, tau: beta >= 1 ? Infinity : -1 / Math.log(beta), gain: fixedPointGain(neurons.params.inputGain, beta), neuron: { threshold: neurons.threshold, refractory: 0, reset: neurons.reset } };
}
