// Validation of JSON files (network files, checkpoint headers) against zod schemas, with errors that
// name the file and the path of the bad field; and numbers written as text.
import { z } from "zod";
import { DataError, preview, ValueError } from "../errors.js";

/** A value as it appears in a message: short JSON-like text (bounded, also for deeply nested values), or "nothing" when absent. */
export const show = (v: unknown): string => preview(v);

/**
 * A schema for a finite number meeting `ok`, whose issue says "expected <expected>, got <value>" (for a
 * value of another type too) and carries `expected` in its params (for callers that rebuild a ValueError
 * from it, and for flags parsed by the schema).
 */
export function finiteNumber(expected: string, ok: (x: number) => boolean = () => true) {
  const error = (issue: { input?: unknown }) => `expected ${expected}, got ${show(issue.input)}`;
  return z.number({ error }).refine((v) => Number.isFinite(v) && ok(v), { params: { expected }, error });
}

/** `a.b[2].c` from a zod issue path ("root" when empty). */
function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) out += typeof key === "number" ? `[${key}]` : `${out ? "." : ""}${String(key)}`;
  return out || "root";
}

/**
 * Parses `value` with `schema`; on failure throws a DataError naming `file`, the path of the first bad
 * field and what was wrong with it (e.g. `net.json: synapses.pre[3]: expected a neuron index in [0, 10)`).
 */
export function parseWithSchema<S extends z.ZodType>(schema: S, value: unknown, file: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new DataError(file, `${formatPath(issue.path)}: ${issue.message}`);
}

/**
 * Parses settings (e.g. a run's configuration) with `schema`; on failure throws a ValueError naming the
 * path of the first bad field, what it expects and the value given.
 */
export function parseSettings<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  let given: unknown = value;
  for (const key of issue.path) given = (given as Record<PropertyKey, unknown> | undefined)?.[key];
  const expected = (issue as { params?: { expected?: string } }).params?.expected ?? issue.message.replace(/, got .*$/, "").replace(/^expected /, "");
  throw new ValueError(formatPath(issue.path), expected, given);
}

/** A zod enum of `values` whose issue says "expected a | b | c, got <value>". */
export function choice<T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: (issue) => `expected ${values.join(" | ")}, got ${show(issue.input)}` });
}

/** A schema for an integer in [min, max]. */
export function integerIn(min: number, max: number) {
  return finiteNumber(`an integer in [${min}, ${max}]`, (x) => Number.isInteger(x) && x >= min && x <= max);
}

/** Decimal numbers as people write them ("12", "-0.5", "1e-3", ".5"); not hex, binary, octal or "Infinity". */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number a flag's text writes in decimal, or NaN (also for "0x1", "0b1", "" and "Infinity"). */
export function decimal(text: string): number {
  const t = text.trim();
  return DECIMAL.test(t) ? Number(t) : Number.NaN;
}
