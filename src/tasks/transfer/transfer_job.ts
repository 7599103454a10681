// `snnkit transfer`: a trained coarse-LIF network run by continuous-time LIF neurons, beside the coarse network.
import { z } from "zod";
import { choice, integerIn as integer } from "../../io/validate.js";
import { MAX_SEED } from "../../random/rng.js";
import { FIRING_RULES } from "../../neurons/continuous_lif.js";
import { SPREADS } from "../../transfer/impulses.js";
import { EVALUATION_SPLITS, loadEvaluationData } from "../run/data.js";
import { type Job, schemaSettings } from "../run/job.js";
import { restoreRun } from "../run/runner.js";
import { MAX_IMAGES } from "../run/settings.js";
import { trainTask } from "../train/task.js";
import { TRANSFER_ENGINES, type TransferResult, transferAccuracy } from "./transfer.js";

const transferSchema = z.strictObject({
  checkpoint: z.string().min(1).describe("checkpoint of snnkit train with coarse-LIF neurons"),
  engine: choice(TRANSFER_ENGINES).describe("event: exact, event by event; stepped: k substeps per step on the tensor engine (even spreading; the same spikes, faster)"),
  substeps: integer(1, 100_000).describe("impulses that carry one step's analog input"),
  spread: choice(SPREADS).describe("timing of those impulses within the step"),
  fire: choice(FIRING_RULES).describe("crossing: the continuous LIF fires as soon as v ≥ 1; step-end: only at step ends (the coarse rule; a diagnostic)"),
  steps: integer(1, 10_000).describe("steps per image (default: the checkpoint's)").optional(),
  testLimit: integer(0, MAX_IMAGES).describe("use only the first n images (0: all; default: the checkpoint's test data)").optional(),
  split: choice(EVALUATION_SPLITS).describe("the images: test, or the validation images the run held out of training (to make choices on)"),
  seed: integer(0, MAX_SEED).describe("seed of rate coding and of uniform timings"),
});
/** What `snnkit transfer` runs. */
export type TransferConfig = z.output<typeof transferSchema>;

const defaults: Partial<TransferConfig> = { engine: "event", substeps: 16, spread: "even", fire: "crossing", split: "test", seed: 0 };

/** The coarse network of a checkpoint and the same weights run in continuous time, on its test (or validation) images. */
export const transferJob: Job<TransferConfig, TransferResult & { checkpoint: string; split: TransferConfig["split"]; seconds: number }> = {
  name: "transfer",
  description: "run a trained coarse-LIF network (snnkit train) with continuous-time LIF neurons and compare its accuracy and spikes with the coarse network's",
  ...schemaSettings<TransferConfig>(transferSchema, defaults),
  run(c, context, hooks) {
    const t0 = performance.now();
    const session = restoreRun(trainTask, context, c.checkpoint);
    try {
      const images = loadEvaluationData(context.images, session.config, c.split, c.testLimit ?? (c.split === "test" ? session.config.testLimit : 0));
      const r = transferAccuracy(session, images, { ...c, onImage: (done, total) => hooks.progress?.("transfer: images", done, total) });
      return { checkpoint: c.checkpoint, split: c.split, ...r, seconds: (performance.now() - t0) / 1000 };
    } finally {
      session.model.dispose();
    }
  },
  summary: (r) =>
    [
      `${r.images} ${r.split} images, ${r.engine} engine, T = ${r.steps}, ${r.substeps} ${r.spread} impulses per step of analog input, firing at ${r.fire === "crossing" ? "the threshold crossing" : "step ends"}`,
      `  coarse network:      accuracy ${(100 * r.coarse.accuracy).toFixed(2)} %, spikes per image by layer ${r.coarse.spikesPerImage.map((v) => v.toFixed(1)).join(" / ")}`,
      `  continuous network:  accuracy ${(100 * r.continuous.accuracy).toFixed(2)} %, spikes per image by layer ${r.continuous.spikesPerImage.map((v) => v.toFixed(1)).join(" / ")}`,
    ].join("\n"),
};
