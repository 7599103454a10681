// The one-layer sweeps of Adam 2022: error against examples and exposure, and against spike-time jitter.
import { linePlot } from "../../plot/svg.js";
import { runOneLayer } from "./one_layer_experiment.js";
import { runTwoLayer } from "../../tem/two_layer.js";

/** One measured point of a sweep. */
export interface SweepPoint {
  examples: number;
  exposure: number;
  jitter: number;
  error: number;
  determined: boolean;
  spikes: number;
}

/** Results of the one-layer sweeps and their plots (SVG strings). */
export interface OneLayerSweeps {
  examples: SweepPoint[];
  jitter: SweepPoint[];
  plots: { examples: string; jitter: string };
}

function point(examples: number, exposure: number, jitter: number, seed: number): SweepPoint {
  const r = runOneLayer({ examples, exposure, jitter, seed });
  return { examples, exposure, jitter, error: r.error, determined: r.determined, spikes: r.spikes };
}

/**
 * Error ‖W_learned − W_true‖_F (20 → 5) for 1…8 examples at exposures 3 and 9, and for jitter
 * σ ∈ {1e-6, …, 1e-1} with 64 examples at exposure 9 (`quick`: fewer points, 16 examples).
 */
export function oneLayerSweeps(seed = 0, quick = false): OneLayerSweeps {
  const counts = quick ? [1, 2, 5] : [1, 2, 3, 4, 5, 6, 8];
  const examples = [3, 9].flatMap((exposure) => counts.map((n) => point(n, exposure, 0, seed)));
  const sigmas = quick ? [1e-5, 1e-3, 1e-1] : [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1];
  const jitter = sigmas.map((s) => point(quick ? 16 : 64, 9, s, seed));
  const log = (v: number) => Math.log10(Math.max(v, 1e-16));
  return {
    examples,
    jitter,
    plots: {
      examples: linePlot(
        [3, 9].map((exposure) => {
          const pts = examples.filter((p) => p.exposure === exposure);
          return { label: `exposure ${exposure}`, x: pts.map((p) => p.examples), y: pts.map((p) => log(p.error)) };
        }),
        { title: "one-layer TEM training, 20 → 5", xLabel: "examples", yLabel: "log10 ‖W − W_true‖_F" },
      ),
      jitter: linePlot(
        [{ label: `${jitter[0]?.examples ?? 0} examples, exposure 9`, x: jitter.map((p) => log(p.jitter)), y: jitter.map((p) => log(p.error)) }],
        { title: "error against spike-time jitter", xLabel: "log10 σ", yLabel: "log10 ‖W − W_true‖_F" },
      ),
    },
  };
}

/** Median errors of two-layer recovery over `trials` seeds at each exposure. */
export interface TwoLayerSweepRow {
  exposure: number;
  trials: number;
  median_error_w1: number;
  median_error_w2: number;
  /** Trials with both errors below 1e-6 (exact recovery up to permutation). */
  exact: number;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

/**
 * The two-layer sweep of Adam 2022: median errors over `trials` trials (default 50) at exposures 10, 26, 28, 38;
 * `onProgress(done, total)` after each trial.
 */
export function twoLayerSweep(
  exposures: readonly number[] = [10, 26, 28, 38],
  trials = 50,
  seed = 0,
  onProgress?: (done: number, total: number) => void,
): { rows: TwoLayerSweepRow[]; plot: string } {
  let done = 0;
  const rows = exposures.map((exposure) => {
    const runs = Array.from({ length: trials }, (_, k) => {
      const r = runTwoLayer({ exposure, seed: seed + k });
      onProgress?.(++done, exposures.length * trials);
      return r;
    });
    return {
      exposure,
      trials,
      median_error_w1: median(runs.map((r) => r.error_w1)),
      median_error_w2: median(runs.map((r) => r.error_w2)),
      exact: runs.filter((r) => r.error_w1 < 1e-6 && r.error_w2 < 1e-6).length,
    };
  });
  const log = (v: number) => Math.log10(Math.max(v, 1e-16));
  const plot = linePlot(
    [
      { label: "W₁ (median)", x: rows.map((r) => r.exposure), y: rows.map((r) => log(r.median_error_w1)) },
      { label: "W₂ (median)", x: rows.map((r) => r.exposure), y: rows.map((r) => log(r.median_error_w2)) },
    ],
    { title: `two-layer TEM recovery, 2 → 2 → 4, ${trials} trials`, xLabel: "exposure", yLabel: "log10 error" },
  );
  return { rows, plot };
}
