// Training in a Web Worker, so the page stays responsive: the same task and the same runner as `snnkit
// train`, on the page's digits asset, with its files in IndexedDB (a reload resumes the run). It also
// classifies a drawn digit with the network of the last checkpoint.
import type { ImageDataset } from "../../src/data/dataset.js";
import { decodeDigitsAsset, splitEmbedded } from "../../src/data/embedded_digits.js";
import { ValueError } from "../../src/errors.js";
import type { ImageSource } from "../../src/tasks/run/data.js";
import { restoreRun, runTask } from "../../src/tasks/run/runner.js";
import { CHECKPOINT } from "../../src/tasks/run/store.js";
import type { TrainConfig } from "../../src/tasks/train/config.js";
import { predictClasses } from "../../src/tasks/train/loop.js";
import { sampleRaster } from "../../src/tasks/train/plots.js";
import type { TrainingSession } from "../../src/tasks/train/session.js";
import { hasHdf5Signature } from "../../src/io/hdf5_reader.js";
import { loadModel } from "../../src/tasks/train/model_file.js";
import { createSession } from "../../src/tasks/train/session.js";
import { trainTask } from "../../src/tasks/train/task.js";
import { getThreads, setThreads, startThreads } from "../../src/backend/registry.js";
import { relaxedSimdSupported } from "../../src/backend/wasm/relaxed_simd.js";
import { type CartPoleDemo, cartPoleDemo } from "../cartpole_demo.js";
import { noisyConfigs } from "../noisy_demo.js";
import { engineChecks, msPerStep } from "../engine_checks.js";
import { subset } from "../../src/data/dataset.js";
import type { AttackName } from "../../src/tasks/robustness/attacks.js";
import { attackPoint } from "../../src/tasks/robustness/suite.js";
import type { DsnEpochMetrics } from "../../src/tasks/dsn/session.js";
import { dsnTask } from "../../src/tasks/dsn/task.js";
import { MemoryStore } from "../../src/tasks/run/memory_store.js";
import { IndexedDbStore } from "../idb_store.js";
import { installBrowserKernelThreads } from "../kernel_workers.js";

/** What the page asks. */
export type TrainRequest =
  | { type: "start"; fields: Partial<TrainConfig>; resume: boolean; asset: string }
  | { type: "stop" }
  | { type: "classify"; pixels: Float32Array; asset: string }
  | { type: "engine"; asset: string }
  | { type: "load-model"; name: string; bytes: Uint8Array }
  | { type: "cartpole"; generations: number; seed: number }
  | { type: "dsn"; asset: string; model: "spiking" | "relu"; layers: number[]; trainLimit: number }
  | { type: "noisy-train"; asset: string; trainLimit: number }
  | { type: "attack"; asset: string; attack: AttackName; strengths: number[] };

/** The engine page's numbers: the fixed kernel checks, the kernel threads, and a training step's time on one thread and on all. */
export interface EngineReport {
  checks: Record<string, number[]>;
  isolated: boolean;
  threads: number;
  workers: number;
  /** Whether the kernels are the relaxed-SIMD builds (the engine has relaxed SIMD). */
  relaxedSimd: boolean;
  msPerStep: { one: number; all: number };
}

/** What the worker answers. */
export type TrainReply =
  | { type: "started"; resumed: boolean; epoch: number; unit: number; units: number }
  | { type: "progress"; epoch: number; batch: number; batches: number; loss: number; accuracy: number; samplesPerSecond: number }
  | { type: "epoch"; epoch: number; train_accuracy: number; validation_accuracy?: number; test_accuracy: number; seconds: number }
  | { type: "done"; test_accuracy: number; completed: boolean; seconds: number; raster: string }
  | { type: "classified"; class: number; scores: number[]; raster: string }
  | { type: "engine"; report: EngineReport }
  | { type: "model-loaded"; name: string; model: string; neuron: string; steps: number }
  | { type: "cartpole-progress"; generation: number; meanReturn: number; centerReturn: number }
  | { type: "cartpole"; demo: CartPoleDemo }
  | { type: "dsn-progress"; model: string; sample: number; samples: number; spikesPerSample: number[] }
  | { type: "dsn"; model: string; test_error: number; seconds: number; ops: DsnEpochMetrics["ops_per_sample"] }
  | { type: "noisy-trained"; accuracies: Record<string, number> }
  | { type: "attacked"; attack: AttackName; curves: Record<string, { strength: number; accuracy: number }[]> }
  | { type: "error"; message: string };

// Kernel threads in Web Workers where the page is cross-origin isolated (before the backend exists). They
// must have started before the first threaded kernel (this worker blocks while a kernel runs): every
// request waits for `threadsStarted` first.
const threaded = installBrowserKernelThreads();
let threadsStarted: Promise<number> | null = null;
const startedThreads = () => (threadsStarted ??= threaded ? startThreads() : Promise.resolve(0));
let stopping = false;
/** A network loaded from a model file: drawn digits go to it until the next training run. */
let loaded: TrainingSession | null = null;
let splits: { train: ImageDataset; test: ImageDataset } | null = null;
let storePromise: Promise<IndexedDbStore> | null = null;

const post = (reply: TrainReply) => (self as unknown as Worker).postMessage(reply);

/** The digits, from the asset (fetched once). */
async function digits(asset: string): Promise<{ train: ImageDataset; test: ImageDataset }> {
  if (!splits) {
    const response = await fetch(asset);
    if (!response.ok) throw new ValueError("asset", `the digits at ${asset}`, `HTTP ${response.status}`);
    splits = splitEmbedded(decodeDigitsAsset(new Uint8Array(await response.arrayBuffer()), asset));
  }
  return splits;
}

/** The page's data: the embedded digits only. */
function pageImages(d: { train: ImageDataset; test: ImageDataset }): ImageSource {
  return {
    images(dataset, _dir, split) {
      if (dataset !== "embedded") throw new ValueError("dataset", "embedded (the page's digits)", dataset);
      return d[split];
    },
  };
}

const store = () => (storePromise ??= IndexedDbStore.open("snnkit-train"));

async function train(request: Extract<TrainRequest, { type: "start" }>): Promise<void> {
  const d = await digits(request.asset);
  const files = await store();
  loaded?.model.dispose();
  loaded = null;
  const resume = request.resume && files.read(CHECKPOINT) !== null;
  if (!resume) await files.clear();
  stopping = false;
  const context = { images: pageImages(d), store: files };
  const result = await runTask(trainTask, {
    config: trainTask.configure(request.fields),
    context,
    resume,
    explicit: {},
    checkpointEvery: 25,
    onStart: (info) => post({ type: "started", resumed: info.resumed, epoch: info.epoch, unit: info.unit, units: info.units }),
    onProgress: (r) => post({ type: "progress", epoch: r.epoch, batch: r.batch, batches: r.batches, loss: r.loss, accuracy: r.accuracy, samplesPerSecond: r.samplesPerSecond }),
    onEpoch: (m) => post({ type: "epoch", ...m }),
    shouldStop: () => stopping,
  });
  const s = restoreRun(trainTask, context);
  try {
    post({ type: "done", test_accuracy: result.test_accuracy, completed: result.completed, seconds: result.seconds, raster: sampleRaster(s, d.test) });
  } finally {
    s.model.dispose();
  }
}

async function classify(request: Extract<TrainRequest, { type: "classify" }>): Promise<void> {
  const files = await store();
  if (!loaded && files.read(CHECKPOINT) === null) throw new ValueError("network", "a trained network (train first, or load a model file)", "none");
  const s: TrainingSession = loaded ?? restoreRun(trainTask, { store: files });
  try {
    const image: ImageDataset = { name: "drawn", images: request.pixels, labels: new Uint8Array(1), imageShape: [1, 28, 28], classes: 10 };
    const { classes, scores } = predictClasses(s, image);
    post({ type: "classified", class: classes[0], scores: scores[0], raster: sampleRaster(s, image).replace(/spikes of test sample 0 \(label 0\)/, "spikes for the drawn digit") });
  } finally {
    if (s !== loaded) s.model.dispose();
  }
}

/**
 * A model file: JSON of `snnkit export` (loadModel), or a NIR graph (imported at dt = 1e-4 s by forward
 * Euler, as `snnkit train --from-nir` does, its Input taking the 28 × 28 digits); drawn digits go to it.
 */
async function loadModelFile(request: Extract<TrainRequest, { type: "load-model" }>): Promise<void> {
  let s: TrainingSession;
  if (!hasHdf5Signature(request.bytes)) s = loadModel(new TextDecoder().decode(request.bytes), request.name);
  else {
    const [{ readNir }, { networkForInput, nirToNetwork }] = await Promise.all([import("../../src/nir/hdf5.js"), import("../../src/nir/network.js")]);
    const net = nirToNetwork((await readNir(request.bytes, request.name)).graph, { dt: 1e-4, file: request.name });
    try {
      const { spec, weights } = networkForInput(net, [1, 28, 28], request.name, "the page's digits");
      s = createSession(trainTask.configure({ model: "nir", network: spec, steps: 4, encoding: "direct", validation: 0 }));
      s.model.loadStateDict(weights);
      s.model.eval();
    } finally {
      net.model.dispose();
    }
  }
  loaded?.model.dispose();
  loaded = s;
  post({ type: "model-loaded", name: request.name, model: s.config.model, neuron: s.config.neuron, steps: s.config.steps });
}

/** One epoch of a Deep Spiking Network (or its ReLU twin) on the digits, through the same task as `snnkit dsn train`. */
async function dsn(request: Extract<TrainRequest, { type: "dsn" }>): Promise<void> {
  const d = await digits(request.asset);
  const config = dsnTask.configure({ model: request.model, layers: request.layers, epochs: 1, trainLimit: request.trainLimit, testLimit: 500, validation: 0 });
  let last: DsnEpochMetrics | null = null;
  await runTask(dsnTask, {
    config,
    context: { images: pageImages(d), store: new MemoryStore() },
    // Progress (and a checkpoint in memory) every 100 samples, so that the page's curve of spike counts has points.
    checkpointEvery: 100,
    onProgress: (r) => post({ type: "dsn-progress", model: request.model, sample: r.sample, samples: r.samples, spikesPerSample: r.spikesPerSample }),
    onEpoch: (m) => (last = m),
  });
  const m = last as DsnEpochMetrics | null;
  if (!m) throw new ValueError("dsn", "an epoch", "none");
  post({ type: "dsn", model: request.model, test_error: m.test_error, seconds: m.seconds, ops: m.ops_per_sample });
}

/** The two networks of the noisy page, by name. */
const compared: { name: string; session: TrainingSession }[] = [];

async function noisyTrain(request: Extract<TrainRequest, { type: "noisy-train" }>): Promise<void> {
  const d = await digits(request.asset);
  for (const m of compared.splice(0)) m.session.model.dispose();
  const accuracies: Record<string, number> = {};
  for (const { name, fields } of noisyConfigs(request.trainLimit)) {
    const store = new MemoryStore();
    const context = { images: pageImages(d), store };
    const result = await runTask(trainTask, { config: trainTask.configure(fields), context });
    accuracies[name] = result.test_accuracy;
    compared.push({ name, session: restoreRun(trainTask, context) });
  }
  post({ type: "noisy-trained", accuracies });
}

async function attack(request: Extract<TrainRequest, { type: "attack" }>): Promise<void> {
  const d = await digits(request.asset);
  if (compared.length === 0) throw new ValueError("networks", "trained networks (train first)", "none");
  const test = subset(d.test, Array.from({ length: 200 }, (_, i) => i));
  const curves = Object.fromEntries(compared.map((m) => [m.name, request.strengths.map((strength, k) => ({ strength, accuracy: attackPoint(m, request.attack, strength, test, { strengthIndex: k }).accuracy }))]));
  post({ type: "attacked", attack: request.attack, curves });
}

async function engine(request: Extract<TrainRequest, { type: "engine" }>): Promise<void> {
  const d = await digits(request.asset);
  const workers = await startedThreads();
  const threads = getThreads();
  const checks = engineChecks();
  const one = msPerStep(d, 1);
  const all = msPerStep(d, threads);
  setThreads(threads);
  post({ type: "engine", report: { checks, isolated: crossOriginIsolated, threads, workers, relaxedSimd: relaxedSimdSupported(), msPerStep: { one, all } } });
}

self.onmessage = (event: MessageEvent<TrainRequest>) => {
  const request = event.data;
  if (request.type === "stop") {
    stopping = true;
    return;
  }
  startedThreads()
    .then(() => handle(request))
    .catch((e: unknown) => post({ type: "error", message: (e as Error).message }));
};

/** Runs a request (the kernel threads started). */
function handle(request: Exclude<TrainRequest, { type: "stop" }>): Promise<void> {
  if (request.type === "cartpole") {
    post({ type: "cartpole", demo: cartPoleDemo(request.generations, request.seed, (g) => post({ type: "cartpole-progress", ...g })) });
    return Promise.resolve();
  }
  if (request.type === "load-model") return loadModelFile(request);
  return request.type === "start"
      ? train(request)
      : request.type === "engine"
        ? engine(request)
        : request.type === "dsn"
          ? dsn(request)
          : request.type === "noisy-train"
            ? noisyTrain(request)
            : request.type === "attack"
              ? attack(request)
              : classify(request);
}
