// The plots of a training run: its training curve, and the spikes of one test sample.
import { gatherBatch, type ImageDataset } from "../../data/dataset.js";
import { linePlot, type RasterPanel, rasterPlot } from "../../plot/svg.js";
import { Rng } from "../../random/rng.js";
import { noGrad, tidy } from "../../tensor/engine.js";
import { encodeBatch, type TrainingSession } from "./session.js";

/** Spikes of every spiking layer for one test sample, as raster panels (fixed encoding noise). */
export function rasterOfSample(s: TrainingSession, test: ImageDataset, index = 0): RasterPanel[] {
  const c = s.config;
  const panels: RasterPanel[] = [];
  tidy(() =>
    noGrad(() => {
      const wasTraining = s.model.training;
      s.model.eval();
      const { x } = gatherBatch(test, [index]);
      const { input, steps } = encodeBatch(c, x, new Rng(c.seed + 3));
      const r = s.model.run(input, { steps, recordSpikes: true });
      s.model.train(wasTraining);
      for (const { layer, spikes } of r.spikes)
        panels.push({ label: layer, steps: spikes.shape[0], neurons: spikes.size / spikes.shape[0], spikes: spikes.dataFloat32() });
    }),
  );
  return panels;
}

/** The running mean of the last k values at each index. */
function smooth(v: readonly number[], k: number): number[] {
  return v.map((_, i) => v.slice(Math.max(0, i - k + 1), i + 1).reduce((a, b) => a + b, 0) / Math.min(k, i + 1));
}

/** The training loss by batch (smoothed) with the validation and test accuracy by epoch. */
export function trainingCurve(s: TrainingSession, batchesPerEpoch: number): string {
  const p = s.progress;
  const continuous = s.config.substeps ? ` as continuous-time LIF (${s.config.substeps} substeps)` : "";
  return linePlot(
    [
      { label: "training loss (batches, smoothed)", x: p.losses.map((_, i) => (i + 1) / batchesPerEpoch), y: smooth(p.losses, 20), markers: false },
      ...(p.epochs.some((m) => m.validation_accuracy !== undefined)
        ? [{ label: "validation accuracy", x: p.epochs.map((m) => m.epoch), y: p.epochs.map((m) => 100 * (m.validation_accuracy ?? Number.NaN)), axis: "right" as const, markers: true }]
        : []),
      { label: "test accuracy", x: p.epochs.map((m) => m.epoch), y: p.epochs.map((m) => 100 * m.test_accuracy), axis: "right", markers: true },
    ],
    { title: `${s.config.model} / ${s.config.neuron}${continuous}, T = ${s.config.steps}`, xLabel: "epoch", yLabel: "training loss", yLabelRight: "test accuracy (%)" },
  );
}

/** The raster of test sample 0. It runs the coarse model, also for a run trained in continuous time (its title says so). */
export function sampleRaster(s: TrainingSession, test: ImageDataset): string {
  const title = `spikes of test sample 0 (label ${test.labels[0]})${s.config.substeps ? ", coarse model" : ""}`;
  return rasterPlot(rasterOfSample(s, test), { title });
}
