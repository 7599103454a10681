// `snnkit control cartpole` as a task: a spiking cart-pole policy trained by an evolution strategy or
// policy gradients until the stopping episodes average 475, then judged on held-out episodes.
import { z } from "zod";
import { DataError } from "../../errors.js";
import { checkFiniteArrays, type Checkpoint } from "../../io/checkpoint_codec.js";
import { parseWithSchema } from "../../io/validate.js";
import { linePlot } from "../../plot/svg.js";
import { rngStateSchema } from "../run/settings.js";
import type { Task } from "../run/task.js";
import { configureControl, type ControlConfig, controlConfigSchema, DEFAULT_CONTROL, methodConfig } from "./config.js";
import { checkEsConfig, type EsConfig } from "./es.js";
import { checkPgConfig, type PgConfig } from "./pg.js";
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
} from "./session.js";

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

/** A run: its configuration, the method's session, its records, and when it reached 475 on the stopping episodes. */
export interface ControlRun {
  config: ControlConfig;
  session: ControlSession;
  records: ControlRecord[];
  seconds: number;
  /** Training episodes when the stopping episodes first averaged 475 (null: not yet). */
  stoppedAtEpisode: number | null;
  /** The final policy's mean return on the held-out episodes, once measured. */
  heldOut?: number;
}

const finite = z.number();
const headerSchema = z.strictObject({
  format: z.literal("snnkit-control", { error: "not a control checkpoint (snnkit control cartpole)" }),
  method: z.enum(["es", "pg"]),
  config: z.record(z.string(), finite),
  /** The run's own configuration (absent in checkpoints written before it was stored). */
  run: controlConfigSchema.optional(),
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

/** A run from its checkpoint (header checked against its schema, arrays for their sizes and finite values). */
export function restoreControl(ck: Checkpoint<unknown>, file: string): ControlRun {
  const h = parseWithSchema(headerSchema, withCurrentNames(ck.header), file);
  const method = h.method === "es" ? checkEsConfig(h.config as unknown as EsConfig) : checkPgConfig(h.config as unknown as PgConfig);
  const session = createControl(h.method, method);
  const s = session.s;
  for (const [name, target] of [["params", s.params], ["adam_m", s.adam.m], ["adam_v", s.adam.v]] as const) {
    const a = ck.arrays[name];
    if (!a || a.length !== target.length) throw new DataError(file, `array ${name}: ${target.length} values expected, ${a ? a.length : "none"} found`);
    target.set(a);
  }
  checkFiniteArrays(file, ck.arrays);
  s.adam.t = h.adamSteps;
  s.rng = h.rng;
  restoreHistory(session, h.records.map((r) => ({ meanReturn: r.mean_return, bestReturn: r.best_return, centerReturn: r.center_return })));
  const episodes = Math.max(DEFAULT_CONTROL.episodes, h.records.length * episodesPerIteration(session));
  const config = h.run ?? { ...DEFAULT_CONTROL, method: h.method, episodes, seed: method.seed, hidden: method.hidden, observationNoise: method.observationNoise ?? 0 };
  if (config.method !== h.method) throw new DataError(file, `run.method ${config.method} is not the header's method ${h.method}`);
  return { config, session, records: h.records, seconds: h.seconds, stoppedAtEpisode: h.stoppedAtEpisode };
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

/** An iteration's record as reported: with whether the run has reached 475 and its seconds so far. */
export type ControlReport = ControlRecord & { stopped: boolean; seconds: number };

const iterations = (r: ControlRun): number => Math.ceil(r.config.episodes / episodesPerIteration(r.session));
const controlFinished = (r: ControlRun): boolean => r.records.length >= iterations(r) || (!r.config.keepGoing && r.stoppedAtEpisode !== null);
const heldOutReturn = (r: ControlRun): number => (r.heldOut ??= evaluatePolicy(r.session, HELD_OUT_EPISODES));

/**
 * One generation (ES) or update (PG) per step; every `evalEvery` iterations (and at the last) the greedy
 * policy plays the 100 stopping episodes, and the run stops once they average 475 (unless keepGoing).
 */
function* controlSteps(run: ControlRun): Generator<{ kind: "epoch"; record: ControlReport }, void, void> {
  const per = episodesPerIteration(run.session);
  while (!controlFinished(run)) {
    const t0 = performance.now();
    const report = iterate(run.session);
    const iteration = run.records.length + 1;
    const stoppingReturn = iteration % run.config.evalEvery === 0 || iteration === iterations(run) ? evaluatePolicy(run.session, STOPPING_EPISODES) : null;
    const record: ControlRecord = { iteration, episodes: iteration * per, mean_return: report.meanReturn, best_return: report.bestReturn, center_return: report.centerReturn, stopping_return: stoppingReturn };
    run.records.push(record);
    if (stoppingReturn !== null && stoppingReturn >= SOLVED_RETURN && run.stoppedAtEpisode === null) run.stoppedAtEpisode = record.episodes;
    run.seconds += (performance.now() - t0) / 1000;
    yield { kind: "epoch", record: { ...record, stopped: run.stoppedAtEpisode !== null, seconds: run.seconds } };
  }
}

/** Returns by training episodes: the training episodes', the greedy policy's on the stopping episodes, and the final policy's on the held-out ones. */
function returnsPlot(run: ControlRun): string {
  const last = run.records[run.records.length - 1];
  const evals = run.records.filter((r) => r.stopping_return !== null);
  return linePlot(
    [
      { label: "training episodes' mean return", x: run.records.map((r) => r.episodes), y: run.records.map((r) => r.mean_return), markers: false },
      { label: "greedy policy, the 100 stopping episodes", x: evals.map((r) => r.episodes), y: evals.map((r) => r.stopping_return!), markers: true },
      { label: `final policy, ${HELD_OUT_EPISODES.episodes} held-out episodes`, x: [last?.episodes ?? 0], y: [heldOutReturn(run)], markers: true },
      { label: "solved (475)", x: [0, Math.max(1, last?.episodes ?? 1)], y: [SOLVED_RETURN, SOLVED_RETURN], markers: false },
    ],
    { title: `spiking cart-pole policy, ${run.session.method === "es" ? "evolution strategy" : "policy gradients"}`, xLabel: "training episodes", yLabel: "return" },
  );
}

/** A spiking cart-pole policy (CartPole-v1), trained until it averages 475 on the stopping episodes and judged on 1,000 held-out ones. */
export const controlTask: Task<ControlConfig, ControlRun, null, ControlResult, never, ControlReport> = {
  name: "control cartpole",
  schema: controlConfigSchema,
  defaults: DEFAULT_CONTROL,
  configure: configureControl,
  extendable: "episodes",
  replaceable: ["keepGoing", "evalEvery"],
  data: () => null,
  create: (config) => ({ config, session: createControl(config.method, methodConfig(config)), records: [], seconds: 0, stoppedAtEpisode: null }),
  configOf: (r) => r.config,
  position: (r) => ({ epoch: r.records.length, unit: 0, units: 1 }),
  run: controlSteps,
  finished: controlFinished,
  save(r) {
    const s = r.session.s;
    const header = {
      format: "snnkit-control",
      method: r.session.method,
      config: { ...r.session.config },
      run: r.config,
      adamSteps: s.adam.t,
      rng: { s: [...s.rng.s], spare: s.rng.spare },
      seconds: r.seconds,
      stoppedAtEpisode: r.stoppedAtEpisode,
      records: r.records,
    } satisfies z.input<typeof headerSchema>;
    return { header, arrays: { params: s.params, adam_m: s.adam.m, adam_v: s.adam.v } };
  },
  restore: restoreControl,
  result(r, _data, files, completed) {
    const last = r.records[r.records.length - 1];
    const heldOut = heldOutReturn(r);
    return {
      method: r.session.method,
      episodes: last?.episodes ?? 0,
      seconds: r.seconds,
      stopped_after_episodes: r.stoppedAtEpisode,
      stopping_return: last?.stopping_return ?? evaluatePolicy(r.session, STOPPING_EPISODES),
      held_out_return: heldOut,
      held_out_episodes: HELD_OUT_EPISODES.episodes,
      solved: heldOut >= SOLVED_RETURN,
      completed,
      checkpoint: files.checkpoint,
      metrics: files.metrics,
      plot: files.plots.returns,
    };
  },
  metrics: (r, result) => ({ config: r.session.config, ...result, records: r.records }),
  plots: (r) => ({ returns: returnsPlot(r) }),
};
