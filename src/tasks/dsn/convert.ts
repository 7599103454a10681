// Running a trained run's weights (usually the ReLU baseline's) as a spiking MLP: ANN → SNN conversion,
// and `snnkit dsn convert`, which does it for a checkpoint.
import { backendByName } from "../../backend/registry.js";
import { runBackend } from "../run/settings.js";
import { datasetSize, type ImageDataset } from "../../data/dataset.js";
import { SpikingMlp } from "../../dsn/spiking_mlp.js";
import { z } from "zod";
import { integerIn as integer } from "../../io/validate.js";
import { loadSplit } from "../run/data.js";
import { type Job, schemaSettings } from "../run/job.js";
import { restoreRun } from "../run/runner.js";
import { type DsnConfig, DSN_LIMITS } from "./config.js";
import { dsnTask } from "./task.js";
import { classificationError, type DsnSession } from "./session.js";

/** Result of running a checkpoint's weights as a spiking MLP. */
export interface ConvertResult {
  checkpoint: string;
  from_model: DsnConfig["model"];
  steps: number;
  test_error: number;
  /** The checkpoint's own network on the same data (the ReLU MLP's error for a baseline checkpoint). */
  source_test_error: number;
  /** Input, hidden and readout row additions per test sample. */
  row_additions_per_sample: number;
}

/** The weights of a run (named `checkpoint` in the result) run as a spiking MLP with `steps` steps on `test`, beside the run's own network. */
export function convertRun(s: DsnSession, checkpoint: string, test: ImageDataset, steps: number): ConvertResult {
  const spiking = new SpikingMlp(s.sizes, s.net.weights(), { steps, backend: backendByName(runBackend(s.config.backend)) });
  try {
    let rows = 0;
    const counted = {
      predict: (x: Float32Array) => {
        const r = spiking.predictWithWork(x);
        rows += r.rowAdditions;
        return r.output;
      },
    };
    const testError = classificationError(counted, test);
    return {
      checkpoint,
      from_model: s.config.model,
      steps,
      test_error: testError,
      source_test_error: classificationError(s.net, test),
      row_additions_per_sample: rows / Math.max(1, datasetSize(test)),
    };
  } finally {
    spiking.dispose();
  }
}

const convertSchema = z.strictObject({
  checkpoint: z.string().min(1).describe("checkpoint written by snnkit dsn baseline (or train)"),
  steps: integer(1, DSN_LIMITS.steps).describe("steps T per sample"),
  dataDir: z.string().describe("evaluate on the IDX test files (t10k-*) in this directory instead").optional(),
});
/** What `snnkit dsn convert` runs. */
export type ConvertConfig = z.output<typeof convertSchema>;

/** `snnkit dsn convert`: a checkpoint's weights run as a spiking MLP on its test data (or `dataDir`'s). */
export const convertJob: Job<ConvertConfig, ConvertResult> = {
  name: "dsn convert",
  description: "run a checkpoint's weights (e.g. a trained ReLU MLP) as a spiking MLP on its test data",
  ...schemaSettings<ConvertConfig>(convertSchema, { steps: 20 }),
  run(c, context) {
    const s = restoreRun(dsnTask, context, c.checkpoint);
    try {
      const data = c.dataDir ? { ...s.config, dataset: s.config.dataset === "embedded" ? ("mnist" as const) : s.config.dataset, dataDir: c.dataDir } : s.config;
      return convertRun(s, c.checkpoint, loadSplit(context.images, data, "test"), c.steps);
    } finally {
      s.net.dispose();
    }
  },
  summary: (r) =>
    `${r.from_model} weights run spiking at T = ${r.steps}: test error ${(100 * r.test_error).toFixed(2)} % (the ${r.from_model} network: ${(100 * r.source_test_error).toFixed(2)} %), ${r.row_additions_per_sample.toFixed(0)} row additions per test sample`,
};
