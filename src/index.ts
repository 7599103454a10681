// snnkit: spiking neural networks in TypeScript. Public API of the portable core (no Node APIs here):
// tensors and autograd, layers, neurons, encoders, optimizers, data, plots, and the engines' registry. The
// methods have their own entries: snnkit/spiketrain, snnkit/sim, snnkit/tem, snnkit/dsn, snnkit/eprop, snnkit/robustness,
// snnkit/transfer, snnkit/control; their runs are snnkit/tasks, and Node's files snnkit/node.
export type { Backend, BackendName } from "./backend/backend.js";
export type { DType, Storage } from "./backend/storage.js";
export type { ResetMode } from "./backend/kernel_codes.js";
export type { SurrogateName } from "./surrogate/surrogate.js";
export { backendByName, getBackend, getBackendName, getThreads, ready, setBackend, setThreads, startThreads } from "./backend/registry.js";
export { BackendError, DisposedError, DTypeError, ShapeError, SnnkitError, ValueError } from "./errors.js";
export { lif, type LifLearned, type LifState } from "./neurons/lif.js";
export type { LifResult } from "./neurons/lif_op.js";
export { isLifParams, type LifOptions, type LifParams, lifParams } from "./neurons/lif_params.js";
export { defaultRng, MAX_SEED, manualSeed, Rng, type RngState } from "./random/rng.js";
export {
  defaultSurrogateParam,
  resolveSurrogate,
  type SurrogateSpec,
  surrogateDerivative,
} from "./surrogate/surrogate.js";
export { backward } from "./tensor/autograd.js";
export {
  bernoulli,
  type CreateOptions,
  full,
  ones,
  type RandomOptions,
  rand,
  randn,
  scalar,
  tensor,
  zeros,
} from "./tensor/creation.js";
export { dispose, isGradEnabled, keep, liveTensorCount, noGrad, tidy } from "./tensor/engine.js";
export { type MemoryInfo, memoryInfo, resetPeakMemory } from "./tensor/memory.js";
export { MAX_TENSOR_BYTES } from "./tensor/op_util.js";
export * from "./tensor/ops/index.js";
export { type GradNode, type NestedArray, Tensor } from "./tensor/tensor.js";
export { checkedNumber, DataError, DivergenceError, LimitError, ServiceError } from "./errors.js";
export { type InitOptions, type InitScheme, initBias, initWeight } from "./nn/init.js";
export { type LayerRun, type LayerState, Module, type TensorEntry, type TimeMode } from "./nn/module.js";
export { Linear, type LinearOptions } from "./nn/linear.js";
export { Conv1d, type Conv1dOptions } from "./nn/conv1d.js";
export { Conv2d, type Conv2dOptions } from "./nn/conv2d.js";
export { Scale } from "./nn/scale.js";
export { Delay } from "./nn/delay.js";
export { DelayedLinear, type DelayedLinearOptions } from "./nn/delayed_linear.js";
export { AvgPool2d, MaxPool2d } from "./nn/pool.js";
export { Flatten } from "./nn/flatten.js";
export { Dropout } from "./nn/dropout.js";
export { BatchNorm2d, type BatchNorm2dOptions } from "./nn/batch_norm.js";
export { type RunOptions, Sequential, type SequentialRun } from "./nn/sequential.js";
export { type ChunkedBpttMode, type ChunkedBpttOptions, type ChunkedBpttResult, chunkedBackward } from "./nn/chunked_bptt.js";
export {
  accuracy,
  ceCountLoss,
  ceMembraneLoss,
  type CountTargets,
  mseCountLoss,
  predictions,
  spikeCounts,
} from "./nn/spike_losses.js";
export {
  type NeuronOutput,
  type NeuronRun,
  type NeuronState,
  type NeuronStep,
  SpikingNeuron,
  stepOf,
} from "./neurons/neuron.js";
export { IF, LIF } from "./neurons/lif_module.js";
export { NOISE_INJECTIONS, type NoiseInjection, NOISY_EVAL_MODES, type NoiseOptions, NoiseSource, type NoisyEvalMode } from "./neurons/membrane_noise.js";
export { NOISY_LIF_VARIANTS, NoisyLIF, type NoisyLIFOptions, type NoisyLIFVariant } from "./neurons/noisy_lif.js";
export {
  erfc,
  formatNoise,
  type MembraneNoise,
  membraneNoise,
  NOISE_FAMILIES,
  type NoiseFamily,
  noiseCdf,
  noiseDensity,
  noiseSurrogate,
  parseNoise,
  sampleNoise,
} from "./surrogate/noise.js";
export { type ConventionRules, conventionRules, type LifConvention } from "./neurons/conventions.js";
export { type CoarseConstants, CoarseLIF, type CoarseLIFOptions, coarseConstants } from "./neurons/coarse_lif.js";
export { Synaptic, type SynapticOptions } from "./neurons/synaptic.js";
export { Recurrent } from "./neurons/recurrent.js";
export { IZHIKEVICH_PATTERNS, Izhikevich, type IzhikevichOptions, type IzhikevichParams, type IzhikevichPattern, type IzhikevichPatternName, type IzhikevichState, izhikevich, izhikevichParams, izhikevichStep } from "./neurons/izhikevich.js";
export { Alpha, type AlphaState, alphaComposed, alphaNeuron, alphaStep } from "./neurons/alpha.js";
export { type AlphaOptions, type AlphaParams, alphaParams } from "./neurons/alpha_params.js";
export { ALIF, type AlifResult, type AlifState, type AlifStep, alif, alifComposed, alifStep } from "./neurons/alif.js";
export { type AlifOptions, type AlifParams, alifParams } from "./neurons/alif_params.js";
export { RecurrentLIF, type RecurrentLIFOptions } from "./neurons/recurrent_lif.js";
export { type CustomSurrogate, type NeuronSurrogate, spikeFunction } from "./neurons/spike_function.js";
export { deltaEncode, directEncode, type LatencyOptions, latencyEncode, rateEncode } from "./encode/encoders.js";
export { Optimizer, type OptimizerState } from "./optim/optimizer.js";
export { SGD, type SGDOptions } from "./optim/sgd.js";
export { Adam, type AdamOptions, AdamW } from "./optim/adam.js";
export { CosineSchedule } from "./optim/cosine_schedule.js";
export { batchIndices, datasetSize, floatImages, gatherBatch, holdOut, type ImageDataset, permutation, type RunData, subset } from "./data/dataset.js";
export { YIN_YANG_CLASSES, YIN_YANG_SPLITS, yinYang, yinYangClass, yinYangSplit } from "./data/yin_yang.js";
export { linePlot, type RasterPanel, rasterPlot, type Series } from "./plot/svg.js";
export { scaleToUnitCurrent } from "./nn/data_init.js";
export { heatMap } from "./plot/svg.js";
export {
  biasDrive,
  type ContinuousRun,
  type ContinuousState,
  decayFactor,
  COARSE_NEURON,
  type ContinuousNeuron,
  FIRING_RULES,
  type FiringRule,
  type Impulses,
  membraneAfter,
  receiveImpulse,
  restingState,
  runContinuousLif,
  steppedContinuousLif,
  timeToThreshold,
} from "./neurons/continuous_lif.js";
export { cubaAfter, type CubaConstants, runContinuousCuba, steppedContinuousCuba } from "./neurons/continuous_cuba.js";
export { type LayerEngine, layerImplementation, registeredKinds, registerLayer } from "./nn/layer_engines.js";
