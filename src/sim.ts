// snnkit/sim: LIF network files and their exact event-driven and time-stepped simulation; STDP.
export { MAX_NEURONS, type NetworkReset, type NetworkSpec, parseNetwork } from "./sim/network.js";
export { expectedDriveEvents, type SimulateOptions, type SimulationResult, simulateEvents } from "./sim/event_sim.js";
export { type SteppedOptions, type SteppedResult, simulateStepped } from "./sim/stepped_sim.js";
export { applyStdp, checkStdpRule, PAIR_STDP, type StdpInteraction, type StdpRule, StdpSynapse, TRIPLET_STDP } from "./sim/stdp.js";
export type { NetworkStdp } from "./sim/stdp_network.js";
export { COMPETITIVE_STDP, type CompetitiveOptions, CompetitiveStdpNetwork, labelNeurons, voteClass } from "./sim/competitive_stdp.js";
