// Event files into frames: N-MNIST-sized samples decoded and binned, and an AEDAT 3.1 recording streamed
// from disk packet by packet; events per second, as a table (npm run bench:events [-- --json]).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeAedat3, scanAedat3 } from "../src/events/aedat.js";
import { allocateEvents, type PolarityEvents } from "../src/events/events.js";
import { toFrames } from "../src/events/frames.js";
import { decodeNmnist, encodeNmnist } from "../src/events/nmnist.js";
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
rmSync(dir, { recursive: true, force: true });

const rows = [
  { work: "N-MNIST: 500 samples of 4,000 events decoded into 10 ms frames", events: nmnistEvents, seconds: nmnist },
  { work: "AEDAT 3.1: a 10⁷-event recording streamed from disk", events: streamed, seconds: aedat },
];
if (process.argv.includes("--json")) console.log(JSON.stringify(rows.map((r) => ({ ...r, events_per_second: r.events / r.seconds }))));
else {
  console.log("| work | events | seconds (best) | M events / s | target |");
  console.log("|---|---|---|---|---|");
  for (const r of rows) console.log(`| ${r.work} | ${r.events.toLocaleString("en-US")} | ${r.seconds.toFixed(3)} | ${(r.events / r.seconds / 1e6).toFixed(1)} | ≥ 10 |`);
}
