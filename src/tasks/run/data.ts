// A run's images: the splits of its data settings (validation images held out, limits applied), read
// through a platform's ImageSource (files under Node, bundled arrays in a page).
import { datasetSize, holdOut, type ImageDataset, type RunData, subset } from "../../data/dataset.js";
import { yinYangSplit } from "../../data/yin_yang.js";
import { ValueError } from "../../errors.js";
import { EVENT_DATASET_INFO, type EventDatasetName, type FrameSettings, isEventDataset } from "../../events/datasets.js";
import type { DataSettings, DatasetName } from "./settings.js";

/** Which samples of an event data set's split a run wants, as frames of which settings. */
export interface EventSplitQuery {
  dataset: EventDatasetName;
  dataDir: string;
  split: "train" | "test";
  frames: FrameSettings;
  /** The indices of the samples wanted, given how many the split has (default: all). */
  pick?: (total: number) => number[];
  /** Called as the samples become ready: those ready of those wanted, and chunks read from the cache and built. */
  progress?: (p: { done: number; total: number; cached: number; built: number }) => void;
}

/** Where a platform finds a data set's whole training or test split. */
export interface ImageSource {
  /** The whole split of `dataset` (from `dataDir` where given); DataErrors name the file. */
  images(dataset: DatasetName, dataDir: string | undefined, split: "train" | "test"): ImageDataset;
  /** The chosen samples of an event data set's split as frames (absent: the platform reads no event files). */
  events?(query: EventSplitQuery): Promise<ImageDataset>;
}

/** A split of a run's data set: the generated Yin-Yang points on any platform, else the platform's images. */
function splitImages(source: ImageSource, c: DataSettings, split: "train" | "test"): ImageDataset {
  return c.dataset === "yinyang" ? yinYangSplit(split) : source.images(c.dataset, c.dataDir, split);
}

function firstImages(d: ImageDataset, n: number): ImageDataset {
  return n > 0 && n < datasetSize(d) ? subset(d, Array.from({ length: n }, (_, i) => i)) : d;
}

function trainingSplits(source: ImageSource, c: DataSettings): { train: ImageDataset; validation: ImageDataset | null } {
  const full = splitImages(source, c, "train");
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
  return firstImages(splitImages(source, c, "test"), c.testLimit);
}

const range = (a: number, b: number) => Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);

/** The platform's reader of event files and the query common to a run's splits; ValueErrors say what is missing. */
function eventQuery(source: ImageSource, c: DataSettings, frames: FrameSettings): { read: NonNullable<ImageSource["events"]>; query: Omit<EventSplitQuery, "split"> } {
  const dataset = c.dataset;
  if (!isEventDataset(dataset)) throw new ValueError("dataset", "an event data set (nmnist, shd, dvsgesture)", dataset);
  if (!source.events) throw new ValueError("dataset", "a data set this platform reads (event files are read under Node)", dataset);
  if (c.dataDir === undefined) throw new ValueError("--data-dir", `the directory of the ${EVENT_DATASET_INFO[dataset].title} files (snnkit downloads nothing)`, undefined);
  return { read: source.events.bind(source), query: { dataset, dataDir: c.dataDir, frames } };
}

/**
 * The data of a run on an event data set, as frames under `frames`: the training split's first samples
 * (its limit) and its last `validation` ones held out, and the test split's first (its limit). Only those
 * are read (and preprocessed, through the platform's cache).
 */
export async function loadEventRunData(source: ImageSource, c: DataSettings, frames: FrameSettings): Promise<RunData> {
  const { read, query } = eventQuery(source, c, frames);
  const held = c.validation ?? 0;
  const train = await read({
    ...query,
    split: "train",
    pick(total) {
      if (held >= total) throw new ValueError("validation", `an integer in [0, ${total}) (the training split has ${total} samples)`, held);
      const kept = total - held;
      return [...range(0, c.trainLimit > 0 ? Math.min(c.trainLimit, kept) : kept), ...range(kept, total)];
    },
  });
  const test = await read({ ...query, split: "test", pick: (total) => range(0, c.testLimit > 0 ? Math.min(c.testLimit, total) : total) });
  const split = held > 0 ? holdOut(train, held) : { train, validation: null };
  return { train: split.train, validation: split.validation, test };
}

/** An event data set's test split (its first `limit` samples; 0: all) or the validation samples a run held out, as frames. */
export async function loadEventEvaluationData(source: ImageSource, c: DataSettings, frames: FrameSettings, split: EvaluationSplit, limit = 0): Promise<ImageDataset> {
  const { read, query } = eventQuery(source, c, frames);
  const held = c.validation ?? 0;
  if (split === "validation" && held === 0) throw new ValueError("--split", "a run trained with validation samples held out (--validation n > 0)", "validation");
  const firstOf = (from: number, n: number) => range(from, from + (limit > 0 ? Math.min(limit, n) : n));
  if (split === "test") return read({ ...query, split: "test", pick: (total) => firstOf(0, total) });
  return read({ ...query, split: "train", pick: (total) => firstOf(total - held, held) });
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
