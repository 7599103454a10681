// The event data sets on disk (N-MNIST, SHD, DVS Gesture) as frames for training, preprocessed once:
// each chunk of 256 samples is cached under `<dataDir>/.snnkit-cache/`, keyed by the MD5 checksums of its
// source files and the frame settings, so a rerun reads the cache, an interrupted preprocessing resumes
// at the first missing chunk, and a changed file or setting makes new entries. Node only.
import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import type { ImageDataset } from "../data/dataset.js";
import { DataError, ValueError } from "../errors.js";
import { type GestureLabel, parseGestureLabels, readAedat3 } from "../events/aedat.js";
import { cameraFrames, checkFrameSettings, EVENT_DATASET_INFO, type FrameSettings, frameShape, gestureFrames, shdFrames } from "../events/datasets.js";
import type { PolarityEvents } from "../events/events.js";
import { decodeNmnist } from "../events/nmnist.js";
import { publishedArchive } from "../events/published_checksums.js";
import { openShd, type ShdFile } from "../events/shd.js";
import { Rng } from "../random/rng.js";
import type { EventSplitQuery } from "../tasks/run/data.js";
import { DirectoryStore, writeFileAtomically } from "./directory_store.js";

/** Samples per cache entry. */
export const CHUNK = 256;
/** The seed of the fixed order of N-MNIST's samples (its files are grouped by digit; limits and held-out samples then mix the classes). */
export const NMNIST_ORDER_SEED = 2015;
const MAGIC = "SNNKFRM1";


/** A split's samples: how many, the files their chunks depend on, and each sample's frames and label. */
interface SplitSource {
  total: number;
  /** The files chunk `c` is made from (their checksums key its cache entry). */
  filesOf(chunk: number): string[];
  sample(i: number): { frames: Uint8Array; label: number };
  close?(): void;
}

/** MD5 of a file, read in pieces (hex). */
function md5File(path: string): string {
  const hash = createHash("md5");
  const fd = openSync(path, "r");
  try {
    const buffer = new Uint8Array(1 << 20);
    for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

/**
 * Checksums of files, remembered in `<cache>/checksums.json` by path with the size and modification time
 * they had: a file is read again only when one of them changed.
 */
class Checksums {
  private known: Record<string, { size: number; mtime: number; md5: string }> = {};
  private dirty = false;
  constructor(private readonly path: string | null) {
    if (path && existsSync(path))
      try {
        this.known = JSON.parse(readFileSync(path, "utf8"));
      } catch {
        this.known = {};
      }
  }
  of(file: string): string {
    const st = statSync(file);
    const k = this.known[file];
    if (k && k.size === st.size && k.mtime === st.mtimeMs) return k.md5;
    const md5 = md5File(file);
    this.known[file] = { size: st.size, mtime: st.mtimeMs, md5 };
    this.dirty = true;
    return md5;
  }
  save(): void {
    if (this.path && this.dirty) writeFileAtomically(this.path, JSON.stringify(this.known));
    this.dirty = false;
  }
}

/** The first of `names` that is a directory under `dir`, or a DataError naming what was looked for. */
function subdirectory(dir: string, names: string[], what: string): string {
  for (const name of names) if (existsSync(join(dir, name)) && statSync(join(dir, name)).isDirectory()) return join(dir, name);
  throw new DataError(dir, `no ${names.join(" or ")} folder (${what})`);
}

/** N-MNIST: `Train|Test/<digit>/<id>.bin`, in a fixed shuffled order. */
function nmnistSource(dataDir: string, split: "train" | "test", s: FrameSettings): SplitSource {
  const root = subdirectory(dataDir, split === "train" ? ["Train", "train"] : ["Test", "test"], "N-MNIST's layout is Train/<digit>/<id>.bin and Test/<digit>/<id>.bin");
  const files: { path: string; label: number }[] = [];
  for (const digit of readdirSync(root).filter((d) => /^[0-9]$/.test(d)).sort())
    for (const name of readdirSync(join(root, digit)).filter((f) => f.endsWith(".bin")).sort()) files.push({ path: join(root, digit, name), label: Number(digit) });
  if (files.length === 0) throw new DataError(root, "no <digit>/<id>.bin sample files");
  const rng = new Rng(NMNIST_ORDER_SEED);
  for (let i = files.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [files[i], files[j]] = [files[j], files[i]];
  }
  return {
    total: files.length,
    filesOf: (c) => files.slice(c * CHUNK, (c + 1) * CHUNK).map((f) => f.path),
    sample(i) {
      const { path, label } = files[i];
      return { frames: cameraFrames(decodeNmnist(readFileSync(path), path), EVENT_DATASET_INFO.nmnist.sensor, s), label };
    },
  };
}

/** SHD: `shd_train.h5` or `shd_test.h5`, read one sample at a time. */
async function shdSource(dataDir: string, split: "train" | "test", s: FrameSettings): Promise<SplitSource> {
  const path = join(dataDir, `shd_${split}.h5`);
  if (!existsSync(path)) throw new DataError(path, `not found (SHD's files are shd_train.h5 and shd_test.h5, unzipped)`);
  const h5 = await new DirectoryStore(dataDir).openHdf5(path);
  let file: ShdFile;
  try {
    file = openShd(h5, path);
  } catch (e) {
    h5.close();
    throw e;
  }
  const bad = file.labels.findIndex((l) => !(Number.isInteger(l) && l >= 0 && l < EVENT_DATASET_INFO.shd.classes));
  if (bad >= 0) {
    h5.close();
    throw new DataError(path, `labels[${bad}]: ${file.labels[bad]}, not a class of SHD's 20`);
  }
  return {
    total: file.samples,
    filesOf: () => [path],
    sample(i) {
      const x = file.sample(i);
      return { frames: shdFrames(x, s), label: x.label };
    },
    close: () => h5.close(),
  };
}

/**
 * DVS Gesture: the AEDAT 3.1 recordings `user<NN>_<lighting>.aedat` with their `_labels.csv`, in
 * `DvsGesture/` or the directory itself; the split from `trials_to_train.txt` / `trials_to_test.txt`
 * where present, else the dataset's own (users 1–23 train, 24–29 test). One sample per labelled gesture.
 */
function gestureSource(dataDir: string, split: "train" | "test", s: FrameSettings): SplitSource {
  const root = existsSync(join(dataDir, "DvsGesture")) ? join(dataDir, "DvsGesture") : dataDir;
  const list = join(root, `trials_to_${split}.txt`);
  const all = readdirSync(root).filter((f) => /^user\d+_.*\.aedat$/i.test(f)).sort();
  const names = existsSync(list)
    ? readFileSync(list, "utf8").split(/\r?\n/).map((l) => l.trim()).filter((l) => l.endsWith(".aedat"))
    : all.filter((f) => (Number(/^user(\d+)/i.exec(f)![1]) <= 23) === (split === "train"));
  if (names.length === 0) throw new DataError(root, `no DVS Gesture recordings (user<NN>_<lighting>.aedat) for the ${split} split`);
  const samples: { recording: string; gesture: GestureLabel }[] = [];
  for (const name of names) {
    const path = join(root, name);
    const csv = path.replace(/\.aedat$/i, "_labels.csv");
    if (!existsSync(path)) throw new DataError(list, `names ${name}, which is not in ${root}`);
    if (!existsSync(csv)) throw new DataError(csv, "not found (each DVS Gesture recording has its _labels.csv)");
    for (const gesture of parseGestureLabels(readFileSync(csv, "utf8"), csv)) {
      if (gesture.label > EVENT_DATASET_INFO.dvsgesture.classes) throw new DataError(csv, `class ${gesture.label}: DVS Gesture has classes 1–11`);
      samples.push({ recording: path, gesture });
    }
  }
  let loaded: { path: string; events: PolarityEvents } | null = null;
  const recording = (path: string): PolarityEvents => {
    if (loaded?.path !== path) {
      const source = new DirectoryStore(root).openExternal(path);
      try {
        loaded = { path, events: readAedat3(source, path) };
      } finally {
        source.close();
      }
    }
    return loaded.events;
  };
  return {
    total: samples.length,
    filesOf: (c) => [...new Set(samples.slice(c * CHUNK, (c + 1) * CHUNK).flatMap((x) => [x.recording, x.recording.replace(/\.aedat$/i, "_labels.csv")]))],
    sample(i) {
      const { recording: path, gesture } = samples[i];
      return { frames: gestureFrames(recording(path), gesture, s), label: gesture.label - 1 };
    },
  };
}

/** A cache entry: magic, count and per-sample size (u32 each), labels, frames, and the MD5 of all that before it. */
function encodeChunk(labels: Uint8Array, frames: Uint8Array, per: number): Uint8Array {
  const head = new Uint8Array(16);
  head.set(new TextEncoder().encode(MAGIC));
  const view = new DataView(head.buffer);
  view.setUint32(8, labels.length, true);
  view.setUint32(12, per, true);
  const body = new Uint8Array(16 + labels.length + frames.length);
  body.set(head);
  body.set(labels, 16);
  body.set(frames, 16 + labels.length);
  const digest = createHash("md5").update(body).digest();
  const out = new Uint8Array(body.length + 16);
  out.set(body);
  out.set(digest, body.length);
  return out;
}

/** A cache entry's labels and frames, or null when it is not a whole entry of `count` samples of `per` values (then it is rebuilt). */
function decodeChunk(bytes: Uint8Array, count: number, per: number): { labels: Uint8Array; frames: Uint8Array } | null {
  if (bytes.length !== 32 + count * (1 + per) || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (view.getUint32(8, true) !== count || view.getUint32(12, true) !== per) return null;
  const body = bytes.subarray(0, bytes.length - 16);
  const digest = createHash("md5").update(body).digest();
  if (!digest.equals(Buffer.from(bytes.subarray(bytes.length - 16)))) return null;
  return { labels: bytes.subarray(16, 16 + count), frames: bytes.subarray(16 + count, 16 + count * (1 + per)) };
}

/** The cache directory of a data directory, created; null (no caching) where it cannot be written. */
function cacheDirectory(dataDir: string): string | null {
  const dir = join(dataDir, ".snnkit-cache");
  try {
    mkdirSync(dir, { recursive: true });
    return dir;
  } catch {
    return null;
  }
}

/**
 * One split of an event data set as frames [N, bins, C, H, W] of byte counts (N: the samples `pick`
 * chooses, in its order), preprocessed through the cache. DataErrors name the file and what is wrong.
 */
export async function loadEventSplit(r: EventSplitQuery): Promise<ImageDataset> {
  checkFrameSettings(r.frames);
  if (!existsSync(r.dataDir) || !statSync(r.dataDir).isDirectory()) throw new DataError(r.dataDir, `not a directory (--data-dir: the ${EVENT_DATASET_INFO[r.dataset].title} files)`);
  const source = r.dataset === "nmnist" ? nmnistSource(r.dataDir, r.split, r.frames) : r.dataset === "shd" ? await shdSource(r.dataDir, r.split, r.frames) : gestureSource(r.dataDir, r.split, r.frames);
  try {
    const indices = r.pick ? r.pick(source.total) : Array.from({ length: source.total }, (_, i) => i);
    const bad = indices.findIndex((i) => !(Number.isInteger(i) && i >= 0 && i < source.total));
    if (bad >= 0) throw new ValueError(`samples[${bad}]`, `an index in [0, ${source.total})`, indices[bad]);
    const shape = frameShape(r.dataset, r.frames);
    const per = r.frames.bins * shape[0] * shape[1] * shape[2];
    if (indices.length * per > 2 ** 32) throw new ValueError("samples", `at most ${2 ** 32} frame values in memory (use --train-limit / --test-limit, fewer --steps or more downsampling)`, `${indices.length} samples of ${per}`);
    const cache = cacheDirectory(r.dataDir);
    const checksums = new Checksums(cache ? join(cache, "checksums.json") : null);
    // The samples wanted from each chunk; the chunks in order.
    const wanted = new Map<number, number>();
    for (const i of indices) wanted.set(Math.floor(i / CHUNK), (wanted.get(Math.floor(i / CHUNK)) ?? 0) + 1);
    const chunks = [...wanted.keys()].sort((a, b) => a - b);
    const ready = new Map<number, { labels: Uint8Array; frames: Uint8Array }>();
    let [cached, built, done] = [0, 0, 0];
    for (const c of chunks) {
      const count = Math.min(CHUNK, source.total - c * CHUNK);
      const key = createHash("md5")
        .update(JSON.stringify({ v: 1, dataset: r.dataset, split: r.split, frames: r.frames, chunk: c, files: source.filesOf(c).map((f) => checksums.of(f)) }))
        .digest("hex")
        .slice(0, 16);
      const path = cache ? join(cache, `${r.dataset}-${r.split}-${c}-${key}.frames`) : null;
      let entry = path && existsSync(path) ? decodeChunk(readFileSync(path), count, per) : null;
      if (entry) cached++;
      else {
        const labels = new Uint8Array(count);
        const frames = new Uint8Array(count * per);
        for (let k = 0; k < count; k++) {
          const x = source.sample(c * CHUNK + k);
          labels[k] = x.label;
          frames.set(x.frames, k * per);
        }
        entry = { labels, frames };
        if (path) writeFileAtomically(path, encodeChunk(labels, frames, per));
        built++;
      }
      ready.set(c, entry);
      done += wanted.get(c)!;
      checksums.save();
      r.progress?.({ done, total: indices.length, cached, built });
    }
    const images = new Uint8Array(indices.length * per);
    const labels = new Uint8Array(indices.length);
    indices.forEach((i, n) => {
      const entry = ready.get(Math.floor(i / CHUNK))!;
      const k = i % CHUNK;
      labels[n] = entry.labels[k];
      images.set(entry.frames.subarray(k * per, (k + 1) * per), n * per);
    });
    return { name: `${r.dataset}/${r.split}`, images, labels, imageShape: shape, classes: EVENT_DATASET_INFO[r.dataset].classes, frames: r.frames.bins };
  } finally {
    source.close?.();
  }
}

/** A file checked against its data set's published checksum: what it is, its MD5, and whether they agree (null: no published checksum for its name). */
export interface ArchiveCheck {
  file: string;
  md5: string;
  archive: string | null;
  matches: boolean | null;
}

/** Checks files against the published checksums of their names (PUBLISHED_ARCHIVES); DataErrors name a missing file. */
export function verifyArchives(files: readonly string[], checksums = new Checksums(null)): ArchiveCheck[] {
  return files.map((file) => {
    if (!existsSync(file) || !statSync(file).isFile()) throw new DataError(file, "not found (or not a file)");
    const md5 = checksums.of(file);
    const known = publishedArchive(basename(file));
    return { file, md5, archive: known ? `${known.dataset} ${known.name}` : null, matches: known ? known.md5 === md5 : null };
  });
}

/** The published archives lying in a data directory, checked (through the directory's checksum memory). */
export function verifyArchivesIn(dataDir: string): ArchiveCheck[] {
  const names = readdirSync(dataDir).filter((name) => publishedArchive(name) !== null && statSync(join(dataDir, name)).isFile());
  const cache = cacheDirectory(dataDir);
  const checksums = new Checksums(cache ? join(cache, "checksums.json") : null);
  const checks = verifyArchives(names.map((name) => join(dataDir, name)), checksums);
  checksums.save();
  return checks;
}

/** A check as a line for a person. */
export function describeCheck(c: ArchiveCheck): string {
  if (c.matches === null) return `${c.file}: MD5 ${c.md5} (no published checksum for this file name)`;
  return c.matches ? `${c.file}: MD5 ${c.md5} matches the published checksum of ${c.archive}` : `${c.file}: MD5 ${c.md5} DIFFERS from the published checksum of ${c.archive} (corrupt, truncated or another version)`;
}
