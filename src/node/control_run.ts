// A cart-pole training run on disk: atomic checkpoints with resume, metrics.json and a returns plot. Node only.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { DataError, ValueError } from "../errors.js";
import { parseWithSchema } from "../io/validate.js";
import { linePlot } from "../plot/svg.js";
import { checkEsConfig, type EsConfig } from "../tasks/control/es.js";
import { checkPgConfig, type PgConfig } from "../tasks/control/pg.js";
import { type ControlMethod, type ControlSession, createControl, episodesPerIteration, evaluatePolicy, iterate, restoreHistory, SOLVED_RETURN } from "../tasks/control/session.js";
import { rngStateSchema } from "../tasks/train/checkpoint_header.js";
import { checkFiniteArrays, readCheckpoint, writeCheckpoint } from "./checkpoint.js";
import { inRunDirectory } from "./run_dir.js";

/** One iteration's record: episodes played so far, its returns (see IterationReport), and the greedy evaluation when one ran. */
export interface ControlRecord {
  iteration: number;
  episodes: number;
  mean_return: number;
  best_return: number | null;
  center_return: number | null;
  eval_return: number | null;
}

const finite = z.number();
const headerSchema = z.strictObject({
  format: z.literal("snnkit-control", { error: "not a control checkpoint (snnkit control cartpole)" }),
  method: z.enum(["es", "pg"]),
  config: z.record(z.string(), finite),
  adamSteps: z.int().min(0),
  rng: rngStateSchema,
  seconds: finite.min(0),
  solvedAtEpisode: z.int().min(0).nullable(),
  records: z.array(
    z.strictObject({ iteration: z.int().min(1), episodes: z.int().min(0), mean_return: finite, best_return: finite.nullable(), center_return: finite.nullable(), eval_return: finite.nullable() }),
  ),
});
type ControlHeader = z.output<typeof headerSchema>;

/** A run with its records. */
interface ControlRun {
  session: ControlSession;
  records: ControlRecord[];
  seconds: number;
  solvedAtEpisode: number | null;
}

function saveControl(path: string, r: ControlRun): void {
  const s = r.session.s;
  const header: ControlHeader = {
    format: "snnkit-control",
    method: r.session.method,
    config: { ...r.session.config },
    adamSteps: s.adam.t,
    rng: { s: [...s.rng.s], spare: s.rng.spare },
    seconds: r.seconds,
    solvedAtEpisode: r.solvedAtEpisode,
    records: r.records,
  };
  writeCheckpoint(path, { header, arrays: { params: s.params, adam_m: s.adam.m, adam_v: s.adam.v } });
}

/** Reads a run from its checkpoint (header checked against its schema, arrays for their sizes and finite values). */
export function loadControl(path: string): ControlRun {
  const ck = readCheckpoint<unknown>(path);
  const h = parseWithSchema(headerSchema, ck.header, path);
  const config = h.method === "es" ? checkEsConfig(h.config as unknown as EsConfig) : checkPgConfig(h.config as unknown as PgConfig);
  const session = createControl(h.method, config);
  const s = session.s;
  for (const [name, target] of [["params", s.params], ["adam_m", s.adam.m], ["adam_v", s.adam.v]] as const) {
    const a = ck.arrays[name];
    if (!a || a.length !== target.length) throw new DataError(path, `array ${name}: ${target.length} values expected, ${a ? a.length : "none"} found`);
    target.set(a);
  }
  checkFiniteArrays(path, ck.arrays);
  s.adam.t = h.adamSteps;
  s.rng = h.rng;
  restoreHistory(session, h.records.map((r) => ({ meanReturn: r.mean_return, bestReturn: r.best_return, centerReturn: r.center_return })));
  return { session, records: h.records, seconds: h.seconds, solvedAtEpisode: h.solvedAtEpisode };
}

/** What a control run leaves. */
export interface ControlResult {
  method: ControlMethod;
  episodes: number;
  seconds: number;
  /** The first greedy evaluation at or above 475, in training episodes (null: not reached). */
  solved_after_episodes: number | null;
  eval_mean_return: number;
  completed: boolean;
  checkpoint: string;
  metrics: string;
  plot: string;
}

/** Options of controlToDirectory. */
export interface ControlRunOptions {
  method: ControlMethod;
  config: EsConfig | PgConfig;
  outDir: string;
  /** Training episodes in all (rounded up to whole iterations). */
  episodes: number;
  /** Continue from outDir/checkpoint.snnk. */
  resume?: boolean;
  /** Configuration fields the caller set on purpose, with their flag names: on resume they must equal the checkpoint's. */
  explicit?: Partial<Record<string, string>>;
  /** Evaluate the greedy policy over 100 episodes every this many iterations (default 5); stop once solved unless keepGoing. */
  evalEvery?: number;
  keepGoing?: boolean;
  onIteration?: (r: ControlRecord & { solved: boolean; seconds: number }) => void;
  shouldStop?: () => boolean;
}

/**
 * Trains (or continues) a spiking cart-pole policy, with an atomic checkpoint after every iteration;
 * every `evalEvery` iterations the greedy policy plays 100 evaluation episodes, and the run stops when
 * their mean return reaches 475 (CartPole-v1's "solved"). Writes metrics.json and returns.svg.
 */
export async function controlToDirectory(o: ControlRunOptions): Promise<ControlResult> {
  const evalEvery = o.evalEvery ?? 5;
  return inRunDirectory(o.outDir, async (dir, checkpoint) => {
    const run: ControlRun = o.resume ? loadControl(checkpoint) : { session: createControl(o.method, o.config), records: [], seconds: 0, solvedAtEpisode: null };
    if (run.session.method !== o.method) throw new DataError(checkpoint, `the checkpoint holds a run of method ${run.session.method}, not ${o.method}`);
    if (o.resume) {
      const saved = run.session.config as unknown as Record<string, number>;
      const asked = o.config as unknown as Record<string, number>;
      const differ = Object.entries(o.explicit ?? {}).filter(([key]) => saved[key] !== asked[key]);
      if (differ.length > 0)
        throw new ValueError("--resume", `the settings of ${checkpoint} (drop the flags that differ)`, `different: ${differ.map(([key, flag]) => `${flag} ${asked[key]} (the checkpoint has ${saved[key]})`).join(", ")}`);
    }
    const per = episodesPerIteration(run.session);
    const iterations = Math.ceil(o.episodes / per);
    let stopped = false;
    while (run.records.length < iterations && (o.keepGoing || run.solvedAtEpisode === null)) {
      const t0 = performance.now();
      const report = iterate(run.session);
      const iteration = run.records.length + 1;
      const evalReturn = iteration % evalEvery === 0 || iteration === iterations ? evaluatePolicy(run.session) : null;
      const record: ControlRecord = {
        iteration,
        episodes: iteration * per,
        mean_return: report.meanReturn,
        best_return: report.bestReturn,
        center_return: report.centerReturn,
        eval_return: evalReturn,
      };
      run.records.push(record);
      if (evalReturn !== null && evalReturn >= SOLVED_RETURN && run.solvedAtEpisode === null) run.solvedAtEpisode = record.episodes;
      run.seconds += (performance.now() - t0) / 1000;
      saveControl(checkpoint, run);
      o.onIteration?.({ ...record, solved: run.solvedAtEpisode !== null, seconds: run.seconds });
      await new Promise((r) => setImmediate(r));
      if (o.shouldStop?.()) {
        stopped = true;
        break;
      }
    }
    const last = run.records[run.records.length - 1];
    const evalMean = last?.eval_return ?? evaluatePolicy(run.session);
    const metrics = join(dir, "metrics.json");
    const plot = join(dir, "returns.svg");
    const result: ControlResult = {
      method: run.session.method,
      episodes: last?.episodes ?? 0,
      seconds: run.seconds,
      solved_after_episodes: run.solvedAtEpisode,
      eval_mean_return: evalMean,
      completed: !stopped,
      checkpoint,
      metrics,
      plot,
    };
    writeFileSync(metrics, `${JSON.stringify({ config: run.session.config, ...result, records: run.records }, null, 1)}\n`);
    const evals = run.records.filter((r) => r.eval_return !== null);
    writeFileSync(
      plot,
      linePlot(
        [
          { label: "training episodes' mean return", x: run.records.map((r) => r.episodes), y: run.records.map((r) => r.mean_return), markers: false },
          { label: "greedy policy, 100 episodes", x: evals.map((r) => r.episodes), y: evals.map((r) => r.eval_return!), markers: true },
          { label: "solved (475)", x: [0, Math.max(1, last?.episodes ?? 1)], y: [SOLVED_RETURN, SOLVED_RETURN], markers: false },
        ],
        { title: `spiking cart-pole policy, ${run.session.method === "es" ? "evolution strategy" : "policy gradients"}`, xLabel: "training episodes", yLabel: "return" },
      ),
    );
    return result;
  });
}
