// A cart-pole training run on disk: atomic checkpoints with resume, metrics.json and a returns plot. Node only.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { DataError, ValueError } from "../errors.js";
import { parseWithSchema } from "../io/validate.js";
import { linePlot } from "../plot/svg.js";
import { checkEsConfig, type EsConfig } from "../tasks/control/es.js";
import { checkPgConfig, type PgConfig } from "../tasks/control/pg.js";
import {
  type ControlMethod,
  type ControlSession,
  createControl,
  episodesPerIteration,
  evaluatePolicy,
  HELD_OUT_EPISODES,
  iterate,
  restoreHistory,
  SOLVED_RETURN,
  STOPPING_EPISODES,
} from "../tasks/control/session.js";
import { rngStateSchema } from "../tasks/train/checkpoint_header.js";
import { checkFiniteArrays, readCheckpoint, writeCheckpoint } from "./checkpoint.js";
import { inRunDirectory } from "./run_dir.js";

/** One iteration's record: episodes played so far, its returns (see IterationReport), and the greedy policy's return on the stopping episodes when it was measured. */
export interface ControlRecord {
  iteration: number;
  episodes: number;
  mean_return: number;
  best_return: number | null;
  center_return: number | null;
  /** Mean return over STOPPING_EPISODES (what the run stops on), or null. */
  stopping_return: number | null;
}

const finite = z.number();
const headerSchema = z.strictObject({
  format: z.literal("snnkit-control", { error: "not a control checkpoint (snnkit control cartpole)" }),
  method: z.enum(["es", "pg"]),
  config: z.record(z.string(), finite),
  adamSteps: z.int().min(0),
  rng: rngStateSchema,
  seconds: finite.min(0),
  stoppedAtEpisode: z.int().min(0).nullable(),
  records: z.array(
    z.strictObject({ iteration: z.int().min(1), episodes: z.int().min(0), mean_return: finite, best_return: finite.nullable(), center_return: finite.nullable(), stopping_return: finite.nullable() }),
  ),
});

/**
 * Headers written before the stopping episodes were kept apart from the reported ones named them
 * "eval": `solvedAtEpisode` and records' `eval_return` are the same quantities as `stoppedAtEpisode` and
 * `stopping_return`. Anything else is returned as it is, for the schema to judge.
 */
function withCurrentNames(header: unknown): unknown {
  if (typeof header !== "object" || header === null || !("solvedAtEpisode" in header)) return header;
  const { solvedAtEpisode, records, ...rest } = header as { solvedAtEpisode: unknown; records?: unknown };
  const renamed = Array.isArray(records)
    ? records.map((r: unknown) => {
        if (typeof r !== "object" || r === null || !("eval_return" in r)) return r;
        const { eval_return, ...others } = r as { eval_return: unknown };
        return { ...others, stopping_return: eval_return };
      })
    : records;
  return { ...rest, stoppedAtEpisode: solvedAtEpisode, records: renamed };
}
type ControlHeader = z.output<typeof headerSchema>;

/** A run with its records. */
interface ControlRun {
  session: ControlSession;
  records: ControlRecord[];
  seconds: number;
  /** Training episodes when the stopping episodes first averaged 475 (null: not yet). */
  stoppedAtEpisode: number | null;
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
    stoppedAtEpisode: r.stoppedAtEpisode,
    records: r.records,
  };
  writeCheckpoint(path, { header, arrays: { params: s.params, adam_m: s.adam.m, adam_v: s.adam.v } });
}

/** Reads a run from its checkpoint (header checked against its schema, arrays for their sizes and finite values). */
export function loadControl(path: string): ControlRun {
  const ck = readCheckpoint<unknown>(path);
  const h = parseWithSchema(headerSchema, withCurrentNames(ck.header), path);
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
  return { session, records: h.records, seconds: h.seconds, stoppedAtEpisode: h.stoppedAtEpisode };
}

/** What a control run leaves. */
export interface ControlResult {
  method: ControlMethod;
  episodes: number;
  seconds: number;
  /** Training episodes when the stopping episodes first averaged 475 and training stopped (null: not reached). */
  stopped_after_episodes: number | null;
  /** The final policy's mean return over the 100 stopping episodes (biased upwards: the run stopped on them). */
  stopping_return: number;
  /** The final policy's mean return over the 1,000 held-out episodes: what is reported. */
  held_out_return: number;
  held_out_episodes: number;
  /** CartPole-v1's criterion on the held-out episodes: held_out_return ≥ 475. */
  solved: boolean;
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
  /** Evaluate the greedy policy on the 100 stopping episodes every this many iterations (default 5); stop once they average 475 unless keepGoing. */
  evalEvery?: number;
  keepGoing?: boolean;
  onIteration?: (r: ControlRecord & { stopped: boolean; seconds: number }) => void;
  shouldStop?: () => boolean;
}

/**
 * Trains (or continues) a spiking cart-pole policy, with an atomic checkpoint after every iteration;
 * every `evalEvery` iterations the greedy policy plays the 100 stopping episodes, and the run stops when
 * their mean return reaches 475. The final policy is then judged on the 1,000 held-out episodes
 * (solved: a mean of 475 there). Writes metrics.json and returns.svg.
 */
export async function controlToDirectory(o: ControlRunOptions): Promise<ControlResult> {
  const evalEvery = o.evalEvery ?? 5;
  return inRunDirectory(o.outDir, async (dir, checkpoint) => {
    const run: ControlRun = o.resume ? loadControl(checkpoint) : { session: createControl(o.method, o.config), records: [], seconds: 0, stoppedAtEpisode: null };
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
    while (run.records.length < iterations && (o.keepGoing || run.stoppedAtEpisode === null)) {
      const t0 = performance.now();
      const report = iterate(run.session);
      const iteration = run.records.length + 1;
      const stoppingReturn = iteration % evalEvery === 0 || iteration === iterations ? evaluatePolicy(run.session, STOPPING_EPISODES) : null;
      const record: ControlRecord = {
        iteration,
        episodes: iteration * per,
        mean_return: report.meanReturn,
        best_return: report.bestReturn,
        center_return: report.centerReturn,
        stopping_return: stoppingReturn,
      };
      run.records.push(record);
      if (stoppingReturn !== null && stoppingReturn >= SOLVED_RETURN && run.stoppedAtEpisode === null) run.stoppedAtEpisode = record.episodes;
      run.seconds += (performance.now() - t0) / 1000;
      saveControl(checkpoint, run);
      o.onIteration?.({ ...record, stopped: run.stoppedAtEpisode !== null, seconds: run.seconds });
      await new Promise((r) => setImmediate(r));
      if (o.shouldStop?.()) {
        stopped = true;
        break;
      }
    }
    const last = run.records[run.records.length - 1];
    const stoppingMean = last?.stopping_return ?? evaluatePolicy(run.session, STOPPING_EPISODES);
    const heldOut = evaluatePolicy(run.session, HELD_OUT_EPISODES);
    const metrics = join(dir, "metrics.json");
    const plot = join(dir, "returns.svg");
    const result: ControlResult = {
      method: run.session.method,
      episodes: last?.episodes ?? 0,
      seconds: run.seconds,
      stopped_after_episodes: run.stoppedAtEpisode,
      stopping_return: stoppingMean,
      held_out_return: heldOut,
      held_out_episodes: HELD_OUT_EPISODES.episodes,
      solved: heldOut >= SOLVED_RETURN,
      completed: !stopped,
      checkpoint,
      metrics,
      plot,
    };
    writeFileSync(metrics, `${JSON.stringify({ config: run.session.config, ...result, records: run.records }, null, 1)}\n`);
    const evals = run.records.filter((r) => r.stopping_return !== null);
    writeFileSync(
      plot,
      linePlot(
        [
          { label: "training episodes' mean return", x: run.records.map((r) => r.episodes), y: run.records.map((r) => r.mean_return), markers: false },
          { label: "greedy policy, the 100 stopping episodes", x: evals.map((r) => r.episodes), y: evals.map((r) => r.stopping_return!), markers: true },
          { label: `final policy, ${HELD_OUT_EPISODES.episodes} held-out episodes`, x: [last?.episodes ?? 0], y: [heldOut], markers: true },
          { label: "solved (475)", x: [0, Math.max(1, last?.episodes ?? 1)], y: [SOLVED_RETURN, SOLVED_RETURN], markers: false },
        ],
        { title: `spiking cart-pole policy, ${run.session.method === "es" ? "evolution strategy" : "policy gradients"}`, xLabel: "training episodes", yLabel: "return" },
      ),
    );
    return result;
  });
}
