/** Base class of every error snnkit throws on purpose. */
export class SnnkitError extends Error {
  override name = "SnnkitError";
}

/** Tensor shapes that do not fit the operation. Names the op and the shapes involved. */
export class ShapeError extends SnnkitError {
  override name = "ShapeError";
  constructor(
    readonly op: string,
    message: string,
    readonly shapes: readonly (readonly number[])[] = [],
  ) {
    super(`${op}: ${message}${shapes.length ? ` (shapes ${shapes.map(formatShape).join(" and ")})` : ""}`);
  }
}

/** A tensor's dtype does not fit the operation. */
export class DTypeError extends SnnkitError {
  override name = "DTypeError";
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
  }
}

/** An argument has a wrong value: names the argument, what was expected and what was given. */
export class ValueError extends SnnkitError {
  override name = "ValueError";
  constructor(
    readonly argument: string,
    readonly expected: string,
    readonly given: unknown,
  ) {
    super(`${argument}: expected ${expected}, got ${describe(given)}`);
  }
}

/** A tensor was used after dispose(). */
export class DisposedError extends SnnkitError {
  override name = "DisposedError";
  constructor(op: string) {
    super(`${op}: tensor was disposed`);
  }
}

/** Tensors from different backends were mixed, or a backend is unknown or unavailable. */
export class BackendError extends SnnkitError {
  override name = "BackendError";
}

/** Formats a shape as `[2, 3]`. */
function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (Array.isArray(value) && value.length > 8) return `an array of length ${value.length}`;
  if (value !== null && typeof value === "object" && !Array.isArray(value)) return `an object (${value.constructor?.name ?? "no prototype"})`;
  return preview(value);
}

/** A piece of text in preview's work list (as opposed to a value still to be written). */
class Text {
  constructor(readonly text: string) {}
}

/**
 * A value as JSON-like text of at most about `budget` characters ("…" marks a cut), for messages. Built
 * with a work list instead of recursion, so that a value nested 10⁶ levels deep (a hostile file) costs
 * `budget` steps and no stack. Numbers print as JavaScript does (NaN, Infinity); undefined as "nothing".
 */
export function preview(value: unknown, budget = 120): string {
  let out = "";
  const work: unknown[] = [value];
  while (work.length > 0 && out.length <= budget) {
    const item = work.pop();
    if (item instanceof Text) out += item.text;
    else if (Array.isArray(item)) {
      out += "[";
      work.push(new Text(item.length > budget ? ",…]" : "]"));
      for (let i = Math.min(item.length, budget) - 1; i >= 0; i--) work.push(item[i], ...(i > 0 ? [new Text(",")] : []));
    } else if (item !== null && typeof item === "object") {
      const keys = Object.keys(item).slice(0, budget);
      out += "{";
      work.push(new Text("}"));
      for (let i = keys.length - 1; i >= 0; i--) work.push((item as Record<string, unknown>)[keys[i]], new Text(`${JSON.stringify(keys[i].slice(0, budget))}:`), ...(i > 0 ? [new Text(",")] : []));
    } else if (typeof item === "string") out += JSON.stringify(item.length > budget ? `${item.slice(0, budget)}…` : item);
    else if (item === undefined) out += "nothing";
    else out += String(item);
  }
  return work.length > 0 ? `${out.slice(0, budget)}…` : out;
}

/** A data, checkpoint or network file is missing, truncated, corrupt or does not match: names the file and the problem. */
export class DataError extends SnnkitError {
  override name = "DataError";
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/**
 * A run would exceed one of its work limits (events, steps, spikes, memory): names the limit, the
 * amount the work needs (or has reached), and how to change it. Raised before the work starts where
 * the amount can be estimated, otherwise as soon as the limit is passed.
 */
export class LimitError extends SnnkitError {
  override name = "LimitError";
  constructor(
    readonly limit: string,
    message: string,
  ) {
    super(`${limit}: ${message}`);
  }
}

/** Training produced a NaN or infinite loss and stopped before applying the update. */
export class DivergenceError extends SnnkitError {
  override name = "DivergenceError";
}

/** Returns v when it is a finite number satisfying `ok`; otherwise throws ValueError(name, expected, v). */
export function checkedNumber(name: string, v: number, ok: (x: number) => boolean, expected: string): number {
  if (typeof v !== "number" || !Number.isFinite(v) || !ok(v)) throw new ValueError(name, expected, v);
  return v;
}

/** A service a run needs (a job queue) cannot be reached or refused a request: names its address and the problem. */
export class ServiceError extends SnnkitError {
  override name = "ServiceError";
  constructor(
    readonly address: string,
    readonly problem: string,
  ) {
    super(`${address}: ${problem}`);
  }
}
