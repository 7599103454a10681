// The contract of a one-shot run (an evaluation, a sweep, a simulation): a configuration schema and a
// function from it to a result, writing its files through the context's RunStore. Runs with epochs,
// checkpoints and resume are Tasks (task.ts).
import type { z } from "zod";
import { parseSettings } from "../../io/validate.js";
import { withDefaults } from "./settings.js";
import type { TaskContext } from "./task.js";

/** What a job may report while it runs. */
export interface JobHooks {
  /** Progress of long work: what it is, how much is done of how much. */
  progress?: (what: string, done: number, total: number) => void;
  /** A line worth showing as it happens (e.g. one point of a sweep). */
  note?: (line: string) => void;
  /** Polled between pieces of work; true stops the job (what it measured so far is kept). */
  shouldStop?: () => boolean;
}

/** A one-shot run: `C` its configuration, `R` its result. */
export interface Job<C extends object, R> {
  /** The command's name, e.g. "eval" or "analyze distance" (its parent command first). */
  readonly name: string;
  /** What it does, in a line (the command's help). */
  readonly description?: string;
  /** Every setting: type, range, default and description (the CLI is built from it). */
  readonly schema: z.ZodObject;
  /** The defaults (those that depend on other fields are said in their descriptions); fields without one are required. */
  readonly defaults: Partial<C>;
  /** Fills the defaults (dependent ones too) and validates; a ValueError names the first bad field. */
  configure(fields: Partial<C>): C;
  /** Runs the job; files it writes go through `context.store`. */
  run(config: C, context: TaskContext, hooks: JobHooks): R | Promise<R>;
  /** The result as text for a person (a command without its own printer prints this, or the JSON). */
  summary?(result: R, config: C): string;
}

/** The schema, defaults and configure() of a run whose configuration is its schema over defaults, nothing more to check. */
export function schemaSettings<C extends object>(schema: z.ZodObject, defaults: Partial<C>): Pick<Job<C, unknown>, "schema" | "defaults" | "configure"> {
  return { schema, defaults, configure: (fields) => parseSettings(schema, withDefaults(defaults, fields)) as C };
}
