// The commands a sweep can run: the runs (tasks, which checkpoint and resume) and the one-shot jobs, by
// the name a user types after `snnkit`.
import { controlTask } from "../control/task.js";
import { dsnTask } from "../dsn/task.js";
import { robustnessJob } from "../robustness/robustness_job.js";
import type { Job } from "../run/job.js";
import type { Task } from "../run/task.js";
import { simulateJob } from "../sim/simulate_job.js";
import { stdpDigitsJob } from "../sim/stdp_digits_job.js";
import { temSweepJob } from "../tem/tem_jobs.js";
import { trainTask } from "../train/task.js";

/** A sweepable command: a task (checkpointed, resumed after an interruption) or a job (rerun from its start). */
export type SweepCommand = { kind: "task"; task: Task<object, unknown, unknown, unknown> } | { kind: "job"; job: Job<object, unknown> };

/** Every command a sweep may name, by its CLI name. */
export const SWEEP_COMMANDS: Readonly<Record<string, SweepCommand>> = {
  train: { kind: "task", task: trainTask as unknown as Task<object, unknown, unknown, unknown> },
  "dsn train": { kind: "task", task: dsnTask as unknown as Task<object, unknown, unknown, unknown> },
  "control cartpole": { kind: "task", task: controlTask as unknown as Task<object, unknown, unknown, unknown> },
  robustness: { kind: "job", job: robustnessJob as unknown as Job<object, unknown> },
  "tem sweep": { kind: "job", job: temSweepJob as unknown as Job<object, unknown> },
  simulate: { kind: "job", job: simulateJob as unknown as Job<object, unknown> },
  "stdp digits": { kind: "job", job: stdpDigitsJob as unknown as Job<object, unknown> },
};

/** A command's configuration from its fields (defaults filled, every value checked). */
export function configureCommand(command: SweepCommand, fields: Record<string, unknown>): object {
  return command.kind === "task" ? command.task.configure(fields) : command.job.configure(fields);
}

/** The setting names (configuration fields) a command takes. */
export function commandFields(command: SweepCommand): string[] {
  return Object.keys((command.kind === "task" ? command.task : command.job).schema.shape);
}
