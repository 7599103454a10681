// `snnkit dsn train | baseline | convert | experiments`: Deep Spiking Networks (O'Connor & Welling 2016):
// registrations of the task and jobs, and their printers.
import type { Command } from "commander";
import { convertJob } from "../tasks/dsn/convert.js";
import type { DsnConfig } from "../tasks/dsn/config.js";
import { experimentsJob } from "../tasks/dsn/experiments_job.js";
import type { DsnEpochMetrics, DsnSampleReport } from "../tasks/dsn/session.js";
import { type DsnResult, dsnTask } from "../tasks/dsn/task.js";
import { registerJob, registerTask, type RunPrinter } from "./commands.js";
import { epochProgress, formatEta } from "./epoch_progress.js";
import type { CliRun } from "./exit_codes.js";

function dsnPrinter(json: boolean): RunPrinter<DsnConfig, DsnSampleReport, DsnEpochMetrics> {
  const progress = epochProgress(json, "epoch {ep} [{bar}] {value}/{total} samples | {sps} samples/s | ETA {eta_f}");
  return {
    start: (c) => console.log(`training the ${c.model === "spiking" ? `spiking MLP (T = ${c.steps}, ${c.update} updates)` : "ReLU MLP"}, layers ${c.layers.join("-")}, ${c.epochs} epochs on ${c.dataset}`),
    progress: (r) =>
      progress.update(r.sample, r.samples, { ep: String(r.epoch + 1), sps: r.samplesPerSecond.toFixed(0), eta_f: formatEta(r.etaSeconds) }, () => `epoch ${r.epoch + 1}: ${r.sample}/${r.samples} samples, ${r.samplesPerSecond.toFixed(0)} samples/s, ETA ${formatEta(r.etaSeconds)}`),
    epoch(m) {
      progress.stop();
      if (!json) console.log(`epoch ${m.epoch}: ${m.validation_error === undefined ? "" : `validation error ${(100 * m.validation_error).toFixed(2)} %, `}test error ${(100 * m.test_error).toFixed(2)} % (${m.seconds.toFixed(1)} s)`);
    },
    stop: progress.stop,
  };
}

function printResult(r: DsnResult, json: boolean): void {
  if (json) return console.log(JSON.stringify({ ...r, history: undefined }));
  const validation = r.validation_error === null ? "" : `validation error ${(100 * r.validation_error).toFixed(2)} %, `;
  console.log(`${r.completed ? "done" : "stopped"}: ${validation}test error ${(100 * r.test_error).toFixed(2)} %, train error ${(100 * r.train_error).toFixed(2)} % after ${r.epochs} epochs, ${r.seconds.toFixed(1)} s`);
  if (r.ops_per_sample) {
    const o = r.ops_per_sample;
    const total = (a: number[]) => a.reduce((s, v) => s + v, 0);
    if (r.model === "spiking")
      console.log(`work per sample: ${total(o.forward_row_additions).toFixed(0)} row additions, ${total(o.backward_column_additions).toFixed(0)} column additions, ${total(o.update_multiply_adds).toFixed(0)} update multiply-adds`);
    console.log(`dense ReLU MLP per sample: ${total(o.dense_forward_multiply_adds) + total(o.dense_backward_multiply_adds) + total(o.dense_update_multiply_adds)} multiply-adds`);
  }
  console.log(`checkpoint: ${r.checkpoint}${r.completed ? "" : " (continue with --resume)"}`);
  console.log(`metrics:    ${r.metrics}\nplot:       ${r.plot}`);
}

/** The spiking MLP's own settings, which the ReLU baseline has not (and its loss, which the spiking MLP has not). */
const SPIKING_ONLY = ["steps", "update", "forwardStart", "backwardStart", "maxSpikesPerStep"] as const;

/** Registers `snnkit dsn` and its subcommands; a run stopped by a signal sets run.exitCode to 130 or 143. */
export function registerDsnCommands(program: Command, run: CliRun): void {
  const dsn = program.command("dsn").description("Deep Spiking Networks: event-driven spiking MLPs that train with spikes (O'Connor & Welling 2016)");
  for (const [name, model, description] of [
    ["train", "spiking", "train the event-driven spiking MLP online on spikes (default: 784-200-200-10, T = 10, on the embedded digits)"],
    ["baseline", "relu", "train the bias-free ReLU MLP the spiking MLP approximates (online SGD on the squared error)"],
  ] as const)
    registerTask(dsn, run, dsnTask, {
      name,
      description,
      fixed: { model },
      omit: model === "spiking" ? ["reluLoss"] : SPIKING_ONLY,
      out: `runs/dsn-${name}`,
      unit: "sample",
      stopsAt: "after the current samples",
      printer: dsnPrinter,
      print: printResult,
    });
  registerJob(dsn, run, convertJob);
  registerJob(dsn, run, experimentsJob, {
    name: "experiments",
    description: "the authors' comparisons over several seeds: ReLU baseline, spiking, fractional, noreset, random-shift, converted weights and a sweep over T",
    out: "runs/dsn-experiments",
    stopsAt: "the experiments (the rows so far are written)",
    print(r, json) {
      if (json) return console.log(JSON.stringify({ rows: r.rows, table: r.files.table, plot: r.files.plot }));
      console.log(`${r.table}\ntable: ${r.files.table}\nplot:  ${r.files.plot}`);
    },
  });
}
