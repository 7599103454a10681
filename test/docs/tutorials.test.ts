// Every code example of the tutorials runs, so the docs cannot rot: each ```ts block as a program (its
// imports of "snnkit" mapped to the sources), each `npx snnkit …` line of a ```sh block through the CLI,
// in a fresh directory; all must succeed.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../../src/cli/program.js";
import { withConsole } from "../helpers.js";

const ROOT = join(import.meta.dirname, "..", "..");
const TUTORIALS = join(ROOT, "docs", "tutorials");

/** The fenced blocks of a language in a markdown text. */
const blocks = (text: string, lang: string) => [...text.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]);

for (const file of readdirSync(TUTORIALS).filter((f) => f.endsWith(".md")).sort()) {
  const text = readFileSync(join(TUTORIALS, file), "utf8");
  test(`docs/tutorials/${file}: every example runs`, { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "snnkit-tutorial-"));
    const ts = blocks(text, "ts");
    const sh = blocks(text, "sh");
    assert.ok(ts.length + sh.length > 0, "the tutorial has examples");
    ts.forEach((code, k) => {
      const program = join(dir, `example${k}.mts`);
      writeFileSync(program, code.replace(/from "snnkit(\/[a-z]+)?"/g, (_, sub: string | undefined) => `from "${join(ROOT, "src", sub ? `${sub.slice(1)}.ts` : "index.ts")}"`));
      execFileSync(process.execPath, ["--import", import.meta.resolve("tsx"), program], { cwd: ROOT, stdio: "pipe", timeout: 120_000 });
    });
    const here = process.cwd();
    process.chdir(dir);
    try {
      for (const block of sh)
        for (const line of block.split("\n").map((l) => l.replace(/#.*$/, "").trim()).filter((l) => l.startsWith("npx snnkit "))) {
          const args = line.slice("npx snnkit ".length).split(/\s+/).map((a) => (a.startsWith("examples/") ? join(ROOT, a) : a));
          await withConsole(async (out) => assert.equal(await runCli(args), 0, `${line}\n${out.join("\n")}`));
        }
    } finally {
      process.chdir(here);
    }
  });
}
