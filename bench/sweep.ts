// A 12-run sweep of the MLP preset on a local Redis queue, taken by one worker and then by two (each a
// `snnkit worker` process), in alternating rounds; the wall time from enqueue to the last result, and the
// ratio two / one (npm run bench:sweep [-- --rounds R --json]; SNNKIT_THREADS=1 gives every run one
// kernel thread in both cases). Needs redis-server.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../src/cli/program.js";
import { checkQueue } from "../src/node/sweep/queue.js";
import { expandRuns, parseSweepSpec } from "../src/tasks/sweep/spec.js";

const rounds = Number(process.argv[process.argv.indexOf("--rounds") + 1]) || 2;
const json = process.argv.includes("--json");
const dir = mkdtempSync(join(tmpdir(), "snnkit-bench-sweep-"));
const port = await new Promise<number>((resolve) => {
  const s = createServer().listen(0, "127.0.0.1", () => {
    const p = (s.address() as { port: number }).port;
    s.close(() => resolve(p));
  });
});
const url = `redis://127.0.0.1:${port}`;
const redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"], { stdio: "ignore" });
for (let i = 0; i < 100; i++) {
  try {
    await checkQueue(url, 500);
    break;
  } catch {
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Seconds from enqueue to the twelfth result with `workers` worker processes. */
async function sweepSeconds(workers: number, round: number): Promise<number> {
  const out = join(dir, `w${workers}-r${round}`);
  // 12 runs: 3 learning rates × 4 seeds of the MLP preset, 4,000 digits, two epochs, T = 8 (about 6 s each).
  const spec = { command: "train", args: { model: "mlp", epochs: 2, steps: 8, "train-limit": 4000, "test-limit": 500, validation: 500 }, grid: { lr: [0.002, 0.005, 0.01] }, seeds: [round * 10, round * 10 + 1, round * 10 + 2, round * 10 + 3], out };
  const path = join(dir, `w${workers}-r${round}.json`);
  writeFileSync(path, JSON.stringify(spec));
  const ids = expandRuns(parseSweepSpec(JSON.stringify(spec), path)).map((r) => r.id);
  const t0 = performance.now();
  const log = console.log;
  console.log = () => {};
  try {
    if ((await runCli(["sweep", "run", path, "--queue", url])) !== 0) throw new Error("enqueue failed");
  } finally {
    console.log = log;
  }
  // The cores shared out (one worker runs its runs on both, two on one each), unless SNNKIT_THREADS fixes them.
  const env = { ...process.env, SNNKIT_THREADS: process.env.SNNKIT_THREADS ?? String(Math.max(1, Math.floor(availableParallelism() / workers))) };
  const procs: ChildProcess[] = Array.from({ length: workers }, () => spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "..", "src", "cli", "main.ts"), "worker", "--queue", url], { stdio: "ignore", env }));
  while (!ids.every((id) => existsSync(join(out, id, "result.json")))) await new Promise((r) => setTimeout(r, 50));
  const seconds = (performance.now() - t0) / 1000;
  for (const p of procs) p.kill("SIGTERM");
  await Promise.all(procs.map((p) => new Promise((r) => p.once("exit", r))));
  return seconds;
}

const rows: { round: number; one: number; two: number; ratio: number }[] = [];
for (let r = 0; r < rounds; r++) {
  // Alternate the order, so that a drift of the machine does not favour one side.
  const seconds = new Map<number, number>();
  for (const workers of r % 2 === 0 ? [1, 2] : [2, 1]) seconds.set(workers, await sweepSeconds(workers, r));
  const [one, two] = [seconds.get(1)!, seconds.get(2)!];
  rows.push({ round: r + 1, one, two, ratio: two / one });
}
redis.kill("SIGTERM");
rmSync(dir, { recursive: true, force: true });
if (json) console.log(JSON.stringify({ runs: 12, rows }));
else {
  console.log("12-run sweep of the MLP preset (3 learning rates × 4 seeds, 4,000 digits, two epochs) on a local Redis queue\n");
  console.log("| round | one worker (s) | two workers (s) | two / one |");
  console.log("|---|---|---|---|");
  for (const r of rows) console.log(`| ${r.round} | ${r.one.toFixed(1)} | ${r.two.toFixed(1)} | ${r.ratio.toFixed(2)} |`);
}
