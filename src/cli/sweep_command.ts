// `snnkit sweep run | status | results` and `snnkit worker`: sweeps of any sweepable command, on this
// machine (child processes) or on a BullMQ queue that workers on any machine take jobs from (docs/sweeps.md).
import { mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { DataError, ValueError } from "../errors.js";
import { readRunResult, runFolder } from "../node/sweep/execute.js";
import { FAILURE_FILE, runLocal } from "../node/sweep/local.js";
import { enqueueRuns, queueStates, type RunStatus, startWorker } from "../node/sweep/queue.js";
import { writeFileAtomically } from "../node/directory_store.js";
import { expandRuns, parseSweepSpec, type SweepRun, type SweepSpec } from "../tasks/sweep/spec.js";
import { type SweepRow, sweepPlot, sweepRows, sweepTable } from "../tasks/sweep/summary.js";
import { intFlag } from "./flags.js";
import type { CliRun } from "./exit_codes.js";
import { stopOnSignals } from "./signals.js";

/** A sweep file read and expanded; its output directory resolved from where the command runs. */
function loadSweep(path: string): { spec: SweepSpec; runs: SweepRun[]; out: string } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new DataError(path, `cannot read the sweep file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const spec = parseSweepSpec(text, path);
  const out = resolve(spec.out);
  return { spec, runs: expandRuns(spec), out };
}

/** The rows of a sweep's runs from their folders and, with a queue, its states. */
function rowsOf(runs: readonly SweepRun[], out: string, states: Map<string, RunStatus | null> | null): SweepRow[] {
  return sweepRows(runs, (run) => {
    const result = readRunResult(out, run.id);
    let error: string | undefined;
    try {
      error = (JSON.parse(readFileSync(join(runFolder(out, run.id), FAILURE_FILE), "utf8")) as { error: string }).error;
    } catch {
      error = undefined;
    }
    return { ...(result ? { metrics: result.metrics } : {}), ...(error ? { error } : {}), queued: states?.get(run.id) ?? null };
  });
}

/** A sweep file's runs as rows, their states from the queue where one is given. */
async function sweepState(path: string, queue: string | undefined): Promise<{ spec: SweepSpec; rows: SweepRow[]; out: string }> {
  const { spec, runs, out } = loadSweep(path);
  return { spec, rows: rowsOf(runs, out, queue ? await queueStates(queue, runs, out) : null), out };
}

/** How many runs are in each status. */
function statusCounts(rows: readonly SweepRow[]): Record<SweepRow["status"], number> {
  const count = (s: SweepRow["status"]) => rows.filter((r) => r.status === s).length;
  return { waiting: count("waiting"), active: count("active"), completed: count("completed"), failed: count("failed") };
}

/** "12 runs: 10 completed, 1 active, 1 waiting, 0 failed". */
function countsLine(rows: readonly SweepRow[]): string {
  const c = statusCounts(rows);
  return `${rows.length} runs: ${c.completed} completed, ${c.active} active, ${c.waiting} waiting, ${c.failed} failed`;
}

/** Writes results.json and results.svg under the sweep's output directory; prints the table or the JSON. */
function report(spec: SweepSpec, rows: SweepRow[], out: string, json: boolean): void {
  mkdirSync(out, { recursive: true });
  const files = { results: join(out, "results.json"), plot: join(out, "results.svg") };
  writeFileAtomically(files.results, `${JSON.stringify({ command: spec.command, metric: spec.metric, runs: rows }, null, 1)}\n`);
  writeFileAtomically(files.plot, sweepPlot(spec, rows));
  if (json) return console.log(JSON.stringify({ runs: rows, files }));
  console.log(sweepTable(spec, rows));
  console.log(`\n${countsLine(rows)}`);
  console.log(`results: ${files.results}\nplot:    ${files.plot}`);
}

/** Registers `snnkit sweep` and `snnkit worker`. */
export function registerSweepCommands(program: Command, run: CliRun): void {
  const sweep = program.command("sweep").description("many runs of one command over a grid of its flags and seeds, here or on a job queue (docs/sweeps.md)");
  sweep
    .command("run")
    .description("run a sweep file: --local on this machine, or --queue redis://HOST:PORT to enqueue one job per run for workers")
    .argument("<spec>", "the sweep's file, JSON or YAML (command, args, grid, seeds, out)")
    .option("--local", "run here, in child processes", false)
    .option("--parallel <n>", "--local: runs at once", intFlag("--parallel", 1, 256), 1)
    .option("--queue <url>", "enqueue on this BullMQ queue (redis://HOST:PORT[/DB]) instead")
    .option("--json", "print one JSON object at the end instead of text", false)
    .action(async (path: string, o: { local: boolean; parallel: number; queue?: string; json: boolean }) => {
      if (o.local === (o.queue !== undefined)) throw new ValueError("--local/--queue", "one of them", o.local ? "both" : "neither");
      const { spec, runs, out } = loadSweep(path);
      mkdirSync(out, { recursive: true });
      writeFileAtomically(join(out, "sweep.json"), `${JSON.stringify({ spec, runs }, null, 1)}\n`);
      if (o.queue !== undefined) {
        const { added, present } = await enqueueRuns(o.queue, runs, out, spec.checkpointEvery);
        if (o.json) return console.log(JSON.stringify({ queued: added, present, runs: runs.map((r) => ({ id: r.id, settings: r.settings })) }));
        return console.log(`queued ${added} runs on ${o.queue} (${present} there already); start workers with: snnkit worker --queue ${o.queue}`);
      }
      const signals = stopOnSignals("the sweep (finished runs are kept; run it again to continue)");
      try {
        await runLocal(runs, out, { parallel: o.parallel, checkpointEvery: spec.checkpointEvery, note: o.json ? undefined : (line) => console.error(line), shouldStop: () => signals.stopped() !== null });
      } finally {
        signals.remove();
      }
      const rows = rowsOf(runs, out, null);
      report(spec, rows, out, o.json);
      if (rows.some((r) => r.status !== "completed")) run.exitCode = 1;
    });
  sweep
    .command("status")
    .description("where each run of a sweep stands: waiting, active, completed or failed")
    .argument("<spec>", "the sweep's file (JSON or YAML)")
    .option("--queue <url>", "the queue it was sent to (redis://HOST:PORT[/DB])")
    .option("--json", "print one JSON object", false)
    .action(async (path: string, o: { queue?: string; json: boolean }) => {
      const { rows } = await sweepState(path, o.queue);
      if (o.json) return console.log(JSON.stringify({ counts: statusCounts(rows), runs: rows.map(({ id, settings, status }) => ({ id, settings, status })) }));
      console.log(countsLine(rows));
    });
  sweep
    .command("results")
    .description("collect a sweep's results: a table, results.json and a plot of the metric against each swept flag")
    .argument("<spec>", "the sweep's file (JSON or YAML)")
    .option("--queue <url>", "the queue it was sent to, for the states of unfinished runs")
    .option("--json", "print one JSON object (runs: id, settings, status, metrics)", false)
    .action(async (path: string, o: { queue?: string; json: boolean }) => {
      const { spec, rows, out } = await sweepState(path, o.queue);
      report(spec, rows, out, o.json);
    });
  program
    .command("worker")
    .description("take sweep jobs from a queue and run them, each in a child process, until stopped (Ctrl-C: finish the running jobs); each run gets SNNKIT_THREADS kernel threads, else the cores shared among --concurrency")
    .requiredOption("--queue <url>", "the queue (redis://HOST:PORT[/DB])")
    .option("--concurrency <n>", "runs at once", intFlag("--concurrency", 1, 256), 1)
    .option("--lock-seconds <s>", "seconds a job stays with a worker that stops answering before another takes it", intFlag("--lock-seconds", 1, 86_400), 30)
    .action(async (o: { queue: string; concurrency: number; lockSeconds: number }) => {
      const worker = await startWorker(o.queue, { concurrency: o.concurrency, lockSeconds: o.lockSeconds, note: (line) => console.log(line) });
      console.log(`worker on ${o.queue}: ${o.concurrency} at once (pid ${process.pid})`);
      await new Promise<void>((done) => {
        const signals = stopOnSignals("the worker (the running jobs finish first)", () => {
          void worker.close().then(() => {
            run.exitCode = signals.exitCode() ?? run.exitCode;
            signals.remove();
            done();
          });
        });
      });
    });
}
