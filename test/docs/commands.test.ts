// The commands in the README and the method pages of docs/ stay valid: every `npx snnkit …` line of their
// ```sh blocks parses and configures (`--dry-run`: flags known, every value checked, nothing run), since
// many of them train for minutes or hours. (The tutorials' examples run in full: tutorials.test.ts.)
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../../src/cli/program.js";
import { withConsole } from "../helpers.js";

const ROOT = join(import.meta.dirname, "..", "..");
const PAGES = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => join("docs", f))];

/** The `npx snnkit …` commands of a page's sh blocks (several per line when joined with &&), comments dropped. */
function commands(text: string): string[][] {
  const out: string[][] = [];
  for (const block of [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]))
    for (const line of block.split("\n"))
      for (const part of line.replace(/#.*$/, "").split("&&").map((p) => p.trim()))
        if (part.startsWith("npx snnkit ") && !/[|<>$`]/.test(part)) out.push(part.slice("npx snnkit ".length).split(/\s+/).filter(Boolean));
  return out;
}

/** Commands that are not tasks or jobs, with no --dry-run (they read a sweep file or serve a queue): their --help must work. */
const HELP_ONLY = new Set(["data verify", "sweep", "worker", "--help"]);

for (const page of PAGES) {
  const found = commands(readFileSync(join(ROOT, page), "utf8"));
  if (found.length === 0) continue;
  test(`${page}: every snnkit command parses and configures`, async () => {
    await withConsole(async (out) => {
      for (const args of found) {
        const name = args.filter((a) => !a.startsWith("-")).slice(0, 2).join(" ");
        const helpOnly = [...HELP_ONLY].some((h) => name.startsWith(h) || args[0] === h) || args.includes("--help");
        const code = await runCli(helpOnly ? [...args.filter((a) => !a.startsWith("-") && !/[./]/.test(a)), "--help"] : [...args, "--dry-run"]);
        assert.equal(code, 0, `${page}: snnkit ${args.join(" ")}\n${out.slice(-3).join("\n")}`);
      }
    });
  });
}
