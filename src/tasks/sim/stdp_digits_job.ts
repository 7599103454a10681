// `snnkit stdp digits`: unsupervised learning of the digits with STDP and competition (Diehl & Cook 2015),
// then neurons labelled from their responses to training images and accuracy by their votes.
import { z } from "zod";
import { datasetSize, type ImageDataset } from "../../data/dataset.js";
import { finiteNumber as number, integerIn as integer } from "../../io/validate.js";
import { MAX_SEED } from "../../random/rng.js";
import { CompetitiveStdpNetwork, labelNeurons, voteClass } from "../../sim/competitive_stdp.js";
import { loadRunData } from "../run/data.js";
import { type Job, schemaSettings } from "../run/job.js";
import { DEFAULT_VALIDATION } from "../run/settings.js";

const digitsSchema = z.strictObject({
  neurons: integer(1, 10_000).describe("excitatory neurons"),
  train: integer(1, 1_000_000).describe("training images shown, in order (the embedded 7,000 after the validation images are held out)"),
  epochs: integer(1, 100).describe("passes over those images"),
  label: integer(1, 1_000_000).describe("training images whose responses label the neurons"),
  testLimit: integer(0, 1_000_000).describe("test images evaluated (0: all 2,000)"),
  thetaPlus: number("a number in (0, 100]", (x) => x > 0 && x <= 100).describe("threshold increase per spike, mV (homeostasis)"),
  presentMs: number("a number in [10, 10000]", (x) => x >= 10 && x <= 10_000).describe("presentation of one image, ms"),
  seed: integer(0, MAX_SEED).describe("seed of the initial weights and the Poisson inputs"),
});
/** What `snnkit stdp digits` runs. */
export type StdpDigitsConfig = z.output<typeof digitsSchema>;

/** Accuracies after unsupervised training, and the counts behind them. */
export interface StdpDigitsResult {
  validation_accuracy: number;
  test_accuracy: number;
  /** Neurons that answered some class (labelled), of all. */
  labelled_neurons: number;
  neurons: number;
  images_shown: number;
  seconds: number;
  files: Record<string, string>;
}

const defaults: Partial<StdpDigitsConfig> = { neurons: 100, train: 7000, epochs: 1, label: 1000, testLimit: 0, thetaPlus: 0.05, presentMs: 150, seed: 0 };

/** Pixels of image k. */
const imageOf = (d: ImageDataset, k: number): Float32Array => Float32Array.from(d.images.subarray(k * 784, (k + 1) * 784));

/** Trains the competitive network without labels, labels its neurons, and measures the vote's accuracy. */
export const stdpDigitsJob: Job<StdpDigitsConfig, StdpDigitsResult> = {
  name: "stdp digits",
  description: "unsupervised STDP with competition on the embedded digits (Diehl & Cook 2015): train without labels, label the neurons, accuracy of their vote",
  ...schemaSettings(digitsSchema, defaults),
  run(c, { images, store }, hooks) {
    const t0 = performance.now();
    const data = loadRunData(images, { dataset: "embedded", validation: DEFAULT_VALIDATION, trainLimit: 0, testLimit: c.testLimit });
    const { train, test } = data;
    const validation = data.validation!;
    const net = new CompetitiveStdpNetwork({ neurons: c.neurons, thetaPlus: c.thetaPlus, presentMs: c.presentMs, seed: c.seed });
    const shown = Math.min(c.train, datasetSize(train));
    let done = 0;
    for (let epoch = 0; epoch < c.epochs && !hooks.shouldStop?.(); epoch++)
      for (let k = 0; k < shown && !hooks.shouldStop?.(); k++) {
        net.present(imageOf(train, k), true);
        if (++done % 100 === 0) hooks.progress?.("stdp digits: training images", done, shown * c.epochs);
      }
    const labelled = Math.min(c.label, datasetSize(train));
    const responses = Array.from({ length: labelled }, (_, k) => {
      if (k % 200 === 0) hooks.progress?.("stdp digits: labelling", k, labelled);
      return net.present(imageOf(train, k), false);
    });
    const assignment = labelNeurons(responses, train.labels.subarray(0, labelled), 10);
    const accuracy = (d: ImageDataset, what: string) => {
      let correct = 0;
      const n = datasetSize(d);
      for (let k = 0; k < n; k++) {
        if (k % 200 === 0) hooks.progress?.(`stdp digits: ${what}`, k, n);
        if (voteClass(net.present(imageOf(d, k), false), assignment, 10) === d.labels[k]) correct++;
      }
      return correct / n;
    };
    const validationAccuracy = accuracy(validation, "validation");
    const testAccuracy = accuracy(test, "test");
    store.write("weights.json", `${JSON.stringify({ inputs: 784, neurons: c.neurons, weights: Array.from(net.weights), theta: Array.from(net.theta), labels: Array.from(assignment) })}\n`);
    return {
      validation_accuracy: validationAccuracy,
      test_accuracy: testAccuracy,
      labelled_neurons: assignment.filter((y) => y >= 0).length,
      neurons: c.neurons,
      images_shown: done,
      seconds: (performance.now() - t0) / 1000,
      files: { weights: store.where("weights.json") },
    };
  },
  summary: (r) =>
    `unsupervised STDP, ${r.neurons} neurons (${r.labelled_neurons} labelled), ${r.images_shown} images: validation accuracy ${(100 * r.validation_accuracy).toFixed(1)} %, test accuracy ${(100 * r.test_accuracy).toFixed(1)} % (${r.seconds.toFixed(1)} s)\nweights: ${r.files.weights}`,
};
