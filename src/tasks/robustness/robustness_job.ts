// `snnkit robustness`: trained networks under noise, adversarial attacks and spike-level perturbations;
// with the paper preset, the comparison of deterministic and noisy networks over several seeds.
import { z } from "zod";
import { ValueError } from "../../errors.js";
import { choice, integerIn as integer, parseSettings } from "../../io/validate.js";
import { MAX_SEED } from "../../random/rng.js";
import type { Job } from "../run/job.js";
import { MAX_IMAGES, withDefaults } from "../run/settings.js";
import { ATTACK_NAMES, ATTACKS, type AttackSweep, parseRange, sweep } from "./attacks.js";
import { PAPER_TEST_IMAGES } from "./paper.js";
import { robustnessPaper, type RobustnessRunResult, runRobustnessSuite } from "./run.js";

const robustnessSchema = z.strictObject({
  checkpoint: z
    .array(z.strictObject({ name: z.string().min(1), checkpoint: z.string().min(1) }))
    .describe("a checkpoint of snnkit train, as [name=]path (repeat for several networks; the name defaults to its run directory's)"),
  preset: choice(["paper"] as const).describe("train and compare the paper's networks (deterministic and noisy, mlp and conv)").optional(),
  attack: z.array(choice(ATTACK_NAMES)).describe(`an attack (repeat; default all): ${ATTACK_NAMES.join(", ")}`),
  range: z.string().describe("strengths of the one --attack as start:end:step (default: its standard range)").optional(),
  testLimit: integer(1, MAX_IMAGES).describe(`sweep over the first n test images (default: all; ${PAPER_TEST_IMAGES} for --preset paper)`).optional(),
  batchSize: integer(1, 65_536).describe("images per batch"),
  epochs: integer(1, 10_000).describe("--preset paper: training epochs of each network"),
  seeds: integer(1, 100).describe("--preset paper: networks per model, trained with seeds 0 … n − 1 (curves and areas as mean ± sd; a gain only beyond the seeds' spread)"),
  seed: integer(0, MAX_SEED).describe("seed of every perturbation"),
});
/** What `snnkit robustness` runs. */
export type RobustnessConfig = z.output<typeof robustnessSchema>;

const defaults: Partial<RobustnessConfig> = { checkpoint: [], attack: [], batchSize: 250, epochs: 3, seeds: 3, seed: 0 };

/** A model name from a checkpoint path: its run directory's name (runs/a/checkpoint.snnk → "a"). */
function modelName(checkpoint: string): string {
  const parts = checkpoint.split(/[/\\]+/).filter((p) => p !== "" && p !== ".");
  const file = parts[parts.length - 1] ?? checkpoint;
  return file === "checkpoint.snnk" && parts.length > 1 ? parts[parts.length - 2] : file.replace(/\.snnk$/, "");
}

/** "[name=]path" → a checkpoint and its name (an "=" after a path separator belongs to the path). */
export function namedCheckpoint(text: string): { name: string; checkpoint: string } {
  const eq = text.indexOf("=");
  const named = eq >= 0 && !/[/\\]/.test(text.slice(0, eq));
  const [name, checkpoint] = named ? [text.slice(0, eq), text.slice(eq + 1)] : [modelName(text), text];
  return { name, checkpoint };
}

/** The sweeps asked for: every attack (or the chosen ones) over its standard range, or one attack over `range`. */
function sweepsOf(c: RobustnessConfig): AttackSweep[] {
  const attacks = c.attack.length > 0 ? c.attack : [...ATTACK_NAMES];
  if (c.range !== undefined) {
    if (attacks.length !== 1) throw new ValueError("--range", "exactly one --attack (--range needs exactly one --attack)", `${attacks.length} attacks`);
    return [{ attack: attacks[0], strengths: parseRange(c.range) }];
  }
  return attacks.map((attack) => ({ attack, strengths: sweep(...ATTACKS[attack].range) }));
}

/** The robustness sweeps of some checkpoints, or the paper's comparison (null: stopped while training its networks). */
export const robustnessJob: Job<RobustnessConfig, RobustnessRunResult | null> = {
  name: "robustness",
  schema: robustnessSchema,
  defaults,
  configure(fields) {
    const c = parseSettings(robustnessSchema, withDefaults(defaults, fields));
    if ((c.preset === undefined) === (c.checkpoint.length === 0))
      throw new ValueError("--checkpoint / --preset", "one or more --checkpoint, or --preset paper (not both)", c.preset ? "both" : "neither");
    sweepsOf(c);
    return c;
  },
  run(c, context, hooks) {
    const onPoint = (p: { model: string; attack: string; strength: number; accuracy: number; loss: number; done: number; total: number }) =>
      hooks.note?.(`[${p.done}/${p.total}] ${p.model} ${p.attack} ${ATTACKS[p.attack as keyof typeof ATTACKS].strength} = ${p.strength}: accuracy ${(100 * p.accuracy).toFixed(1)} %, loss ${p.loss.toFixed(3)}`);
    if (c.preset === undefined) return runRobustnessSuite({ models: c.checkpoint, sweeps: sweepsOf(c), testLimit: c.testLimit ?? 0, seed: c.seed, batchSize: c.batchSize, onPoint }, context);
    return robustnessPaper(
      {
        epochs: c.epochs,
        seeds: c.seeds,
        sweeps: sweepsOf(c),
        testLimit: c.testLimit ?? PAPER_TEST_IMAGES,
        seed: c.seed,
        onPoint,
        onTrain: (name) => {
          hooks.note?.(`training ${name} (${c.epochs} epochs; a finished network is reused)`);
          return {
            onEpoch: (m) => hooks.note?.(`  ${name} epoch ${m.epoch}: test accuracy ${(100 * m.test_accuracy).toFixed(2)} %, ${m.seconds.toFixed(1)} s`),
            shouldStop: hooks.shouldStop,
          };
        },
      },
      context,
    );
  },
};
