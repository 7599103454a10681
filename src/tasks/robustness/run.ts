// The robustness runs: checkpoints in, robustness.json and one plot per attack out through a RunStore;
// and the paper's comparison, which first trains its networks (resuming any that stopped).
import { ValueError } from "../../errors.js";
import { linePlot } from "../../plot/svg.js";
import { formatNoise, parseNoise } from "../../surrogate/noise.js";
import { loadSplit } from "../run/data.js";
import { restoreRun, type RunOptions, runTask } from "../run/runner.js";
import { CHECKPOINT } from "../run/store.js";
import type { TaskContext } from "../run/task.js";
import { formatSpread, seedList, type Spread, spread } from "../seeds/spread.js";
import { type BatchReport, evaluate } from "../train/loop.js";
import type { TrainConfig } from "../train/config.js";
import type { EpochMetrics } from "../train/session.js";
import { trainTask } from "../train/task.js";
import type { AttackSweep } from "./attacks.js";
import { PAPER_PAIRS, PAPER_TEST_IMAGES, paperModels, standardSweeps } from "./paper.js";
import { type GroupedAttack, groupCurves, groupedTable, type PairVerdict, pairVerdicts, seedGroup } from "./seed_groups.js";
import { type AttackCurves, type RobustnessOptions, robustnessTable, runRobustness } from "./suite.js";

/** A network to test: its name in the results and its checkpoint. */
export interface CheckpointModel {
  name: string;
  checkpoint: string;
}

/** Options of runRobustnessSuite. */
export interface RobustnessRunOptions extends Pick<RobustnessOptions, "seed" | "batchSize" | "onPoint"> {
  /** The networks; names "<group>-seed<k>" make one group per model over its seeds (seedGroup). */
  models: CheckpointModel[];
  /** Pairs of groups [a, b] to judge: a more robust than b only beyond the spread of the seeds. */
  pairs?: readonly (readonly [string, string])[];
  sweeps: AttackSweep[];
  /** Sweep over the first n test images (0: all). */
  testLimit?: number;
}

/** What a robustness run wrote, and its curves. */
export interface RobustnessRunResult {
  results: string;
  plots: Record<string, string>;
  table: string;
  models: { name: string; checkpoint: string; clean_accuracy: number }[];
  attacks: AttackCurves[];
  /** The curves by group over their seeds, the table of them, and the verdicts on the pairs asked for. */
  grouped: GroupedAttack[];
  groupTable: string;
  verdicts: PairVerdict[];
  /** Clean test accuracy per group over its seeds. */
  clean: { group: string; accuracy: Spread }[];
}

/**
 * Evaluates every checkpoint under every sweep on the test split of the first one's data (all must use
 * the same data), and writes robustness.json (per attack and network: strength, loss, accuracy and the
 * area under the accuracy curve) and robustness_<attack>.svg into the context's store. Checkpoints are
 * read through the store (paths as the user named them).
 */
export function runRobustnessSuite(o: RobustnessRunOptions, context: TaskContext): RobustnessRunResult {
  if (o.models.length === 0) throw new ValueError("--checkpoint", "at least one checkpoint (or --preset paper)", "none");
  const limit = o.testLimit ?? 0;
  if (!(Number.isInteger(limit) && limit >= 0)) throw new ValueError("testLimit", "an integer ≥ 0", limit);
  const sessions = o.models.map((m) => ({ name: m.name, checkpoint: m.checkpoint, session: restoreRun(trainTask, context, m.checkpoint) }));
  const data = sessions[0].session.config;
  for (const s of sessions.slice(1))
    if (s.session.config.dataset !== data.dataset)
      throw new ValueError("--checkpoint", `networks trained on the same data (${sessions[0].name}: ${data.dataset})`, `${s.name}: ${s.session.config.dataset}`);
  const fullTest = loadSplit(context.images, { ...data, testLimit: 0 }, "test");
  const test = loadSplit(context.images, { ...data, testLimit: limit }, "test");
  const { store } = context;
  try {
    const models = sessions.map((s) => ({ name: s.name, checkpoint: s.checkpoint, clean_accuracy: evaluate(s.session, fullTest) }));
    const results = store.where("robustness.json");
    const described = sessions.map((s, i) => {
      const c = s.session.config;
      return { ...models[i], model: c.model, neuron: c.neuron, noise: c.noise ? formatNoise(parseNoise(c.noise)) : null, steps: c.steps, encoding: c.encoding, epochs: s.session.progress.epoch };
    });
    const groupNames = [...new Set(models.map((m) => seedGroup(m.name).group))];
    const clean = groupNames.map((group) => ({ group, accuracy: spread(models.filter((m) => seedGroup(m.name).group === group).map((m) => m.clean_accuracy)) }));
    // Rewritten after every attack ("complete": false until the last), so a stopped run keeps what it measured.
    const save = (attacks: readonly AttackCurves[], complete: boolean) => {
      const grouped = groupCurves(attacks);
      const body = { format: "snnkit-robustness", complete, seed: o.seed ?? 0, test_images: test.labels.length, models: described, clean, attacks, groups: grouped, verdicts: pairVerdicts(grouped, o.pairs ?? []) };
      store.write("robustness.json", `${JSON.stringify(body, null, 1)}\n`);
    };
    const attacks = runRobustness(sessions, o.sweeps, test, { seed: o.seed, batchSize: o.batchSize, onPoint: o.onPoint, onAttack: (done) => save(done, done.length === o.sweeps.length) });
    const grouped = groupCurves(attacks);
    const plots: Record<string, string> = {};
    for (const g of grouped) {
      const file = `robustness_${g.attack}.svg`;
      const series = g.groups.map((c) => ({
        label: c.models.length > 1 ? `${c.group}, ${c.models.length} seeds (area ${formatSpread(c.area, 1, 100)})` : `${c.models[0]} (area ${(100 * c.area.mean).toFixed(1)})`,
        x: c.points.map((p) => p.strength),
        y: c.points.map((p) => 100 * p.accuracy.mean),
      }));
      const seeded = g.groups.some((c) => c.models.length > 1);
      store.write(file, linePlot(series, { title: `${g.title}${seeded ? " (mean over seeds)" : ""}`, xLabel: g.strength, yLabel: "test accuracy (%)" }));
      plots[g.attack] = store.where(file);
    }
    return { results, plots, table: robustnessTable(attacks), models, attacks, grouped, groupTable: groupedTable(grouped), verdicts: pairVerdicts(grouped, o.pairs ?? []), clean };
  } finally {
    for (const s of sessions) s.session.model.dispose();
  }
}

/** Options of the paper's comparison. */
export interface PaperRunOptions extends Pick<RobustnessOptions, "seed" | "onPoint"> {
  /** Training epochs of every network (default 3). */
  epochs?: number;
  /** Networks per model, trained with seeds 0, 1, … (default 3). */
  seeds?: number;
  /** Sweeps (default: every attack over its standard range). */
  sweeps?: AttackSweep[];
  /** Test images of the sweeps (default 500). */
  testLimit?: number;
  /** Hooks of each network's training (the runner's), and its name when it starts. */
  onTrain?: (name: string) => Pick<RunOptions<TrainConfig, BatchReport, EpochMetrics>, "onEpoch" | "shouldStop">;
}

/**
 * The paper's comparison: trains the deterministic SNN and the NSNN of the MLP and conv presets, each with
 * `seeds` training seeds, into the store's models/<name>-seed<k> (continuing any that stopped; finished ones are
 * reused), then runs the sweeps and judges each NSNN against its SNN beyond the spread of the seeds.
 * Resolves to null when a training run was stopped (by its hooks' shouldStop) before it finished.
 */
export async function robustnessPaper(o: PaperRunOptions, context: TaskContext): Promise<RobustnessRunResult | null> {
  const models: CheckpointModel[] = [];
  for (const { name, config } of paperModels(o.epochs ?? 3, seedList(0, o.seeds ?? 3))) {
    const store = context.store.child(`models/${name}`);
    const run = await runTask(trainTask, { config, context: { ...context, store }, resume: store.read(CHECKPOINT) !== null, ...o.onTrain?.(name) });
    if (!run.completed) return null;
    models.push({ name, checkpoint: store.where(CHECKPOINT) });
  }
  return runRobustnessSuite({ models, pairs: PAPER_PAIRS, sweeps: o.sweeps ?? standardSweeps(), testLimit: o.testLimit ?? PAPER_TEST_IMAGES, seed: o.seed, onPoint: o.onPoint }, context);
}
