// A sweep's results as rows, a table and a plot of the metric against each swept flag.
import { linePlot } from "../../plot/svg.js";
import type { SweepRun, SweepSpec } from "./spec.js";

/** One run in the results: its id and settings, its status, and once completed its metrics as its command's --json prints them. */
export interface SweepRow {
  id: string;
  settings: Record<string, unknown>;
  status: "waiting" | "active" | "completed" | "failed";
  metrics?: Record<string, unknown>;
  error?: string;
}

/** The table: one line per run, its swept settings, its seed, its status and the metric. */
export function sweepTable(spec: SweepSpec, rows: readonly SweepRow[]): string {
  const swept = [...Object.keys(spec.grid), ...Object.keys(spec.random?.space ?? {}), "seed"];
  const head = ["run", ...swept, "status", spec.metric];
  const lines = rows.map((r) => [r.id, ...swept.map((f) => JSON.stringify(r.settings[f])), r.status, r.metrics && typeof r.metrics[spec.metric] === "number" ? (r.metrics[spec.metric] as number).toFixed(4) : ""]);
  const widths = head.map((h, k) => Math.max(h.length, ...lines.map((l) => l[k].length)));
  return [head, ...lines].map((l) => l.map((c, k) => c.padEnd(widths[k])).join("  ").trimEnd()).join("\n");
}

/** The metric (mean over seeds and the other flags) against each swept flag's values, as one SVG with a line per flag. */
export function sweepPlot(spec: SweepSpec, rows: readonly SweepRow[]): string {
  const series = [...Object.keys(spec.grid), ...Object.keys(spec.random?.space ?? {})].map((flag) => {
    const values = [...new Set(rows.map((r) => JSON.stringify(r.settings[flag])))];
    const numeric = values.every((v) => typeof JSON.parse(v) === "number");
    const points = values
      .map((v, k) => {
        const done = rows.filter((r) => JSON.stringify(r.settings[flag]) === v && typeof r.metrics?.[spec.metric] === "number");
        const mean = done.reduce((s, r) => s + (r.metrics![spec.metric] as number), 0) / Math.max(done.length, 1);
        return { x: numeric ? (JSON.parse(v) as number) : k, y: done.length ? mean : Number.NaN };
      })
      .filter((p) => Number.isFinite(p.y))
      .sort((a, b) => a.x - b.x);
    return { label: numeric ? flag : `${flag} (${values.join(", ")})`, x: points.map((p) => p.x), y: points.map((p) => p.y) };
  });
  return linePlot(series.length ? series : [{ label: "runs", x: rows.map((_, k) => k), y: rows.map((r) => (r.metrics?.[spec.metric] as number) ?? Number.NaN) }], { title: `${spec.command}: ${spec.metric}`, xLabel: "value of the swept flag", yLabel: spec.metric });
}

/** The rows of runs from what their folders hold (a result or a failure) and, where known, the queue's states. */
export function sweepRows(runs: readonly SweepRun[], found: (run: SweepRun) => { metrics?: Record<string, unknown>; error?: string; queued?: SweepRow["status"] | null }): SweepRow[] {
  return runs.map((run) => {
    const f = found(run);
    const status: SweepRow["status"] = f.metrics ? "completed" : f.queued ?? (f.error ? "failed" : "waiting");
    return { id: run.id, settings: run.settings, status, ...(f.metrics ? { metrics: f.metrics } : {}), ...(f.error && !f.metrics ? { error: f.error } : {}) };
  });
}
