// `snnkit transfer`: a trained coarse-LIF network run by continuous-time LIF neurons, beside the coarse network.
import { type Command, Option } from "commander";
import { EVALUATION_SPLITS, type EvaluationSplit, loadEvaluationData, loadSession } from "../node/run_dir.js";
import { TRANSFER_ENGINES, type TransferEngine, transferAccuracy } from "../tasks/transfer/transfer.js";
import { FIRING_RULES, type FiringRule, SPREADS, type Spread } from "../transfer/continuous_lif.js";
import { intFlag, pathFlag, seedFlag } from "./flags.js";

interface TransferFlags {
  checkpoint: string;
  engine: TransferEngine;
  substeps: number;
  steps?: number;
  spread: Spread;
  fire: FiringRule;
  limitTest?: number;
  split: EvaluationSplit;
  seed: number;
  json: boolean;
}

/** Registers `snnkit transfer`. */
export function registerTransferCommand(program: Command): void {
  program
    .command("transfer")
    .description("run a trained coarse-LIF network (snnkit train) with continuous-time LIF neurons and compare its accuracy and spikes with the coarse network's")
    .requiredOption("--checkpoint <path>", "checkpoint of snnkit train with coarse-LIF neurons", pathFlag("--checkpoint"))
    .addOption(new Option("--engine <name>", "event: exact, event by event; stepped: k substeps per step on the tensor engine (even spreading; the same spikes, faster)").choices(TRANSFER_ENGINES).default("event"))
    .option("--substeps <k>", "impulses that carry one step's analog input", intFlag("--substeps", 1, 100_000), 16)
    .addOption(new Option("--spread <how>", "timing of those impulses within the step").choices(SPREADS).default("even"))
    .addOption(new Option("--fire <rule>", "crossing: the continuous LIF fires as soon as v ≥ 1; step-end: only at step ends (the coarse rule; a diagnostic)").choices(FIRING_RULES).default("crossing"))
    .option("--steps <T>", "steps per image (default: the checkpoint's)", intFlag("--steps", 1, 10_000))
    .option("--limit-test <n>", "use only the first n images (0: all; default: the checkpoint's test data)", intFlag("--limit-test", 0, 100_000_000))
    .addOption(new Option("--split <name>", "the images: test, or the validation images the run held out of training (to make choices on)").choices(EVALUATION_SPLITS).default("test"))
    .option("--seed <n>", "seed of rate coding and of uniform timings", seedFlag(), 0)
    .option("--json", "print one JSON object", false)
    .action((f: TransferFlags) => {
      const t0 = performance.now();
      const session = loadSession(f.checkpoint);
      const test = loadEvaluationData(session.config, f.split, f.limitTest ?? (f.split === "test" ? session.config.testLimit : 0));
      const log = f.json ? console.error : console.log;
      const r = transferAccuracy(session, test, {
        engine: f.engine,
        steps: f.steps,
        substeps: f.substeps,
        spread: f.spread,
        fire: f.fire,
        seed: f.seed,
        onImage: (done, total) => {
          if (done % 250 === 0 || done === total) log(`${done}/${total} images, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
        },
      });
      const seconds = (performance.now() - t0) / 1000;
      if (f.json) {
        console.log(JSON.stringify({ checkpoint: f.checkpoint, ...r, seconds }));
        return;
      }
      console.log(`${r.images} ${f.split} images, ${r.engine} engine, T = ${r.steps}, ${r.substeps} ${r.spread} impulses per step of analog input, firing at ${r.fire === "crossing" ? "the threshold crossing" : "step ends"}`);
      console.log(`  coarse network:      accuracy ${(100 * r.coarse.accuracy).toFixed(2)} %, spikes per image by layer ${r.coarse.spikesPerImage.map((v) => v.toFixed(1)).join(" / ")}`);
      console.log(`  continuous network:  accuracy ${(100 * r.continuous.accuracy).toFixed(2)} %, spikes per image by layer ${r.continuous.spikesPerImage.map((v) => v.toFixed(1)).join(" / ")}`);
    });
}
