// Events binned into frames, as tonic's ToFrame: counts per polarity and pixel in each slice of time (or
// of events), the input of a network that takes images per step.
import { ValueError } from "../errors.js";
import { checkEvent, type PolarityEvents } from "./events.js";

/** How events are sliced into frames (give exactly one). */
export interface FrameSlicing {
  /** Frames of this many µs each, from the first event's time. */
  timeWindow?: number;
  /** Frames of this many events each (the last one may hold fewer). */
  eventCount?: number;
  /** This many frames of equal time over the events' span. */
  bins?: number;
}

/** Frames [T, 2, H, W] (channel 0: polarity 0, channel 1: polarity 1) of event counts, and T. */
export interface Frames {
  data: Float32Array;
  frames: number;
  shape: [number, 2, number, number];
}

/** Most frame values one call may produce (2²⁸). */
const MAX_VALUES = 2 ** 28;

/**
 * Bins events of a `width` × `height` sensor into frames. Events must be in time order (as recorded);
 * an address outside the sensor is a ValueError naming the event.
 */
export function toFrames(e: PolarityEvents, width: number, height: number, slicing: FrameSlicing): Frames {
  const given = [slicing.timeWindow, slicing.eventCount, slicing.bins].filter((v) => v !== undefined).length;
  if (given !== 1) throw new ValueError("slicing", "exactly one of timeWindow, eventCount or bins", slicing);
  const n = e.t.length;
  const t0 = n ? e.t[0] : 0;
  const span = n ? e.t[n - 1] - t0 : 0;
  let frames: number;
  let frameOf: (i: number) => number;
  if (slicing.timeWindow !== undefined) {
    const w = slicing.timeWindow;
    if (!(w > 0 && Number.isFinite(w))) throw new ValueError("timeWindow", "a number of µs > 0", w);
    frames = Math.max(1, Math.floor(span / w) + 1);
    frameOf = (i) => Math.floor((e.t[i] - t0) / w);
  } else if (slicing.eventCount !== undefined) {
    const c = slicing.eventCount;
    if (!(Number.isInteger(c) && c >= 1)) throw new ValueError("eventCount", "an integer >= 1", c);
    frames = Math.max(1, Math.ceil(n / c));
    frameOf = (i) => Math.floor(i / c);
  } else {
    const b = slicing.bins!;
    if (!(Number.isInteger(b) && b >= 1)) throw new ValueError("bins", "an integer >= 1", b);
    frames = b;
    frameOf = (i) => (span === 0 ? 0 : Math.min(b - 1, Math.floor(((e.t[i] - t0) / span) * b)));
  }
  const plane = width * height;
  if (frames * 2 * plane > MAX_VALUES) throw new ValueError("slicing", `at most ${MAX_VALUES} frame values`, `${frames} frames of 2 × ${height} × ${width}`);
  const data = new Float32Array(frames * 2 * plane);
  for (let i = 0; i < n; i++) {
    checkEvent(e, i, width, height);
    data[(frameOf(i) * 2 + (e.p[i] ? 1 : 0)) * plane + e.y[i] * width + e.x[i]] += 1;
  }
  return { data, frames, shape: [frames, 2, height, width] };
}
