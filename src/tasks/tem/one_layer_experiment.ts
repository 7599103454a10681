// Experiments of Adam 2022: ground-truth layers, spike encoding, one-layer recovery and its error.
import { Rng } from "../../random/rng.js";
import { checkSetup } from "../../tem/limits.js";
import { FourierSignal } from "../../tem/fourier_signal.js";
import { encodeLayer, frobeniusError, type NeuronFit, type TemExample, trainOneLayer } from "../../tem/one_layer.js";
import { DEFAULT_TEM, jitterTimes, type TemParams } from "../../tem/tem_neuron.js";

/** Settings of a one-layer recovery experiment (defaults: Adam 2022, 20 → 5, P = 10, K = 10). */
export interface OneLayerSetup {
  inputs: number;
  outputs: number;
  examples: number;
  /** Duration of each example (time units; the signals' period is 10). */
  exposure: number;
  /** Standard deviation of Gaussian noise added to every spike time (0: exact times). */
  jitter: number;
  params: TemParams;
  bands: number;
  period: number;
  seed: number;
}

/** The one-layer settings of Adam 2022. */
export const ONE_LAYER_DEFAULTS: OneLayerSetup = {
  inputs: 20,
  outputs: 5,
  examples: 5,
  exposure: 9,
  jitter: 0,
  params: DEFAULT_TEM,
  bands: 10,
  period: 10,
  seed: 0,
};

/** What a recovery experiment measured. */
export interface OneLayerOutcome {
  /** ‖W_learned − W_true‖_F. */
  error: number;
  /** Rank of each output neuron's system. */
  rank: number[];
  /** Whether every system had full rank (= inputs). */
  determined: boolean;
  /** Output spikes over all examples. */
  spikes: number;
  equations: number[];
  /** Largest interval-equation residual of the learned weights. */
  residual: number;
  fits: NeuronFit[];
  wTrue: Float64Array[];
}

/**
 * Draws W_true ~ U[0, 1) (outputs × inputs) and, per example, input signals with coefficients U[0, 1);
 * encodes each output y_j = Σ_i W_ji x_i with the TEM over [0, exposure]; jitters the times if asked;
 * learns W by trainOneLayer and reports the error. Seeded: the same setup gives the same numbers.
 */
export function runOneLayer(setup: Partial<OneLayerSetup> = {}): OneLayerOutcome {
  const s = { ...ONE_LAYER_DEFAULTS, ...setup };
  checkSetup(s, ["inputs", "outputs", "examples", "bands"]);
  const rng = new Rng(s.seed);
  const wTrue = Array.from({ length: s.outputs }, () => Float64Array.from({ length: s.inputs }, () => rng.uniform()));
  const examples: TemExample[] = Array.from({ length: s.examples }, () => {
    const inputs = Array.from({ length: s.inputs }, () => FourierSignal.random(rng, s.bands, s.period));
    const spikes = encodeLayer(inputs, wTrue, s.params, s.exposure).map((train) => jitterTimes(train, s.jitter, rng));
    return { inputs, spikes };
  });
  const fits = trainOneLayer(examples, s.params);
  return {
    error: frobeniusError(fits.map((f) => f.weights), wTrue),
    rank: fits.map((f) => f.rank),
    determined: fits.every((f) => f.determined),
    spikes: examples.reduce((n, e) => n + e.spikes.reduce((m, t) => m + t.length, 0), 0),
    equations: fits.map((f) => f.equations),
    residual: Math.max(...fits.map((f) => f.residual)),
    fits,
    wTrue,
  };
}
