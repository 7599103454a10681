// Events of an event camera (a dynamic vision sensor): each an address (x, y), a polarity (1: brighter,
// 0: darker) and a time in microseconds, held as columns.
import { ValueError } from "../errors.js";

/** Polarity events as columns of equal length, in the order recorded. */
export interface PolarityEvents {
  x: Uint16Array;
  y: Uint16Array;
  p: Uint8Array;
  /** Microseconds. */
  t: Float64Array;
}

/** Columns with room for `n` events, to be filled and then cut to the count used (sliceEvents). */
export function allocateEvents(n: number): PolarityEvents {
  return { x: new Uint16Array(n), y: new Uint16Array(n), p: new Uint8Array(n), t: new Float64Array(n) };
}

/** The events [start, end) (views, not copies). */
export function sliceEvents(e: PolarityEvents, start: number, end: number): PolarityEvents {
  return { x: e.x.subarray(start, end), y: e.y.subarray(start, end), p: e.p.subarray(start, end), t: e.t.subarray(start, end) };
}

/** Several runs of events, one after the other, as one. */
export function concatEvents(parts: readonly PolarityEvents[]): PolarityEvents {
  const n = parts.reduce((s, e) => s + e.t.length, 0);
  const out = allocateEvents(n);
  let at = 0;
  for (const e of parts) {
    out.x.set(e.x, at);
    out.y.set(e.y, at);
    out.p.set(e.p, at);
    out.t.set(e.t, at);
    at += e.t.length;
  }
  return out;
}

/**
 * Checks event `i` of a recording that must be in time order on a `width` × `height` sensor: its address
 * inside the sensor and its time not before the previous event's (ValueErrors naming the event).
 */
export function checkEvent(e: PolarityEvents, i: number, width: number, height: number): void {
  if (e.x[i] >= width || e.y[i] >= height) throw new ValueError(`events[${i}]`, `an address inside the ${width} × ${height} sensor`, `(${e.x[i]}, ${e.y[i]})`);
  if (i > 0 && e.t[i] < e.t[i - 1]) throw new ValueError(`events[${i}].t`, "times in order", `${e.t[i]} after ${e.t[i - 1]}`);
}

/** The first `n` events as [x, y, polarity, t µs] rows (what `snnkit data inspect` shows). */
export const firstEvents = (e: PolarityEvents, n = 10): number[][] => Array.from({ length: Math.min(n, e.t.length) }, (_, i) => [e.x[i], e.y[i], e.p[i], e.t[i]]);
