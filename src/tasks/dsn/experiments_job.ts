// `snnkit dsn experiments`: the authors' comparisons over several seeds, written as a table, results.json
// and a plot of the sweep over T.
import { z } from "zod";
import { denseMultiplyAdds } from "../../dsn/spiking_mlp.js";
import { choice, integerIn as integer, parseSettings } from "../../io/validate.js";
import { linePlot } from "../../plot/svg.js";
import { loadRunData } from "../run/data.js";
import type { Job } from "../run/job.js";
import { withDefaults } from "../run/settings.js";
import { DEFAULT_DSN_CONFIG, type DsnConfig, dsnConfigSchema } from "./config.js";
import { DSN_VARIANTS, type DsnExperimentRow, type DsnExperimentSummary, experimentTable, runDsnExperiments, summarizeExperiments } from "./experiments.js";

const experimentsSchema = dsnConfigSchema.omit({ model: true, steps: true, update: true, forwardStart: true, backwardStart: true }).extend({
  seeds: integer(1, 100).describe("seeds per run: --seed, --seed + 1, … (each row is their mean ± standard deviation)"),
  maxSpikesPerStep: integer(1, 2 ** 30).describe("a spiking run stops when one layer emits more spikes in one step (default 4096: runaway spiking)").optional(),
  variants: z.array(choice(DSN_VARIANTS)).min(1).describe(`the spiking variants to run (default all): ${DSN_VARIANTS.join(", ")}`).optional(),
  sweep: z.array(integer(1, 1000)).min(1).describe("steps T of the sweep"),
  convertSteps: z.array(integer(1, 10_000)).min(1).describe("steps T at which the baseline's weights run spiking"),
});
/** What `snnkit dsn experiments` runs. */
export type ExperimentsConfig = z.output<typeof experimentsSchema>;

/** What the experiments wrote, with their rows. */
export interface ExperimentsResult {
  rows: DsnExperimentRow[];
  summaries: DsnExperimentSummary[];
  table: string;
  files: { table: string; results: string; plot: string };
}

const { model, steps, update, forwardStart, backwardStart, ...runDefaults } = DEFAULT_DSN_CONFIG;
const defaults: Partial<ExperimentsConfig> = { ...runDefaults, epochs: 4, seeds: 3, sweep: [5, 10, 20], convertSteps: [10, 20, 50] };

/** Test error and forward work by steps T, mean ± sd over the seeds. */
function sweepPlot(c: ExperimentsConfig, summaries: readonly DsnExperimentSummary[]): string {
  const sweep = summaries
    .filter((s) => s.test_error && s.forward_row_additions && /^spiking, T = \d+$/.test(s.run))
    .map((s) => ({ steps: Number(s.run.replace(/^spiking, T = /, "")), error: s.test_error!, rows: s.forward_row_additions! }))
    .sort((a, b) => a.steps - b.steps);
  return linePlot(
    [
      { label: "test error (mean over seeds)", x: sweep.map((r) => r.steps), y: sweep.map((r) => 100 * r.error.mean), markers: true },
      { label: "mean − sd", x: sweep.map((r) => r.steps), y: sweep.map((r) => 100 * (r.error.mean - r.error.sd)), markers: false },
      { label: "mean + sd", x: sweep.map((r) => r.steps), y: sweep.map((r) => 100 * (r.error.mean + r.error.sd)), markers: false },
      { label: "forward row additions / sample", x: sweep.map((r) => r.steps), y: sweep.map((r) => r.rows.mean), axis: "right", markers: true },
    ],
    { title: `spiking MLP ${c.layers.join("-")}, ${c.epochs} epochs, ${c.seeds} seeds`, xLabel: "steps T", yLabel: "test error (%)", yLabelRight: "row additions per sample" },
  );
}

/** The authors' comparisons: ReLU baselines, the spiking MLP and its variants, converted weights, and a sweep over T, over several seeds. */
export const experimentsJob: Job<ExperimentsConfig, ExperimentsResult> = {
  name: "dsn experiments",
  schema: experimentsSchema,
  defaults,
  configure: (fields) => parseSettings(experimentsSchema, withDefaults({ ...defaults, dataset: fields.dataDir ? "mnist" : "embedded" }, fields)),
  async run(c, context, hooks) {
    const { seeds, variants, sweep, convertSteps, ...settings } = c;
    const base: DsnConfig = { ...settings, model, steps, update, forwardStart, backwardStart };
    const data = loadRunData(context.images, base);
    const rows = await runDsnExperiments(data, {
      base,
      seeds,
      variants,
      sweep,
      convertSteps,
      onProgress: (name, done, total) => hooks.progress?.(name, done, total),
      shouldStop: hooks.shouldStop,
    });
    const sizes = [data.train.imageShape[0] * data.train.imageShape[1] * data.train.imageShape[2], ...c.layers, data.train.classes];
    const dense = denseMultiplyAdds(sizes);
    const total = (a: number[]) => a.reduce((x, y) => x + y, 0);
    const table = experimentTable(rows, { images: data.test.labels.length }, { total: total(dense.forward) + total(dense.backward) + total(dense.update), forward: total(dense.forward) });
    const summaries = summarizeExperiments(rows);
    const { store } = context;
    store.write("table.md", table);
    store.write("results.json", `${JSON.stringify({ config: base, seeds, summaries, rows }, null, 1)}\n`);
    store.write("sweep.svg", sweepPlot(c, summaries));
    return { rows, summaries, table, files: { table: store.where("table.md"), results: store.where("results.json"), plot: store.where("sweep.svg") } };
  },
};
