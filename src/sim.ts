// snnkit/sim: LIF network files and their exact event-driven and time-stepped simulation.
export { MAX_NEURONS, type NetworkReset, type NetworkSpec, parseNetwork } from "./sim/network.js";
export { expectedDriveEvents, type SimulateOptions, type SimulationResult, simulateEvents } from "./sim/event_sim.js";
export { type SteppedOptions, type SteppedResult, simulateStepped } from "./sim/stepped_sim.js";
