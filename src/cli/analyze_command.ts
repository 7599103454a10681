// `snnkit analyze quantize | bounds | resonance`: registrations of the spike-train jobs (Moser &
// Lunglmayr 2024; docs/spike-trains.md) and their printers.
import type { Command } from "commander";
import type { LifCheck } from "../tasks/spiketrain/bound_trials.js";
import { boundsJob, quantizeJob, resonanceJob } from "../tasks/spiketrain/analyze_jobs.js";
import { distanceJob } from "../tasks/spiketrain/distance_job.js";
import type { QuantizerReset } from "../spiketrain/lif_quantizer.js";
import { registerJob } from "./commands.js";
import type { CliRun } from "./exit_codes.js";

/** A ratio as a percentage rounded down to 0.1 (so that 0.9999 of a bound does not print as 100 %). */
function percentBelow(ratio: number): string {
  return (Math.floor(1000 * ratio) / 10).toFixed(1);
}

/** Registers `snnkit analyze`. */
export function registerAnalyzeCommands(program: Command, run: CliRun): void {
  const analyze = program.command("analyze").description("LIF neurons as spike-train quantizers in the Alexiewicz norm (Moser & Lunglmayr 2024)");
  registerJob(analyze, run, quantizeJob, {
    name: "quantize",
    description: "run the quantizing LIF on one spike train: output, residuals, error norm and the bound ϑ",
    print(r, json) {
      if (json) return console.log(JSON.stringify(r));
      console.log(`output spikes: ${r.output.times.map((t, k) => `${r.output.amplitudes[k]}@${t}`).join(", ") || "none"}`);
      console.log(`residuals: ${r.residuals.join(", ")}`);
      console.log(`‖η − LIF(η)‖_A,α = ${r.error_norm} ${r.holds ? "<" : "≥"} ϑ = ${r.bound}: the quantization bound ${r.holds ? "holds" : "is VIOLATED"}`);
    },
  });
  registerJob(analyze, run, boundsJob, {
    name: "bounds",
    description: "random trials of every check (authors' settings), violations counted per reset mode",
    print(r, json) {
      if (json) return console.log(JSON.stringify(r));
      console.log(`violations out of ${r.trials} per reset mode (closest approach: the largest measured / bound)`);
      for (const [reset, v] of Object.entries(r.violations))
        console.log(`${reset.padEnd(9)} ${Object.entries(v).map(([k, n]) => `${k} ${n} (${percentBelow(r.closest[reset as QuantizerReset][k as LifCheck])} %)`).join(", ")}`);
      console.log(
        `time delay of the input alone (no LIF, the same for every reset): ${r.time_delay_norm.violations} (${percentBelow(r.time_delay_norm.closest)} %).\n` +
          "The delayed-output and Lipschitz bounds hold here for every reset: they catch a quantizer that amplifies differences, not the reset modes' difference.",
      );
    },
  });
  registerJob(analyze, run, resonanceJob, {
    name: "resonance",
    description: "error surface ‖LIF(η + ν_p) − LIF(η)‖ over α ∈ [0, 10] and p ∈ [0, 1] per reset mode: JSON + heat maps; with --trains N, in how many random trains the worst error peaks at an intermediate α",
    out: "runs/resonance",
    print(r, json) {
      if (json) return console.log(JSON.stringify(r));
      for (const s of r.summary) {
        const peak = s.largest_interior_peak;
        const where = peak
          ? `; at α ∈ [${Math.min(...s.peak_alphas)}, ${Math.max(...s.peak_alphas)}], highest ${peak.peakError.toFixed(3)} at α = ${peak.peakAlpha} (ends ${peak.atZero.toFixed(3)}, ${peak.atMax.toFixed(3)})`
          : "";
        console.log(`${s.reset.padEnd(9)} ϑ = ${s.threshold}: worst error peaks at an intermediate α in ${s.interior_peaks} of ${s.trains} trains${where}`);
      }
      for (const [k, v] of Object.entries(r.files)) console.log(`${k}: ${v}`);
    },
  });
  registerJob(analyze, run, distanceJob);
}
