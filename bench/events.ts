// Event files into frames: N-MNIST-sized samples decoded and binned, an AEDAT 3.1 recording streamed
// from disk packet by packet, and an N-MNIST folder through the training data path with its cache cold and
// warm; events per second, as a table (npm run bench:events [-- --json]).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeAedat3, scanAedat3 } from "../src/events/aedat.js";
import { allocateEvents, type PolarityEvents } from "../src/events/events.js";
import { toFrames } from "../src/events/frames.js";
import { decodeNmnist, encodeNmnist } from "../src/events/nmnist.js";
import { loadEventSplit } from "../src/node/event_data.js";
import { DirectoryStore } from "../src/node/run_store.js";
import { Rng } from "../src/random/rng.js";

/** `n` events of a width × height sensor, as a sample of that size would hold (times increasing). */
function sample(n: number, width: number, height: number, rng: Rng): PolarityEvents {
  const e = allocateEvents(n);
  let t = 0;
  for (let i = 0; i < n; i++) {
    e.x[i] = rng.int(width);
    e.y[i] = rng.int(height);
    e.p[i] = rng.int(2);
    t += rng.int(150);
    e.t[i] = t;
  }
  return e;
}

/** The best of `rounds` timings of `work` (seconds). */
function best(rounds: number, work: () => void): number {
  let s = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    work();
    s = Math.min(s, (performance.now() - t0) / 1000);
  }
  return s;
}

const rng = new Rng(1);
// N-MNIST: about 4,000 events per sample (300 ms, three saccades), frames of 10 ms.
const files = Array.from({ length: 500 }, () => encodeNmnist(sample(4000, 34, 34, rng)));
const nmnistEvents = files.reduce((s, f) => s + f.length / 5, 0);
const nmnist = best(5, () => {
  for (const f of files) toFrames(decodeNmnist(f, "bench"), 34, 34, { timeWindow: 10_000 });
});
// DVS Gesture: a recording of 10⁷ events on disk, streamed packet by packet (count and time span only).
const dir = mkdtempSync(join(tmpdir(), "snnkit-bench-events-"));
const path = join(dir, "recording.aedat");
const recording = sample(10_000_000, 128, 128, rng);
writeFileSync(path, encodeAedat3(recording, 4096));
const store = new DirectoryStore(dir);
let streamed = 0;
const aedat = best(3, () => {
  streamed = 0;
  const source = store.openExternal(path);
  try {
    scanAedat3(source, path, (e) => (streamed += e.t.length));
  } finally {
    source.close();
  }
});
// An N-MNIST folder of 2,000 such samples through the training data path (loadEventSplit, 8 bins):
// cold (every file read, its MD5 taken, binned, the cache written) and warm (the cache read).
const folder = join(dir, "nmnist");
for (let d = 0; d < 10; d++) {
  mkdirSync(join(folder, "Train", String(d)), { recursive: true });
  for (let k = 0; k < 200; k++) writeFileSync(join(folder, "Train", String(d), `${k}.bin`), files[(d * 200 + k) % files.length]);
}
const split = () => loadEventSplit({ dataset: "nmnist", dataDir: folder, split: "train", frames: { bins: 8, downsample: 1 }, progress: () => undefined });
let t0 = performance.now();
await split();
const cold = (performance.now() - t0) / 1000;
t0 = performance.now();
await split();
const warm = (performance.now() - t0) / 1000;
rmSync(dir, { recursive: true, force: true });
const folderEvents = Array.from({ length: 2000 }, (_, i) => files[i % files.length].length / 5).reduce((a, b) => a + b, 0);

const rows = [
  { work: "N-MNIST: 500 samples of 4,000 events decoded into 10 ms frames", events: nmnistEvents, seconds: nmnist },
  { work: "AEDAT 3.1: a 10⁷-event recording streamed from disk", events: streamed, seconds: aedat },
  { work: "N-MNIST folder of 2,000 samples into 8-bin frames, cold (read, MD5, binned, cached)", events: folderEvents, seconds: cold },
  { work: "the same, warm (the cache read)", events: folderEvents, seconds: warm },
];
if (process.argv.includes("--json")) console.log(JSON.stringify(rows.map((r) => ({ ...r, events_per_second: r.events / r.seconds }))));
else {
  console.log("| work | events | seconds (best) | M events / s | target |");
  console.log("|---|---|---|---|---|");
  for (const r of rows) console.log(`| ${r.work} | ${r.events.toLocaleString("en-US")} | ${r.seconds.toFixed(3)} | ${(r.events / r.seconds / 1e6).toFixed(1)} | ≥ 10 |`);
}
