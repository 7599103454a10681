// `snnkit train`, `eval`, `export` and `predict`: registrations of the training task and its jobs, and their printers.
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { decimal } from "../io/validate.js";
import type { BatchReport } from "../tasks/train/loop.js";
import { evaluateJob } from "../tasks/train/evaluate_job.js";
import { exportJob, predictJob } from "../tasks/train/predict_job.js";
import type { EpochMetrics } from "../tasks/train/session.js";
import { type TrainResult, trainTask } from "../tasks/train/task.js";
import type { TrainConfig } from "../tasks/train/config.js";
import { registerJob, registerTask, type RunPrinter } from "./commands.js";
import { epochProgress, formatEta } from "./epoch_progress.js";
import type { CliRun } from "./exit_codes.js";

/** "name" or "name:param", e.g. "fast_sigmoid:25". */
const surrogateCodec = {
  placeholder: "name[:param]",
  parse(v: string): { name: string; param?: number } {
    const [name, param, ...extra] = v.split(":");
    if (extra.length > 0) throw new InvalidArgumentError(`--surrogate must be name or name:param, got "${v}" (one parameter at most)`);
    return param === undefined ? { name } : { name, param: decimal(param) };
  },
};

/** Progress output: a bar on a terminal; otherwise plain lines at each quarter of an epoch and at its end (nothing with --json). */
function trainPrinter(json: boolean): RunPrinter<TrainConfig, BatchReport, EpochMetrics> {
  const progress = epochProgress(json, "epoch {ep} [{bar}] {value}/{total} | loss {loss} | acc {acc} | {sps} samples/s | ETA {eta_f}");
  return {
    start: (c) =>
      console.log(
        `training ${c.model === "nir" ? `the network of ${c.fromNir ?? "a NIR file"} (dt = ${c.nirDt ?? 1e-4} s, ${c.nirMethod ?? "euler"}; NIR stores no dt)` : `${c.model} (${c.neuron}${c.substeps ? `, as continuous-time LIF on ${c.substeps} substeps per step` : ""})`}, T = ${c.steps}, ` +
          `${c.encoding} input, ${c.epochs} epochs on ${c.dataset}${c.initFrom ? `, from the weights of ${c.initFrom}` : ""}`,
      ),
    progress(r) {
      progress.update(
        r.batch,
        r.batches,
        { ep: String(r.epoch + 1), loss: r.loss.toFixed(4), acc: (100 * r.accuracy).toFixed(1), sps: r.samplesPerSecond.toFixed(0), eta_f: formatEta(r.etaSeconds) },
        () =>
          `epoch ${r.epoch + 1}: batch ${r.batch}/${r.batches}, loss ${r.loss.toFixed(4)}, acc ${(100 * r.accuracy).toFixed(1)} %, ` +
          `${r.samplesPerSecond.toFixed(0)} samples/s, ETA ${formatEta(r.etaSeconds)}`,
      );
    },
    epoch(m) {
      progress.stop();
      if (json) return;
      console.log(
        `epoch ${m.epoch}: train loss ${m.train_loss.toFixed(4)}, train acc ${(100 * m.train_accuracy).toFixed(2)} %, ` +
          `${m.validation_accuracy === undefined ? "" : `validation acc ${(100 * m.validation_accuracy).toFixed(2)} %, `}test acc ${(100 * m.test_accuracy).toFixed(2)} %, ${m.seconds.toFixed(1)} s, lr ${m.lr.toExponential(2)}`,
      );
    },
    stop: progress.stop,
  };
}

function printTrainResult(r: TrainResult, json: boolean): void {
  if (json) return console.log(JSON.stringify({ ...r, history: undefined }));
  const validation = r.validation_accuracy === null ? "" : `validation accuracy ${(100 * r.validation_accuracy).toFixed(2)} %, `;
  console.log(`${r.completed ? "done" : "stopped"}: ${validation}test accuracy ${(100 * r.test_accuracy).toFixed(2)} % after ${r.epochs} epochs, ${r.seconds.toFixed(1)} s`);
  console.log(`checkpoint: ${r.checkpoint}${r.completed ? "" : " (continue with --resume)"}`);
  console.log(`metrics:    ${r.metrics}`);
  console.log(`plots:      ${r.plots.training_curve}\n            ${r.plots.raster}`);
}

/** Registers `snnkit train`, `eval`, `export` and `predict`; a run stopped by SIGINT or SIGTERM sets run.exitCode to 130 or 143. */
export function registerTrainCommands(program: Command, run: CliRun): void {
  registerTask(program, run, trainTask, {
    name: "train",
    description: "train a spiking network with surrogate gradients (default: coarse-LIF LeNet on the embedded MNIST digits)",
    codecs: { surrogate: surrogateCodec },
    omit: ["network"],
    out: "runs/latest",
    unit: "batch",
    stopsAt: "after this batch",
    printer: trainPrinter,
    print: printTrainResult,
  });
  registerJob(program, run, evaluateJob, {
    name: "eval",
    description: "accuracy of a trained checkpoint on its test data",
    print(r, json) {
      const out = { [`${r.split}_accuracy`]: r.accuracy, epochs: r.epochs, seconds: r.seconds, checkpoint: r.checkpoint, [`${r.split}_images`]: r.images };
      if (json) console.log(JSON.stringify(out));
      else console.log(`${r.split} accuracy ${(100 * r.accuracy).toFixed(2)} % on ${r.images} images (${r.epochs} epochs trained)`);
    },
  });
  registerJob(program, run, exportJob);
  registerJob(program, run, predictJob, { codecs: { input: { placeholder: "file", repeatable: true, parse: (t: string) => t } } });
}
