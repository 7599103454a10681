// One run of a sweep, executed in this process in its own folder: a task resumes from the folder's
// checkpoint when there is one, a finished run is never run again, and the result is written atomically.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DataError } from "../../errors.js";
import { runTask } from "../../tasks/run/runner.js";
import { CHECKPOINT } from "../../tasks/run/store.js";
import { configureCommand, SWEEP_COMMANDS } from "../../tasks/sweep/commands.js";
import { runFields, type SweepRun } from "../../tasks/sweep/spec.js";
import { writeFileAtomically } from "../directory_store.js";
import { directoryContext } from "../run_store.js";

/** The file a finished run leaves in its folder. */
const RESULT_FILE = "result.json";

/** What a finished run leaves: its id, command and settings, and the command's result as its --json prints it. */
export interface RunResult {
  id: string;
  command: string;
  settings: Record<string, unknown>;
  /** Whether this execution resumed from a checkpoint. */
  resumed: boolean;
  metrics: Record<string, unknown>;
}

/** A run's folder under the sweep's output directory. */
export function runFolder(out: string, id: string): string {
  return join(resolve(out), id);
}

/** The finished result in a run's folder, or null. */
export function readRunResult(out: string, id: string): RunResult | null {
  const path = join(runFolder(out, id), RESULT_FILE);
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as RunResult;
  } catch (e) {
    throw new DataError(path, `not a run's result: ${(e as Error).message}`);
  }
}

/**
 * Executes `run` in `<out>/<run id>`: returns the folder's result if the run already finished; else
 * runs its command there (a task from the folder's checkpoint if one exists, saving every
 * `checkpointEvery` units) and writes result.json.
 */
export async function executeRun(run: SweepRun, out: string, options: { checkpointEvery?: number } = {}): Promise<RunResult> {
  const done = readRunResult(out, run.id);
  if (done) return done;
  const command = SWEEP_COMMANDS[run.command];
  if (!command) throw new DataError(run.id, `unknown command "${run.command}"`);
  const dir = runFolder(out, run.id);
  mkdirSync(dir, { recursive: true });
  const config = configureCommand(command, runFields(run));
  const context = directoryContext(dir);
  let metrics: Record<string, unknown>;
  let resumed = false;
  if (command.kind === "task") {
    resumed = existsSync(join(dir, CHECKPOINT));
    const result = (await runTask(command.task, { config, context, resume: resumed, checkpointEvery: options.checkpointEvery ?? 0 })) as Record<string, unknown>;
    metrics = { ...result, history: undefined };
  } else {
    metrics = { ...((await command.job.run(config, context, {})) as Record<string, unknown>) };
  }
  const record: RunResult = { id: run.id, command: run.command, settings: run.settings, resumed, metrics };
  writeFileAtomically(join(dir, RESULT_FILE), `${JSON.stringify(record, null, 1)}\n`);
  return record;
}
