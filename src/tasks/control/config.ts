// The configuration of a cart-pole run (`snnkit control cartpole`): one schema for its type, its
// validation, the CLI's flags and the configuration stored in every checkpoint.
import { z } from "zod";
import { choice, finiteNumber as number, integerIn as integer, parseSettings } from "../../io/validate.js";
import { MAX_SEED } from "../../random/rng.js";
import { withDefaults } from "../run/settings.js";
import { DEFAULT_ES, type EsConfig } from "./es.js";
import { DEFAULT_PG, type PgConfig } from "./pg.js";
import { CONTROL_METHODS } from "./session.js";

/** Every field of a cart-pole run: its range, and its description (the help of its flag). */
export const controlConfigSchema = z.strictObject({
  method: choice(CONTROL_METHODS).describe("es: evolution strategy (no gradients); pg: policy gradients through the surrogate"),
  episodes: integer(1, 100_000_000).describe("training budget in episodes (whole generations or updates)"),
  seed: integer(0, MAX_SEED).describe("seed of the weights, perturbations, actions and start states"),
  hidden: integer(1, 4096).describe("coarse-LIF neurons of the policy"),
  observationNoise: number("a number in [0, 1000]", (x) => x >= 0 && x <= 1000).describe("a harder variant: Gaussian noise of this standard deviation on every observed value (0: none)"),
  evalEvery: integer(1, 1_000_000).describe("the greedy policy plays the 100 stopping episodes every this many iterations"),
  keepGoing: z.boolean().describe("train the whole budget instead of stopping once solved"),
});

/** Everything that defines a cart-pole run. */
export type ControlConfig = z.output<typeof controlConfigSchema>;

/** The defaults of `snnkit control cartpole`. */
export const DEFAULT_CONTROL: ControlConfig = { method: "es", episodes: 5000, seed: 0, hidden: 16, observationNoise: 0, evalEvery: 5, keepGoing: false };

/** A configuration from the fields given (absent or undefined ones take the defaults), validated. */
export function configureControl(fields: Partial<ControlConfig>): ControlConfig {
  return parseSettings(controlConfigSchema, withDefaults(DEFAULT_CONTROL, fields));
}

/** The method's own settings for a run: the method's defaults with the run's seed, size and observation noise. */
export function methodConfig(c: ControlConfig): EsConfig | PgConfig {
  const noise = c.observationNoise > 0 ? { observationNoise: c.observationNoise } : {};
  return { ...(c.method === "es" ? DEFAULT_ES : DEFAULT_PG), seed: c.seed, hidden: c.hidden, ...noise };
}
