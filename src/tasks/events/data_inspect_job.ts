// `snnkit data inspect FILE`: what an event file holds: its format (detected, or as given), the event
// count, the sensor size, the time span, the label(s), and the first events.
import { z } from "zod";
import { choice } from "../../io/validate.js";
import { parseGestureLabels, scanAedat3 } from "../../events/aedat.js";
import { detectEventFormat, EVENT_DATASETS, type EventDatasetName } from "../../events/datasets.js";
import { firstEvents, type PolarityEvents } from "../../events/events.js";
import { decodeNmnist, NMNIST_SENSOR, nmnistLabel } from "../../events/nmnist.js";
import { openShd, SHD_UNITS } from "../../events/shd.js";
import { type Job, schemaSettings } from "../run/job.js";
import type { RunStore } from "../run/store.js";


const inspectSchema = z.strictObject({
  file: z.string().min(1).describe("an event file: an N-MNIST sample (.bin), a DVS Gesture recording (AEDAT 3.1), or an SHD or SSC file (HDF5)"),
  format: choice(EVENT_DATASETS).describe("the file's format (default: detected from its content)").optional(),
});
/** What `snnkit data inspect` reads. */
export type DataInspectConfig = z.output<typeof inspectSchema>;

/** What an event file holds. */
export interface DataInspectResult {
  file: string;
  format: EventDatasetName;
  events: number;
  samples: number;
  /** Camera events: the sensor's width and height. */
  sensor?: [number, number];
  /** Audio spikes (SHD, SSC): the channels. */
  units?: number;
  /** First and last event time (µs). */
  span_us: [number, number] | null;
  /** The label of each sample (N-MNIST, DVS Gesture), or the distinct labels (SHD, SSC: one per sample would be thousands). */
  labels: number[];
  /** The first ten events as [x, y, polarity, t µs], or for SHD and SSC as [unit, t s]. */
  first: number[][];
  /** AEDAT: packets read and events skipped (other types, invalid). */
  packets?: number;
  skipped?: number;
}


/** The labels of a DVS Gesture recording from the `<name>_labels.csv` beside it, when there is one. */
function gestureLabels(store: RunStore, file: string): number[] {
  const csv = file.replace(/\.aedat$/i, "_labels.csv");
  if (csv === file) return [];
  let text: string;
  try {
    text = new TextDecoder().decode(store.readExternal(csv));
  } catch {
    return [];
  }
  return parseGestureLabels(text, csv).map((l) => l.label);
}

/** An SHD or SSC file's report, read one sample at a time. */
async function inspectShd(store: RunStore, file: string): Promise<DataInspectResult> {
  const h5 = await store.openHdf5(file);
  try {
    const shd = openShd(h5, file);
    let events = 0;
    let span: [number, number] | null = null;
    let first: number[][] = [];
    for (let i = 0; i < shd.samples; i++) {
      const s = shd.sample(i);
      events += s.times.length;
      if (i === 0) first = Array.from({ length: Math.min(10, s.times.length) }, (_, k) => [s.units[k], s.times[k]]);
      if (s.times.length) span = [Math.min(span?.[0] ?? Infinity, s.times[0] * 1e6), Math.max(span?.[1] ?? -Infinity, s.times[s.times.length - 1] * 1e6)];
    }
    return { file, format: "shd", events, samples: shd.samples, units: SHD_UNITS, span_us: span, labels: [...new Set(shd.labels)].sort((a, b) => a - b), first };
  } finally {
    h5.close();
  }
}

/** Reads an event file and reports it. */
export const dataInspectJob: Job<DataInspectConfig, DataInspectResult> = {
  name: "data inspect",
  description: "what an event file holds: format, event count, sensor size, time span, labels, first events",
  ...schemaSettings<DataInspectConfig>(inspectSchema, {}),
  async run(c, { store }) {
    const source = store.openExternal(c.file);
    try {
      const format = c.format ?? detectEventFormat(source.read(0, 16), source.size, c.file);
      if (format === "shd") return await inspectShd(store, c.file);
      if (format === "nmnist") {
        const e = decodeNmnist(source.read(0, source.size), c.file);
        const label = nmnistLabel(c.file);
        return { file: c.file, format, events: e.t.length, samples: 1, sensor: [...NMNIST_SENSOR], span_us: e.t.length ? [e.t[0], e.t[e.t.length - 1]] : null, labels: label === null ? [] : [label], first: firstEvents(e) };
      }
      let count = 0;
      let first: PolarityEvents | null = null;
      let span: [number, number] | null = null;
      let [width, height] = [0, 0];
      const scan = scanAedat3(source, c.file, (e) => {
        first ??= e;
        count += e.t.length;
        span = [span ? span[0] : e.t[0], e.t[e.t.length - 1]];
        for (let i = 0; i < e.t.length; i++) {
          if (e.x[i] >= width) width = e.x[i] + 1;
          if (e.y[i] >= height) height = e.y[i] + 1;
        }
      });
      // DVS Gesture's sensor is a DVS128; a recording of a larger sensor says so by its addresses.
      const sensor: [number, number] = [Math.max(128, width), Math.max(128, height)];
      return { file: c.file, format, events: count, samples: 1, sensor, span_us: span, labels: gestureLabels(store, c.file), first: first ? firstEvents(first) : [], packets: scan.packets, skipped: scan.skipped };
    } finally {
      source.close();
    }
  },
  summary: (r) =>
    [
      `${r.file}: ${r.format}, ${r.events} events${r.samples > 1 ? ` in ${r.samples} samples` : ""}${r.skipped ? ` (${r.skipped} skipped: other types or invalid)` : ""}, ${r.sensor ? `sensor ${r.sensor[0]} × ${r.sensor[1]}` : `${r.units} channels`}`,
      `time span: ${r.span_us ? `${r.span_us[0]}–${r.span_us[1]} µs (${((r.span_us[1] - r.span_us[0]) / 1e6).toFixed(3)} s)` : "no events"}`,
      `labels: ${r.labels.length ? r.labels.join(", ") : "none found"}`,
      `first events ${r.sensor ? "[x, y, polarity, t µs]" : "[unit, t s]"}: ${r.first.map((e) => `[${e.join(", ")}]`).join(" ")}`,
    ].join("\n"),
};
