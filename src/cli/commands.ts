// A command from a task or a job: its flags from the configuration schema, its run through the one
// runner (tasks) or the job itself, signals, progress, and the command's own printer.
import { type Command, Option } from "commander";
import { runTask } from "../tasks/run/runner.js";
import type { Job } from "../tasks/run/job.js";
import type { RunPosition, Task } from "../tasks/run/task.js";
import { directoryContext } from "../node/run_store.js";
import { oldNamesOf } from "./old_flags.js";
import type { CliRun } from "./exit_codes.js";
import { intFlag, pathFlag } from "./flags.js";
import { stderrProgress } from "./progress.js";
import { type FieldFlag, type FlagCodec, schemaFlags } from "./schema_flags.js";
import { stopOnSignals } from "./signals.js";

/** What a command built from a schema needs beyond it. */
interface CommandSpec<C extends object, R> {
  /** The command's name under its parent. */
  name: string;
  description: string;
  /** Fields the command sets itself (no flags). */
  fixed?: Partial<C>;
  /** Fields without a flag (they keep their defaults). */
  omit?: readonly (keyof C & string)[];
  /** Defaults of this command that differ from the schema's. */
  defaults?: Partial<C>;
  /** Parsers for fields whose text the schema alone cannot read. */
  codecs?: Partial<Record<keyof C & string, FlagCodec>>;
  /** The default directory of the command's files (adds --out); without it nothing is written. */
  out?: string;
  /** Prints the result: text, or one JSON object. */
  print(result: R, json: boolean, config: C): void;
}

/** The progress output of a task's run. */
export interface RunPrinter<C, P, E> {
  /** Before the run, unless it resumes (text mode). */
  start?(config: C): void;
  progress?(report: P, position: { unit: number; units: number }): void;
  epoch?(record: E): void;
  /** Clears a progress bar (at the end, or on a signal). */
  stop?(): void;
}

/** A task's command: its spec, the units its resume message counts, and its progress printer. */
export interface TaskCommandSpec<C extends object, R, P, E> extends CommandSpec<C, R> {
  /** What the run's units are called in "resuming from …: epoch 2, batch 5 of 110". */
  unit: string;
  /** What a signal stops, e.g. "after this batch". */
  stopsAt: string;
  /** Whether --checkpoint-every applies (false where every unit ends an epoch and is saved anyway). */
  cadence?: boolean;
  printer(json: boolean): RunPrinter<C, P, E>;
  /** Options of another mode of the command (e.g. --eval) and its action, run instead when `when` holds. */
  alternative?: { options: Option[]; when(flags: Record<string, unknown>): boolean; run(flags: Record<string, unknown>): void };
}

/** A job's command: its spec (name, description and printer default to the job's), and whether a signal stops it (keeping what it measured). */
export interface JobCommandSpec<C extends object, R> extends Partial<CommandSpec<C, R>> {
  /** A field given as the command's argument (`snnkit nir inspect FILE`) instead of a flag. */
  argument?: keyof C & string;
  /** What a signal stops, e.g. "the sweeps (the points so far are written)"; absent: a signal ends the process. */
  stopsAt?: string;
}

/** Adds the schema's flags (with their old names in the help) to a command. */
function addFlags<C extends object>(command: Command, run: Pick<Job<C, unknown>, "schema" | "defaults">, spec: CommandSpec<C, unknown>): FieldFlag[] {
  const shown = { ...run.defaults, ...spec.defaults } as Record<string, unknown>;
  const flags = schemaFlags(run.schema, shown, [...(spec.omit ?? []), ...Object.keys(spec.fixed ?? {})], spec.codecs as Record<string, FlagCodec>, oldNamesOf);
  for (const f of flags) for (const option of [f.option, ...f.aliases]) command.addOption(option);
  if (spec.out !== undefined) command.option("--out <dir>", "directory of the files", pathFlag("--out"), spec.out);
  command.option("--json", "print one JSON object at the end instead of text", false);
  command.option("--dry-run", "print the configuration the command would run with (defaults filled in, every value checked) as JSON, and stop", false);
  return flags;
}

/** The fields set on the command line, with their flags (a data directory also sets the data set). */
function givenFields(flags: readonly FieldFlag[], values: Record<string, unknown>, command: Command): { fields: Record<string, unknown>; explicit: Record<string, string> } {
  const fields: Record<string, unknown> = {};
  const explicit: Record<string, string> = {};
  for (const f of flags)
    for (const option of [f.option, ...f.aliases])
      if (command.getOptionValueSource(option.attributeName()) === "cli") {
        fields[f.key] = values[option.attributeName()] ?? true;
        explicit[f.key] = f.flag;
      }
  if (fields.dataDir !== undefined && flags.some((f) => f.key === "dataset")) explicit.dataset ??= "--data-dir";
  return { fields, explicit };
}

/** Registers a task as `parent <name>`: its configuration's flags, --out, --resume, --checkpoint-every, --json (and --recipe where it has recipes). */
export function registerTask<C extends object, S, D, R, P, E>(parent: Command, run: CliRun, task: Task<C, S, D, R, P, E>, spec: TaskCommandSpec<C, R, P, E>): Command {
  const command = parent.command(spec.name).description(spec.description);
  const flags = addFlags(command, task, spec);
  command.option("--resume", "continue from <out>/checkpoint.snnk (flags given must match the checkpoint's, except a larger length)", false);
  if (spec.cadence !== false)
    command.option("--checkpoint-every <n>", `also save a checkpoint every n ${spec.unit === "batch" ? "batches" : `${spec.unit}s`} (0: at epoch ends only)`, intFlag("--checkpoint-every", 0, 1e9), 0);
  if (task.recipes)
    command.addOption(new Option("--recipe <name>", "a paper's own settings as defaults (flags given override them)").choices(Object.keys(task.recipes)));
  for (const option of spec.alternative?.options ?? []) command.addOption(option);
  command.action(async (values: Record<string, unknown> & { out: string; resume: boolean; checkpointEvery?: number; json: boolean; recipe?: string; dryRun: boolean }) => {
    if (spec.alternative?.when(values)) {
      if (values.dryRun) return console.log(JSON.stringify(values));
      return spec.alternative.run(values);
    }
    const { fields, explicit } = givenFields(flags, values, command);
    for (const key of Object.keys(spec.fixed ?? {})) explicit[key] = `${parent.name()} ${spec.name}: ${key}`;
    const recipe = values.recipe === undefined ? {} : task.recipes?.[values.recipe];
    const config = task.configure({ ...spec.defaults, ...recipe, ...fields, ...spec.fixed } as Partial<C>);
    if (values.dryRun) return console.log(JSON.stringify(config));
    const printer = spec.printer(values.json);
    if (!values.json && !values.resume) printer.start?.(config);
    const signals = stopOnSignals(spec.stopsAt, () => printer.stop?.());
    let result: R;
    try {
      result = await runTask(task, {
        config,
        context: directoryContext(values.out),
        resume: values.resume,
        explicit: explicit as Partial<Record<keyof C & string, string>>,
        checkpointEvery: values.checkpointEvery,
        onStart: (info: RunPosition & { resumed: boolean; checkpoint: string }) => {
          // On stderr with --json, so that stdout stays one JSON object.
          if (info.resumed) (values.json ? console.error : console.log)(`resuming from ${info.checkpoint}: epoch ${info.epoch + 1}${info.units > 1 ? `, ${spec.unit} ${info.unit + 1} of ${info.units}` : ""}`);
        },
        onProgress: printer.progress && ((r, at) => printer.progress!(r, at)),
        onEpoch: printer.epoch && ((e) => printer.epoch!(e)),
        shouldStop: () => signals.stopped() !== null,
      });
    } finally {
      printer.stop?.();
      signals.remove();
    }
    run.exitCode = signals.exitCode() ?? run.exitCode;
    spec.print(result, values.json, config);
  });
  return command;
}

/** Registers a job as `parent <name>`: its configuration's flags, --json (and --out where it writes files). */
export function registerJob<C extends object, R>(parent: Command, run: CliRun, job: Job<C, R>, options: JobCommandSpec<C, R> = {}): Command {
  const spec: CommandSpec<C, R> & JobCommandSpec<C, R> = {
    name: job.name.split(" ").at(-1)!,
    description: job.description ?? "",
    print: (r, json, c) => console.log(json || !job.summary ? JSON.stringify(r) : job.summary(r, c)),
    ...options,
  };
  const command = parent.command(spec.name).description(spec.description);
  const argument = spec.argument;
  if (argument) command.argument(`<${argument}>`, (job.schema.shape as Record<string, { description?: string }>)[argument]?.description ?? argument);
  const flags = addFlags(command, job, { ...spec, omit: [...(spec.omit ?? []), ...(argument ? [argument] : [])] });
  command.action(async (...args: unknown[]) => {
    const values = args[argument ? 1 : 0] as Record<string, unknown> & { out?: string; json: boolean; dryRun: boolean };
    const { fields } = givenFields(flags, values, command);
    if (argument) fields[argument] = args[0];
    const config = job.configure({ ...spec.defaults, ...fields, ...spec.fixed } as Partial<C>);
    if (values.dryRun) return console.log(JSON.stringify(config));
    const signals = spec.stopsAt === undefined ? null : stopOnSignals(spec.stopsAt);
    const shown = new Map<string, (done: number, total: number) => void>();
    try {
      // The files of a job that writes some go to its --out directory; any other job's paths are the user's own.
      const result = await job.run(config, directoryContext(spec.out !== undefined ? (values.out as string) : "."), {
        progress: (what, done, total) => {
          if (!shown.has(what)) shown.set(what, stderrProgress(what));
          shown.get(what)!(done, total);
        },
        note: (line) => (values.json ? console.error : console.log)(line),
        shouldStop: () => signals?.stopped() != null,
      });
      run.exitCode = signals?.exitCode() ?? run.exitCode;
      spec.print(result, values.json, config);
    } finally {
      signals?.remove();
    }
  });
  return command;
}
