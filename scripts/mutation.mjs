// Mutation testing of the method cores, one folder at a time (Stryker; not part of `npm test`):
//   npm run mutation [-- dsn spiketrain ...] [--budget-minutes N] [--concurrency N] [--only name,...]
// Each source file of a folder is a Stryker run of its own, with the fast unit tests of that core, so a
// run stopped at the budget (default 60 minutes per folder) loses only the file in progress; --concurrency
// sets Stryker's processes (default 4). Results: reports/mutation/<folder>/<file>.json per source file,
// merged into reports/mutation/<folder>.json (the mutation-testing report schema), and one table of scores
// per folder on stdout. Stryker's incremental files let a rerun test only the mutants whose code or tests
// changed.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;

/** The cores and the test files that exercise them. */
const FOLDERS = {
  dsn: ["test/dsn/herding.test.ts", "test/dsn/spiking_mlp.test.ts", "test/dsn/dsn_exact.test.ts", "test/dsn/authors_code.test.ts"],
  spiketrain: ["test/spiketrain/spike_train.test.ts", "test/spiketrain/quantizer.test.ts", "test/spiketrain/experiments.test.ts", "test/spiketrain/spiketrain_exact.test.ts"],
  tem: ["test/tem/one_layer.test.ts", "test/tem/two_layer.test.ts", "test/tem/crossings.test.ts", "test/tem/tem_exact.test.ts", "test/tem/tem_reference.test.ts", "test/tem/tem_bound.test.ts", "test/tem/tem_recovery.test.ts", "test/tem/tem_contract.test.ts"],
  robustness: ["test/robustness/attacks.test.ts", "test/robustness/attacks_exact.test.ts"],
  control: ["test/control/cartpole.test.ts", "test/control/policy.test.ts", "test/control/control_exact.test.ts"],
  transfer: ["test/transfer/continuous.test.ts", "test/transfer/continuous_training.test.ts", "test/transfer/transfer_exact.test.ts", "test/transfer/transfer_memory.test.ts"],
  neurons: ["test/neurons/conventions.test.ts", "test/neurons/lif.test.ts", "test/neurons/modules.test.ts", "test/neurons/noisy_lif.test.ts", "test/neurons/neurons_exact.test.ts"],
};

const args = process.argv.slice(2);
/** Removes `name` and its value from the arguments; returns the value ("" when it has none, undefined when the flag is absent). */
const takeFlag = (name) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : (args.splice(i, 2)[1] ?? "");
};
const option = (name, fallback) => {
  const raw = takeFlag(name);
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!(Number.isFinite(v) && v > 0)) {
    console.error(`${name} must be a positive number, got ${raw}`);
    process.exit(2);
  }
  return v;
};
const budget = option("--budget-minutes", 60);
// Stryker splits its processes between TypeScript checkers and test runners (4: two of each), and the
// checkers idle once a batch is checked, so twice the cores keeps the runners busy.
const concurrency = option("--concurrency", 4);
// --only prony,two_layer: run those source files of the folder (by name, without .ts); the folder's
// report still merges every file's latest report.
const onlyFlag = takeFlag("--only");
const only = onlyFlag === undefined ? null : onlyFlag.split(",").filter(Boolean);
if (only && only.length === 0) {
  console.error("--only needs source file names, e.g. --only prony,two_layer");
  process.exit(2);
}
const folders = args.length > 0 ? args : Object.keys(FOLDERS);
for (const f of folders)
  if (!Object.hasOwn(FOLDERS, f)) {
    console.error(`unknown folder "${f}": one of ${Object.keys(FOLDERS).join(", ")}`);
    process.exit(2);
  }

/** The TypeScript sources of a core, relative to the project root. */
function sources(folder) {
  return readdirSync(join(root, "src", folder), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

/** reports/mutation/<folder>/<name> for a source file src/<folder>/<name>.ts (as stryker.config.mjs names it). */
const reportBase = (source) => join(root, "reports", "mutation", source.replace(/^src\//, "").replace(/\.ts$/, ""));

/**
 * Before a file's first run of its own: its part of the folder's earlier incremental report (from when a
 * folder was one Stryker run), so that its mutants' results are reused.
 */
function seedIncremental(folder, source) {
  const mine = `${reportBase(source)}.incremental.json`;
  const whole = join(root, "reports", "mutation", `${folder}.incremental.json`);
  if (existsSync(mine) || !existsSync(whole)) return;
  const report = JSON.parse(readFileSync(whole, "utf8"));
  if (!report.files[source]) return;
  mkdirSync(dirname(mine), { recursive: true });
  writeFileSync(mine, JSON.stringify({ ...report, files: { [source]: report.files[source] } }));
}

/** Runs Stryker on one source file within `minutes`; resolves to "done" or "stopped" (past the budget). */
function runFile(folder, source, minutes) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, "node_modules/@stryker-mutator/core/bin/stryker.js"), "run", "stryker.config.mjs"], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, MUTATION_FILE: source, MUTATION_TESTS: JSON.stringify(FOLDERS[folder]), MUTATION_CONCURRENCY: String(concurrency) },
    });
    const timer = setTimeout(() => {
      console.error(`mutation: ${source} ran past the budget of ${folder} (${budget} minutes); stopping it`);
      child.kill("SIGINT");
      setTimeout(() => child.kill("SIGKILL"), 30_000).unref();
    }, minutes * 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? "done" : "stopped");
    });
  });
}

/** Runs every source file of a folder within the budget; merges their reports into reports/mutation/<folder>.json. */
async function runFolder(folder) {
  const t0 = Date.now();
  const missing = [];
  let stopped = false;
  const chosen = sources(folder).filter((source) => !only || only.includes(source.replace(/^.*\//, "").replace(/\.ts$/, "")));
  if (only && chosen.length === 0) {
    console.error(`--only ${only.join(",")}: no such source file in src/${folder}`);
    process.exit(2);
  }
  for (const source of chosen) {
    const left = budget - (Date.now() - t0) / 60_000;
    seedIncremental(folder, source);
    if (stopped || left <= 0 || (await runFile(folder, source, left)) !== "done") {
      stopped = true;
      missing.push(source);
    }
  }
  const reports = sources(folder)
    .filter((source) => !missing.includes(source) && existsSync(`${reportBase(source)}.json`))
    .map((source) => JSON.parse(readFileSync(`${reportBase(source)}.json`, "utf8")));
  if (reports.length > 0)
    writeFileSync(join(root, "reports", "mutation", `${folder}.json`), JSON.stringify({ ...reports[0], files: Object.assign({}, ...reports.map((r) => r.files)) }));
  return { missing, minutes: (Date.now() - t0) / 60_000 };
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
  const { missing, minutes } = await runFolder(folder);
  const file = join(root, "reports", "mutation", `${folder}.json`);
  if (missing.length > 0 || !existsSync(file)) {
    rows.push(`| ${folder} | incomplete (not run or stopped: ${missing.join(", ")}) | | | | | ${minutes.toFixed(1)} |`);
    continue;
  }
  const { counts, score: s } = score(file);
  rows.push(`| ${folder} | ${(100 * s).toFixed(1)} % | ${counts.Killed ?? 0} | ${counts.Timeout ?? 0} | ${counts.Survived ?? 0} | ${counts.NoCoverage ?? 0} | ${minutes.toFixed(1)} |`);
}
console.log("\n| folder | mutation score | killed | timeout | survived | no coverage | minutes |\n|---|---|---|---|---|---|---|");
console.log(rows.join("\n"));
