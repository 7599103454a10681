// Transforms of polarity events as tonic's users know them: spatial downsampling, the denoising
// (background-activity) filter, time jitter, spatial and time crops, and merging the polarities. Each
// takes events and returns new ones; none changes its input.
import { ValueError } from "../errors.js";
import type { Rng } from "../random/rng.js";
import { allocateEvents, checkEvent, type PolarityEvents, sliceEvents } from "./events.js";

/** The events for which `keep(i)` holds, in order. */
function filterEvents(e: PolarityEvents, keep: (i: number) => boolean): PolarityEvents {
  const out = allocateEvents(e.t.length);
  let n = 0;
  for (let i = 0; i < e.t.length; i++)
    if (keep(i)) {
      out.x[n] = e.x[i];
      out.y[n] = e.y[i];
      out.p[n] = e.p[i];
      out.t[n] = e.t[i];
      n++;
    }
  return sliceEvents(out, 0, n);
}

/** Addresses divided by `factor` and floored (tonic's Downsample with spatial_factor 1/factor): a sensor `factor` times smaller. */
export function downsample(e: PolarityEvents, factor: number): PolarityEvents {
  if (!(Number.isInteger(factor) && factor >= 1)) throw new ValueError("factor", "an integer >= 1", factor);
  return { x: e.x.map((x) => Math.floor(x / factor)), y: e.y.map((y) => Math.floor(y / factor)), p: e.p.slice(), t: e.t.slice() };
}

/**
 * The background-activity filter (tonic's Denoise): an event is kept when one of its 8 neighbouring pixels
 * (not itself) had an event within the `filterTime` µs before it (strictly less, as tonic). Events must be
 * in time order, with addresses inside the sensor (checkEvent).
 */
export function denoise(e: PolarityEvents, width: number, height: number, filterTime: number): PolarityEvents {
  if (!(filterTime > 0 && Number.isFinite(filterTime))) throw new ValueError("filterTime", "a number of µs > 0", filterTime);
  const last = new Float64Array(width * height).fill(Number.NEGATIVE_INFINITY);
  const keep = new Uint8Array(e.t.length);
  for (let i = 0; i < e.t.length; i++) {
    checkEvent(e, i, width, height);
    const [x, y, t] = [e.x[i], e.y[i], e.t[i]];
    let near = false;
    for (let dy = -1; dy <= 1 && !near; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const nx = x + dx;
        const ny = y + dy;
        if ((dx === 0 && dy === 0) || nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        if (t - last[ny * width + nx] < filterTime) {
          near = true;
          break;
        }
      }
    keep[i] = near ? 1 : 0;
    last[y * width + x] = t;
  }
  return filterEvents(e, (i) => keep[i] === 1);
}

/**
 * Every time moved by Gaussian noise of standard deviation `std` µs (tonic's TimeJitter), then the events
 * sorted by time again (stable); with `clipNegative`, events moved before 0 are dropped.
 */
export function timeJitter(e: PolarityEvents, std: number, rng: Rng, clipNegative = true): PolarityEvents {
  if (!(std >= 0 && Number.isFinite(std))) throw new ValueError("std", "a number of µs >= 0", std);
  const t = e.t.map((v) => v + std * rng.normal());
  const order = Array.from(t.keys()).sort((a, b) => t[a] - t[b] || a - b);
  const moved = allocateEvents(t.length);
  order.forEach((i, k) => {
    moved.x[k] = e.x[i];
    moved.y[k] = e.y[i];
    moved.p[k] = e.p[i];
    moved.t[k] = t[i];
  });
  return clipNegative ? filterEvents(moved, (i) => moved.t[i] >= 0) : moved;
}

/** The events inside the box [x0, x0 + width) × [y0, y0 + height), their addresses made relative to it (tonic's crops). */
export function crop(e: PolarityEvents, x0: number, y0: number, width: number, height: number): PolarityEvents {
  for (const [name, v] of [["x0", x0], ["y0", y0], ["width", width], ["height", height]] as const)
    if (!(Number.isInteger(v) && v >= 0)) throw new ValueError(name, "an integer >= 0", v);
  const kept = filterEvents(e, (i) => e.x[i] >= x0 && e.x[i] < x0 + width && e.y[i] >= y0 && e.y[i] < y0 + height);
  return { ...kept, x: kept.x.map((x) => x - x0), y: kept.y.map((y) => y - y0) };
}

/** The events with tMin ≤ t < tMax (tonic's CropTime). */
export function cropTime(e: PolarityEvents, tMin: number, tMax: number): PolarityEvents {
  if (!(tMin <= tMax)) throw new ValueError("tMin, tMax", "tMin <= tMax", [tMin, tMax]);
  return filterEvents(e, (i) => e.t[i] >= tMin && e.t[i] < tMax);
}

/** Every polarity set to 0: one channel for both (tonic's MergePolarities). */
export function mergePolarities(e: PolarityEvents): PolarityEvents {
  return { x: e.x.slice(), y: e.y.slice(), p: new Uint8Array(e.p.length), t: e.t.slice() };
}
