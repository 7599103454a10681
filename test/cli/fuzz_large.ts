// A larger fuzz run of the command line, for the record (not part of npm test):
//   npx tsx test/cli/fuzz_large.ts [--random N] [--spawn REPO]
// Runs the generated cases of fuzz_cases.ts plus N random ones (default 2,000) and prints the counts of
// each outcome and the failures. --spawn REPO runs each case as `node --import tsx src/cli/main.ts`
// inside REPO instead (slower; works on any version of snnkit, e.g. a checkout of an older commit).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FuzzCase, fuzzCases, randomCases } from "./fuzz_cases.js";
import { classify, type FuzzResult, runFuzz, summarise } from "./fuzz_runner.js";

const argv = process.argv.slice(2);
const opt = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const random = Number(opt("--random") ?? 2000);
const repo = opt("--spawn");
const cases = [...fuzzCases(0), ...randomCases(1, random)];

/** One case as a child process in `repo`, killed after `timeoutMs`. */
function spawnCase(c: FuzzCase, timeoutMs: number): Promise<FuzzResult> {
  const dir = mkdtempSync(join(tmpdir(), "snnkit-fuzz-"));
  for (const [name, content] of Object.entries(c.files ?? {})) writeFileSync(join(dir, name), content);
  const args = c.args.map((a) => a.replaceAll("$DIR", dir));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: repo, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, SNNKIT_THREADS: "1" } });
    let stderr = "";
    let timedOut = false;
    child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      resolve({ case: c, outcome: classify(code, stderr, timedOut), code, stderr });
    });
  });
}

async function spawnAll(list: FuzzCase[], parallel = 2, timeoutMs = 20_000): Promise<FuzzResult[]> {
  const results: FuzzResult[] = new Array(list.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < list.length) {
        const i = next++;
        results[i] = await spawnCase(list[i], timeoutMs);
        if (i % 50 === 0) console.error(`${i}/${list.length}`);
      }
    }),
  );
  return results;
}

const t0 = performance.now();
const results = repo ? await spawnAll(cases) : await runFuzz(cases, 30_000);
const { counts, failures } = summarise(results);
const accepted = results.filter((r) => r.outcome === "accepted" && r.case.expect === "error").length;
console.log(JSON.stringify({ cases: cases.length, ...counts, accepted_nonsense: accepted, seconds: Math.round((performance.now() - t0) / 1000) }));
for (const f of failures) console.log(`${f.outcome}\t${f.case.name}\t(exit ${f.code})\t${f.stderr.split("\n").filter(Boolean).slice(0, 2).join(" | ").slice(0, 240)}`);
