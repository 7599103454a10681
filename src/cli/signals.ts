// Stopping a long run cleanly: the first SIGINT (Ctrl-C) or SIGTERM asks the run to stop at its next
// check and save; a second one exits at once. The exit code of a run stopped this way is 130 or 143.
import { EXIT } from "./exit_codes.js";

/** The state of the handlers installed by stopOnSignals. */
export interface SignalStop {
  /** The signal that asked the run to stop, or null. */
  stopped(): NodeJS.Signals | null;
  /** The exit code of a run stopped by that signal (130 for SIGINT, 143 for SIGTERM), or null. */
  exitCode(): number | null;
  /** Removes the handlers. */
  remove(): void;
}

/** Installs SIGINT and SIGTERM handlers; `onFirst` runs when the first signal arrives (e.g. to clear a progress bar). */
export function stopOnSignals(what: string, onFirst?: () => void): SignalStop {
  let signal: NodeJS.Signals | null = null;
  const code = (s: NodeJS.Signals) => (s === "SIGTERM" ? EXIT.terminated : EXIT.interrupted);
  const on = (s: NodeJS.Signals) => {
    if (signal) process.exit(code(s));
    signal = s;
    onFirst?.();
    console.error(`snnkit: ${s}: stopping ${what} and saving a checkpoint (again to abort)`);
  };
  process.on("SIGINT", on);
  process.on("SIGTERM", on);
  return {
    stopped: () => signal,
    exitCode: () => (signal ? code(signal) : null),
    remove: () => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
    },
  };
}
