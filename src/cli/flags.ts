// Parsers of numeric command-line flags: each names the flag and the value it rejects.
import { InvalidArgumentError } from "commander";

/** A parser that accepts a finite number satisfying `ok`, else fails with "<flag> must be <expected>". */
export function numberFlag(flag: string, ok: (n: number) => boolean, expected: string): (v: string) => number {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === "" || !Number.isFinite(n) || !ok(n)) throw new InvalidArgumentError(`${flag} must be ${expected}, got "${v}"`);
    return n;
  };
}

/** A positive integer (digits only). */
export const positiveIntFlag = (flag: string) => numberFlag(flag, (n) => Number.isInteger(n) && n >= 1, "a positive integer");
/** A non-negative integer. */
export const nonNegativeIntFlag = (flag: string) => numberFlag(flag, (n) => Number.isInteger(n) && n >= 0, "a non-negative integer");
/** A number > 0. */
export const positiveFlag = (flag: string) => numberFlag(flag, (n) => n > 0, "a number > 0");
/** A number >= 0. */
export const nonNegativeFlag = (flag: string) => numberFlag(flag, (n) => n >= 0, "a number >= 0");
/** Any finite number. */
export const finiteFlag = (flag: string) => numberFlag(flag, Number.isFinite, "a finite number");
