// The comparisons of Deep Spiking Networks (O'Connor & Welling 2016) on one data split: the ReLU baseline,
// the spiking MLP and its variants (fractional updates, noreset forward training, random-shift backward
// herders), the baseline's weights run spiking (ANN → SNN), and a sweep over the steps T.
import { datasetSize, type ImageDataset } from "../../data/dataset.js";
import { SpikingMlp } from "../../dsn/spiking_mlp.js";
import { DivergenceError, LimitError } from "../../errors.js";
import { type DsnConfig, validateDsnConfig } from "./config.js";
import { classificationError, createDsnSession, type DsnSession, trainDsnEpochs } from "./session.js";

/** One row of the comparison. */
export interface DsnExperimentRow {
  run: string;
  steps: number | null;
  test_error: number;
  train_error: number;
  seconds: number;
  /** Per training sample: weight-row additions (forward), column additions (backward), update multiply-adds; null for the ReLU MLP. */
  forward_row_additions: number | null;
  backward_column_additions: number | null;
  update_multiply_adds: number | null;
  /** The authors' test error for this run (full MNIST, %), where they report one for the same epochs. */
  reported_test_error: number | null;
  /** Why the run has no result (it stopped with a LimitError or DivergenceError), else null. */
  failure: string | null;
}

/** The authors' test errors (%, full MNIST): after 4 epochs (their sweep) and after 20. */
export const REPORTED_TEST_ERROR: Record<string, { 4?: number; 20?: number }> = {
  "ReLU baseline": { 4: 3.38, 20: 1.81 },
  "spiking, T = 10": { 4: 3.38, 20: 2.68 },
  "spiking, fractional updates": { 4: 3.1, 20: 2.34 },
  "spiking, noreset forward": { 20: 2.44 },
  "spiking, random-shift backward": { 4: 3.15, 20: 2.76 },
  "ReLU weights run spiking, T = 10": { 20: 1.92 },
  "spiking, T = 5": { 4: 4.41 },
  "spiking, T = 20": { 4: 2.65 },
};

/** Options of the comparison: the shared settings, the sweep's steps and the converted runs' steps. */
export interface DsnExperimentOptions {
  base: DsnConfig;
  sweep: readonly number[];
  convertSteps: readonly number[];
  onProgress?: (run: string, done: number, total: number) => void;
  shouldStop?: () => boolean;
}

const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);

/** The row of a run that stopped with an error. */
function failedRow(name: string, c: DsnConfig, failure: string): DsnExperimentRow {
  return {
    run: name,
    steps: c.steps,
    test_error: Number.NaN,
    train_error: Number.NaN,
    seconds: 0,
    forward_row_additions: null,
    backward_column_additions: null,
    update_multiply_adds: null,
    reported_test_error: REPORTED_TEST_ERROR[name]?.[c.epochs as 4 | 20] ?? null,
    failure,
  };
}

async function trainRun(name: string, c: DsnConfig, train: ImageDataset, test: ImageDataset, o: DsnExperimentOptions): Promise<{ row: DsnExperimentRow; session: DsnSession }> {
  const per = train.imageShape[0] * train.imageShape[1] * train.imageShape[2];
  const s = createDsnSession(c, per, train.classes);
  const n = datasetSize(train) * c.epochs;
  await trainDsnEpochs(s, train, test, {
    onProgress: (r) => o.onProgress?.(name, r.epoch * datasetSize(train) + r.sample, n),
    shouldStop: o.shouldStop,
  });
  const last = s.progress.epochs[s.progress.epochs.length - 1];
  const ops = last?.ops_per_sample;
  const spiking = c.model === "spiking";
  const row: DsnExperimentRow = {
    run: name,
    steps: spiking ? c.steps : null,
    test_error: last ? last.test_error : classificationError(s.net, test),
    train_error: classificationError(s.net, train),
    seconds: s.progress.seconds,
    forward_row_additions: spiking && ops ? sum(ops.forward_row_additions) : null,
    backward_column_additions: spiking && ops ? sum(ops.backward_column_additions) : null,
    update_multiply_adds: spiking && ops ? sum(ops.update_multiply_adds) : null,
    reported_test_error: REPORTED_TEST_ERROR[name]?.[c.epochs as 4 | 20] ?? null,
    failure: null,
  };
  return { row, session: s };
}

/**
 * Runs every comparison with the shared settings `o.base` (its model, steps and herder starts are set per
 * run). When shouldStop turns true, the run in progress stops and the rows so far are returned.
 */
export async function runDsnExperiments(train: ImageDataset, test: ImageDataset, o: DsnExperimentOptions): Promise<DsnExperimentRow[]> {
  const base = validateDsnConfig({ ...o.base, model: "spiking", update: "outer", forwardStart: "reset", backwardStart: "noreset" });
  const rows: DsnExperimentRow[] = [];
  const baseline = await trainRun("ReLU baseline", { ...base, model: "relu" }, train, test, o);
  rows.push(baseline.row);
  const runs: [string, Partial<DsnConfig>][] = [
    [`spiking, T = ${base.steps}`, {}],
    ["spiking, fractional updates", { update: "fractional" }],
    ["spiking, noreset forward", { forwardStart: "noreset" }],
    ["spiking, random-shift backward", { backwardStart: "random-shift" }],
    ...o.sweep.filter((t) => t !== base.steps).map((t): [string, Partial<DsnConfig>] => [`spiking, T = ${t}`, { steps: t }]),
  ];
  for (const [name, change] of runs) {
    if (o.shouldStop?.()) break;
    const c = { ...base, ...change };
    try {
      const { row, session } = await trainRun(name, c, train, test, o);
      session.net.dispose();
      rows.push(row);
    } catch (e) {
      // A run that blows up (runaway spiking, a diverged loss) is a result too: the others go on.
      if (!(e instanceof LimitError || e instanceof DivergenceError)) throw e;
      rows.push(failedRow(name, c, e.message));
    }
  }
  const weights = baseline.session.net.weights();
  for (const steps of o.shouldStop?.() ? [] : o.convertSteps) {
    const name = `ReLU weights run spiking, T = ${steps}`;
    const net = new SpikingMlp(baseline.session.sizes, weights, { steps });
    const t0 = performance.now();
    const testError = classificationError(net, test);
    rows.push({
      run: name,
      steps,
      test_error: testError,
      train_error: classificationError(net, train),
      seconds: (performance.now() - t0) / 1000,
      forward_row_additions: null,
      backward_column_additions: null,
      update_multiply_adds: null,
      reported_test_error: REPORTED_TEST_ERROR[name]?.[base.epochs as 4 | 20] ?? null,
      failure: null,
    });
    net.dispose();
  }
  baseline.session.net.dispose();
  return rows;
}

/** The rows as a Markdown table (errors in %). */
export function experimentTable(rows: readonly DsnExperimentRow[]): string {
  const pct = (v: number | null) => (v === null || Number.isNaN(v) ? "–" : (100 * v).toFixed(2));
  const num = (v: number | null) => (v === null ? "–" : v.toFixed(0));
  const lines = [
    "| run | test error (%) | train error (%) | authors' test error (%) | forward row additions / sample | backward column additions / sample | update multiply-adds / sample | seconds |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows)
    if (r.failure) lines.push(`| ${r.run} | stopped: ${r.failure.replace(/\|/g, "/")} | – | ${r.reported_test_error === null ? "–" : r.reported_test_error.toFixed(2)} | – | – | – | – |`);
    else
      lines.push(
      `| ${r.run} | ${pct(r.test_error)} | ${pct(r.train_error)} | ${r.reported_test_error === null ? "–" : r.reported_test_error.toFixed(2)} | ${num(r.forward_row_additions)} | ${num(r.backward_column_additions)} | ${num(r.update_multiply_adds)} | ${r.seconds.toFixed(1)} |`,
    );
  return `${lines.join("\n")}\n`;
}
