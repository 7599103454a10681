// The TypeScript examples of the README and the method pages run: each ```ts block as a program (its
// imports of "snnkit" mapped to the sources), in a directory holding the `model.json` that `snnkit
// export` writes (the README loads one).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import { runCli } from "../../src/cli/program.js";
import { withConsole } from "../helpers.js";

const ROOT = join(import.meta.dirname, "..", "..");
const PAGES = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => join("docs", f))];
const dir = mkdtempSync(join(tmpdir(), "snnkit-snippets-"));

before(async () => {
  await withConsole(async (out) => {
    for (const args of [
      ["train", "--model", "mlp", "--steps", "2", "--epochs", "1", "--train-limit", "300", "--test-limit", "20", "--out", join(dir, "run")],
      ["export", "--checkpoint", join(dir, "run", "checkpoint.snnk"), "--out", join(dir, "model.json")],
    ])
      assert.equal(await runCli(args), 0, out.join("\n"));
  });
});

for (const page of PAGES) {
  const blocks = [...readFileSync(join(ROOT, page), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  blocks.forEach((code, k) =>
    test(`${page}: TypeScript example ${k + 1} runs`, { timeout: 180_000 }, () => {
      const program = join(dir, `${page.replace(/\W/g, "_")}_${k}.mts`);
      writeFileSync(program, code.replace(/from "snnkit(\/[a-z]+)?"/g, (_, sub: string | undefined) => `from "${join(ROOT, "src", sub ? `${sub.slice(1)}.ts` : "index.ts")}"`));
      execFileSync(process.execPath, ["--import", import.meta.resolve("tsx"), program], { cwd: dir, stdio: "pipe", timeout: 170_000 });
    }),
  );
}
