// The event transforms against their definitions checked one event at a time (brute force).
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { allocateEvents, type PolarityEvents } from "../../src/events/events.js";
import { crop, cropTime, denoise, downsample, mergePolarities, timeJitter } from "../../src/events/transforms.js";
import { ValueError } from "../../src/errors.js";
import { Rng } from "../../src/random/rng.js";

const W = 12;
const H = 9;
/** Random events of a W × H sensor in time order (often several at one instant). */
const events = fc.array(fc.tuple(fc.nat(W - 1), fc.nat(H - 1), fc.nat(1), fc.nat(30)), { maxLength: 120 }).map((rows) => {
  const e = allocateEvents(rows.length);
  let t = 0;
  rows.forEach(([x, y, p, dt], i) => {
    t += dt;
    [e.x[i], e.y[i], e.p[i], e.t[i]] = [x, y, p, t];
  });
  return e;
});
const rows = (e: PolarityEvents) => Array.from(e.t, (t, i) => [e.x[i], e.y[i], e.p[i], t]);

test("denoise keeps exactly the events with an event at a neighbouring pixel (not their own) less than filterTime before", () => {
  fc.assert(
    fc.property(events, fc.integer({ min: 1, max: 60 }), (e, T) => {
      const all = rows(e);
      const expected = all.filter(([x, y, , t], i) => all.slice(0, i).some(([x2, y2, , t2]) => (x2 !== x || y2 !== y) && Math.abs(x2 - x) <= 1 && Math.abs(y2 - y) <= 1 && t - t2 < T));
      assert.deepEqual(rows(denoise(e, W, H, T)), expected);
    }),
  );
});

test("downsample, crop, cropTime and mergePolarities, event by event", () => {
  fc.assert(
    fc.property(events, fc.integer({ min: 1, max: 4 }), fc.nat(W - 1), fc.nat(H - 1), fc.nat(300), (e, f, x0, y0, t0) => {
      const all = rows(e);
      assert.deepEqual(rows(downsample(e, f)), all.map(([x, y, p, t]) => [Math.floor(x / f), Math.floor(y / f), p, t]));
      assert.deepEqual(rows(crop(e, x0, y0, 4, 3)), all.filter(([x, y]) => x >= x0 && x < x0 + 4 && y >= y0 && y < y0 + 3).map(([x, y, p, t]) => [x - x0, y - y0, p, t]));
      assert.deepEqual(rows(cropTime(e, t0, t0 + 100)), all.filter(([, , , t]) => t >= t0 && t < t0 + 100));
      assert.deepEqual(rows(mergePolarities(e)), all.map(([x, y, , t]) => [x, y, 0, t]));
    }),
  );
});

test("time jitter: no jitter changes nothing; jitter keeps every event (unless clipped below 0) and sorts by the new times", () => {
  fc.assert(
    fc.property(events, fc.integer({ min: 0, max: 1000 }), (e, seed) => {
      assert.deepEqual(rows(timeJitter(e, 0, new Rng(seed))), rows(e));
      const j = timeJitter(e, 25, new Rng(seed), false);
      assert.equal(j.t.length, e.t.length);
      for (let i = 1; i < j.t.length; i++) assert.ok(j.t[i] >= j.t[i - 1]);
      const key = (r: number[]) => r.slice(0, 3).join(",");
      assert.deepEqual(rows(j).map(key).sort(), rows(e).map(key).sort());
      assert.ok(timeJitter(e, 25, new Rng(seed)).t.every((t) => t >= 0));
    }),
  );
});

test("bad settings are ValueErrors naming them", () => {
  const e = allocateEvents(1);
  assert.throws(() => downsample(e, 0), (x: unknown) => x instanceof ValueError && /factor/.test((x as Error).message));
  assert.throws(() => denoise(e, W, H, 0), /filterTime/);
  assert.throws(() => denoise({ ...e, x: Uint16Array.of(50) }, W, H, 5), /events\[0\]: expected an address inside the 12 × 9 sensor/);
  const unsorted = { x: Uint16Array.of(1, 2), y: Uint16Array.of(1, 1), p: Uint8Array.of(0, 1), t: Float64Array.of(10, 3) };
  assert.throws(() => denoise(unsorted, W, H, 5), (x: unknown) => x instanceof ValueError && /events\[1\]\.t: expected times in order/.test((x as Error).message));
  assert.throws(() => cropTime(e, 5, 1), /tMin <= tMax/);
  assert.throws(() => crop(e, -1, 0, 1, 1), /x0/);
  assert.throws(() => timeJitter(e, Number.NaN, new Rng(1)), /std/);
});
