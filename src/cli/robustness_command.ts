// `snnkit robustness`: trained networks under noise, adversarial attacks and spike-level perturbations.
import { type Command, InvalidArgumentError, Option } from "commander";
import { type CheckpointModel, modelName, robustnessPaper, robustnessToDirectory, type RobustnessRunResult } from "../node/robustness_run.js";
import { ATTACK_NAMES, ATTACKS, type AttackName, type AttackSweep, parseRange, sweep } from "../tasks/robustness/attacks.js";
import { PAPER_TEST_IMAGES } from "../tasks/robustness/paper.js";
import { verdictLines } from "../tasks/robustness/seed_groups.js";
import { formatSpread } from "../tasks/seeds/spread.js";
import { ValueError } from "../errors.js";
import type { CliRun } from "./exit_codes.js";
import { intFlag, pathFlag, seedFlag } from "./flags.js";
import { stopOnSignals } from "./signals.js";

interface RobustnessFlags {
  checkpoint: CheckpointModel[];
  preset?: "paper";
  attack: AttackName[];
  range?: string;
  limitTest?: number;
  batchSize: number;
  epochs: number;
  seeds: number;
  seed: number;
  out: string;
  json: boolean;
}

/**
 * "[name=]path" → a checkpoint and its name (default: the run directory's name), collected over repeats.
 * An "=" after a path separator belongs to the path.
 */
function checkpointFlag(v: string, previous: CheckpointModel[]): CheckpointModel[] {
  const eq = v.indexOf("=");
  const named = eq >= 0 && !/[/\\]/.test(v.slice(0, eq));
  const [name, path] = named ? [v.slice(0, eq), v.slice(eq + 1)] : [modelName(v), v];
  if (path.trim() === "" || name.trim() === "") throw new InvalidArgumentError(`--checkpoint must be [name=]path, got "${v}"`);
  return [...previous, { name, checkpoint: path }];
}

/** The sweeps the flags ask for: every attack (or the --attack ones) over its standard range, or one attack over --range. */
function sweepsOf(f: RobustnessFlags): AttackSweep[] {
  const attacks = f.attack.length > 0 ? f.attack : [...ATTACK_NAMES];
  if (f.range !== undefined) {
    if (attacks.length !== 1) throw new ValueError("--range", "exactly one --attack (--range needs exactly one --attack)", `${attacks.length} attacks`);
    return [{ attack: attacks[0], strengths: parseRange(f.range) }];
  }
  return attacks.map((attack) => ({ attack, strengths: sweep(...ATTACKS[attack].range) }));
}

/** Registers `snnkit robustness`. */
export function registerRobustnessCommand(program: Command, run: CliRun): void {
  program
    .command("robustness")
    .description("evaluate trained networks under input noise, FGSM, an L2 attack, spike deletion/insertion and membrane noise; --preset paper trains an SNN and an NSNN of two architectures and compares them")
    .option("--checkpoint <[name=]path>", "a checkpoint of snnkit train (repeat for several networks)", checkpointFlag, [])
    .addOption(new Option("--preset <name>", "train and compare the paper's networks (deterministic and noisy, mlp and conv)").choices(["paper"]))
    .option("--attack <name>", `an attack (repeat; default all): ${ATTACK_NAMES.join(", ")}`, (v: string, prev: AttackName[]) => {
      if (!(ATTACK_NAMES as readonly string[]).includes(v)) throw new InvalidArgumentError(`--attack must be one of ${ATTACK_NAMES.join(", ")}, got "${v}"`);
      return [...prev, v as AttackName];
    }, [])
    .option("--range <start:end:step>", "strengths of the one --attack (default: its standard range)")
    .option("--limit-test <n>", `sweep over the first n test images (default: all; ${PAPER_TEST_IMAGES} for --preset paper)`, intFlag("--limit-test", 1, 100_000_000))
    .option("--batch-size <n>", "images per batch", intFlag("--batch-size", 1, 65_536), 250)
    .option("--epochs <n>", "--preset paper: training epochs of each network", intFlag("--epochs", 1, 10_000), 3)
    .option("--seeds <n>", "--preset paper: networks per model, trained with seeds 0 … n − 1 (curves and areas as mean ± sd; a gain only beyond the seeds' spread)", intFlag("--seeds", 1, 100), 3)
    .option("--seed <n>", "seed of every perturbation", seedFlag(), 0)
    .option("--out <dir>", "directory of robustness.json and the plots (the preset's networks go to <dir>/models)", pathFlag("--out"), "runs/robustness")
    .option("--json", "print one JSON object at the end instead of the table", false)
    .action(async (f: RobustnessFlags) => {
      if ((f.preset === undefined) === (f.checkpoint.length === 0))
        throw new ValueError("--checkpoint / --preset", "one or more --checkpoint, or --preset paper (not both)", f.preset ? "both" : "neither");
      const sweeps = sweepsOf(f);
      const log = f.json ? console.error : console.log;
      const onPoint = (p: { model: string; attack: string; strength: number; accuracy: number; loss: number; done: number; total: number }) =>
        log(`[${p.done}/${p.total}] ${p.model} ${p.attack} ${ATTACKS[p.attack as AttackName].strength} = ${p.strength}: accuracy ${(100 * p.accuracy).toFixed(1)} %, loss ${p.loss.toFixed(3)}`);
      let result: RobustnessRunResult | null;
      if (f.preset === "paper") {
        const signals = stopOnSignals("after this batch");
        try {
          result = await robustnessPaper({
            outDir: f.out,
            epochs: f.epochs,
            seeds: f.seeds,
            sweeps,
            testLimit: f.limitTest ?? PAPER_TEST_IMAGES,
            seed: f.seed,
            onPoint,
            onTrain: (name) => {
              log(`training ${name} (${f.epochs} epochs; a finished network is reused)`);
              return {
                onEpoch: (m) => log(`  ${name} epoch ${m.epoch}: test accuracy ${(100 * m.test_accuracy).toFixed(2)} %, ${m.seconds.toFixed(1)} s`),
                shouldStop: () => signals.stopped() !== null,
              };
            },
          });
        } finally {
          signals.remove();
        }
        if (result === null) {
          run.exitCode = signals.exitCode() ?? run.exitCode;
          log("stopped while training; run the same command again to continue");
          return;
        }
      } else result = await robustnessToDirectory({ models: f.checkpoint, sweeps, outDir: f.out, testLimit: f.limitTest ?? 0, seed: f.seed, batchSize: f.batchSize, onPoint });
      if (f.json) {
        console.log(
          JSON.stringify({
            results: result.results,
            plots: result.plots,
            models: result.models,
            areas: Object.fromEntries(result.attacks.map((a) => [a.attack, Object.fromEntries(a.curves.map((c) => [c.model, c.area]))])),
            clean: result.clean,
            group_areas: Object.fromEntries(result.grouped.map((g) => [g.attack, Object.fromEntries(g.groups.map((c) => [c.group, c.area]))])),
            verdicts: result.verdicts,
          }),
        );
        return;
      }
      const seeded = result.grouped.some((g) => g.groups.some((c) => c.models.length > 1));
      console.log(`\nclean test accuracy: ${result.clean.map((c) => `${c.group} ${formatSpread(c.accuracy, 2, 100)} %`).join(", ")}\n`);
      console.log(seeded ? result.groupTable : result.table);
      if (result.verdicts.length > 0) console.log(`${verdictLines(result.verdicts).join("\n")}\n`);
      console.log(`results: ${result.results}`);
      console.log(`plots:   ${Object.values(result.plots).join("\n         ")}`);
    });
}
