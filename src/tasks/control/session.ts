// One interface over the two ways to train the spiking cart-pole policy (evolution strategy, policy
// gradients): iterate, count episodes, evaluate greedily, and say when the task counts as solved.
import { CartPole } from "../../control/cartpole.js";
import { meanReturn, type PolicyShape, type RolloutOptions } from "../../control/spiking_policy.js";
import { createEs, type EsConfig, esGeneration, type EsSession } from "./es.js";
import { createPg, type PgConfig, type PgSession, pgUpdate } from "./pg.js";

/** The training methods. */
export const CONTROL_METHODS = ["es", "pg"] as const;
/** A training method: evolution strategy or policy gradients. */
export type ControlMethod = (typeof CONTROL_METHODS)[number];

/** A run of either method. */
export type ControlSession = { method: "es"; config: EsConfig; s: EsSession } | { method: "pg"; config: PgConfig; s: PgSession };

/** A new run of a method with its configuration. */
export function createControl(method: ControlMethod, config: EsConfig | PgConfig): ControlSession {
  return method === "es" ? { method, config: config as EsConfig, s: createEs(config as EsConfig) } : { method, config: config as PgConfig, s: createPg(config as PgConfig) };
}

/** CartPole-v1 counts as solved at a mean return of at least 475 over 100 episodes. */
export const SOLVED_RETURN = 475;

/** A fixed set of evaluation episodes: `episodes` start states seeded seed, seed + 1, … */
export interface EpisodeSet {
  episodes: number;
  seed: number;
}

/**
 * The episodes training stops on: every few iterations the greedy policy plays these 100, and a run
 * stops once they average 475. Chosen on them, a policy's return on them is biased upwards, so it is
 * not what we report (HELD_OUT_EPISODES is).
 */
export const STOPPING_EPISODES: EpisodeSet = { episodes: 100, seed: 900_000_001 };

/**
 * The episodes a trained policy is judged on: 1,000 start states never used in training or for stopping
 * (apart from the training seeds of runs with seed below 1,000); "solved" means a mean return of at least
 * 475 on them.
 */
export const HELD_OUT_EPISODES: EpisodeSet = { episodes: 1000, seed: 2_000_000_001 };

/** Episodes one iteration plays: 2·pairs + 1 (ES), batch (PG). */
export function episodesPerIteration(c: ControlSession): number {
  return c.method === "es" ? 2 * c.config.pairs + 1 : c.config.batch;
}

/** What one iteration reports: the training episodes' mean return, and for ES the best perturbed and the unperturbed policy's returns. */
export interface IterationReport {
  meanReturn: number;
  bestReturn: number | null;
  centerReturn: number | null;
}

/** One generation (ES) or update (PG). */
export function iterate(c: ControlSession): IterationReport {
  if (c.method === "es") {
    const g = esGeneration(c.s);
    return { meanReturn: g.meanReturn, bestReturn: g.bestReturn, centerReturn: g.centerReturn };
  }
  return { meanReturn: pgUpdate(c.s).meanReturn, bestReturn: null, centerReturn: null };
}

/** Puts reports of earlier iterations back into a session's history (a resumed run continues their numbering and seeds). */
export function restoreHistory(c: ControlSession, reports: readonly IterationReport[]): void {
  if (c.method === "es")
    c.s.history = reports.map((r, i) => ({ generation: i + 1, meanReturn: r.meanReturn, bestReturn: r.bestReturn ?? Number.NaN, centerReturn: r.centerReturn ?? Number.NaN }));
  else c.s.history = reports.map((r, i) => ({ update: i + 1, meanReturn: r.meanReturn }));
}

/** The policy: its shape and parameters. */
export function policyOf(c: ControlSession): { shape: PolicyShape; params: Float32Array } {
  return { shape: c.s.shape, params: c.s.params };
}

/** The greedy policy's mean return over a set of cart-pole episodes (options: e.g. the continuous-time engine). */
export function evaluatePolicy(c: ControlSession, set: EpisodeSet, options: RolloutOptions = {}): number {
  const { shape, params } = policyOf(c);
  return meanReturn(shape, params, () => new CartPole({ observationNoise: c.config.observationNoise ?? 0 }), set.episodes, set.seed, options);
}
