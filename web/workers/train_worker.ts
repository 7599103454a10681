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
import { trainTask } from "../../src/tasks/train/task.js";
import { IndexedDbStore } from "../idb_store.js";

/** What the page asks. */
export type TrainRequest =
  | { type: "start"; fields: Partial<TrainConfig>; resume: boolean; asset: string }
  | { type: "stop" }
  | { type: "classify"; pixels: Float32Array; asset: string };

/** What the worker answers. */
export type TrainReply =
  | { type: "started"; resumed: boolean; epoch: number; unit: number; units: number }
  | { type: "progress"; epoch: number; batch: number; batches: number; loss: number; accuracy: number; samplesPerSecond: number }
  | { type: "epoch"; epoch: number; train_accuracy: number; validation_accuracy?: number; test_accuracy: number; seconds: number }
  | { type: "done"; test_accuracy: number; completed: boolean; seconds: number; raster: string }
  | { type: "classified"; class: number; scores: number[]; raster: string }
  | { type: "error"; message: string };

let stopping = false;
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
  if (files.read(CHECKPOINT) === null) throw new ValueError("network", "a trained network (train first)", "none");
  const s: TrainingSession = restoreRun(trainTask, { store: files });
  try {
    const image: ImageDataset = { name: "drawn", images: request.pixels, labels: new Uint8Array(1), imageShape: [1, 28, 28], classes: 10 };
    const { classes, scores } = predictClasses(s, image);
    post({ type: "classified", class: classes[0], scores: scores[0], raster: sampleRaster(s, image).replace(/spikes of test sample 0 \(label 0\)/, "spikes for the drawn digit") });
  } finally {
    s.model.dispose();
  }
}

self.onmessage = (event: MessageEvent<TrainRequest>) => {
  const request = event.data;
  if (request.type === "stop") {
    stopping = true;
    return;
  }
  const work = request.type === "start" ? train(request) : classify(request);
  work.catch((e: unknown) => post({ type: "error", message: (e as Error).message }));
};
