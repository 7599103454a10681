// One runner for every task: start or resume (conflicts computed from the configuration), checkpoint
// cadence, stop requests, yielding to the event loop, the NaN guard, and atomic writes of the
// checkpoint, metrics.json and the plots through a RunStore.
import { DataError, DivergenceError, ValueError } from "../../errors.js";
import { type Checkpoint, decodeCheckpoint, encodeCheckpoint, firstNonFinite } from "../../io/checkpoint_codec.js";
import { yieldToEvents } from "../yield_to_events.js";
import { CHECKPOINT, readStoredCheckpoint } from "./store.js";
import type { RunPosition, Task, TaskContext, TaskEvent } from "./task.js";

/** Options of runTask. */
export interface RunOptions<C, P, E> {
  /** The configuration asked for (configure()d). On resume the checkpoint's is used, see `explicit`. */
  config: C;
  context: TaskContext;
  /** Continue from the store's checkpoint (or from this file, read through the store). */
  resume?: boolean | string;
  /**
   * The fields the caller set on purpose, with the names to show for them (e.g. lr → "--lr"). On resume
   * each must equal the checkpoint's, except the task's extendable field, which may be raised, and its
   * replaceable ones, which replace the checkpoint's. Absent: the whole configuration is the request.
   */
  explicit?: Partial<Record<keyof C & string, string>>;
  /** Also save a checkpoint every n units (batches, samples); 0: at the end of each epoch and when stopped. */
  checkpointEvery?: number;
  /** Before the first unit: whether the run resumed, and where it starts. */
  onStart?: (info: RunPosition & { resumed: boolean; checkpoint: string }) => void;
  onProgress?: (report: P, position: { unit: number; units: number }) => void;
  onEpoch?: (record: E) => void;
  /** Polled after every unit; true stops the run after saving it. */
  shouldStop?: () => boolean;
}

/** A setting as a flag writes it: text as it is, other values as JSON. */
const shown = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

/** The explicit fields whose values differ from the checkpoint's (the extendable one only when lowered; replaceable ones never). */
export function resumeConflicts<C extends object>(task: Pick<Task<C, unknown, unknown, unknown>, "extendable" | "replaceable">, saved: C, requested: C, explicit: Partial<Record<keyof C & string, string>>): string[] {
  const out: string[] = [];
  for (const [key, label] of Object.entries(explicit) as [keyof C & string, string][]) {
    if (task.replaceable.includes(key)) continue;
    const [a, b] = [saved[key], requested[key]];
    const same = key === task.extendable ? (b as number) >= (a as number) : JSON.stringify(a) === JSON.stringify(b);
    if (!same) out.push(`${label} ${shown(b)} (the checkpoint has ${shown(a)})`);
  }
  return out;
}

/**
 * The configuration a resumed run continues with: the checkpoint's, with the replaceable fields the
 * caller set, and the extendable field raised only when asked (explicitly, or by a caller that names no
 * explicit fields: its whole configuration is the request). A CLI default does not extend a run.
 */
export function resumedConfig<C extends object>(task: Pick<Task<C, unknown, unknown, unknown>, "extendable" | "replaceable">, saved: C, requested: C, explicit: Partial<Record<keyof C & string, string>> | undefined): C {
  const out = { ...saved };
  for (const key of task.replaceable) if (explicit?.[key] !== undefined) out[key] = requested[key];
  const grow = task.extendable;
  if (grow && (explicit === undefined || explicit[grow] !== undefined)) out[grow] = Math.max(saved[grow] as number, requested[grow] as number) as C[typeof grow];
  return out;
}

/** The checkpoint of a state, refused (DivergenceError) when an array holds NaN or ±Infinity: a diverged run never replaces a good checkpoint. */
function checkedCheckpoint(task: string, ck: Checkpoint<unknown>): Uint8Array {
  for (const [name, a] of Object.entries(ck.arrays)) {
    const bad = firstNonFinite(a);
    if (bad >= 0) throw new DivergenceError(`${task}: array "${name}" holds ${a[bad]} at index ${bad}; the run had diverged and was not saved (the last checkpoint is intact)`);
  }
  return encodeCheckpoint(ck);
}

/**
 * Runs a task to its end (or until stopped) with a checkpoint after every epoch, every `checkpointEvery`
 * units, before each epoch's evaluation and when stopped; then writes metrics.json and the plots, and
 * returns the task's result; the state is disposed at the end (or on an error). With `resume`, the run
 * continues from the checkpoint exactly as if it had not been interrupted.
 */
export async function runTask<C extends object, S, D, R, P, E>(task: Task<C, S, D, R, P, E>, o: RunOptions<C, P, E>): Promise<R> {
  const every = o.checkpointEvery ?? 0;
  if (!(Number.isInteger(every) && every >= 0)) throw new ValueError("checkpointEvery", "an integer >= 0", every);
  const { store } = o.context;
  const from = typeof o.resume === "string" ? o.resume : store.where(CHECKPOINT);
  let state: S | null = null;
  if (o.resume) {
    const ck = typeof o.resume === "string" ? decodeCheckpoint(store.readExternal(o.resume), o.resume) : readStoredCheckpoint(store);
    state = task.restore(ck, from);
    const saved = task.configOf(state);
    const conflicts = resumeConflicts(task, saved, o.config, o.explicit ?? {});
    if (conflicts.length > 0) {
      task.dispose?.(state);
      throw new ValueError("--resume", `the settings of ${from} (drop the flags that differ, or start a new run in another directory)`, `different: ${conflicts.join(", ")}`);
    }
    Object.assign(saved, resumedConfig(task, saved, o.config, o.explicit));
  }
  let data: D;
  try {
    data = await task.data(state ? task.configOf(state) : o.config, o.context);
  } catch (e) {
    if (state) task.dispose?.(state);
    throw e;
  }
  state ??= await task.create(o.config, data, o.context);
  const current = state;
  try {
    return await runFrom(task, current, data, o, from, every);
  } finally {
    task.dispose?.(current);
  }
}

/** The run itself, from a created or restored state (see runTask). */
async function runFrom<C extends object, S, D, R, P, E>(task: Task<C, S, D, R, P, E>, state: S, data: D, o: RunOptions<C, P, E>, from: string, every: number): Promise<R> {
  const { store } = o.context;
  const start = task.position(state, data);
  if (start.unit > start.units) throw new DataError(from, `progress is at unit ${start.unit} of an epoch, past the ${start.units} of an epoch on this data`);
  task.check?.(state, data, from);
  o.onStart?.({ ...start, resumed: Boolean(o.resume), checkpoint: from });
  const save = () => store.write(CHECKPOINT, checkedCheckpoint(task.name, task.save(state)));
  let completed = true;
  for (const event of task.run(state, data, every)) {
    if (event.kind === "progress") {
      // Also after an epoch's last unit, before its evaluation: a failed evaluation loses no work.
      if ((every > 0 && event.unit % every === 0) || event.unit === event.units) save();
      o.onProgress?.(event.report, event);
    } else {
      save();
      o.onEpoch?.(event.record);
    }
    await yieldToEvents();
    if (o.shouldStop?.() && !task.finished(state)) {
      completed = false;
      break;
    }
  }
  if (!completed) save();
  const files = { checkpoint: store.where(CHECKPOINT), metrics: store.where("metrics.json"), plots: {} as Record<string, string> };
  const plots = task.plots(state, data);
  for (const name of Object.keys(plots)) files.plots[name] = store.where(`${name}.svg`);
  const result = task.result(state, data, files, completed);
  store.write("metrics.json", `${JSON.stringify(task.metrics(state, result), null, 1)}\n`);
  for (const [name, svg] of Object.entries(plots)) store.write(`${name}.svg`, svg);
  return result;
}

/** A task's state from a checkpoint in a store (or a file outside it), checked against the task's schema. */
export function restoreRun<C extends object, S, D>(task: Task<C, S, D, unknown>, context: Pick<TaskContext, "store">, path?: string): S {
  const ck = path === undefined ? readStoredCheckpoint(context.store) : decodeCheckpoint(context.store.readExternal(path), path);
  return task.restore(ck, path ?? context.store.where(CHECKPOINT));
}

/**
 * Runs a task's events without checkpoints: each to its hook, yielding to the event loop after every
 * one, stopping when `shouldStop` says so before the work is done. Resolves to true when it is done.
 */
export async function driveSteps<P, E>(events: Iterable<TaskEvent<P, E>>, finished: () => boolean, hooks: { onProgress?: (report: P) => void; onEpoch?: (record: E) => void; shouldStop?: () => boolean }): Promise<boolean> {
  for (const event of events) {
    if (event.kind === "progress") hooks.onProgress?.(event.report);
    else hooks.onEpoch?.(event.record);
    await yieldToEvents();
    if (!finished() && hooks.shouldStop?.()) return false;
  }
  return true;
}
