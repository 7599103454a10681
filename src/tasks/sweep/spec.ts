// Sweep specifications: a command, fixed settings, a grid (or random draws) over some of its flags and a list
// of seeds, expanded into runs, each with an id that names it wherever it runs.
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { DataError, ValueError } from "../../errors.js";
import { crc32 } from "../../io/crc32.js";
import { integerIn as integer } from "../../io/validate.js";
import { MAX_SEED, Rng } from "../../random/rng.js";
import { commandFields, configureCommand, SWEEP_COMMANDS } from "./commands.js";

/** Most runs one sweep may expand into. */
const MAX_RUNS = 10_000;

const value = z.union([z.string(), z.number(), z.boolean(), z.null(), z.record(z.string(), z.unknown()), z.array(z.unknown())]);
const range = z.strictObject({ min: z.number(), max: z.number(), log: z.boolean().optional(), integer: z.boolean().optional() });

/** The JSON of a sweep (see docs/sweeps.md). */
const sweepSpecSchema = z.strictObject({
  command: z.string().describe("the command each run executes, as typed after snnkit (train, dsn train, robustness, tem sweep, ...)"),
  args: z.record(z.string(), value).default({}).describe("settings every run shares, by flag name without dashes"),
  grid: z.record(z.string(), z.array(value).min(1)).default({}).describe("flag → the values to try; every combination runs"),
  random: z
    .strictObject({ samples: integer(1, MAX_RUNS), seed: integer(0, MAX_SEED).default(0), space: z.record(z.string(), z.union([range, z.strictObject({ choices: z.array(value).min(1) })])) })
    .optional()
    .describe("random search: `samples` draws over the space (a range, log-uniform with log, or choices)"),
  seeds: z.array(integer(0, MAX_SEED)).min(1).default([0]).describe("every combination runs once per seed (the command's --seed)"),
  out: z.string().min(1).describe("directory under which each run gets its own folder, named by its run id"),
  metric: z.string().default("test_accuracy").describe("the result field the table and the plot show"),
  checkpointEvery: integer(0, 1_000_000).default(20).describe("tasks: also save a checkpoint every n units (batches), so a run taken over by another worker loses little"),
});
/** A validated sweep. */
export type SweepSpec = z.output<typeof sweepSpecSchema>;

/** One run of a sweep: its id, its command and its settings (flag names without dashes → values). */
export interface SweepRun {
  id: string;
  command: string;
  settings: Record<string, unknown>;
}

/** "batch-size" → "batchSize": a flag name without dashes as its configuration field. */
function fieldOf(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** JSON with object keys sorted, so that equal settings always give the same text (and id). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

/** A run's id: "r" and the CRC-32 of its command and settings, in hex (the same run has the same id in every sweep). */
export function runId(command: string, settings: Record<string, unknown>): string {
  return `r${crc32(new TextEncoder().encode(canonical({ command, settings }))).toString(16).padStart(8, "0")}`;
}

/**
 * A sweep from its JSON text, or YAML where `source` ends in .yaml or .yml (`source` names the file in
 * errors): the schema's checks, a known command, settings that are the command's flags, and at most
 * MAX_RUNS runs. A DataError names the file and the field.
 */
export function parseSweepSpec(text: string, source: string): SweepSpec {
  const yaml = /\.ya?ml$/i.test(source);
  let json: unknown;
  try {
    json = yaml ? parseYaml(text, { maxAliasCount: 100 }) : JSON.parse(text);
  } catch (e) {
    throw new DataError(source, `not ${yaml ? "YAML" : "JSON"}: ${(e as Error).message.split("\n")[0]}`);
  }
  const parsed = sweepSpecSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DataError(source, `${issue.path.join(".") || "the sweep"}: ${issue.message}`);
  }
  const spec = parsed.data;
  const command = SWEEP_COMMANDS[spec.command];
  if (!command) throw new DataError(source, `command: expected one of ${Object.keys(SWEEP_COMMANDS).join(", ")}, got "${spec.command}"`);
  const fields = commandFields(command);
  for (const [where, flags] of [["args", Object.keys(spec.args)], ["grid", Object.keys(spec.grid)], ["random.space", Object.keys(spec.random?.space ?? {})]] as const)
    for (const flag of flags) {
      if (flag === "seed" || flag === "out") throw new DataError(source, `${where}.${flag}: set by the sweep (seeds, out), not a setting to give`);
      if (!fields.includes(fieldOf(flag))) throw new DataError(source, `${where}.${flag}: not a flag of snnkit ${spec.command}`);
    }
  const count = Object.values(spec.grid).reduce((n, values) => n * values.length, 1) * (spec.random?.samples ?? 1) * spec.seeds.length;
  if (count > MAX_RUNS) throw new DataError(source, `${count} runs, more than ${MAX_RUNS}: a smaller grid or fewer seeds`);
  if (!fields.includes("seed")) throw new DataError(source, `command: snnkit ${spec.command} takes no --seed to sweep`);
  return spec;
}

/** Every combination of the grid's values, in the order of its flags (the last varies fastest). */
function combinations(grid: Record<string, readonly unknown[]>): Record<string, unknown>[] {
  return Object.entries(grid).reduce<Record<string, unknown>[]>((acc, [flag, values]) => acc.flatMap((c) => values.map((v) => ({ ...c, [flag]: v }))), [{}]);
}

/** One draw of the random space. */
function draw(space: NonNullable<SweepSpec["random"]>["space"], rng: Rng): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [flag, s] of Object.entries(space)) {
    if ("choices" in s) out[flag] = s.choices[rng.int(s.choices.length)];
    else {
      const u = rng.uniform();
      const v = s.log ? Math.exp(Math.log(s.min) + u * (Math.log(s.max) - Math.log(s.min))) : s.min + u * (s.max - s.min);
      out[flag] = s.integer ? Math.round(v) : v;
    }
  }
  return out;
}

/**
 * The runs of a sweep: each grid combination (and random draw) with each seed, over the fixed args.
 * Every run's configuration is checked by its command, so a bad value stops the sweep before any run
 * starts; a ValueError names the run's settings and the field.
 */
export function expandRuns(spec: SweepSpec): SweepRun[] {
  const command = SWEEP_COMMANDS[spec.command];
  if (!command) throw new ValueError("command", Object.keys(SWEEP_COMMANDS).join(" | "), spec.command);
  const rng = new Rng(spec.random?.seed ?? 0);
  const points = spec.random ? Array.from({ length: spec.random.samples }, () => draw(spec.random!.space, rng)) : [{}];
  const runs: SweepRun[] = [];
  for (const grid of combinations(spec.grid))
    for (const point of points)
      for (const seed of spec.seeds) {
        const settings = { ...spec.args, ...grid, ...point, seed };
        try {
          configureCommand(command, Object.fromEntries(Object.entries(settings).map(([flag, v]) => [fieldOf(flag), v])));
        } catch (e) {
          if (e instanceof ValueError) throw new ValueError(`the run ${canonical(settings)}: ${e.argument}`, e.expected, e.given);
          throw e;
        }
        runs.push({ id: runId(spec.command, settings), command: spec.command, settings });
      }
  const ids = new Set(runs.map((r) => r.id));
  if (ids.size !== runs.length) throw new ValueError("grid/seeds", "distinct runs (a value or seed is listed twice)", `${runs.length - ids.size} duplicates`);
  return runs;
}

/** The fields of a run's configuration (its settings under their configuration names). */
export function runFields(run: SweepRun): Record<string, unknown> {
  return Object.fromEntries(Object.entries(run.settings).map(([flag, v]) => [fieldOf(flag), v]));
}
