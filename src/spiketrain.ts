// snnkit/spiketrain: exact continuous-time spike trains, Alexiewicz norms and the LIF as a quantizer
// (Moser & Lunglmayr), with the bound checks.
export { SpikeTrain, type SpikeTrainOptions } from "./spiketrain/spike_train.js";
export { alexiewiczNorm, alexiewiczNormSampled, vanRossumDistance, victorPurpuraDistance } from "./spiketrain/norms.js";
export {
  FLOOR_TOLERANCE,
  lifQuantize,
  type QuantizerParams,
  type QuantizerReset,
  type QuantizerResult,
  toleranceFloor,
} from "./spiketrain/lif_quantizer.js";
export {
  type BoundCheck,
  checkDelayedOutput,
  checkLipschitz,
  checkQuantization,
  checkQuasiIsometry,
  checkThresholdDeviation,
  checkTimeDelay,
  infinityNorm,
  lifOutput,
  type Quantizer,
  sparsityCheck,
  spikingLayer,
} from "./spiketrain/bounds.js";
