// Event files as their formats publish them: N-MNIST's 40-bit events, AEDAT 3.1's packets (valid bit,
// packet types, timestamp overflow), DVS Gesture's label files; frames by time, count and bins against
// counting by hand; and `snnkit data inspect` with its errors.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../../src/cli/program.js";
import { withConsole } from "../helpers.js";
import { DataError, ValueError } from "../../src/errors.js";
import { encodeAedat3, parseGestureLabels, readAedat3 } from "../../src/events/aedat.js";
import { allocateEvents, concatEvents, type PolarityEvents } from "../../src/events/events.js";
import { toFrames } from "../../src/events/frames.js";
import { decodeNmnist, encodeNmnist, nmnistLabel } from "../../src/events/nmnist.js";
import { memorySource } from "../../src/io/byte_source.js";
import { memoryHdf5 } from "../../src/io/hdf5_reader.js";
import { openShd, type ShdSource } from "../../src/events/shd.js";
import type { Hdf5Dataset } from "../../src/io/hdf5_reader.js";
import { DirectoryStore } from "../../src/node/run_store.js";
import { MemoryStore } from "../../src/tasks/run/memory_store.js";
import { Rng } from "../../src/random/rng.js";

/** `n` random events of a width × height sensor, times increasing from `t0` µs. */
function randomEvents(n: number, width: number, height: number, seed: number, t0 = 0, gap = 50): PolarityEvents {
  const rng = new Rng(seed);
  const e = allocateEvents(n);
  let t = t0;
  for (let i = 0; i < n; i++) {
    e.x[i] = rng.int(width);
    e.y[i] = rng.int(height);
    e.p[i] = rng.int(2);
    t += rng.int(gap);
    e.t[i] = t;
  }
  return e;
}
const columns = (e: PolarityEvents) => [Array.from(e.x), Array.from(e.y), Array.from(e.p), Array.from(e.t)];

test("N-MNIST: the published bit layout (x, y, polarity in bit 7, a 23-bit big-endian µs time), round trips, and bad files", () => {
  // x = 5, y = 7, polarity 1, t = 0x010203 µs.
  const one = decodeNmnist(Uint8Array.of(5, 7, 0x80 | 0x01, 0x02, 0x03), "s.bin");
  assert.deepEqual(columns(one), [[5], [7], [1], [0x010203]]);
  assert.deepEqual(columns(decodeNmnist(Uint8Array.of(33, 0, 0x7f, 0xff, 0xff), "s.bin")), [[33], [0], [0], [2 ** 23 - 1]]);
  const e = randomEvents(500, 34, 34, 1);
  assert.deepEqual(columns(decodeNmnist(encodeNmnist(e), "r.bin")), columns(e));
  assert.throws(() => decodeNmnist(new Uint8Array(12), "t.bin"), (x: unknown) => x instanceof DataError && /t\.bin: 12 bytes: not a whole number of 5-byte N-MNIST events \(2 bytes left at offset 10\)/.test((x as Error).message));
  assert.throws(() => decodeNmnist(Uint8Array.of(0, 0, 0, 0, 0, 40, 1, 0, 0, 0), "f.bin"), /event 1 at offset 5: address \(40, 1\) outside the 34 × 34 sensor/);
  assert.equal(nmnistLabel("N-MNIST/Train/7/00012.bin"), 7);
  assert.equal(nmnistLabel("sample.bin"), null);
});

test("AEDAT 3.1: the polarity word's bits, the valid bit, other packet types skipped, timestamp overflow, streaming by packets", () => {
  // One event by hand: x = 100 (bits 17–31), y = 3 (bits 2–16), polarity 1 (bit 1), valid (bit 0); t = 77 µs.
  const hand = encodeAedat3({ x: Uint16Array.of(100), y: Uint16Array.of(3), p: Uint8Array.of(1), t: Float64Array.of(77) });
  const at = hand.length - 8;
  assert.equal(new DataView(hand.buffer).getUint32(at, true), (100 << 17) | (3 << 2) | (1 << 1) | 1);
  assert.deepEqual(columns(readAedat3(memorySource(hand), "h.aedat")), [[100], [3], [1], [77]]);
  // Random events across the 2³¹ µs overflow, in packets of 64, some invalid, and a packet of another type in between.
  const e = randomEvents(300, 128, 128, 2, 2 ** 31 - 5000, 60);
  const invalid = [3, 64, 200];
  const file = encodeAedat3(e, 64, invalid);
  const endHeader = new TextDecoder("latin1").decode(file).indexOf("#!END-HEADER\r\n") + 14;
  const other = new Uint8Array(28 + 3 * 16);
  const ov = new DataView(other.buffer);
  [2, 1].forEach((v, i) => ov.setInt16(2 * i, v, true));
  [16, 4, 0, 3, 3, 3].forEach((v, i) => ov.setInt32(4 + 4 * i, v, true));
  const mixed = new Uint8Array(file.length + other.length);
  mixed.set(file.subarray(0, endHeader));
  mixed.set(other, endHeader);
  mixed.set(file.subarray(endHeader), endHeader + other.length);
  const read = readAedat3(memorySource(mixed), "m.aedat");
  const keep = Array.from({ length: 300 }, (_, i) => i).filter((i) => !invalid.includes(i));
  assert.deepEqual(columns(read), columns(e).map((col) => keep.map((i) => col[i])));
  assert.ok(read.t.some((t) => t >= 2 ** 31) && read.t.some((t) => t < 2 ** 31), "times on both sides of the overflow");
  assert.equal(read.skipped, 3 + invalid.length);
  // 300 events in packets of at most 64 that never straddle the overflow, plus the other packet.
  assert.ok(read.packets >= 6 && read.packets <= 7, `${read.packets} packets`);
  // Bad files.
  for (const [bytes, message] of [
    [new TextEncoder().encode("#!AER-DAT2.0\r\n"), /not an AEDAT 3 file/],
    [new TextEncoder().encode("#!AER-DAT3.1\r\n#no end"), /no "#!END-HEADER" line/],
    [file.subarray(0, file.length - 3), /truncated packet at offset \d+: it claims \d+ bytes of events, \d+ are left/],
    [file.subarray(0, endHeader + 10), /truncated packet header at offset \d+ \(10 of 28 bytes\)/],
  ] as [Uint8Array, RegExp][])
    assert.throws(() => readAedat3(memorySource(bytes), "b.aedat"), (x: unknown) => x instanceof DataError && message.test((x as Error).message), String(message));
  const huge = Uint8Array.from(file);
  new DataView(huge.buffer).setInt32(endHeader + 16, 2 ** 30, true);
  assert.throws(() => readAedat3(memorySource(huge), "h.aedat"), /impossible header/);
});

test("DVS Gesture labels: class and time span per gesture; malformed lines named", () => {
  assert.deepEqual(parseGestureLabels("class,startTime_usec,endTime_usec\n1,80000,1600000\n11,1700000,2900000\n", "l.csv"), [
    { label: 1, start: 80000, end: 1600000 },
    { label: 11, start: 1700000, end: 2900000 },
  ]);
  assert.throws(() => parseGestureLabels("1,2,3\n", "l.csv"), /l\.csv: line 1: expected the header/);
  assert.throws(() => parseGestureLabels("class,startTime_usec,endTime_usec\n2,900,100\n", "l.csv"), /line 2: expected class,start,end/);
});

test("frames by time window, event count and bins equal counting each event by hand; the total is kept", () => {
  const e = concatEvents([randomEvents(400, 10, 8, 3, 1000, 40)]);
  const byHand = (frameOf: (i: number) => number, frames: number) => {
    const out = new Float32Array(frames * 2 * 8 * 10);
    for (let i = 0; i < 400; i++) out[(frameOf(i) * 2 + e.p[i]) * 80 + e.y[i] * 10 + e.x[i]]++;
    return out;
  };
  const t0 = e.t[0];
  const span = e.t[399] - t0;
  const w = toFrames(e, 10, 8, { timeWindow: 1000 });
  assert.equal(w.frames, Math.floor(span / 1000) + 1);
  assert.deepEqual(w.data, byHand((i) => Math.floor((e.t[i] - t0) / 1000), w.frames));
  const c = toFrames(e, 10, 8, { eventCount: 64 });
  assert.equal(c.frames, 7);
  assert.deepEqual(c.data, byHand((i) => Math.floor(i / 64), 7));
  const b = toFrames(e, 10, 8, { bins: 5 });
  assert.deepEqual(b.data, byHand((i) => Math.min(4, Math.floor(((e.t[i] - t0) / span) * 5)), 5));
  for (const f of [w, c, b]) assert.equal(f.data.reduce((s, v) => s + v, 0), 400);
  assert.deepEqual(b.shape, [5, 2, 8, 10]);
  assert.throws(() => toFrames(e, 5, 8, { bins: 2 }), (x: unknown) => x instanceof ValueError && /events\[\d+\]: expected an address inside the 5 × 8 sensor/.test((x as Error).message));
  assert.throws(() => toFrames(e, 10, 8, { bins: 2, eventCount: 3 }), /exactly one of/);
  const swapped = { ...e, t: e.t.slice() };
  [swapped.t[10], swapped.t[11]] = [e.t[11] + 1, e.t[10]];
  assert.throws(() => toFrames(swapped, 10, 8, { bins: 2 }), (x: unknown) => x instanceof ValueError && /events\[11\]\.t: expected times in order/.test((x as Error).message));
  // No events: one empty frame by time window, or the bins asked for.
  assert.deepEqual(toFrames(allocateEvents(0), 10, 8, { timeWindow: 1000 }).shape, [1, 2, 8, 10]);
  assert.equal(toFrames(allocateEvents(0), 10, 8, { bins: 3 }).frames, 3);
});

test("snnkit data inspect: N-MNIST and DVS Gesture detected, counted, labelled (--json); foreign files refused", async () => {
  const dir = mkdtempSync(join(tmpdir(), "snnkit-events-"));
  mkdirSync(join(dir, "Train", "3"), { recursive: true });
  const digits = randomEvents(120, 34, 34, 4);
  writeFileSync(join(dir, "Train", "3", "00001.bin"), encodeNmnist(digits));
  const gesture = randomEvents(1000, 128, 128, 5);
  writeFileSync(join(dir, "user01_fluorescent.aedat"), encodeAedat3(gesture, 256));
  writeFileSync(join(dir, "user01_fluorescent_labels.csv"), "class,startTime_usec,endTime_usec\n4,100,20000\n7,20000,40000\n");
  writeFileSync(join(dir, "bad.aedat"), encodeAedat3(gesture, 256).subarray(0, 2000));
  writeFileSync(join(dir, "odd.bin"), new Uint8Array(7));
  await withConsole(async (out) => {
    assert.equal(await runCli(["data", "inspect", join(dir, "Train", "3", "00001.bin"), "--json"]), 0);
    const n = JSON.parse(out.pop()!);
    assert.deepEqual([n.format, n.events, n.sensor, n.labels, n.first[0]], ["nmnist", 120, [34, 34], [3], [digits.x[0], digits.y[0], digits.p[0], digits.t[0]]]);
    assert.deepEqual(n.span_us, [digits.t[0], digits.t[119]]);
    assert.equal(await runCli(["data", "inspect", join(dir, "user01_fluorescent.aedat"), "--json"]), 0);
    const g = JSON.parse(out.pop()!);
    assert.deepEqual([g.format, g.events, g.sensor, g.labels, g.packets, g.first.length], ["dvsgesture", 1000, [128, 128], [4, 7], 4, 10]);
    assert.equal(await runCli(["data", "inspect", join(dir, "user01_fluorescent.aedat")]), 0);
    assert.match(out.pop()!, /dvsgesture, 1000 events, sensor 128 × 128/);
    assert.equal(await runCli(["data", "inspect", join(import.meta.dirname, "..", "fixtures", "events", "shd_small.h5"), "--json"]), 0);
    const h = JSON.parse(out.pop()!);
    assert.deepEqual([h.format, h.events, h.samples, h.units, h.labels, h.first[0].length], ["shd", 113, 4, 700, [0, 3, 7, 19], 2]);
    for (const bad of ["bad.aedat", "odd.bin", "none.bin"]) assert.equal(await runCli(["data", "inspect", join(dir, bad)]), 1, bad);
    assert.equal(await runCli(["data", "inspect", join(dir, "odd.bin"), "--format", "shd"]), 1);
    assert.equal(await runCli(["data", "inspect", join(dir, "odd.bin"), "--format", "ssc"]), 2);
  });
});

test("SHD (an HDF5 file written by h5py): samples read one at a time, variable-length arrays, labels; missing datasets named", async () => {
  const path = join(import.meta.dirname, "..", "fixtures", "events", "shd_small.h5");
  for (const store of [new DirectoryStore("."), (() => {
    const m = new MemoryStore();
    m.files.set(path, readFileSync(path));
    return m;
  })()]) {
    const h5 = await store.openHdf5(path);
    try {
      const shd = openShd(h5, path);
      assert.equal(shd.samples, 4);
      assert.deepEqual(shd.labels, [3, 0, 19, 7]);
      let total = 0;
      for (let i = 0; i < 4; i++) {
        const s = shd.sample(i);
        assert.equal(s.times.length, s.units.length);
        assert.ok(s.times.length >= 5 && s.times.length < 40);
        for (let k = 1; k < s.times.length; k++) assert.ok(s.times[k] >= s.times[k - 1]);
        assert.ok(s.units.every((u) => u < 700));
        assert.equal(s.label, shd.labels[i]);
        total += s.times.length;
      }
      assert.equal(total, 113);
      assert.throws(() => shd.sample(4), /sample 4: the file has 4/);
    } finally {
      h5.close();
    }
  }
  // An HDF5 file without the spike datasets.
  const { writeNir } = await import("../../src/nir/hdf5_write.js");
  const other = await writeNir({ version: "1", graph: { type: "NIRGraph", nodes: {}, edges: [], params: {}, metadata: {} } });
  const reader = await memoryHdf5(other, "o.h5");
  assert.throws(() => openShd(reader, "o.h5"), (e: unknown) => e instanceof DataError && /o\.h5: spikes\/times: missing/.test((e as Error).message));
  reader.close();
  await assert.rejects(memoryHdf5(new Uint8Array(20), "z.h5"), /z\.h5: not an HDF5 file/);
});

test("SHD: a unit outside the 700 channels (even one that 16 bits would wrap into them) or a bad time names the sample and spike", () => {
  const reader = (units: number[], times: number[]): ShdSource => {
    const sets: Record<string, Pick<Hdf5Dataset, "shape" | "read">> = {
      "spikes/times": { shape: [1], read: () => [Float64Array.from(times)] },
      "spikes/units": { shape: [1], read: () => [Float64Array.from(units)] },
      labels: { shape: [1], read: () => Uint8Array.of(2) },
    };
    return { dataset: (path) => sets[path] ?? null };
  };
  assert.deepEqual(Array.from(openShd(reader([5, 699], [0, 0.5]), "s.h5").sample(0).units), [5, 699]);
  for (const [units, times, message] of [
    [[5, 65536 + 5], [0, 1], /s\.h5: sample 0, spike 1: unit 65541, outside the 700 channels/],
    [[700], [0], /spike 0: unit 700/],
    [[-1], [0], /spike 0: unit -1/],
    [[1.5], [0], /spike 0: unit 1\.5/],
    [[3], [Number.NaN], /sample 0, spike 0: time NaN s/],
    [[3], [-0.1], /spike 0: time -0\.1 s/],
  ] as const)
    assert.throws(() => openShd(reader([...units], [...times]), "s.h5").sample(0), (e: unknown) => e instanceof DataError && message.test((e as Error).message));
});
