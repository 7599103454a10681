// A run's images: the splits of its data settings (validation images held out, limits applied), read
// through a platform's ImageSource (files under Node, bundled arrays in a page).
import { datasetSize, holdOut, type ImageDataset, type RunData, subset } from "../../data/dataset.js";
import { ValueError } from "../../errors.js";
import type { DataSettings, DatasetName } from "./settings.js";

/** Where a platform finds a data set's whole training or test split. */
export interface ImageSource {
  /** The whole split of `dataset` (from `dataDir` where given); DataErrors name the file. */
  images(dataset: DatasetName, dataDir: string | undefined, split: "train" | "test"): ImageDataset;
}

function firstImages(d: ImageDataset, n: number): ImageDataset {
  return n > 0 && n < datasetSize(d) ? subset(d, Array.from({ length: n }, (_, i) => i)) : d;
}

function trainingSplits(source: ImageSource, c: DataSettings): { train: ImageDataset; validation: ImageDataset | null } {
  const full = source.images(c.dataset, c.dataDir, "train");
  const held = c.validation ? holdOut(full, c.validation) : { train: full, validation: null };
  return { train: firstImages(held.train, c.trainLimit), validation: held.validation };
}

/**
 * The data of a run: the training split less its last `validation` images (then its limit), those
 * validation images (null when none are held out), and the test split (its limit applied).
 */
export function loadRunData(source: ImageSource, c: DataSettings): RunData {
  return { ...trainingSplits(source, c), test: loadSplit(source, c, "test") };
}

/** One split: "train" without its validation images, limit applied; "test" with its limit. */
export function loadSplit(source: ImageSource, c: DataSettings, split: "train" | "test"): ImageDataset {
  if (split === "train") return trainingSplits(source, c).train;
  return firstImages(source.images(c.dataset, c.dataDir, "test"), c.testLimit);
}

/** The splits a trained network can be evaluated on. */
export const EVALUATION_SPLITS = ["test", "validation"] as const;
/** An evaluation split. */
export type EvaluationSplit = (typeof EVALUATION_SPLITS)[number];

/**
 * The images to evaluate a run's network on: its test split, or the validation images its training held
 * out (choices are made on these; a run without them is refused, naming --split). `limit` > 0 keeps the
 * first images.
 */
export function loadEvaluationData(source: ImageSource, c: DataSettings, split: EvaluationSplit, limit = 0): ImageDataset {
  if (split === "test") return loadSplit(source, { ...c, testLimit: limit }, "test");
  const { validation } = trainingSplits(source, c);
  if (!validation) throw new ValueError("--split", "a run trained with validation images held out (--validation n > 0)", "validation");
  return firstImages(validation, limit);
}
