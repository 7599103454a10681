// Parsers of the flags that are not configuration fields (--threads, --checkpoint-every, --out, and the
// options of control's --eval): each names the flag, its range and the value it rejects.
import { InvalidArgumentError } from "commander";
import { decimal } from "../io/validate.js";

/** An integer in [min, max], written in decimal. */
export const intFlag = (flag: string, min: number, max: number) => (v: string): number => {
  const n = decimal(v);
  if (!(Number.isInteger(n) && n >= min && n <= max)) throw new InvalidArgumentError(`${flag} must be an integer in [${min}, ${max}], got "${v}"`);
  return n;
};

/** A file or directory path: not empty, not only spaces (an empty --out would write into the working directory). */
export const pathFlag = (flag: string) => (v: string): string => {
  if (v.trim() === "") throw new InvalidArgumentError(`${flag} must be a path, got an empty string`);
  return v;
};
