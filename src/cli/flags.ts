// Parsers of numeric command-line flags: each names the flag, its range and the value it rejects.
import { InvalidArgumentError } from "commander";
import { decimal } from "../io/validate.js";
import { MAX_SEED } from "../random/rng.js";

/** A parser that accepts a finite number satisfying `ok`, else fails with "<flag> must be <expected>". */
function numberFlag(flag: string, ok: (n: number) => boolean, expected: string): (v: string) => number {
  return (v: string): number => {
    const n = decimal(v);
    if (!Number.isFinite(n) || !ok(n)) throw new InvalidArgumentError(`${flag} must be ${expected}, got "${v}"`);
    return n;
  };
}

/** An integer in [min, max]. */
export const intFlag = (flag: string, min: number, max: number) =>
  numberFlag(flag, (n) => Number.isInteger(n) && n >= min && n <= max, `an integer in [${min}, ${max}]`);
/** A number in (0, max]. */
export const positiveFlag = (flag: string, max = 1e12) => numberFlag(flag, (n) => n > 0 && n <= max, `a number in (0, ${max}]`);
/** A number in [0, max]. */
export const nonNegativeFlag = (flag: string, max = 1e12) => numberFlag(flag, (n) => n >= 0 && n <= max, `a number in [0, ${max}]`);
/** A number in [−max, max]. */
export const finiteFlag = (flag: string, max = 1e12) => numberFlag(flag, (n) => Math.abs(n) <= max, `a number in [-${max}, ${max}]`);
/** A seed: an integer in [0, 2³² − 1]. */
export const seedFlag = (flag = "--seed") => intFlag(flag, 0, MAX_SEED);
/** A file or directory path: not empty, not only spaces (an empty --out would write into the working directory). */
export const pathFlag = (flag: string) => (v: string): string => {
  if (v.trim() === "") throw new InvalidArgumentError(`${flag} must be a path, got an empty string`);
  return v;
};

/** "1,2,3.5" → numbers (each finite and meeting `ok`). */
export function numberList(flag: string, ok: (n: number) => boolean = () => true, expected = "a finite number") {
  return (v: string): number[] => {
    const parts = v.split(",").map((s) => s.trim());
    return parts.map((p, i) => {
      const n = decimal(p);
      if (!Number.isFinite(n) || !ok(n)) throw new InvalidArgumentError(`${flag}: item ${i + 1} ("${p}") is not ${expected}`);
      return n;
    });
  };
}

