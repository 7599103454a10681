// Runs every test/**/*.test.ts with Node's built-in test runner (TypeScript through tsx).
// Node 20's `--test` does not expand globs, so the files are listed here.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const files = readdirSync(join(root, "test"), { recursive: true })
  .map(String)
  .filter((f) => f.endsWith(".test.ts"))
  .sort()
  .map((f) => join("test", f));
if (files.length === 0) {
  console.error("no test files found under test/");
  process.exit(1);
}
const extra = process.argv.slice(2);
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", ...extra, ...files], {
  cwd: root,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
