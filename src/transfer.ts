// snnkit/transfer: a coarse-LIF network run by continuous-time LIF neurons (neurons/continuous_lif.ts),
// exactly event by event or on a grid of substeps, with its inputs spread within each step.
export { mergeImpulses, type Spread, SPREADS, spreadSteps } from "./transfer/impulses.js";
export { type EventRun, type EventRunOptions, convImpulses, linearImpulses, maxPoolImpulses, runEventNetwork } from "./transfer/event_network.js";
export { perStepMasses, runSteppedNetwork, type SteppedRun, steppedOutputs } from "./transfer/stepped_network.js";
