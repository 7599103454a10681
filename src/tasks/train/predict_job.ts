// `snnkit export` (a trained checkpoint as a portable model file) and `snnkit predict` (a model file run
// on images: PGM, NPY or IDX), with the class, the per-class scores and a raster of every layer.
import { z } from "zod";
import type { ImageDataset } from "../../data/dataset.js";
import { DataError } from "../../errors.js";
import { parseIdx } from "../../io/idx.js";
import { type NumberArray, parseNpy, parsePgm } from "../../io/image_files.js";
import { predictions } from "../../nn/spike_losses.js";
import { type Job, schemaSettings } from "../run/job.js";
import { restoreRun } from "../run/runner.js";
import type { TaskContext } from "../run/task.js";
import { scoreBatches } from "./loop.js";
import { loadModel, modelFile } from "./model_file.js";
import { sampleRaster } from "./plots.js";
import type { TrainingSession } from "./session.js";
import { trainTask } from "./task.js";

const exportSchema = z.strictObject({
  checkpoint: z.string().min(1).describe("checkpoint written by snnkit train"),
  out: z.string().min(1).describe("the model file to write (JSON: settings and weights, no optimizer state)"),
});
/** What `snnkit export` writes. */
export type ExportConfig = z.output<typeof exportSchema>;

/** A training checkpoint as a model file. */
export const exportJob: Job<ExportConfig, { model: string; bytes: number }> = {
  name: "export",
  description: "write a trained network (a checkpoint of snnkit train) as a portable JSON model file, for snnkit predict and loadModel",
  ...schemaSettings<ExportConfig>(exportSchema, {}),
  run(c, context) {
    const s = restoreRun(trainTask, context, c.checkpoint);
    try {
      const text = modelFile(s);
      context.store.write(c.out, text);
      return { model: context.store.where(c.out), bytes: new TextEncoder().encode(text).length };
    } finally {
      s.model.dispose();
    }
  },
  summary: (r) => `model file: ${r.model} (${r.bytes} bytes)`,
};

const predictSchema = z.strictObject({
  model: z.string().min(1).describe("model file written by snnkit export"),
  input: z.array(z.string().min(1)).min(1).describe("an image file: PGM (P2, P5), NPY (an image or a stack of them) or IDX (repeat for several)"),
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

/** The images of a file: PGM, NPY or IDX, each image 28 × 28 (the presets' input), values in [0, 1]. */
function imagesOf(bytes: Uint8Array, file: string): NumberArray {
  let a: NumberArray;
  if (bytes[0] === 0x50 && (bytes[1] === 0x35 || bytes[1] === 0x32)) a = parsePgm(bytes, file);
  else if (bytes[0] === 0x93 && bytes[1] === 0x4e) a = parseNpy(bytes, file);
  else if (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 8) {
    const idx = parseIdx(bytes, file);
    a = { shape: [...idx.dims], data: Float32Array.from(idx.data, (v) => v / 255) };
  } else throw new DataError(file, "not an image file snnkit reads (PGM, NPY or IDX)");
  const [h, w] = a.shape.slice(-2);
  const leading = a.shape.slice(0, -2);
  // One image [28, 28], a stack [N, 28, 28], or a stack with its channel [N, 1, 28, 28].
  const stacked = leading.length === 0 || leading.length === 1 || (leading.length === 2 && leading[1] === 1);
  if (a.shape.length < 2 || h !== 28 || w !== 28 || !stacked) throw new DataError(file, `shape [${a.shape}]: expected 28 × 28 images (one, or a stack [N, 28, 28])`);
  return a;
}

/**
 * The class scores (mean membrane, or spike counts, as the network was trained) and the class of every
 * image (the highest score; the first of ties), as `evaluate` scores them (scoreBatches: the same fixed
 * generators, so a model's predictions and its evaluated accuracy agree).
 */
export function predictClasses(s: TrainingSession, data: ImageDataset): { classes: number[]; scores: number[][] } {
  const classes: number[] = [];
  const scores: number[][] = [];
  scoreBatches(s, data, 250, (batch) => {
    const values = batch.dataFloat32();
    const k = batch.shape[1];
    for (let i = 0; i < batch.shape[0]; i++) scores.push(Array.from(values.subarray(i * k, (i + 1) * k)));
    classes.push(...predictions(batch));
  });
  return { classes, scores };
}

/** Reads the inputs as one data set (labels unknown: 0), remembering which file and index each image came from. */
function inputData(c: PredictConfig, context: TaskContext): { data: ImageDataset; sources: { input: string; index: number }[] } {
  const parts = c.input.map((file) => ({ file, a: imagesOf(context.store.readExternal(file), file) }));
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

/** A model file run on image files. */
export const predictJob: Job<PredictConfig, { predictions: Prediction[]; raster?: string }> = {
  name: "predict",
  description: "run a model file (snnkit export) on images (PGM, NPY, IDX): the class and per-class scores of each, and with --raster the spikes of every layer",
  ...schemaSettings<PredictConfig>(predictSchema, {}),
  run(c, context) {
    const s = loadModel(new TextDecoder().decode(context.store.readExternal(c.model)), c.model);
    try {
      const { data, sources } = inputData(c, context);
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
