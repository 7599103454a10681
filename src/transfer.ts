// snnkit/transfer: a coarse-LIF network (or one of LIF and IF layers, such as an imported NIR graph) run by
// continuous-time LIF neurons (neurons/continuous_lif.ts), exactly event by event or on a grid of
// substeps, with its inputs spread within each step.
export { type ContinuousLayer, continuousLayer } from "./transfer/continuous_neurons.js";
export { mergeImpulses, type Spread, SPREADS, spreadSteps } from "./transfer/impulses.js";
export { type EventRun, type EventRunOptions, convImpulses, linearImpulses, maxPoolImpulses, runEventNetwork } from "./transfer/event_network.js";
export { perStepMasses, runSteppedNetwork, type SteppedRun, steppedOutputs } from "./transfer/stepped_network.js";
