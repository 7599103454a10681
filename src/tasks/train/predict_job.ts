// `snnkit export` (a trained checkpoint as a portable model file) and `snnkit predict` (a model file run
// on images: PGM, NPY or IDX), with the class, the per-class scores and a raster of every layer.
import { z } from "zod";
import { choice, finiteNumber as number } from "../../io/validate.js";
import { writeNir } from "../../nir/hdf5_write.js";
import { networkToNir } from "../../nir/network.js";
import { NIR_DISCRETISATIONS } from "../../nir/run.js";
import type { ImageDataset } from "../../data/dataset.js";
import { DataError } from "../../errors.js";
import { parseIdx } from "../../io/idx.js";
import { cameraFrames, detectEventFormat, EVENT_DATASET_INFO, type EventDatasetName, type FrameSettings, frameShape, gestureFrames, isEventDataset, shdFrames } from "../../events/datasets.js";
import { type GestureLabel, parseGestureLabels, readAedat3 } from "../../events/aedat.js";
import { decodeNmnist } from "../../events/nmnist.js";
import { openShd } from "../../events/shd.js";
import { isPng, type NumberArray, parseNpy, parsePgm, parsePng } from "../../io/image_files.js";
import { type Job, schemaSettings } from "../run/job.js";
import { restoreRun } from "../run/runner.js";
import type { TaskContext } from "../run/task.js";
import { predictClasses } from "./loop.js";
import { classesOf, frameSettingsOf, inputShapeOf, type TrainConfig } from "./config.js";
import { loadModel, modelFile, NIR_VERSION } from "./model_file.js";
import { sampleRaster } from "./plots.js";
import { trainTask } from "./task.js";

/** The settings of a NIR export: NIR stores no dt, so the file is written for one. */
const nirExportShape = {
  checkpoint: z.string().min(1).describe("checkpoint written by snnkit train"),
  out: z.string().min(1).describe("the file to write"),
  dt: number("a number in (0, 1]", (x) => x > 0 && x <= 1).describe("NIR: the time step in seconds the network's steps stand for (NIR stores none; snnTorch and Lava use 1e-4)"),
  method: choice(NIR_DISCRETISATIONS).describe("NIR: how the neurons' τ and R are written: euler (β = 1 − dt/τ, as most libraries import NIR) or exact (β = e^(−dt/τ))"),
};
const exportSchema = z.strictObject({
  ...nirExportShape,
  format: choice(["json", "nir"] as const).describe("json: snnkit's model file (settings and weights, no optimizer state), for snnkit predict and loadModel; nir: a NIR graph (HDF5) for snnTorch, Norse, Sinabs, Rockpool, Lava"),
});
/** What `snnkit export` writes. */
export type ExportConfig = z.output<typeof exportSchema>;
const nirExportSchema = z.strictObject(nirExportShape);
/** What `snnkit nir export` writes. */
export type NirExportConfig = z.output<typeof nirExportSchema>;

/** What an export wrote. */
export interface ExportResult {
  model: string;
  bytes: number;
  format: "json" | "nir";
  /** NIR: the time step and discretisation it was written for. */
  dt?: number;
  method?: string;
}

/** Writes a training checkpoint's network as a model file or a NIR file. */
async function exportCheckpoint(c: NirExportConfig & { format: "json" | "nir" }, context: TaskContext): Promise<ExportResult> {
  const s = restoreRun(trainTask, context, c.checkpoint);
  try {
    const bytes =
      c.format === "json"
        ? new TextEncoder().encode(modelFile(s))
        : await writeNir({ version: NIR_VERSION, graph: networkToNir(s.model, { dt: c.dt, method: c.method, inputShape: inputShapeOf(s.config), file: c.checkpoint }) });
    context.store.write(c.out, bytes);
    return { model: context.store.where(c.out), bytes: bytes.length, format: c.format, ...(c.format === "nir" ? { dt: c.dt, method: c.method } : {}) };
  } finally {
    s.model.dispose();
  }
}

const exportSummary = (r: ExportResult) => `${r.format === "nir" ? `NIR file (dt = ${r.dt} s, ${r.method})` : "model file"}: ${r.model} (${r.bytes} bytes)`;

/** A training checkpoint as a model file (JSON) or a NIR graph. */
export const exportJob: Job<ExportConfig, ExportResult> = {
  name: "export",
  description: "write a trained network (a checkpoint of snnkit train) as a portable JSON model file (for snnkit predict and loadModel) or a NIR file",
  ...schemaSettings<ExportConfig>(exportSchema, { format: "json", dt: 1e-4, method: "euler" }),
  run: (c, context) => exportCheckpoint(c, context),
  summary: exportSummary,
};

/** `snnkit nir export`: a training checkpoint as a NIR graph. */
export const nirExportJob: Job<NirExportConfig, ExportResult> = {
  name: "nir export",
  description: "write a trained network (a checkpoint of snnkit train) as a NIR file at time step --dt; a layer NIR cannot express is named",
  ...schemaSettings<NirExportConfig>(nirExportSchema, { dt: 1e-4, method: "euler" }),
  run: (c, context) => exportCheckpoint({ ...c, format: "nir" }, context),
  summary: exportSummary,
};

const predictSchema = z.strictObject({
  model: z.string().min(1).describe("model file written by snnkit export"),
  input: z.array(z.string().min(1)).min(1).describe("an image file: PNG, PGM (P2, P5), NPY (an image or a stack of them) or IDX; or, for a model trained on event data, an N-MNIST sample, a DVS Gesture recording or an SHD file (repeat for several)"),
  raster: z.string().min(1).describe("also write the spikes of every layer for the first image as an SVG raster").optional(),
});
/** What `snnkit predict` runs. */
export type PredictConfig = z.output<typeof predictSchema>;

/** One image's prediction: the class, and the class scores (mean membrane, or spike counts, as the network was trained). */
export interface Prediction {
  input: string;
  index: number;
  class: number;
  scores: number[];
}

/** The images of a file: PNG, PGM, NPY or IDX, each image 28 × 28 (the presets' input), values in [0, 1]. */
function imagesOf(bytes: Uint8Array, file: string): NumberArray {
  let a: NumberArray;
  if (isPng(bytes)) a = parsePng(bytes, file);
  else if (bytes[0] === 0x50 && (bytes[1] === 0x35 || bytes[1] === 0x32)) a = parsePgm(bytes, file);
  else if (bytes[0] === 0x93 && bytes[1] === 0x4e) a = parseNpy(bytes, file);
  else if (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 8) {
    const idx = parseIdx(bytes, file);
    a = { shape: [...idx.dims], data: Float32Array.from(idx.data, (v) => v / 255) };
  } else throw new DataError(file, "not an image file snnkit reads (PNG, PGM, NPY or IDX)");
  const [h, w] = a.shape.slice(-2);
  const leading = a.shape.slice(0, -2);
  // One image [28, 28], a stack [N, 28, 28], or a stack with its channel [N, 1, 28, 28].
  const stacked = leading.length === 0 || leading.length === 1 || (leading.length === 2 && leading[1] === 1);
  if (a.shape.length < 2 || h !== 28 || w !== 28 || !stacked) throw new DataError(file, `shape [${a.shape}]: expected 28 × 28 images (one, or a stack [N, 28, 28])`);
  return a;
}


/** Samples of the inputs, each with the file and index it came from. */
type Inputs = { data: ImageDataset; sources: { input: string; index: number }[] };

/** Reads image inputs as one data set (labels unknown: 0), remembering which file and index each image came from. */
function imageInputs(files: string[], context: TaskContext): Inputs {
  const parts = files.map((file) => ({ file, a: imagesOf(context.store.readExternal(file), file) }));
  const total = parts.reduce((s, p) => s + p.a.data.length / 784, 0);
  const images = new Float32Array(total * 784);
  const sources: { input: string; index: number }[] = [];
  let at = 0;
  for (const { file, a } of parts) {
    images.set(a.data, at * 784);
    for (let i = 0; i < a.data.length / 784; i++) sources.push({ input: file, index: i });
    at += a.data.length / 784;
  }
  return { data: { name: "input", images, labels: new Uint8Array(total), imageShape: [1, 28, 28], classes: 10 }, sources };
}

/** The samples of one event file as frames: an N-MNIST sample; each labelled gesture of a DVS Gesture recording (the whole recording without its _labels.csv); each sample of an SHD file. */
async function eventFileFrames(file: string, dataset: EventDatasetName, frames: FrameSettings, context: TaskContext): Promise<Uint8Array[]> {
  const source = context.store.openExternal(file);
  try {
    const format = detectEventFormat(source.read(0, 16), source.size, file);
    if (format !== dataset) throw new DataError(file, `a ${EVENT_DATASET_INFO[format].title} file; the model was trained on ${EVENT_DATASET_INFO[dataset].title}`);
    if (format === "nmnist") return [cameraFrames(decodeNmnist(source.read(0, source.size), file), EVENT_DATASET_INFO.nmnist.sensor, frames)];
    if (format === "dvsgesture") {
      const recording = readAedat3(source, file);
      const csv = file.replace(/\.aedat$/i, "_labels.csv");
      let labels: GestureLabel[] | null = null;
      try {
        labels = csv === file ? null : parseGestureLabels(new TextDecoder().decode(context.store.readExternal(csv)), csv);
      } catch (e) {
        if (!(e instanceof DataError) || !/not found/.test(e.message)) throw e;
      }
      return labels ? labels.map((g) => gestureFrames(recording, g, frames)) : [cameraFrames(recording, EVENT_DATASET_INFO.dvsgesture.sensor, frames)];
    }
  } finally {
    source.close();
  }
  const h5 = await context.store.openHdf5(file);
  try {
    const shd = openShd(h5, file);
    return Array.from({ length: shd.samples }, (_, i) => shdFrames(shd.sample(i), frames));
  } finally {
    h5.close();
  }
}

/** Reads event files as one data set of frames under the model's settings (labels unknown: 0). */
async function eventInputs(files: string[], config: TrainConfig, context: TaskContext): Promise<Inputs> {
  const dataset = config.dataset as EventDatasetName;
  const settings = frameSettingsOf(config);
  const samples: Uint8Array[] = [];
  const sources: { input: string; index: number }[] = [];
  for (const file of files) {
    const frames = await eventFileFrames(file, dataset, settings, context);
    frames.forEach((f, index) => {
      samples.push(f);
      sources.push({ input: file, index });
    });
  }
  const per = samples[0]?.length ?? 0;
  const images = new Uint8Array(samples.length * per);
  samples.forEach((f, i) => images.set(f, i * per));
  const shape = frameShape(dataset, settings);
  return { data: { name: "input", images, labels: new Uint8Array(samples.length), imageShape: shape, classes: classesOf(config), frames: settings.bins }, sources };
}

/** A model file run on image files. */
export const predictJob: Job<PredictConfig, { predictions: Prediction[]; raster?: string }> = {
  name: "predict",
  description: "run a model file (snnkit export) on images (PNG, PGM, NPY, IDX) or, for a model trained on event data, event files: the class and per-class scores of each, and with --raster the spikes of every layer",
  ...schemaSettings<PredictConfig>(predictSchema, {}),
  async run(c, context) {
    const s = loadModel(new TextDecoder().decode(context.store.readExternal(c.model)), c.model);
    try {
      const { data, sources } = isEventDataset(s.config.dataset) ? await eventInputs(c.input, s.config, context) : imageInputs(c.input, context);
      const { classes, scores } = predictClasses(s, data);
      let raster: string | undefined;
      if (c.raster) {
        context.store.write(c.raster, sampleRaster(s, data));
        raster = context.store.where(c.raster);
      }
      return { predictions: sources.map((src, i) => ({ ...src, class: classes[i], scores: scores[i] })), ...(raster ? { raster } : {}) };
    } finally {
      s.model.dispose();
    }
  },
  summary: (r) =>
    [
      ...r.predictions.map((p) => `${p.input}${p.index ? `[${p.index}]` : ""}: class ${p.class} (scores ${p.scores.map((v) => +v.toPrecision(3)).join(", ")})`),
      ...(r.raster ? [`raster: ${r.raster}`] : []),
    ].join("\n"),
};
