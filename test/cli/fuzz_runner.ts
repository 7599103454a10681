// Runs fuzz cases and classifies each: a clean error, a crash (a raw JavaScript error, an internal
// error or an abort), a hang (no answer within the time limit) or accepted (exit code 0).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FuzzCase } from "./fuzz_cases.js";

export type Outcome = "clean" | "crash" | "hang" | "accepted";

/** What happened to one case. */
export interface FuzzResult {
  case: FuzzCase;
  outcome: Outcome;
  code: number | null;
  stderr: string;
}

/** Messages of JavaScript's own errors and of aborts: an input reached the engine unchecked. */
const RAW = /TypeError|RangeError|ReferenceError|SyntaxError: (?!.*JSON)|Cannot read propert|is not a function|is not iterable|Invalid array length|Invalid typed array length|Array buffer allocation failed|Maximum call stack|out of memory|WebAssembly\.|internal error|escaped runCli|FATAL/;

/** Clean: exit 1 (typed error) or 2 (usage) with a message and no raw JavaScript error in it. */
export function classify(code: number | null, stderr: string, timedOut: boolean): Outcome {
  if (timedOut) return "hang";
  if (code === 0) return "accepted";
  if ((code === 1 || code === 2) && stderr.trim() !== "" && !RAW.test(stderr)) return "clean";
  return "crash";
}

/** Cases as JSON for the worker (bytes as base64). */
function serialise(cases: FuzzCase[]): string {
  return JSON.stringify(
    cases.map((c) => ({
      ...c,
      files: c.files && Object.fromEntries(Object.entries(c.files).map(([k, v]) => [k, typeof v === "string" ? v : { bytes: Buffer.from(v).toString("base64") }])),
    })),
  );
}

/**
 * Runs every case in worker processes (test/cli/fuzz_worker.ts, in-process runCli), `timeoutMs` per
 * case; a hung worker is killed and a new one continues after the hung case.
 */
export async function runFuzz(cases: FuzzCase[], timeoutMs = 10_000): Promise<FuzzResult[]> {
  const dir = mkdtempSync(join(tmpdir(), "snnkit-fuzzcases-"));
  const file = join(dir, "cases.json");
  writeFileSync(file, serialise(cases));
  const results: FuzzResult[] = [];
  let next = 0;
  while (next < cases.length) {
    next = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", "test/cli/fuzz_worker.ts", file, String(next)], { stdio: ["ignore", "ignore", "pipe", "pipe"], env: { ...process.env, SNNKIT_THREADS: "1" } });
      let current = next;
      let timer: NodeJS.Timeout | undefined;
      let buffer = "";
      let childErr = "";
      child.stderr!.on("data", (d) => (childErr = (childErr + d).slice(-2000)));
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          results.push({ case: cases[current], outcome: "hang", code: null, stderr: `no answer in ${timeoutMs} ms` });
          child.kill("SIGKILL");
          current++;
        }, timeoutMs);
      };
      (child.stdio[3] as NodeJS.ReadableStream).on("data", (d: Buffer) => {
        buffer += d.toString();
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          const msg = JSON.parse(buffer.slice(0, nl)) as { i: number; start?: boolean; code?: number; stderr?: string };
          buffer = buffer.slice(nl + 1);
          if (msg.start) {
            current = msg.i;
            arm();
          } else {
            clearTimeout(timer);
            results.push({ case: cases[msg.i], outcome: classify(msg.code ?? null, msg.stderr ?? "", false), code: msg.code ?? null, stderr: msg.stderr ?? "" });
            current = msg.i + 1;
          }
        }
      });
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        // A worker that died inside a case (an abort, out of memory) crashed on it.
        if (current < cases.length && results.length === current && signal !== "SIGKILL") {
          results.push({ case: cases[current], outcome: "crash", code, stderr: childErr });
          current++;
        }
        resolve(current);
      });
    });
  }
  rmSync(dir, { recursive: true, force: true });
  return results;
}

/** Counts of each outcome, and the cases that broke their expectation. */
export function summarise(results: FuzzResult[]): { counts: Record<Outcome, number>; failures: FuzzResult[] } {
  const counts: Record<Outcome, number> = { clean: 0, crash: 0, hang: 0, accepted: 0 };
  const failures: FuzzResult[] = [];
  for (const r of results) {
    counts[r.outcome]++;
    const ok = r.outcome === "clean" || (r.outcome === "accepted" && r.case.expect === "either");
    if (!ok) failures.push(r);
  }
  return { counts, failures };
}
