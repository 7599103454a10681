// `snnkit eval`: the accuracy of a trained checkpoint on its test data, its validation images, or the
// test files of another directory.
import { z } from "zod";
import { choice } from "../../io/validate.js";
import { isEventDataset } from "../../events/datasets.js";
import { EVALUATION_SPLITS, loadEvaluationData, loadEventEvaluationData } from "../run/data.js";
import { frameSettingsOf } from "./config.js";
import { type Job, schemaSettings } from "../run/job.js";
import { restoreRun } from "../run/runner.js";
import { evaluate } from "./loop.js";
import { trainTask } from "./task.js";

const evaluateSchema = z.strictObject({
  checkpoint: z.string().min(1).describe("checkpoint file written by snnkit train"),
  dataDir: z.string().describe("evaluate on the IDX test files (t10k-*) in this directory instead").optional(),
  dataset: choice(["mnist", "fashion-mnist"] as const).describe("what --data-dir holds"),
  split: choice(EVALUATION_SPLITS).describe("the images: test, or the validation images the run held out of training (to make choices on)"),
});
/** What `snnkit eval` evaluates. */
export type EvaluateConfig = z.output<typeof evaluateSchema>;

/** The accuracy of a checkpoint on one split (the `--json` object of `snnkit eval`: test_* or validation_* keys). */
export interface EvaluateResult {
  split: EvaluateConfig["split"];
  accuracy: number;
  images: number;
  /** Epochs the network was trained. */
  epochs: number;
  seconds: number;
  checkpoint: string;
}

const defaults: Partial<EvaluateConfig> = { dataset: "mnist", split: "test" } satisfies Partial<z.input<typeof evaluateSchema>>;

/** A checkpoint's accuracy on its test split (or its validation images, or another directory's test files). */
export const evaluateJob: Job<EvaluateConfig, EvaluateResult> = {
  name: "eval",
  ...schemaSettings<EvaluateConfig>(evaluateSchema, defaults),
  async run(c, context) {
    const t0 = performance.now();
    const session = restoreRun(trainTask, context, c.checkpoint);
    try {
      // For the test split only the t10k files are read: a directory with just those is enough.
      const data = c.dataDir ? { ...session.config, dataset: c.dataset, dataDir: c.dataDir, testLimit: 0 } : session.config;
      const limit = c.split === "test" ? data.testLimit : 0;
      const images = isEventDataset(data.dataset) ? await loadEventEvaluationData(context.images, data, frameSettingsOf(data), c.split, limit) : loadEvaluationData(context.images, data, c.split, limit);
      const accuracy = evaluate(session, images);
      return { split: c.split, accuracy, images: images.labels.length, epochs: session.progress.epoch, seconds: (performance.now() - t0) / 1000, checkpoint: c.checkpoint };
    } finally {
      session.model.dispose();
    }
  },
};
