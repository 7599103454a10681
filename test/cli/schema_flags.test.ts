// Flags built from a configuration schema: names, help, choices, parsing by the schema (numbers in
// decimal only, lists of numbers or names, switches, repeatable flags), mandatory fields and old names.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Command } from "commander";
import { z } from "zod";
import { schemaFlags } from "../../src/cli/schema_flags.js";
import { choice, finiteNumber, integerIn } from "../../src/io/validate.js";

const schema = z.strictObject({
  batchSize: integerIn(1, 100).describe("batch size"),
  rate: finiteNumber("a number in (0, 1]", (x) => x > 0 && x <= 1).describe("a rate").optional(),
  mode: choice(["fast", "exact"] as const).describe("how"),
  layers: z.array(integerIn(1, 10)).describe("sizes"),
  names: z.array(choice(["a", "b"] as const)).describe("names").optional(),
  verbose: z.boolean().describe("say more"),
  network: z.string().describe("a file"),
  seeds: z.array(z.number()).describe("repeat me").optional(),
});

/** Parses `args` with the schema's flags; returns the values commander holds, or the error it printed. */
function parse(args: string[]): { values: Record<string, unknown>; error: string | null } {
  const command = new Command().exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  const codecs = { seeds: { placeholder: "n", repeatable: true, parse: (t: string) => Number(t) } };
  for (const f of schemaFlags(schema, { batchSize: 8, mode: "fast", layers: [2], verbose: false }, [], codecs, (flag) => (flag === "--batch-size" ? ["--bs"] : [])))
    for (const o of [f.option, ...f.aliases]) command.addOption(o);
  try {
    command.parse(args, { from: "user" });
    return { values: command.opts(), error: null };
  } catch (e) {
    return { values: {}, error: (e as Error).message };
  }
}

test("flags are the keys in kebab-case, with help from the schema, defaults where the description has none", () => {
  const flags = schemaFlags(schema, { batchSize: 8, mode: "fast", layers: [2], verbose: false });
  assert.deepEqual(flags.map((f) => f.flag), ["--batch-size", "--rate", "--mode", "--layers", "--names", "--verbose", "--network", "--seeds"]);
  assert.equal(flags[0].option.description, "batch size (default: 8)");
  assert.equal(flags[3].option.description, "sizes (default: 2)");
  assert.deepEqual(flags[2].option.argChoices, ["fast", "exact"]);
  assert.equal(flags[5].option.description, "say more");
  // A field with neither a default nor optional is a mandatory flag.
  assert.deepEqual(flags.filter((f) => f.option.mandatory).map((f) => f.flag), ["--network"]);
  assert.match(flags[6].option.flags, /<path>/);
});

test("values are read by the schema: decimal numbers, lists of numbers or names, switches, repeats, old names", () => {
  const ok = parse(["--network", "n.json", "--batch-size", "16", "--rate", "0.5", "--layers", "3, 4", "--names", "b,a", "--verbose", "--seeds", "1", "--seeds", "2"]);
  assert.equal(ok.error, null);
  assert.deepEqual(ok.values, { network: "n.json", batchSize: 16, rate: 0.5, layers: [3, 4], names: ["b", "a"], verbose: true, seeds: [1, 2] });
  assert.equal(parse(["--network", "n", "--bs", "12"]).values.bs, 12);
  const withFile = (...args: string[]) => [...args, "--network", "n.json"];
  for (const [args, message] of [
    [withFile("--batch-size", "0x10"), /--batch-size must be an integer in \[1, 100\], got "0x10"/],
    [withFile("--batch-size", "101"), /--batch-size must be an integer in \[1, 100\]/],
    [withFile("--bs", "abc"), /--bs must be an integer in \[1, 100\], got "abc"/],
    [withFile("--rate", "Infinity"), /--rate must be a number in \(0, 1\]/],
    [withFile("--layers", "3,,4"), /--layers: item 2 \(""\) is not an integer in \[1, 10\]/],
    [withFile("--names", "a,c"), /--names: item 2 \("c"\) is not a \| b/],
    [withFile("--mode", "slow"), /Allowed choices are fast, exact/],
    [["--network", " "], /--network must not be empty/],
    [["--batch-size", "4"], /required option '--network <path>'/],
  ] as [string[], RegExp][])
    assert.match(parse(args).error ?? "accepted", message, args.join(" "));
});
