// snnkit/tem: time-encoding machines and training spiking layers from spike times (Adam 2022).
export { FourierSignal } from "./tem/fourier_signal.js";
export { checkTemParams, DEFAULT_TEM, increasingTimes, jitterTimes, type TemParams, temEncode } from "./tem/tem_neuron.js";
export { encodeLayer, frobeniusError, type NeuronFit, type TemExample, trainOneLayer } from "./tem/one_layer.js";
export { type PeriodicSignal, TrigSignal, trigIntegrals } from "./tem/fourier_signal.js";
export { annihilatingFilter, type Complex, diracAmplitudes, polynomialRoots } from "./tem/prony.js";
export { hungarian, kMeans, type KMeansResult } from "./tem/clustering.js";
export {
  diracStream,
  inputCoefficients,
  runTwoLayer,
  TWO_LAYER_DEFAULTS,
  type TwoLayerOutcome,
  type TwoLayerSetup,
} from "./tem/two_layer.js";
export { TEM_LIMITS, checkSetup } from "./tem/limits.js";
