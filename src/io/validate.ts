// Validation of JSON files (network files, checkpoint headers) against zod schemas, with errors that
// name the file and the path of the bad field.
import { z } from "zod";
import { DataError } from "../errors.js";

/** A value as it appears in a message: JSON, or "nothing" when absent. */
export function show(v: unknown): string {
  return v === undefined ? "nothing" : (JSON.stringify(v) ?? String(v));
}

/**
 * A schema for a finite number meeting `ok`, whose issue says "expected <expected>, got <value>" and
 * carries `expected` in its params (for callers that rebuild a ValueError from it).
 */
export function finiteNumber(expected: string, ok: (x: number) => boolean = () => true) {
  return z
    .unknown()
    .refine((v) => typeof v === "number" && Number.isFinite(v) && ok(v), { params: { expected }, error: (issue) => `expected ${expected}, got ${show(issue.input)}` })
    .transform((v) => v as number);
}

/** `a.b[2].c` from a zod issue path ("root" when empty). */
export function formatPath(path: readonly PropertyKey[]): string {
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
