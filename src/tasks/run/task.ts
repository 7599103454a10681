// The contract of a run: what a method supplies so that one runner can start, checkpoint, resume, stop
// and report it on any platform (a directory under Node, memory in a page or a test, a job engine).
import type { z } from "zod";
import type { Checkpoint } from "../../io/checkpoint_codec.js";
import type { ImageSource } from "./data.js";
import type { RunStore } from "./store.js";

/** What a run yields after each unit of work: progress within an epoch, or a finished epoch's record. */
export type TaskEvent<P, E> =
  | {
      kind: "progress";
      /** Units (batches, samples) done in the current epoch, of `units`. */
      unit: number;
      units: number;
      report: P;
    }
  | { kind: "epoch"; record: E };

/** What a task may use of its platform. */
export interface TaskContext {
  /** The platform's data sets. */
  images: ImageSource;
  /** The store the run writes to (also reads files outside it, e.g. another run's checkpoint). */
  store: RunStore;
}

/** Where a run stands, for its start message and for checking a checkpoint against the data. */
export interface RunPosition {
  /** Epochs (or iterations) finished. */
  epoch: number;
  /** Units done in the current epoch, of `units`. */
  unit: number;
  units: number;
}

/** The files a run left, which a task's result names. */
export interface RunFiles {
  checkpoint: string;
  metrics: string;
  /** Plot name (its file without ".svg") → where it is. */
  plots: Record<string, string>;
}

/**
 * A method's run. `C` its configuration, `S` its state (model, optimizer, progress), `D` its data, `R`
 * its result, `P` a progress report and `E` an epoch's record. The state must be consistent (savable and
 * resumable exactly) whenever `run` yields.
 */
export interface Task<C extends object, S, D, R, P = unknown, E = unknown> {
  /** The command's name, e.g. "train". */
  readonly name: string;
  /** Every setting: type, range, default and description (the CLI is built from it). */
  readonly schema: z.ZodObject;
  /** The defaults (those that depend on other fields are said in their descriptions); fields without one are required. */
  readonly defaults: Partial<C>;
  /** Fills the defaults (dependent ones too) and validates; a ValueError names the first bad field. */
  configure(fields: Partial<C>): C;
  /** Named sets of defaults (a paper's own settings), which fields given on purpose override. */
  readonly recipes?: Readonly<Record<string, Partial<C>>>;
  /** The length field a resumed run may raise (epochs, episodes), or null. */
  readonly extendable: (keyof C & string) | null;
  /** Fields a resumed run takes from the request when the caller set them (e.g. a moved data directory). */
  readonly replaceable: readonly (keyof C & string)[];
  /** The run's data for a configuration (read asynchronously where a file format needs it). */
  data(config: C, context: TaskContext): D | Promise<D>;
  /** A new run's state (built asynchronously where it imports a file, e.g. a NIR graph). */
  create(config: C, data: D, context: TaskContext): S | Promise<S>;
  /** The state's configuration, live: a resumed run's runner extends it in place. */
  configOf(state: S): C;
  /** Where the state stands on its data (a restored state past its data is refused by the runner). */
  position(state: S, data: D): RunPosition;
  /**
   * Works from the state to its end, one unit at a time, yielding after each. `grain` > 0: also yield
   * after every `grain` units (the checkpoint cadence). Returns when all work is done.
   */
  run(state: S, data: D, grain: number): Generator<TaskEvent<P, E>, void, void>;
  /** Checks a restored state against the data it now runs on (e.g. the network's input size); DataErrors name `file`. */
  check?(state: S, data: D, file: string): void;
  /** Whether all the configured work is done. */
  finished(state: S): boolean;
  /** The state as a checkpoint: a header (format tag, configuration, progress) and arrays. */
  save(state: S): Checkpoint<unknown>;
  /** The state back from a checkpoint (header checked against the task's schema); DataErrors name `file`. */
  restore(checkpoint: Checkpoint<unknown>, file: string): S;
  /** The run's result; `completed`: all work done (not stopped). */
  result(state: S, data: D, files: RunFiles, completed: boolean): R;
  /** metrics.json's object (the configuration, the result and the full history). */
  metrics(state: S, result: R): object;
  /** The plots, as SVG text by name. */
  plots(state: S, data: D): Record<string, string>;
  /** Frees what the state holds (tensors, wasm memory). */
  dispose?(state: S): void;
}
