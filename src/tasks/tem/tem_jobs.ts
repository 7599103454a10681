// `snnkit tem one-layer | two-layer | sweep`: training TEM layers from spike times (Adam 2022) as jobs.
import { z } from "zod";
import { choice, finiteNumber as number, integerIn as integer } from "../../io/validate.js";
import { MAX_SEED } from "../../random/rng.js";
import { TEM_LIMITS } from "../../tem/limits.js";
import { runTwoLayer, TWO_LAYER_DEFAULTS, type TwoLayerOutcome } from "../../tem/two_layer.js";
import { type Job, schemaSettings } from "../run/job.js";
import { ONE_LAYER_DEFAULTS, runOneLayer } from "./one_layer_experiment.js";
import { oneLayerSweeps, type OneLayerSweeps, twoLayerSweep, type TwoLayerSweepRow } from "./sweeps.js";

const positive = (what: string) => number("a number in (0, 1e12]", (x) => x > 0 && x <= 1e12).describe(what);
const real = (what: string) => number("a number in [-1e12, 1e12]", (x) => Math.abs(x) <= 1e12).describe(what);

/** The sizes and observation of a recovery experiment. */
const experimentShape = {
  inputs: integer(1, TEM_LIMITS.neurons).describe("input signals"),
  outputs: integer(1, TEM_LIMITS.neurons).describe("output neurons"),
  examples: integer(1, TEM_LIMITS.examples).describe("training examples"),
  exposure: number(`a number in (0, ${TEM_LIMITS.exposure}]`, (x) => x > 0 && x <= TEM_LIMITS.exposure).describe("duration over which output spikes are observed (period 10)"),
  jitter: number(`a number in [0, ${TEM_LIMITS.jitter}]`, (x) => x >= 0 && x <= TEM_LIMITS.jitter).describe("std of Gaussian noise on output spike times"),
  seed: integer(0, MAX_SEED).describe("seed"),
};

/** A job whose configuration is its schema with defaults, nothing more to check. */
function plainJob<C extends object, R>(
  name: string,
  description: string,
  schema: z.ZodObject,
  defaults: Partial<C>,
  run: (c: C, progress?: (done: number, total: number) => void) => R,
  summary?: (r: R, c: C) => string,
): Job<C, R> {
  return {
    name,
    description,
    ...schemaSettings<C>(schema, defaults),
    run: (c, _context, hooks) => run(c, hooks.progress && ((done, total) => hooks.progress!(`${name}: trials`, done, total))),
    summary,
  };
}

const oneLayerSchema = z.strictObject({
  ...experimentShape,
  kappa: positive("TEM integration constant κ"),
  delta: positive("TEM threshold δ"),
  bias: real("TEM bias b"),
  bands: integer(1, TEM_LIMITS.bands).describe("Fourier coefficients per signal (|m| < K)"),
  period: number("a number in (0, 1e6]", (x) => x > 0 && x <= 1e6).describe("signal period"),
});
type OneLayerConfig = z.output<typeof oneLayerSchema>;
const { params, ...oneLayer } = ONE_LAYER_DEFAULTS;

/** `tem one-layer`: a random layer of TEM neurons, random bandlimited inputs, W recovered by least squares. */
export const oneLayerJob = plainJob(
  "tem one-layer",
  "draw a random layer of TEM neurons, encode random bandlimited inputs, recover W by least squares",
  oneLayerSchema,
  { ...oneLayer, ...params },
  (c: OneLayerConfig) => {
    const t0 = performance.now();
    const { kappa, delta, bias, ...setup } = c;
    const r = runOneLayer({ ...setup, params: { kappa, delta, bias } });
    return { error: r.error, rank: r.rank, determined: r.determined, spikes: r.spikes, equations: r.equations, residual: r.residual, seconds: (performance.now() - t0) / 1000 };
  },
  (r, c) =>
    `${c.inputs} → ${c.outputs} TEM layer, ${c.examples} examples of duration ${c.exposure}: ${r.spikes} output spikes\n` +
    `rank per output neuron: ${r.rank.join(", ")} of ${c.inputs}${r.determined ? "" : "  (UNDER-DETERMINED: W is not identifiable from these spikes)"}\n` +
    `‖W_learned − W_true‖_F = ${r.error.toExponential(3)}; largest interval residual ${r.residual.toExponential(2)}`,
);

const twoLayerSchema = z.strictObject({
  ...experimentShape,
  hidden: integer(1, TEM_LIMITS.neurons).describe("hidden neurons"),
  kappa1: positive("hidden integration constant κ"),
  delta1: positive("hidden threshold δ"),
  bias1: real("hidden bias b"),
  kappa2: positive("output integration constant κ"),
  delta2: positive("output threshold δ"),
  bias2: real("output bias b"),
});
type TwoLayerConfig = z.output<typeof twoLayerSchema>;
const t2 = TWO_LAYER_DEFAULTS;
const twoLayerDefaults: Partial<TwoLayerConfig> = {
  ...{ inputs: t2.inputs, hidden: t2.hidden, outputs: t2.outputs, examples: t2.examples, exposure: t2.exposure, jitter: t2.jitter, seed: t2.seed },
  ...{ kappa1: t2.hiddenParams.kappa, delta1: t2.hiddenParams.delta, bias1: t2.hiddenParams.bias, kappa2: t2.outputParams.kappa, delta2: t2.outputParams.delta, bias2: t2.outputParams.bias },
};

/** `tem two-layer`: a random 2-layer TEM network; hidden spikes and both weight matrices recovered from output spikes. */
export const twoLayerJob = plainJob(
  "tem two-layer",
  "draw a random 2-layer TEM network, recover hidden spikes and both weight matrices from output spikes",
  twoLayerSchema,
  twoLayerDefaults,
  (c: TwoLayerConfig): TwoLayerOutcome & { seconds: number } => {
    const t0 = performance.now();
    const { kappa1, delta1, bias1, kappa2, delta2, bias2, ...setup } = c;
    const r = runTwoLayer({ ...setup, hiddenParams: { kappa: kappa1, delta: delta1, bias: bias1 }, outputParams: { kappa: kappa2, delta: delta2, bias: bias2 } });
    return { ...r, seconds: (performance.now() - t0) / 1000 };
  },
  (r, c) =>
    `${c.inputs} → ${c.hidden} → ${c.outputs}, ${c.examples} examples, exposure ${c.exposure}: ${r.hidden_spikes} hidden and ${r.spikes} output spikes\n` +
    `error W1 ${r.error_w1.toExponential(3)}, W2 ${r.error_w2.toExponential(3)} (best permutation); hidden spike times within ${r.time_error.toExponential(2)}`,
);

const sweepSchema = z.strictObject({
  which: choice(["all", "one-layer", "two-layer"] as const).describe("which experiments"),
  trials: integer(1, 10_000).describe("two-layer trials per exposure"),
  seed: integer(0, MAX_SEED).describe("seed"),
  quick: z.boolean().describe("fewer points"),
});
type SweepConfig = z.output<typeof sweepSchema>;

/** What the sweeps measured and the files they wrote. */
export interface TemSweepResult {
  one_layer?: Pick<OneLayerSweeps, "examples" | "jitter">;
  two_layer?: TwoLayerSweepRow[];
  files: Record<string, string>;
}

/** `tem sweep`: one-layer error vs examples × exposure and vs jitter; two-layer median errors vs exposure (JSON + SVG). */
export const temSweepJob: Job<SweepConfig, TemSweepResult> = {
  name: "tem sweep",
  description: "the experiments of Adam 2022: one-layer error vs examples × exposure and vs jitter; two-layer median errors vs exposure (JSON + SVG)",
  ...schemaSettings<SweepConfig>(sweepSchema, { which: "all", trials: 50, seed: 0, quick: false }),
  summary: (r) =>
    [
      ...[...(r.one_layer?.examples ?? []), ...(r.one_layer?.jitter ?? [])].map(
        (p) => `one layer: examples ${p.examples}, exposure ${p.exposure}, jitter ${p.jitter}: error ${p.error.toExponential(2)}${p.determined ? "" : " (under-determined)"}`,
      ),
      ...(r.two_layer ?? []).map(
        (row) => `two layers: exposure ${row.exposure}: median error W1 ${row.median_error_w1.toExponential(2)}, W2 ${row.median_error_w2.toExponential(2)}; exact in ${row.exact}/${row.trials}`,
      ),
      ...Object.entries(r.files).map(([k, v]) => `${k}: ${v}`),
    ].join("\n"),
  run(c, { store }, hooks) {
    const out: TemSweepResult = { files: {} };
    const write = (key: string, name: string, text: string) => {
      store.write(name, text);
      out.files[key] = store.where(name);
    };
    if (c.which !== "two-layer") {
      const r = oneLayerSweeps(c.seed, c.quick);
      out.one_layer = { examples: r.examples, jitter: r.jitter };
      write("one_layer_data", "one_layer_sweeps.json", `${JSON.stringify(out.one_layer, null, 1)}\n`);
      write("examples_plot", "error_vs_examples.svg", r.plots.examples);
      write("jitter_plot", "error_vs_jitter.svg", r.plots.jitter);
    }
    if (c.which !== "one-layer") {
      const { rows, plot } = twoLayerSweep(undefined, c.quick ? Math.min(c.trials, 5) : c.trials, c.seed, (done, total) => hooks.progress?.("tem sweep: two-layer trials", done, total));
      out.two_layer = rows;
      write("two_layer_data", "two_layer_sweep.json", `${JSON.stringify(rows, null, 1)}\n`);
      write("two_layer_plot", "two_layer_errors.svg", plot);
    }
    return out;
  },
};
