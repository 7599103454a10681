// `snnkit analyze quantize | bounds`: the LIF as a spike-train quantizer (Moser & Lunglmayr 2024; docs/spike-trains.md).
import { type Command, Option } from "commander";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { heatMap } from "../plot/svg.js";
import { Rng } from "../random/rng.js";
import { checkQuantization } from "../spiketrain/bounds.js";
import { resonanceSurface, resonanceTrials } from "../tasks/spiketrain/resonance.js";
import { seedList } from "../tasks/seeds/spread.js";
import { boundTrials, type LifCheck, MAX_BOUND_TRIALS, randomTrain } from "../tasks/spiketrain/bound_trials.js";
import { lifQuantize, type QuantizerReset } from "../spiketrain/lif_quantizer.js";
import { SpikeTrain } from "../spiketrain/spike_train.js";
import { intFlag, nonNegativeFlag, numberList, pathFlag, positiveFlag, seedFlag } from "./flags.js";
import { stderrProgress } from "./progress.js";

/** A ratio as a percentage rounded down to 0.1 (so that 0.9999 of a bound does not print as 100 %). */
function percentBelow(ratio: number): string {
  return (Math.floor(1000 * ratio) / 10).toFixed(1);
}

/** Registers `snnkit analyze`. */
export function registerAnalyzeCommands(program: Command): void {
  const analyze = program.command("analyze").description("LIF neurons as spike-train quantizers in the Alexiewicz norm (Moser & Lunglmayr 2024)");
  analyze
    .command("quantize")
    .description("run the quantizing LIF on one spike train: output, residuals, error norm and the bound ϑ")
    .requiredOption("--times <list>", "spike times, strictly increasing, e.g. 1,2,3,4", numberList("--times"))
    .option("--amplitudes <list>", "amplitudes (default all 1)", numberList("--amplitudes"))
    .option("--threshold <ϑ>", "threshold", positiveFlag("--threshold"), 1)
    .option("--alpha <α>", "leak rate", nonNegativeFlag("--alpha", 1e6), 0)
    .addOption(new Option("--reset <mode>", "reset").choices(["mod", "subtract", "zero"]).default("mod"))
    .option("--positive-only", "emit positive spikes only", false)
    .option("--json", "print one JSON object", false)
    .action((f: { times: number[]; amplitudes?: number[]; threshold: number; alpha: number; reset: QuantizerReset; positiveOnly: boolean; json: boolean }) => {
      const eta = SpikeTrain.from(f.times, f.amplitudes);
      const p = { threshold: f.threshold, alpha: f.alpha, reset: f.reset, positiveOnly: f.positiveOnly };
      const r = lifQuantize(eta, p);
      const c = checkQuantization(eta, p);
      const out = {
        output: { times: [...r.output.times], amplitudes: [...r.output.amplitudes] },
        residuals: [...r.residuals],
        error_norm: c.measured,
        bound: c.bound,
        holds: c.holds,
      };
      if (f.json) {
        console.log(JSON.stringify(out));
        return;
      }
      console.log(`output spikes: ${out.output.times.map((t, k) => `${out.output.amplitudes[k]}@${t}`).join(", ") || "none"}`);
      console.log(`residuals: ${out.residuals.join(", ")}`);
      console.log(`‖η − LIF(η)‖_A,α = ${c.measured} ${c.holds ? "<" : "≥"} ϑ = ${c.bound}: the quantization bound ${c.holds ? "holds" : "is VIOLATED"}`);
    });
  analyze
    .command("bounds")
    .description("random trials of every check (authors' settings), violations counted per reset mode")
    .option("--trials <n>", "trials per reset mode", intFlag("--trials", 1, MAX_BOUND_TRIALS), 1000)
    .option("--seed <n>", "seed", seedFlag(), 0)
    .option("--json", "print one JSON object", false)
    .action((f: { trials: number; seed: number; json: boolean }) => {
      const r = boundTrials(f.trials, f.seed, stderrProgress(`analyze bounds: ${f.trials} trials per reset mode`));
      if (f.json) {
        console.log(JSON.stringify(r));
        return;
      }
      console.log(`violations out of ${r.trials} per reset mode (closest approach: the largest measured / bound)`);
      for (const [reset, v] of Object.entries(r.violations))
        console.log(`${reset.padEnd(9)} ${Object.entries(v).map(([k, n]) => `${k} ${n} (${percentBelow(r.closest[reset as QuantizerReset][k as LifCheck])} %)`).join(", ")}`);
      console.log(
        `time delay of the input alone (no LIF, the same for every reset): ${r.time_delay_norm.violations} (${percentBelow(r.time_delay_norm.closest)} %).\n` +
          "The delayed-output and Lipschitz bounds hold here for every reset: they catch a quantizer that amplifies differences, not the reset modes' difference.",
      );
    });
  analyze
    .command("resonance")
    .description("error surface ‖LIF(η + ν_p) − LIF(η)‖ over α ∈ [0, 10] and p ∈ [0, 1] per reset mode: JSON + heat maps; with --trains N, in how many random trains the worst error peaks at an intermediate α")
    .option("--out <dir>", "output directory", pathFlag("--out"), "runs/resonance")
    .option("--threshold <ϑ>", "threshold (or --thresholds)", positiveFlag("--threshold"), 1)
    .option("--thresholds <list>", "several thresholds, e.g. 0.2,0.3,1", numberList("--thresholds", (t) => t > 0 && t <= 1e6, "a number in (0, 1e6]"))
    .option("--trains <n>", "random trains η (seeds --seed, --seed + 1, …); heat maps are drawn for the first", intFlag("--trains", 1, 10_000), 1)
    .option("--seed <n>", "seed of the (first) random train η (authors' settings)", seedFlag(), 0)
    .option("--json", "print one JSON object", false)
    .action((f: { out: string; threshold: number; thresholds?: number[]; trains: number; seed: number; json: boolean }) => {
      const dir = resolve(f.out);
      mkdirSync(dir, { recursive: true });
      const thresholds = f.thresholds ?? [f.threshold];
      const seeds = seedList(f.seed, f.trains);
      const eta = randomTrain(new Rng(f.seed));
      const files: Record<string, string> = { data: join(dir, "resonance.json") };
      const surfaces = thresholds.flatMap((threshold) => (["mod", "subtract", "zero"] as const).map((reset) => resonanceSurface(eta, threshold, reset)));
      const rows = resonanceTrials((seed) => randomTrain(new Rng(seed)), seeds, thresholds, {});
      writeFileSync(
        files.data,
        `${JSON.stringify({ thresholds, seeds, eta: { times: [...eta.times], amplitudes: [...eta.amplitudes] }, surfaces: surfaces.map((s, i) => ({ threshold: thresholds[Math.floor(i / 3)], ...s })), trials: rows }, null, 1)}\n`,
      );
      surfaces.forEach((s, i) => {
        const threshold = thresholds[Math.floor(i / 3)];
        const key = thresholds.length > 1 ? `${s.reset}_${threshold}` : s.reset;
        files[key] = join(dir, `resonance_${key}.svg`);
        writeFileSync(files[key], heatMap(s.error, s.ps, s.alphas, { title: `reset ${s.reset}, ϑ = ${threshold}, train seed ${f.seed}`, xLabel: "p", yLabel: "α", valueLabel: "error" }));
      });
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
      if (f.json) {
        console.log(JSON.stringify({ summary, files }));
        return;
      }
      for (const s of summary) {
        const where = s.largest_interior_peak
          ? `; at α ∈ [${Math.min(...s.peak_alphas)}, ${Math.max(...s.peak_alphas)}], highest ${s.largest_interior_peak.peakError.toFixed(3)} at α = ${s.largest_interior_peak.peakAlpha} (ends ${s.largest_interior_peak.atZero.toFixed(3)}, ${s.largest_interior_peak.atMax.toFixed(3)})`
          : "";
        console.log(`${s.reset.padEnd(9)} ϑ = ${s.threshold}: worst error peaks at an intermediate α in ${s.interior_peaks} of ${s.trains} trains${where}`);
      }
      for (const [k, v] of Object.entries(files)) console.log(`${k}: ${v}`);
    });
}
