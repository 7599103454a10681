// `snnkit analyze quantize | bounds | resonance`: the LIF as a spike-train quantizer in the Alexiewicz
// norm (Moser & Lunglmayr 2024) as jobs.
import { z } from "zod";
import { choice, finiteNumber as number, integerIn as integer } from "../../io/validate.js";
import { heatMap } from "../../plot/svg.js";
import { MAX_SEED, Rng } from "../../random/rng.js";
import { checkQuantization } from "../../spiketrain/bounds.js";
import { lifQuantize, type QuantizerReset } from "../../spiketrain/lif_quantizer.js";
import { SpikeTrain } from "../../spiketrain/spike_train.js";
import { type Job, schemaSettings } from "../run/job.js";
import { seedList } from "../seeds/spread.js";
import { boundTrials, type BoundTrials, type LifCheck, MAX_BOUND_TRIALS, randomTrain } from "./bound_trials.js";
import { type ResonancePeak, resonanceSurface, resonanceTrials } from "./resonance.js";

const RESETS = ["mod", "subtract", "zero"] as const satisfies readonly QuantizerReset[];
const threshold = number("a number in (0, 1e12]", (x) => x > 0 && x <= 1e12).describe("threshold ϑ");

const quantizeSchema = z.strictObject({
  times: z.array(number("a finite number")).min(1).describe("spike times, strictly increasing, e.g. 1,2,3,4"),
  amplitudes: z.array(number("a finite number")).describe("amplitudes (default all 1)").optional(),
  threshold,
  alpha: number("a number in [0, 1e6]", (x) => x >= 0 && x <= 1e6).describe("leak rate α"),
  reset: choice(RESETS).describe("reset"),
  positiveOnly: z.boolean().describe("emit positive spikes only"),
});
type QuantizeConfig = z.output<typeof quantizeSchema>;

/** The quantizing LIF on one train: its output, residuals, error norm and the bound ϑ. */
export interface QuantizeResult {
  output: { times: number[]; amplitudes: number[] };
  residuals: number[];
  error_norm: number;
  bound: number;
  holds: boolean;
}

/** `analyze quantize`: the quantizing LIF on one spike train, and whether ‖η − LIF(η)‖_A,α < ϑ holds. */
export const quantizeJob: Job<QuantizeConfig, QuantizeResult> = {
  name: "analyze quantize",
  description: "run the quantizing LIF on one spike train: output, residuals, error norm and the bound ϑ",
  ...schemaSettings<QuantizeConfig>(quantizeSchema, { threshold: 1, alpha: 0, reset: "mod", positiveOnly: false }),
  run(c) {
    const eta = SpikeTrain.from(c.times, c.amplitudes);
    const p = { threshold: c.threshold, alpha: c.alpha, reset: c.reset, positiveOnly: c.positiveOnly };
    const r = lifQuantize(eta, p);
    const check = checkQuantization(eta, p);
    return { output: { times: [...r.output.times], amplitudes: [...r.output.amplitudes] }, residuals: [...r.residuals], error_norm: check.measured, bound: check.bound, holds: check.holds };
  },
  summary: (r) =>
    `output spikes: ${r.output.times.map((t, k) => `${r.output.amplitudes[k]}@${t}`).join(", ") || "none"}\nresiduals: ${r.residuals.join(", ")}\n` +
    `‖η − LIF(η)‖_A,α = ${r.error_norm} ${r.holds ? "<" : "≥"} ϑ = ${r.bound}: the quantization bound ${r.holds ? "holds" : "is VIOLATED"}`,
};

const boundsSchema = z.strictObject({
  trials: integer(1, MAX_BOUND_TRIALS).describe("trials per reset mode"),
  seed: integer(0, MAX_SEED).describe("seed"),
});
type BoundsConfig = z.output<typeof boundsSchema>;

/** `analyze bounds`: random trials of every check (the authors' settings), violations counted per reset mode. */
export const boundsJob: Job<BoundsConfig, BoundTrials> = {
  name: "analyze bounds",
  description: "random trials of every check (authors' settings), violations counted per reset mode",
  ...schemaSettings<BoundsConfig>(boundsSchema, { trials: 1000, seed: 0 }),
  run: (c, _context, hooks) => boundTrials(c.trials, c.seed, (done, total) => hooks.progress?.(`analyze bounds: ${c.trials} trials per reset mode`, done, total)),
  summary: (r) =>
    [
      `violations out of ${r.trials} per reset mode (closest approach: the largest measured / bound)`,
      ...Object.entries(r.violations).map(
        ([reset, v]) => `${reset.padEnd(9)} ${Object.entries(v).map(([k, n]) => `${k} ${n} (${percentBelow(r.closest[reset as QuantizerReset][k as LifCheck])} %)`).join(", ")}`,
      ),
      `time delay of the input alone (no LIF, the same for every reset): ${r.time_delay_norm.violations} (${percentBelow(r.time_delay_norm.closest)} %).`,
      "The delayed-output and Lipschitz bounds hold here for every reset: they catch a quantizer that amplifies differences, not the reset modes' difference.",
    ].join("\n"),
};

const resonanceSchema = z.strictObject({
  threshold,
  thresholds: z.array(number("a number in (0, 1e6]", (t) => t > 0 && t <= 1e6)).min(1).describe("several thresholds, e.g. 0.2,0.3,1 (instead of --threshold)").optional(),
  trains: integer(1, 10_000).describe("random trains η (seeds --seed, --seed + 1, …); heat maps are drawn for the first"),
  seed: integer(0, MAX_SEED).describe("seed of the (first) random train η (authors' settings)"),
});
type ResonanceConfig = z.output<typeof resonanceSchema>;

/** Per reset mode and threshold: in how many trains the worst error peaks at an intermediate α. */
export interface ResonanceSummary {
  reset: QuantizerReset;
  threshold: number;
  trains: number;
  interior_peaks: number;
  peak_alphas: number[];
  worst_error: number;
  largest_interior_peak: ResonancePeak | null;
}

/** `analyze resonance`: the error surface ‖LIF(η + ν_p) − LIF(η)‖ over α and p per reset mode (JSON + heat maps), and its peaks over random trains. */
export const resonanceJob: Job<ResonanceConfig, { summary: ResonanceSummary[]; files: Record<string, string> }> = {
  name: "analyze resonance",
  description:
    "error surface ‖LIF(η + ν_p) − LIF(η)‖ over α ∈ [0, 10] and p ∈ [0, 1] per reset mode: JSON + heat maps; with --trains N, in how many random trains the worst error peaks at an intermediate α",
  ...schemaSettings<ResonanceConfig>(resonanceSchema, { threshold: 1, trains: 1, seed: 0 }),
  run(c, { store }) {
    const thresholds = c.thresholds ?? [c.threshold];
    const seeds = seedList(c.seed, c.trains);
    const eta = randomTrain(new Rng(c.seed));
    const surfaces = thresholds.flatMap((t) => RESETS.map((reset) => ({ threshold: t, ...resonanceSurface(eta, t, reset) })));
    const rows = resonanceTrials((seed) => randomTrain(new Rng(seed)), seeds, thresholds, {});
    store.write("resonance.json", `${JSON.stringify({ thresholds, seeds, eta: { times: [...eta.times], amplitudes: [...eta.amplitudes] }, surfaces, trials: rows }, null, 1)}\n`);
    const files: Record<string, string> = { data: store.where("resonance.json") };
    for (const s of surfaces) {
      const key = thresholds.length > 1 ? `${s.reset}_${s.threshold}` : s.reset;
      store.write(`resonance_${key}.svg`, heatMap(s.error, s.ps, s.alphas, { title: `reset ${s.reset}, ϑ = ${s.threshold}, train seed ${c.seed}`, xLabel: "p", yLabel: "α", valueLabel: "error" }));
      files[key] = store.where(`resonance_${key}.svg`);
    }
    const summary = rows.map((r) => {
      const inside = r.peaks.filter((p) => p.interior);
      return {
        reset: r.reset,
        threshold: r.threshold,
        trains: r.trains,
        interior_peaks: r.interior,
        peak_alphas: inside.map((p) => p.peakAlpha),
        worst_error: Math.max(...r.peaks.map((p) => p.peakError)),
        largest_interior_peak: inside.length ? inside.reduce((a, b) => (b.peakError > a.peakError ? b : a)) : null,
      };
    });
    return { summary, files };
  },
  summary: (r) =>
    [
      ...r.summary.map((s) => {
        const peak = s.largest_interior_peak;
        const where = peak
          ? `; at α ∈ [${Math.min(...s.peak_alphas)}, ${Math.max(...s.peak_alphas)}], highest ${peak.peakError.toFixed(3)} at α = ${peak.peakAlpha} (ends ${peak.atZero.toFixed(3)}, ${peak.atMax.toFixed(3)})`
          : "";
        return `${s.reset.padEnd(9)} ϑ = ${s.threshold}: worst error peaks at an intermediate α in ${s.interior_peaks} of ${s.trains} trains${where}`;
      }),
      ...Object.entries(r.files).map(([k, v]) => `${k}: ${v}`),
    ].join("\n"),
};

/** A ratio as a percentage rounded down to 0.1 (so that 0.9999 of a bound does not print as 100 %). */
function percentBelow(ratio: number): string {
  return (Math.floor(1000 * ratio) / 10).toFixed(1);
}
