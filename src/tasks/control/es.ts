// Training a spiking cart-pole policy with an evolution strategy (Salimans et al. 2017): antithetic
// Gaussian perturbations of the parameters, centred-rank fitness, Adam on the estimated gradient. No
// gradients through the network are needed, only episode returns, which suits neuromorphic hardware.
import { CartPole } from "../../control/cartpole.js";
import { CARTPOLE_SCALES, type PolicyShape, rollout } from "../../control/spiking_policy.js";
import { Rng, type RngState } from "../../random/rng.js";
import { type AdamState, adamStep, checkObservationNoise, checkSettings, initialPolicy } from "./policy_training.js";

/** Settings of an ES run (defaults: the cart-pole settings that solve it here). */
export interface EsConfig {
  hidden: number;
  /** Coarse steps per environment step. */
  steps: number;
  tau: number;
  /** Antithetic pairs per generation (population 2·pairs). */
  pairs: number;
  sigma: number;
  lr: number;
  generations: number;
  /** Standard deviation of the initial parameters. */
  initScale: number;
  seed: number;
  /** Observation noise σ of the cart-pole (a harder variant; default 0). */
  observationNoise?: number;
}

/** The defaults of `snnkit control cartpole --method es`. */
export const DEFAULT_ES: EsConfig = { hidden: 16, steps: 2, tau: 4, pairs: 24, sigma: 0.1, lr: 0.05, generations: 60, initScale: 0.5, seed: 0 };

/** One generation's returns: the population's mean and best, and the unperturbed policy's. */
export interface EsGeneration {
  generation: number;
  meanReturn: number;
  bestReturn: number;
  centerReturn: number;
}

/** Where an ES run stands: enough to continue it exactly. */
export interface EsSession {
  config: EsConfig;
  shape: PolicyShape;
  params: Float32Array;
  adam: AdamState;
  rng: RngState;
  history: EsGeneration[];
}

/** The cart-pole policy shape of a configuration. */
export function esShape(c: EsConfig): PolicyShape {
  return { scales: CARTPOLE_SCALES, hidden: c.hidden, actions: 2, steps: c.steps, tau: c.tau };
}

/** A new run: parameters initScale·N(0, 1) from Rng(seed). */
export function createEs(config: EsConfig): EsSession {
  const c = checkEsConfig(config);
  const shape = esShape(c);
  return { config: c, shape, ...initialPolicy(shape, c.initScale, c.seed), history: [] };
}

/** Checks an ES configuration. */
export function checkEsConfig(c: EsConfig): EsConfig {
  checkObservationNoise(c.observationNoise);
  return checkSettings(c, [["hidden", 4096], ["steps", 100], ["pairs", 10_000], ["generations", 1_000_000]], ["tau", "sigma", "lr", "initScale"]);
}

/** Centred ranks of values in [−½, ½] (ties by order). */
function centredRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = new Array<number>(values.length);
  const n = values.length;
  order.forEach(([, i], rank) => (out[i] = n > 1 ? rank / (n - 1) - 0.5 : 0));
  return out;
}

/**
 * One generation: 2·pairs perturbed policies θ ± σε and θ itself each play one episode from the same
 * start state (seeded by run seed and generation); the gradient estimate Σ_i (u_i⁺ − u_i⁻)·ε_i / (2·pairs·σ)
 * of the centred ranks u moves θ by one Adam step (β 0.9, 0.999).
 */
export function esGeneration(s: EsSession): EsGeneration {
  const c = s.config;
  const rng = new Rng(0);
  rng.setState(s.rng);
  const n = s.params.length;
  const eps = Array.from({ length: c.pairs }, () => Float32Array.from({ length: n }, () => rng.normal()));
  const members: Float32Array[] = [];
  for (const e of eps) {
    members.push(s.params.map((p, j) => p + c.sigma * e[j]));
    members.push(s.params.map((p, j) => p - c.sigma * e[j]));
  }
  members.push(s.params);
  const generation = s.history.length + 1;
  const episodeSeed = (c.seed * 1_000_003 + generation) % 2 ** 32;
  const { returns } = rollout(
    s.shape,
    members,
    members.map(() => new CartPole({ observationNoise: c.observationNoise ?? 0 })),
    members.map(() => episodeSeed),
  );
  const population = returns.slice(0, 2 * c.pairs);
  const u = centredRanks(population);
  const grad = new Float64Array(n);
  eps.forEach((e, i) => {
    const w = (u[2 * i] - u[2 * i + 1]) / (2 * c.pairs * c.sigma);
    for (let j = 0; j < n; j++) grad[j] += w * e[j];
  });
  adamStep(s.params, s.adam, grad, c.lr, 1);
  s.rng = rng.getState();
  const g: EsGeneration = {
    generation,
    meanReturn: population.reduce((x, y) => x + y, 0) / population.length,
    bestReturn: Math.max(...population),
    centerReturn: returns[returns.length - 1],
  };
  s.history.push(g);
  return g;
}
