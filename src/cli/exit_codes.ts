// Exit codes of the `snnkit` command and the state a command may set for its run.

/**
 * Exit codes: 0 done; 1 a typed error (bad value, bad file, a limit); 2 bad usage (unknown flag, a flag
 * out of range); 70 an internal error (a bug); 130 / 143 stopped by SIGINT / SIGTERM after saving.
 */
export const EXIT = { ok: 0, error: 1, usage: 2, internal: 70, interrupted: 130, terminated: 143 } as const;

/** State of one run of the program that its commands may set. */
export interface CliRun {
  exitCode: number;
}
