// The comparisons of Deep Spiking Networks (O'Connor & Welling 2016) on one data split, over several
// seeds: the ReLU baseline (with the authors' loss, and with the spiking MLP's), the spiking MLP and its
// variants (fractional updates, noreset forward training, random-shift backward herders, other T), the
// baseline's weights run spiking, and each spiking network's weights run in the ReLU MLP.
import { datasetSize, type RunData } from "../../data/dataset.js";
import { ReluMlp } from "../../dsn/relu_mlp.js";
import { scalarOperations, SpikingMlp } from "../../dsn/spiking_mlp.js";
import { DivergenceError, LimitError } from "../../errors.js";
import { formatSpread, rateStandardError, seedList, type Spread, spread } from "../seeds/spread.js";
import { type DsnConfig, validateDsnConfig } from "./config.js";
import { classificationError, createDsnSession, type DsnSession, trainDsnEpochs } from "./session.js";

/** One run with one seed. */
export interface DsnExperimentRow {
  run: string;
  seed: number;
  steps: number | null;
  /** Error on the held-out validation images (null without them). */
  validation_error: number | null;
  test_error: number;
  train_error: number;
  seconds: number;
  /** Per training sample: weight-row additions (forward), column additions (backward), update multiply-adds; null for the ReLU MLP and converted weights. */
  forward_row_additions: number | null;
  backward_column_additions: number | null;
  update_multiply_adds: number | null;
  /** The same work in scalar operations (scalarOperations): forward additions, backward additions, update multiply-adds, their sum. */
  scalar_operations: { forward: number; backward: number; update: number; total: number } | null;
  /** Test error of this spiking network's weights run in the ReLU MLP (spiking runs only). */
  relu_with_these_weights_test_error: number | null;
  /** The authors' test error for this run (full MNIST, %), where they report one for the same epochs. */
  reported_test_error: number | null;
  /** The authors' test error of this run's weights in the ReLU MLP (full MNIST, %, 20 epochs). */
  reported_relu_with_these_weights: number | null;
  /** Why the run has no result (it stopped with a LimitError or DivergenceError), else null. */
  failure: string | null;
}

/**
 * The authors' test errors (%, full MNIST) after 4 epochs (their hyperparameter sweep of the spiking MLP,
 * `try_hyperparams`) and after 20 (`mnist_relu_vs_spiking`). They report no 4-epoch ReLU baseline: the
 * 3.38 % of that sweep is its spiking baseline.
 */
export const REPORTED_TEST_ERROR: Record<string, { 4?: number; 20?: number }> = {
  "ReLU baseline": { 20: 1.81 },
  "spiking, T = 10": { 4: 3.38, 20: 2.68 },
  "spiking, fractional updates": { 4: 3.1, 20: 2.34 },
  "spiking, noreset forward": { 20: 2.44 },
  "spiking, random-shift backward": { 4: 3.15, 20: 2.76 },
  "ReLU weights run spiking, T = 10": { 20: 1.92 },
  "spiking, T = 5": { 4: 4.41 },
  "spiking, T = 20": { 4: 2.65 },
};

/** The authors' test errors (%, full MNIST, 20 epochs) of each spiking network's weights run in the ReLU MLP. */
export const REPORTED_RELU_WITH_SPIKING_WEIGHTS: Record<string, number> = {
  "spiking, T = 10": 2.79,
  "spiking, fractional updates": 2.2,
  "spiking, noreset forward": 2.47,
  "spiking, random-shift backward": 2.88,
};

/**
 * The spike limit of the comparison's spiking runs unless the settings give one: 4,096 spikes of one layer
 * in one step, about forty times what a step of 784-200-200-10 emits (about 100 into the first layer, 50
 * into each other), so a run whose spiking runs away stops (and is reported as stopped) instead of
 * crawling on for hours.
 */
export const EXPERIMENT_MAX_SPIKES_PER_STEP = 4096;

/** The authors' variants of the spiking MLP that the comparison can run. */
export const DSN_VARIANTS = ["fractional", "noreset-forward", "random-shift-backward"] as const;
/** A variant of the comparison. */
export type DsnVariant = (typeof DSN_VARIANTS)[number];

const VARIANT_RUNS: Record<DsnVariant, [string, Partial<DsnConfig>]> = {
  fractional: ["spiking, fractional updates", { update: "fractional" }],
  "noreset-forward": ["spiking, noreset forward", { forwardStart: "noreset" }],
  "random-shift-backward": ["spiking, random-shift backward", { backwardStart: "random-shift" }],
};

/** Options of the comparison: the shared settings, the seeds, the variants, the sweep's steps and the converted runs' steps. */
export interface DsnExperimentOptions {
  base: DsnConfig;
  /** The variants to run beside the ReLU baselines and the spiking MLP (default: all). */
  variants?: readonly DsnVariant[];
  /** Number of seeds: base.seed, base.seed + 1, … (default 3). */
  seeds?: number;
  sweep: readonly number[];
  convertSteps: readonly number[];
  onProgress?: (run: string, done: number, total: number) => void;
  shouldStop?: () => boolean;
}

const sum = (a: readonly number[]) => a.reduce((s, v) => s + v, 0);

function emptyRow(name: string, c: DsnConfig, spiking: boolean): DsnExperimentRow {
  return {
    run: name,
    seed: c.seed,
    steps: spiking ? c.steps : null,
    validation_error: null,
    test_error: Number.NaN,
    train_error: Number.NaN,
    seconds: 0,
    forward_row_additions: null,
    backward_column_additions: null,
    update_multiply_adds: null,
    scalar_operations: null,
    relu_with_these_weights_test_error: null,
    reported_test_error: REPORTED_TEST_ERROR[name]?.[c.epochs as 4 | 20] ?? null,
    reported_relu_with_these_weights: c.epochs === 20 ? (REPORTED_RELU_WITH_SPIKING_WEIGHTS[name] ?? null) : null,
    failure: null,
  };
}

async function trainRun(name: string, c: DsnConfig, data: RunData, o: DsnExperimentOptions): Promise<{ row: DsnExperimentRow; session: DsnSession }> {
  const { train, test, validation } = data;
  const per = train.imageShape[0] * train.imageShape[1] * train.imageShape[2];
  const s = createDsnSession(c, per, train.classes);
  const n = datasetSize(train) * c.epochs;
  await trainDsnEpochs(s, data, { onProgress: (r) => o.onProgress?.(`${name}, seed ${c.seed}`, r.epoch * datasetSize(train) + r.sample, n), shouldStop: o.shouldStop });
  const last = s.progress.epochs[s.progress.epochs.length - 1];
  const ops = last?.ops_per_sample;
  const spiking = c.model === "spiking";
  const row = emptyRow(name, c, spiking);
  row.validation_error = last?.validation_error ?? (validation ? classificationError(s.net, validation) : null);
  row.test_error = last ? last.test_error : classificationError(s.net, test);
  row.train_error = classificationError(s.net, train);
  row.seconds = s.progress.seconds;
  if (spiking && ops) {
    row.forward_row_additions = sum(ops.forward_row_additions);
    row.backward_column_additions = sum(ops.backward_column_additions);
    row.update_multiply_adds = sum(ops.update_multiply_adds);
    row.scalar_operations = scalarOperations(s.sizes, { forward: ops.forward_row_additions, backward: ops.backward_column_additions, update: ops.update_multiply_adds });
    const relu = new ReluMlp(s.sizes, s.net.weights(), c.lr);
    row.relu_with_these_weights_test_error = classificationError(relu, test);
    relu.dispose();
  }
  return { row, session: s };
}

/** The runs of one seed, in table order (the baseline first). */
async function runSeed(data: RunData, base: DsnConfig, o: DsnExperimentOptions): Promise<DsnExperimentRow[]> {
  const { train, test, validation } = data;
  const rows: DsnExperimentRow[] = [];
  const baseline = await trainRun("ReLU baseline", { ...base, model: "relu" }, data, o);
  rows.push(baseline.row);
  const other = base.reluLoss === "squared-error" ? "half-squared-error" : "squared-error";
  const runs: [string, Partial<DsnConfig>][] = [
    [`ReLU baseline, ${other === "half-squared-error" ? "½Σ(a − t)² (the spiking MLP's step)" : "Σ(a − t)² (the authors' loss)"}`, { model: "relu", reluLoss: other }],
    [`spiking, T = ${base.steps}`, {}],
    ...(o.variants ?? DSN_VARIANTS).map((v) => VARIANT_RUNS[v]),
    ...o.sweep.filter((t) => t !== base.steps).map((t): [string, Partial<DsnConfig>] => [`spiking, T = ${t}`, { steps: t }]),
  ];
  for (const [name, change] of runs) {
    if (o.shouldStop?.()) break;
    const c = { ...base, ...change };
    try {
      const { row, session } = await trainRun(name, c, data, o);
      session.net.dispose();
      rows.push(row);
    } catch (e) {
      // A run that blows up (runaway spiking, a diverged loss) is a result too: the others go on.
      if (!(e instanceof LimitError || e instanceof DivergenceError)) throw e;
      rows.push({ ...emptyRow(name, c, c.model === "spiking"), failure: e.message });
    }
  }
  const weights = baseline.session.net.weights();
  for (const steps of o.shouldStop?.() ? [] : o.convertSteps) {
    const name = `ReLU weights run spiking, T = ${steps}`;
    const net = new SpikingMlp(baseline.session.sizes, weights, { steps });
    const t0 = performance.now();
    const row = emptyRow(name, base, true);
    row.validation_error = validation ? classificationError(net, validation) : null;
    row.test_error = classificationError(net, test);
    row.train_error = classificationError(net, train);
    row.seconds = (performance.now() - t0) / 1000;
    rows.push(row);
    net.dispose();
  }
  baseline.session.net.dispose();
  return rows;
}

/**
 * Runs every comparison with the shared settings `o.base` (its model, steps and herder starts are set per
 * run) for each of `o.seeds` seeds (base.seed, base.seed + 1, …: the initial weights, the sample order
 * and the random-shift starts change; the data split does not). When shouldStop turns true, the run in
 * progress stops and the rows so far are returned.
 */
export async function runDsnExperiments(data: RunData, o: DsnExperimentOptions): Promise<DsnExperimentRow[]> {
  const base = validateDsnConfig({
    ...o.base,
    model: "spiking",
    update: "outer",
    forwardStart: "reset",
    backwardStart: "noreset",
    maxSpikesPerStep: o.base.maxSpikesPerStep ?? EXPERIMENT_MAX_SPIKES_PER_STEP,
  });
  const rows: DsnExperimentRow[] = [];
  for (const seed of seedList(base.seed, o.seeds ?? 3)) {
    if (o.shouldStop?.()) break;
    rows.push(...(await runSeed(data, { ...base, seed }, o)));
  }
  return rows;
}

/** One run over its seeds: the spread of each measured quantity (failed seeds counted apart). */
export interface DsnExperimentSummary {
  run: string;
  seeds: number[];
  failures: string[];
  validation_error: Spread | null;
  test_error: Spread | null;
  train_error: Spread | null;
  scalar_operations_total: Spread | null;
  forward_scalar_additions: Spread | null;
  forward_row_additions: Spread | null;
  relu_with_these_weights_test_error: Spread | null;
  reported_test_error: number | null;
  reported_relu_with_these_weights: number | null;
}

/** The rows grouped by run (in first-seen order), each quantity as mean ± spread over the seeds that finished. */
export function summarizeExperiments(rows: readonly DsnExperimentRow[]): DsnExperimentSummary[] {
  const names = [...new Set(rows.map((r) => r.run))];
  return names.map((run) => {
    const all = rows.filter((r) => r.run === run);
    const ok = all.filter((r) => !r.failure);
    const of = (f: (r: DsnExperimentRow) => number | null | undefined): Spread | null => {
      const v = ok.map(f).filter((x): x is number => typeof x === "number" && Number.isFinite(x));
      return v.length > 0 && v.length === ok.length ? spread(v) : null;
    };
    return {
      run,
      seeds: all.map((r) => r.seed),
      failures: all.filter((r) => r.failure).map((r) => `seed ${r.seed}: ${r.failure}`),
      validation_error: of((r) => r.validation_error),
      test_error: of((r) => r.test_error),
      train_error: of((r) => r.train_error),
      scalar_operations_total: of((r) => r.scalar_operations?.total),
      forward_scalar_additions: of((r) => r.scalar_operations?.forward),
      forward_row_additions: of((r) => r.forward_row_additions),
      relu_with_these_weights_test_error: of((r) => r.relu_with_these_weights_test_error),
      reported_test_error: all[0].reported_test_error,
      reported_relu_with_these_weights: all[0].reported_relu_with_these_weights,
    };
  });
}

/**
 * The summaries as a Markdown table: errors in % as mean ± standard deviation over the seeds, work per
 * training sample in scalar operations (the dense ReLU step: `denseTotal`), and a note on the standard
 * error of one test measurement.
 */
export function experimentTable(rows: readonly DsnExperimentRow[], test: { images: number }, dense: { total: number; forward: number }): string {
  const summaries = summarizeExperiments(rows);
  const pct = (s: Spread | null) => (s ? formatSpread(s, 2, 100) : "–");
  const ops = (s: Spread | null, of: number) => (s ? `${Math.round(s.mean).toLocaleString("en-US")} (${(s.mean / of).toFixed(2)}×)` : "–");
  const reported = (v: number | null) => (v === null ? "–" : v.toFixed(2));
  const lines = [
    "| run | seeds | validation error (%) | test error (%) | train error (%) | authors' test error (%, full MNIST) | scalar operations / training sample (× the dense step) | forward scalar additions / sample (× the dense forward pass) | its weights in the ReLU MLP: test error (%) | authors' (%) |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const s of summaries) {
    const done = s.seeds.length - s.failures.length;
    const seeds = s.failures.length ? `${done} of ${s.seeds.length} (the others stopped)` : String(done);
    if (done === 0) {
      lines.push(`| ${s.run} | stopped with every seed: ${s.failures[0].replace(/\|/g, "/")} | – | – | – | ${reported(s.reported_test_error)} | – | – | – | ${reported(s.reported_relu_with_these_weights)} |`);
      continue;
    }
    lines.push(
      `| ${s.run} | ${seeds} | ${pct(s.validation_error)} | ${pct(s.test_error)} | ${pct(s.train_error)} | ${reported(s.reported_test_error)} | ${ops(s.scalar_operations_total, dense.total)} | ${ops(s.forward_scalar_additions, dense.forward)} | ${pct(s.relu_with_these_weights_test_error)} | ${reported(s.reported_relu_with_these_weights)} |`,
    );
  }
  const typical = summaries.find((s) => s.test_error)?.test_error?.mean ?? 0.03;
  lines.push(
    "",
    `Mean ± standard deviation over the seeds. One test measurement on ${test.images.toLocaleString("en-US")} images has a standard error of about ${(100 * rateStandardError(typical, test.images)).toFixed(2)} points at ${(100 * typical).toFixed(1)} % error; differences within the seeds' spread are ties. The dense ReLU step is ${dense.total.toLocaleString("en-US")} multiply-adds per sample, its forward pass ${dense.forward.toLocaleString("en-US")}. A spiking run stops when one layer emits more than ${EXPERIMENT_MAX_SPIKES_PER_STEP.toLocaleString("en-US")} spikes in one step (unless the settings give another limit).`,
  );
  return `${lines.join("\n")}\n`;
}
