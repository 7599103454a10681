// Sweeps on a real queue: redis-server on a free loopback port (append-only file on), two workers, one
// killed with SIGKILL in the middle of a run, Redis restarted while jobs wait. Every run completes exactly
// once, with the results of the same sweep run locally. (npm run test:service; .ci/run installs redis-server.)
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { runCli } from "../../src/cli/program.js";
import { ServiceError } from "../../src/errors.js";
import { checkQueue } from "../../src/node/sweep/queue.js";
import { freePort, withConsole } from "../helpers.js";

const dir = mkdtempSync(join(tmpdir(), "snnkit-service-"));
let port = 0;
let redis: ChildProcess | null = null;
const workers: ChildProcess[] = [];


async function startRedis(): Promise<void> {
  redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "yes", "--appendfsync", "always", "--save", ""], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    try {
      await checkQueue(url(), 500);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error("redis-server did not start");
}

async function stopRedis(): Promise<void> {
  const r = redis;
  if (!r || r.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    r.once("exit", () => resolve());
    r.kill("SIGTERM");
  });
  redis = null;
}

const url = () => `redis://127.0.0.1:${port}`;
const cliArgs = (args: string[]) => ["--import", "tsx", join(import.meta.dirname, "..", "..", "src", "cli", "main.ts"), ...args];

/** Starts `snnkit worker` as its own process; its output lines go to `lines`. */
function startWorker(lines: string[]): ChildProcess {
  const w = spawn(process.execPath, cliArgs(["worker", "--queue", url(), "--lock-seconds", "2"]), { stdio: ["ignore", "pipe", "pipe"] });
  w.stdout!.on("data", (d: Buffer) => lines.push(...d.toString().trim().split("\n")));
  w.stderr!.on("data", (d: Buffer) => lines.push(...d.toString().trim().split("\n")));
  workers.push(w);
  return w;
}

const until = async (what: string, ok: () => boolean, seconds = 120) => {
  for (let i = 0; i < seconds * 10; i++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

before(async () => {
  port = await freePort();
  await startRedis();
});
after(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill("SIGKILL");
  await stopRedis();
  rmSync(dir, { recursive: true, force: true });
});

test("six runs on two workers: a worker killed with SIGKILL mid-run and a Redis restart lose nothing, and every run completes once with the local results", async () => {
  // Runs long enough to be killed in the middle (64 batches each, a checkpoint every 4).
  const sweep = (out: string) => ({ command: "train", args: { model: "mlp", epochs: 2, steps: 4, "train-limit": 1024, "test-limit": 200, validation: 200, "batch-size": 32 }, grid: { lr: [0.002, 0.005, 0.01] }, seeds: [0, 1], out, checkpointEvery: 4 });
  const queued = join(dir, "queued.json");
  const local = join(dir, "local.json");
  writeFileSync(queued, JSON.stringify(sweep(join(dir, "queued-runs"))));
  writeFileSync(local, JSON.stringify(sweep(join(dir, "local-runs"))));
  const ids = await withConsole(async (lines) => {
    assert.equal(await runCli(["sweep", "run", queued, "--queue", url(), "--json"]), 0, lines.join("\n"));
    return (JSON.parse(lines.at(-1)!) as { queued: number; runs: { id: string }[] }).runs.map((r) => r.id);
  });
  assert.equal(ids.length, 6);
  // Enqueued twice: nothing added.
  await withConsole(async (lines) => {
    assert.equal(await runCli(["sweep", "run", queued, "--queue", url(), "--json"]), 0);
    assert.equal(JSON.parse(lines.at(-1)!).queued, 0);
  });
  // Redis restarts while every job waits: its append-only file brings them back.
  await stopRedis();
  await startRedis();
  const waiting = await withConsole(async (lines) => {
    assert.equal(await runCli(["sweep", "status", queued, "--queue", url(), "--json"]), 0, lines.join("\n"));
    return JSON.parse(lines.at(-1)!) as { counts: Record<string, number> };
  });
  assert.equal(waiting.counts.waiting, 6, "all six jobs survive the restart");
  // Two workers; the first is killed once it has saved a checkpoint of its first run.
  const linesA: string[] = [];
  const linesB: string[] = [];
  const a = startWorker(linesA);
  await until("worker A to start a run", () => linesA.some((l) => / started /.test(l)));
  const victim = /^(r[0-9a-f]{8}): started/.exec(linesA.find((l) => / started /.test(l))!)![1];
  await until("a checkpoint of the run worker A holds", () => existsSync(join(dir, "queued-runs", victim, "checkpoint.snnk")));
  a.kill("SIGKILL");
  startWorker(linesB);
  await until("every run to complete", () => ids.every((id) => existsSync(join(dir, "queued-runs", id, "result.json"))), 240);
  // The killed run was taken over and resumed from its checkpoint.
  const taken = JSON.parse(readFileSync(join(dir, "queued-runs", victim, "result.json"), "utf8")) as { resumed: boolean };
  assert.ok(taken.resumed, `${victim} resumed from its checkpoint on the other worker`);
  assert.ok(linesB.some((l) => l.startsWith(`${victim}: started (attempt`)), linesB.join("\n"));
  // Exactly once: each run completed once, across both workers.
  for (const id of ids) assert.equal([...linesA, ...linesB].filter((l) => l === `${id}: completed` || l === `${id}: completed (resumed from its checkpoint)`).length, 1, `${id} completed once`);
  // The same sweep run locally gives the same accuracies run for run.
  await withConsole(async (lines) => assert.equal(await runCli(["sweep", "run", local, "--local", "--parallel", "2", "--json"]), 0, lines.join("\n")));
  const results = await withConsole(async (lines) => {
    assert.equal(await runCli(["sweep", "results", queued, "--queue", url(), "--json"]), 0, lines.join("\n"));
    return JSON.parse(lines.at(-1)!) as { runs: { id: string; status: string; metrics: { test_accuracy: number; validation_accuracy: number } }[] };
  });
  for (const r of results.runs) {
    assert.equal(r.status, "completed");
    const mine = JSON.parse(readFileSync(join(dir, "local-runs", r.id, "result.json"), "utf8")) as { metrics: { test_accuracy: number; validation_accuracy: number } };
    assert.deepEqual([r.metrics.test_accuracy, r.metrics.validation_accuracy], [mine.metrics.test_accuracy, mine.metrics.validation_accuracy], `${r.id}: queued and local results`);
  }
});

test("an unreachable queue is a ServiceError naming its address; a malformed one a ValueError naming --queue", async () => {
  const closed = await freePort();
  await assert.rejects(checkQueue(`redis://127.0.0.1:${closed}`, 1000), (e: unknown) => e instanceof ServiceError && e.message.includes(`127.0.0.1:${closed}`) && /ECONNREFUSED/.test(e.message));
  await withConsole(async (lines) => {
    writeFileSync(join(dir, "s.json"), JSON.stringify({ command: "train", out: join(dir, "x") }));
    assert.equal(await runCli(["sweep", "run", join(dir, "s.json"), "--queue", `redis://127.0.0.1:${closed}`]), 1);
    assert.equal(await runCli(["worker", "--queue", "localhost:6379"]), 1);
    assert.match(lines.join("\n"), new RegExp(`redis://127\\.0\\.0\\.1:${closed}: cannot reach the queue \\(connect ECONNREFUSED`));
    assert.match(lines.join("\n"), /--queue: expected a redis:\/\/ URL, got "localhost:6379"/);
  });
});
