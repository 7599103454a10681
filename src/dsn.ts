// snnkit/dsn: Deep Spiking Networks (O'Connor & Welling 2016): herding quantizers, the event-driven
// spiking MLP that trains with spikes, and the ReLU MLP it approximates.
export { HERDER_STARTS, type HerderKind, type HerderStart, HerdingQuantizer, type HerdingQuantizerOptions, herdCounts, herdingStep, type SpikeCodes } from "./dsn/herding.js";
export { DSN_UPDATES, type DsnUpdate, type DsnWork, denseMultiplyAdds, initialWeights, scalarOperations, SpikingMlp, type SpikingMlpOptions } from "./dsn/spiking_mlp.js";
export { RELU_LOSSES, type ReluLoss, ReluMlp, type ReluMlpOptions } from "./dsn/relu_mlp.js";
