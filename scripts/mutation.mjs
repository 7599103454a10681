// Mutation testing of the method cores, one folder at a time (Stryker; not part of `npm test`):
//   npm run mutation [-- dsn spiketrain ...] [--budget-minutes N] [--concurrency N]
// Each folder runs within the budget (default 60 minutes; a run past it is stopped and reported as
// incomplete), with the fast unit tests of that core; --concurrency sets Stryker's processes (default 4).
// Results: reports/mutation/<folder>.json (the mutation-testing report schema) and one table of scores per folder on stdout. Stryker's incremental
// files let a rerun test only the mutants whose code or tests changed.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;

/** The cores and the test files that exercise them. */
const FOLDERS = {
  dsn: ["test/dsn/herding.test.ts", "test/dsn/spiking_mlp.test.ts", "test/dsn/dsn_exact.test.ts"],
  spiketrain: ["test/spiketrain/spike_train.test.ts", "test/spiketrain/quantizer.test.ts", "test/spiketrain/experiments.test.ts", "test/spiketrain/spiketrain_exact.test.ts"],
  tem: ["test/tem/one_layer.test.ts", "test/tem/two_layer.test.ts", "test/tem/crossings.test.ts", "test/tem/tem_exact.test.ts"],
  robustness: ["test/robustness/attacks.test.ts", "test/robustness/attacks_exact.test.ts"],
  control: ["test/control/cartpole.test.ts", "test/control/policy.test.ts", "test/control/control_exact.test.ts"],
  transfer: ["test/transfer/continuous.test.ts", "test/transfer/continuous_training.test.ts", "test/transfer/transfer_exact.test.ts"],
  neurons: ["test/neurons/conventions.test.ts", "test/neurons/lif.test.ts", "test/neurons/modules.test.ts", "test/neurons/noisy_lif.test.ts", "test/neurons/neurons_exact.test.ts"],
};

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!(Number.isFinite(v) && v > 0)) {
    console.error(`${name} must be a positive number, got ${args[i + 1]}`);
    process.exit(2);
  }
  args.splice(i, 2);
  return v;
};
const budget = option("--budget-minutes", 60);
// Stryker splits its processes between TypeScript checkers and test runners (4: two of each), and the
// checkers idle once a batch is checked, so twice the cores keeps the runners busy.
const concurrency = option("--concurrency", 4);
const folders = args.length > 0 ? args : Object.keys(FOLDERS);
for (const f of folders)
  if (!Object.hasOwn(FOLDERS, f)) {
    console.error(`unknown folder "${f}": one of ${Object.keys(FOLDERS).join(", ")}`);
    process.exit(2);
  }
mkdirSync(join(root, "reports", "mutation"), { recursive: true });

/** Runs Stryker on one folder; resolves to "done" or "stopped" (past the budget). */
function runFolder(folder) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, "node_modules/@stryker-mutator/core/bin/stryker.js"), "run", "stryker.config.mjs"], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, MUTATION_FOLDER: folder, MUTATION_TESTS: JSON.stringify(FOLDERS[folder]), MUTATION_CONCURRENCY: String(concurrency) },
    });
    const timer = setTimeout(() => {
      console.error(`mutation: ${folder} ran past its budget of ${budget} minutes; stopping it`);
      child.kill("SIGINT");
      setTimeout(() => child.kill("SIGKILL"), 30_000).unref();
    }, budget * 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? "done" : "stopped");
    });
  });
}

/** Counts of a mutation-testing report by status, and the score (killed + timeout over those with a verdict). */
function score(file) {
  const report = JSON.parse(readFileSync(file, "utf8"));
  const counts = {};
  for (const f of Object.values(report.files)) for (const m of f.mutants) counts[m.status] = (counts[m.status] ?? 0) + 1;
  const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
  const undetected = (counts.Survived ?? 0) + (counts.NoCoverage ?? 0);
  return { counts, score: detected + undetected > 0 ? detected / (detected + undetected) : Number.NaN };
}

const rows = [];
for (const folder of folders) {
  const t0 = Date.now();
  const status = await runFolder(folder);
  const file = join(root, "reports", "mutation", `${folder}.json`);
  const minutes = (Date.now() - t0) / 60_000;
  if (status !== "done" || !existsSync(file)) {
    rows.push(`| ${folder} | incomplete (${status}) | | | | | ${minutes.toFixed(1)} |`);
    continue;
  }
  const { counts, score: s } = score(file);
  rows.push(`| ${folder} | ${(100 * s).toFixed(1)} % | ${counts.Killed ?? 0} | ${counts.Timeout ?? 0} | ${counts.Survived ?? 0} | ${counts.NoCoverage ?? 0} | ${minutes.toFixed(1)} |`);
}
console.log("\n| folder | mutation score | killed | timeout | survived | no coverage | minutes |\n|---|---|---|---|---|---|---|");
console.log(rows.join("\n"));
