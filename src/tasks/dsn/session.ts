// A Deep Spiking Networks run in memory: its configuration, its network (spiking MLP or ReLU baseline),
// its progress through the epochs, and the work it has done. Online training: one sample at a time in a
// seeded order per epoch; a run restored from its arrays continues exactly as if uninterrupted.
import { backendByName } from "../../backend/registry.js";
import { runBackend } from "../run/settings.js";
import { datasetSize, floatImages, type ImageDataset, permutation, type RunData } from "../../data/dataset.js";
import { ReluMlp } from "../../dsn/relu_mlp.js";
import { type DsnWork, denseMultiplyAdds, initialWeights, SpikingMlp } from "../../dsn/spiking_mlp.js";
import { DataError, ValueError } from "../../errors.js";
import { Rng, type RngState } from "../../random/rng.js";
import { type DsnConfig, validateDsnConfig } from "./config.js";
import { driveSteps } from "../run/runner.js";
import type { TaskEvent } from "../run/task.js";

/** Work per training sample, by kind and layer: the spiking MLP's events and the dense ReLU MLP's multiply-adds. */
export interface OpsPerSample {
  forward_row_additions: number[];
  backward_column_additions: number[];
  update_multiply_adds: number[];
  dense_forward_multiply_adds: number[];
  dense_backward_multiply_adds: number[];
  dense_update_multiply_adds: number[];
}

/** One epoch's results. */
export interface DsnEpochMetrics {
  epoch: number;
  /** Error on the validation images held out of the training set (absent without them). */
  validation_error?: number;
  test_error: number;
  seconds: number;
  ops_per_sample: OpsPerSample;
}

/** Where a run is: the next epoch and sample, the work summed over this epoch, the finished epochs. */
export interface DsnProgress {
  epoch: number;
  sample: number;
  seconds: number;
  /** Work summed over the samples of the current epoch (spiking runs). */
  work: { forward: number[]; backward: number[]; update: number[] };
  epochs: DsnEpochMetrics[];
}

/** A run: configuration, layer sizes, network and progress. */
export interface DsnSession {
  config: DsnConfig;
  sizes: number[];
  net: SpikingMlp | ReluMlp;
  progress: DsnProgress;
}

/** Layer sizes of a configuration on data with `inputs` values per image and `classes` classes. */
function dsnSizes(c: DsnConfig, inputs: number, classes: number): number[] {
  return [inputs, ...c.layers, classes];
}

function emptyWork(layers: number): DsnProgress["work"] {
  return { forward: new Array(layers).fill(0), backward: new Array(layers).fill(0), update: new Array(layers).fill(0) };
}

/** The network of a configuration with the given weights (or its seeded initial ones). */
function dsnNetwork(c: DsnConfig, sizes: readonly number[], weights?: readonly Float32Array[]): SpikingMlp | ReluMlp {
  const w = weights ?? initialWeights(sizes, new Rng(c.seed), c.initScale);
  const backend = backendByName(runBackend(c.backend));
  if (c.model === "relu") return new ReluMlp(sizes, w, c.lr, { backend, loss: c.reluLoss });
  return new SpikingMlp(sizes, w, {
    steps: c.steps,
    eta: c.lr,
    update: c.update,
    forwardStart: c.forwardStart,
    backwardStart: c.backwardStart,
    rng: new Rng(c.seed + 1),
    backend,
    ...(c.maxSpikesPerStep !== undefined ? { maxSpikesPerStep: c.maxSpikesPerStep } : {}),
  });
}

/** A new run on data of `inputs` values per image and `classes` classes. */
export function createDsnSession(config: DsnConfig, inputs: number, classes: number): DsnSession {
  const c = validateDsnConfig({ ...config, layers: [...config.layers] });
  const sizes = dsnSizes(c, inputs, classes);
  return { config: c, sizes, net: dsnNetwork(c, sizes), progress: { epoch: 0, sample: 0, seconds: 0, work: emptyWork(sizes.length - 1), epochs: [] } };
}

/** The arrays a checkpoint stores: weights w0.., and (spiking) the carried herder states h0... */
export function dsnSessionArrays(s: DsnSession): { arrays: Record<string, Float32Array>; rng: RngState | null } {
  const arrays: Record<string, Float32Array> = {};
  s.net.weights().forEach((w, l) => (arrays[`w${l}`] = w));
  if (!(s.net instanceof SpikingMlp)) return { arrays, rng: null };
  const carried = s.net.carriedState();
  carried.herders.forEach((h, i) => (arrays[`h${i}`] = h));
  return { arrays, rng: carried.rng };
}

/** Rebuilds a run from a checkpoint's configuration, sizes, progress, arrays and generator state. */
export function restoreDsnSession(
  file: string,
  config: DsnConfig,
  sizes: number[],
  progress: DsnProgress,
  arrays: Record<string, Float32Array>,
  rng: RngState | null,
): DsnSession {
  const c = validateDsnConfig(config);
  const weights = sizes.slice(1).map((_, l) => {
    const w = arrays[`w${l}`];
    if (!w) throw new DataError(file, `array "w${l}" is missing`);
    return w;
  });
  let net: SpikingMlp | ReluMlp;
  try {
    net = dsnNetwork(c, sizes, weights);
  } catch (e) {
    if (e instanceof ValueError) throw new DataError(file, e.message);
    throw e;
  }
  if (net instanceof SpikingMlp) {
    const herders = Object.keys(arrays)
      .filter((k) => /^h\d+$/.test(k))
      .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
      .map((k) => arrays[k]);
    if (!rng) throw new DataError(file, "the spiking run's generator state is missing");
    try {
      net.restoreCarriedState({ herders, rng });
    } catch (e) {
      if (e instanceof ValueError) throw new DataError(file, e.message);
      throw e;
    }
  }
  return { config: c, sizes, net, progress };
}

/** The order of the training samples in an epoch: a permutation seeded by the run's seed and the epoch. */
function epochOrder(c: DsnConfig, n: number, epoch: number): number[] {
  return permutation(n, new Rng((c.seed + 104729 * (epoch + 1)) % 2 ** 32));
}

/** Fraction of `data` (at most `limit` images; 0: all) the network classifies wrongly (argmax of its output). */
export function classificationError(net: { predict(x: Float32Array): ArrayLike<number> }, data: ImageDataset, limit = 0): number {
  const per = data.imageShape[0] * data.imageShape[1] * data.imageShape[2];
  const images = floatImages(data, "Deep Spiking Networks: data");
  const n = limit > 0 ? Math.min(limit, datasetSize(data)) : datasetSize(data);
  let wrong = 0;
  for (let i = 0; i < n; i++) {
    const out = net.predict(images.subarray(i * per, (i + 1) * per));
    let best = 0;
    for (let k = 1; k < out.length; k++) if (out[k] > out[best]) best = k;
    if (best !== data.labels[i]) wrong++;
  }
  return n === 0 ? 0 : wrong / n;
}

/** Progress of one training sample (for progress output). */
export interface DsnSampleReport {
  epoch: number;
  sample: number;
  samples: number;
  samplesPerSecond: number;
  etaSeconds: number;
  /** Spikes into each layer per sample (layer 0: the input's), averaged over the epoch so far: the forward pass's row additions. Zeros for the ReLU network. */
  spikesPerSample: number[];
}

/** Hooks of the training loop. */
export interface DsnHooks {
  /** Every 250 samples and at the end of each epoch. */
  onProgress?: (r: DsnSampleReport) => void;
  /** After each epoch (progress already counts it). */
  onEpoch?: (m: DsnEpochMetrics, s: DsnSession) => void;
  /** Polled between chunks of samples; true stops the loop (progress points at the next sample). */
  shouldStop?: () => boolean;
}

/** Samples between yields to the event loop (signals, UIs). */
const CHUNK = 250;

/** The epoch's average work per sample (spiking) and the dense network's. */
function opsPerSample(s: DsnSession, samples: number): OpsPerSample {
  const dense = denseMultiplyAdds(s.sizes);
  const avg = (a: number[]) => a.map((v) => (s.config.model === "spiking" ? v / Math.max(samples, 1) : 0));
  return {
    forward_row_additions: avg(s.progress.work.forward),
    backward_column_additions: avg(s.progress.work.backward),
    update_multiply_adds: avg(s.progress.work.update),
    dense_forward_multiply_adds: dense.forward,
    dense_backward_multiply_adds: dense.backward,
    dense_update_multiply_adds: dense.update,
  };
}

/** Whether a run has trained all its configured epochs. */
export const dsnFinished = (s: DsnSession): boolean => s.progress.epoch >= s.config.epochs;

/**
 * Trains from `s.progress` to the configured epochs (dsnSteps), calling the hooks and yielding to the
 * event loop between chunks of samples. Resolves to true when all epochs are done, false when stopped.
 */
export function trainDsnEpochs(s: DsnSession, data: RunData, hooks: DsnHooks = {}): Promise<boolean> {
  return driveSteps(dsnSteps(s, data), () => dsnFinished(s), { onProgress: hooks.onProgress, onEpoch: (m) => hooks.onEpoch?.(m, s), shouldStop: hooks.shouldStop });
}

/**
 * Trains from `s.progress` to the configured epochs: one online step per sample in the epoch's seeded
 * order, then the validation error (with a validation set) and the test error. Yields after every 250
 * samples (and every `grain` samples when grain > 0), the progress pointing at the next sample, and after
 * every epoch.
 */
export function* dsnSteps(s: DsnSession, data: RunData, grain = 0): Generator<TaskEvent<DsnSampleReport, DsnEpochMetrics>, void, void> {
  const { train, validation, test } = data;
  const p = s.progress;
  const n = datasetSize(train);
  const per = s.sizes[0];
  while (p.epoch < s.config.epochs) {
    const order = epochOrder(s.config, n, p.epoch);
    let t0 = performance.now();
    let epochSeconds = 0;
    const startSample = p.sample;
    while (p.sample < n) {
      const end = Math.min(n, p.sample + CHUNK, grain > 0 ? (Math.floor(p.sample / grain) + 1) * grain : n);
      for (; p.sample < end; ) {
        const i = order[p.sample];
        const x = train.images.subarray(i * per, (i + 1) * per);
        if (s.net instanceof SpikingMlp) addWork(p.work, s.net.trainSample(x, train.labels[i]));
        else s.net.trainSample(x, train.labels[i]);
        p.sample++;
      }
      const now = performance.now();
      p.seconds += (now - t0) / 1000;
      epochSeconds += (now - t0) / 1000;
      const rate = (p.sample - startSample) / Math.max(epochSeconds, 1e-9);
      yield { kind: "progress", unit: p.sample, units: n, report: { epoch: p.epoch, sample: p.sample, samples: n, samplesPerSecond: rate, etaSeconds: (n - p.sample) / Math.max(rate, 1e-9), spikesPerSample: p.work.forward.map((v) => v / p.sample) } };
      t0 = performance.now();
    }
    const metrics: DsnEpochMetrics = {
      epoch: p.epoch + 1,
      ...(validation ? { validation_error: classificationError(s.net, validation) } : {}),
      test_error: classificationError(s.net, test),
      seconds: p.seconds,
      ops_per_sample: opsPerSample(s, n),
    };
    p.epochs.push(metrics);
    p.epoch++;
    p.sample = 0;
    p.work = emptyWork(s.sizes.length - 1);
    yield { kind: "epoch", record: metrics };
  }
}

function addWork(total: DsnProgress["work"], w: DsnWork): void {
  w.forwardRowAdds.forEach((v, l) => (total.forward[l] += v));
  w.backwardColumnAdds.forEach((v, l) => (total.backward[l] += v));
  w.updateMultiplyAdds.forEach((v, l) => (total.update[l] += v));
}
