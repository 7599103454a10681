// Progress through an epoch: a bar on a terminal (cli-progress), plain lines at each quarter otherwise,
// nothing with --json (stdout is then one JSON object).
import { SingleBar } from "cli-progress";

/** Seconds as "4m05s" ("?" when unknown). */
export function formatEta(seconds: number): string {
  return Number.isFinite(seconds) ? `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, "0")}s` : "?";
}

/** A progress display for epochs of work; `format` is the bar's cli-progress format ({bar}, {value}, {total} and the fields given). */
export function epochProgress(json: boolean, format: string) {
  const tty = Boolean(process.stdout.isTTY) && !json;
  let bar: SingleBar | null = null;
  return {
    /** `done` of `total` in the current epoch: the bar's fields, or the line printed at each quarter. */
    update(done: number, total: number, fields: Record<string, string>, line: () => string): void {
      if (json) return;
      if (!tty) {
        const quarter = Math.max(1, Math.floor(total / 4));
        if (done % quarter === 0 && done < total) console.log(line());
        return;
      }
      if (!bar) {
        bar = new SingleBar({ format, hideCursor: true, clearOnComplete: true });
        bar.start(total, 0);
      }
      bar.update(done, fields);
    },
    /** Removes the bar (at an epoch's end, or when stopping). */
    stop(): void {
      bar?.stop();
      bar = null;
    },
  };
}
