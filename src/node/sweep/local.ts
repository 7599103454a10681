// Sweeps on this machine: the runs in child processes, `parallel` at a time, each in its own folder.
import { join } from "node:path";
import type { SweepRun } from "../../tasks/sweep/spec.js";
import { writeFileAtomically } from "../directory_store.js";
import { executeInChild, threadsPerRun } from "./child_protocol.js";
import { runFolder, type RunResult } from "./execute.js";

/** The file a run that failed leaves in its folder (the error), for `sweep results`. */
export const FAILURE_FILE = "failure.json";

/**
 * Runs every run (a finished one returns its result at once) with at most `parallel` child processes;
 * a run that fails writes failure.json and the others go on; `shouldStop` starts no further run.
 * Resolves to the results of the runs that finished.
 */
export async function runLocal(runs: readonly SweepRun[], out: string, options: { parallel: number; checkpointEvery: number; note?: (line: string) => void; shouldStop?: () => boolean }): Promise<RunResult[]> {
  const results: RunResult[] = [];
  let next = 0;
  const note = options.note ?? (() => {});
  const threads = threadsPerRun(options.parallel);
  const lane = async () => {
    while (next < runs.length && !options.shouldStop?.()) {
      const run = runs[next++];
      try {
        const r = await executeInChild({ run, out, checkpointEvery: options.checkpointEvery }, threads);
        results.push(r);
        note(`${run.id}: completed (${results.length} of ${runs.length})`);
      } catch (e) {
        writeFileAtomically(join(runFolder(out, run.id), FAILURE_FILE), `${JSON.stringify({ id: run.id, error: (e as Error).message })}\n`);
        note(`${run.id}: failed (${(e as Error).message})`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.parallel, runs.length) }, lane));
  return results;
}
