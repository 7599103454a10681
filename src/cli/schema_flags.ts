// Command-line flags built from a configuration schema: one flag per field, named by its key in
// kebab-case, its help from the field's description, its choices and range from the schema, parsed by the
// schema itself (so a flag and the configuration it sets can never disagree).
import { InvalidArgumentError, Option } from "commander";
import { z } from "zod";
import { decimal, show } from "../io/validate.js";

/** How a field's text becomes its value, when the schema alone does not say (e.g. "name:param"). */
export interface FlagCodec {
  /** The value's placeholder in the help, e.g. "name[:param]". */
  placeholder: string;
  parse(text: string): unknown;
  /** The flag may be given several times, each adding an item to the field's list. */
  repeatable?: boolean;
}

/** A field's flag: its option, the key it sets, and hidden options under the flag's old names. */
export interface FieldFlag {
  key: string;
  flag: string;
  option: Option;
  aliases: Option[];
}

/** "trainLimit" → "train-limit". */
const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The field's schema without its optional wrapper. */
function inner(field: z.ZodType): z.ZodType {
  return field instanceof z.ZodOptional ? (field.unwrap() as z.ZodType) : field;
}

/** The message a schema gives for `value` ("<flag> must be <expected>, got …"), or null when it accepts it. */
function refusal(schema: z.ZodType, value: unknown, flag: string, text: string): string | null {
  const r = schema.safeParse(value);
  if (r.success) return null;
  const issue = r.error.issues[0];
  const expected = (issue as { params?: { expected?: string } }).params?.expected ?? issue.message.replace(/, got .*$/, "").replace(/^expected /, "");
  if (expected === issue.message) return `${flag}: ${issue.message}`;
  const item = issue.path[0];
  if (typeof item === "number" && Array.isArray(value)) return `${flag}: item ${item + 1} (${show(text.split(",")[item]?.trim() ?? value[item])}) is not ${expected}`;
  return `${flag} must be ${expected}, got ${show(text)}`;
}

/** The parser of a field's flag: decimal numbers, comma lists (of numbers or names), non-empty text; every value checked by the field's schema. */
function parser(schema: z.ZodType, flag: string, codec?: FlagCodec): (text: string, previous: unknown) => unknown {
  return (text: string, previous: unknown) => {
    let value: unknown;
    if (codec?.repeatable) value = [...(Array.isArray(previous) ? previous : []), codec.parse(text)];
    else if (codec) value = codec.parse(text);
    else if (schema instanceof z.ZodNumber) value = decimal(text);
    else if (schema instanceof z.ZodArray) value = text.split(",").map((part) => (schema.element instanceof z.ZodNumber ? decimal(part) : part.trim()));
    else if (text.trim() === "") throw new InvalidArgumentError(`${flag} must not be empty`);
    else value = text;
    const problem = refusal(schema, value, flag, text);
    if (problem) throw new InvalidArgumentError(problem);
    return value;
  };
}

/** The help line of a field: its description, and its default where the description does not give one. */
function help(field: z.ZodType, fallback: unknown): string {
  const text = field.description ?? inner(field).description ?? "";
  if (fallback === undefined || fallback === false || /default/.test(text)) return text;
  return `${text} (default: ${Array.isArray(fallback) ? fallback.join(",") : String(fallback)})`;
}

/**
 * The flags of a schema's fields (less `omit`): booleans are switches; enums have choices; numbers and
 * lists of numbers are read as decimal text; every value is checked by the schema. `defaults` are the
 * values shown in the help; a field that is neither optional nor has a default is a mandatory flag.
 */
export function schemaFlags(
  schema: z.ZodObject,
  defaults: Record<string, unknown>,
  omit: readonly string[] = [],
  codecs: Record<string, FlagCodec> = {},
  oldNames: (flag: string) => readonly string[] = () => [],
): FieldFlag[] {
  const out: FieldFlag[] = [];
  for (const [key, raw] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    if (omit.includes(key)) continue;
    const field = inner(raw);
    const flag = `--${kebab(key)}`;
    const codec = codecs[key];
    const description = help(raw, defaults[key]);
    const old = oldNames(flag);
    const text = /(Dir|From|checkpoint|network)$/.test(key) ? "path" : "text";
    const placeholder = codec?.placeholder ?? (field instanceof z.ZodArray ? "list" : field instanceof z.ZodEnum ? "name" : field instanceof z.ZodNumber ? "n" : text);
    /** The option under one of its names: a switch, a choice, or a value parsed by the schema (errors name the flag as typed). */
    const make = (name: string, line: string): Option => {
      if (field instanceof z.ZodBoolean) return new Option(name, line);
      const option = new Option(`${name} <${placeholder}>`, line);
      return field instanceof z.ZodEnum && !codec ? option.choices(field.options as string[]) : option.argParser(parser(field, name, codec));
    };
    const option = make(flag, old.length > 0 ? `${description} (also ${old.join(", ")})` : description);
    if (!(raw instanceof z.ZodOptional) && defaults[key] === undefined && !(field instanceof z.ZodBoolean)) option.makeOptionMandatory();
    out.push({ key, flag, option, aliases: old.map((name) => make(name, description).hideHelp()) });
  }
  return out;
}
