// snnkit's HDF5 reader against HDF5's own C library (h5wasm): every fixture written by h5py (NIR files of
// four libraries, SHD files) and files h5wasm writes with each feature the reader claims (old- and
// new-style groups, dense groups of 9 to 3,000 links, compact, contiguous and chunked storage, deflate and
// shuffle, every number type, text) read the same, whole and row by row; damaged files give typed errors.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import h5wasm from "h5wasm/node";
import { DataError, LimitError, SnnkitError } from "../../src/errors.js";
import { memorySource } from "../../src/io/byte_source.js";
import { decodeNumbers } from "../../src/io/hdf5/datatype.js";
import { type Hdf5Group, memoryHdf5, openHdf5 } from "../../src/io/hdf5_reader.js";
import { Rng } from "../../src/random/rng.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures");
const fixtures = [
  ...readdirSync(join(FIXTURES, "nir")).filter((f) => f.endsWith(".nir")).map((f) => join(FIXTURES, "nir", f)),
  join(FIXTURES, "events", "shd_small.h5"),
  join(FIXTURES, "events", "shd_toy", "shd_train.h5"),
  join(FIXTURES, "events", "shd_toy", "shd_test.h5"),
];

type H5Group = InstanceType<typeof h5wasm.Group>;
type H5Dataset = InstanceType<typeof h5wasm.Dataset>;

/** A value as plain JSON text (typed arrays as lists, 64-bit integers as text, a scalar as a list of one). */
function plain(v: unknown): string {
  const list = typeof v === "string" || typeof v === "number" || typeof v === "bigint" ? [v] : v;
  return JSON.stringify(list, (_, x) => (typeof x === "bigint" ? x.toString() : ArrayBuffer.isView(x) ? Array.from(x as unknown as ArrayLike<unknown>, (y) => (typeof y === "bigint" ? y.toString() : y)) : x));
}

/** Compares a group read by snnkit with the same group read by h5wasm, recursively; returns the datasets compared. */
function compare(ours: Hdf5Group, theirs: H5Group, path: string): number {
  assert.deepEqual(ours.keys(), [...theirs.keys()].sort(), `${path}: members`);
  let n = 0;
  for (const key of ours.keys()) {
    const a = ours.get(key);
    const b = theirs.get(key);
    if (a?.kind === "group") n += compare(a, b as H5Group, `${path}/${key}`);
    else {
      assert.ok(a, `${path}/${key}: read`);
      const ds = b as H5Dataset;
      assert.deepEqual(a.shape, ds.shape ?? [], `${path}/${key}: shape`);
      assert.equal(plain(a.read()), plain(ds.value), `${path}/${key}: values`);
      assert.equal(a.compressed, ds.filters.length > 0, `${path}/${key}: filters`);
      // Row by row, where there are rows.
      for (let r = 0; a.shape.length > 0 && r < Math.min(a.shape[0], 5); r++) assert.equal(plain(a.read(r, r + 1)), plain(ds.slice([[r, r + 1]])), `${path}/${key}: row ${r}`);
      n++;
    }
  }
  return n;
}

/**
 * The file formats written: h5py's default (the oldest format that holds the data), h5wasm's default (what
 * snnkit's NIR writer makes), HDF5 1.10's (fixed-array chunk indexes) and HDF5 2.0's (layout version 5).
 */
const FORMATS = {
  h5py: { libver: ["earliest", "latest"] },
  h5wasm: {},
  "1.10": { libver: ["v110", "v110"] },
  "2.0": { libver: ["latest", "latest"] },
} as const;
type Format = keyof typeof FORMATS;

let scratch = 0;
/** A file h5wasm writes at a scratch path in `format` (`fill` creates its contents), with its bytes. */
async function written(format: Format, fill: (f: InstanceType<typeof h5wasm.File>) => void): Promise<{ path: string; bytes: Uint8Array }> {
  await h5wasm.ready;
  const path = join(tmpdir(), `snnkit-hdf5-${process.pid}-${++scratch}.h5`);
  const f = new h5wasm.File(path, "w", FORMATS[format] as { libver?: ["v110", "v110"] });
  try {
    fill(f);
  } finally {
    f.close();
  }
  return { path, bytes: readFileSync(path) };
}

/** Reads `path` with both readers and compares everything; returns the datasets compared. */
async function agree(path: string, bytes: Uint8Array = readFileSync(path)): Promise<number> {
  await h5wasm.ready;
  const ours = await memoryHdf5(bytes, path);
  const theirs = new h5wasm.File(path, "r");
  try {
    return compare(ours.root, theirs, "");
  } finally {
    theirs.close();
    ours.close();
  }
}

test("every HDF5 fixture (h5py's files of NIR and SHD) reads as HDF5's C library reads it, whole and row by row", async () => {
  for (const f of fixtures) assert.ok((await agree(f)) >= 4, f);
});

test("h5py's own files (its default format and libver=latest): big-endian numbers, scalars, text, variable-length sequences, gzip + shuffle + Fletcher-32, 12-member groups; what is not read is named", async () => {
  await h5wasm.ready;
  const unsupported: Record<string, RegExp> = {
    compound: /offset \d+: a compound datatype, which this reader does not read/,
    enum: /offset \d+: an enumerated datatype, which this reader does not read/,
    lzf: /offset \d+: filter 32000 \(LZF\), which this reader cannot undo/,
    resizable: /offset \d+: chunk index type 4; .* not the indexes of resizable datasets/,
  };
  for (const name of ["h5py_kinds.h5", "h5py_latest.h5"]) {
    const path = join(FIXTURES, "hdf5", name);
    const ours = await memoryHdf5(readFileSync(path), name);
    const theirs = new h5wasm.File(path, "r");
    try {
      let compared = 0;
      for (const key of ours.root.keys()) {
        if (key === "unsupported") continue;
        if (key === "resizable" && name === "h5py_latest.h5") {
          assert.throws(() => ours.root.get(key), (e: unknown) => e instanceof DataError && unsupported.resizable.test(e.message));
          continue;
        }
        const a = ours.root.get(key);
        const b = theirs.get(key);
        if (a?.kind === "group") compared += compare(a, b as H5Group, key);
        else {
          assert.ok(a, `${name}: ${key}`);
          assert.equal(plain(a.read()), plain((b as H5Dataset).value), `${name}: ${key}`);
          compared++;
        }
      }
      assert.equal(compared, name === "h5py_kinds.h5" ? 21 : 20, name);
      const bad = ours.root.get("unsupported") as Hdf5Group;
      for (const key of ["compound", "enum", "lzf"])
        assert.throws(() => (bad.get(key) as { read(): unknown } | null)?.read(), (e: unknown) => e instanceof DataError && e.message.startsWith(`${name}: `) && unsupported[key].test(e.message), `${name}: ${key}`);
    } finally {
      theirs.close();
    }
  }
});

test("files h5wasm writes in four formats (h5py's, h5wasm's, HDF5 1.10's, 2.0's): number types, text, scalars, chunked storage with deflate and shuffle, empty datasets", async () => {
  for (const format of Object.keys(FORMATS) as Format[]) {
    const { path } = await written(format, (f) => {
      const types = ["<b", "<B", "<h", "<H", "<i", "<I", "<q", "<Q", "<f", "<d"];
      types.forEach((dtype, k) => {
        const big = dtype.endsWith("q") || dtype.endsWith("Q");
        const data = big ? (dtype === "<q" ? BigInt64Array.of(-3n, 2n ** 40n, 7n) : BigUint64Array.of(3n, 2n ** 60n, 7n)) : Float64Array.of(-1 - k, 2, 100 + k).map((v) => (dtype === dtype.toLowerCase() || v >= 0 ? v : -v));
        f.create_dataset({ name: `n${k}`, data, dtype });
      });
      f.create_dataset({ name: "scalar", data: 2.5, dtype: "<d" });
      f.create_dataset({ name: "text", data: "LIF" });
      f.create_dataset({ name: "texts", data: ["a", "bc", "def"] });
      f.create_dataset({ name: "fixed", data: ["ab", "cde"], dtype: "S4" });
      f.create_dataset({ name: "ascii", data: ["x", "yz"], dtype: "A3" });
      const grid = Float32Array.from({ length: 7 * 5 * 3 }, (_, i) => Math.sin(i));
      f.create_dataset({ name: "gzip", data: grid, shape: [7, 5, 3], dtype: "<f", chunks: [3, 2, 3], compression: "gzip" });
      f.create_dataset({ name: "one_chunk", data: grid, shape: [7, 15], dtype: "<f", chunks: [7, 15], compression: "gzip" });
      f.create_dataset({ name: "shuffled", data: Int32Array.from(grid, (v) => Math.round(1e6 * v)), shape: [105], dtype: "<i", chunks: [10], compression: 2, compression_opts: [4] });
      f.create_dataset({ name: "plain_chunks", data: grid, shape: [35, 3], dtype: "<f", chunks: [4, 2] });
      f.create_dataset({ name: "empty", data: new Float32Array(0), shape: [0], dtype: "<f" });
      f.create_group("a").create_group("b").create_dataset({ name: "deep", data: Int32Array.of(1, 2), dtype: "<i" });
    });
    try {
      assert.equal(await agree(path), 21, format);
    } finally {
      rmSync(path);
    }
  }
});

test("groups of 0 to 3,000 members (compact links, dense links in a fractal heap with a name index of depth 0 to 2, old-style symbol tables)", async () => {
  for (const format of Object.keys(FORMATS) as Format[])
    for (const members of [0, 3, 9, 60, 3000]) {
      const { path } = await written(format, (f) => {
        const g = f.create_group("g");
        for (let k = 0; k < members; k++) g.create_dataset({ name: `member_with_a_longer_name_${k}`, data: Int32Array.of(k), dtype: "<i" });
      });
      try {
        assert.equal(await agree(path), members, `${format}, ${members} members`);
      } finally {
        rmSync(path);
      }
    }
});

test("chunked storage, any shape and chunk grid: every row range reads as HDF5's C library slices it (property)", async () => {
  await h5wasm.ready;
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
      fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 3, maxLength: 3 }),
      fc.boolean(),
      fc.nat(),
      fc.nat(),
      fc.constantFrom(...(Object.keys(FORMATS) as Format[])),
      async (shape, chunkSizes, gzip, a, b, format) => {
        const count = shape.reduce((x, y) => x * y, 1);
        const chunks = shape.map((n, d) => Math.min(n, chunkSizes[d]));
        const data = Float64Array.from({ length: count }, (_, i) => i * 0.5 - 3);
        const { path, bytes } = await written(format, (f) => f.create_dataset({ name: "x", data, shape, dtype: "<d", chunks, ...(gzip ? { compression: "gzip" as const } : {}) }));
        try {
          const [start, end] = [a % (shape[0] + 1), b % (shape[0] + 1)].sort((p, q) => p - q);
          const ours = openHdf5(memorySource(bytes), path).dataset("x")!;
          const theirs = new h5wasm.File(path, "r");
          try {
            assert.equal(plain(ours.read(start, end)), plain((theirs.get("x") as H5Dataset).slice([[start, end]])));
          } finally {
            theirs.close();
          }
        } finally {
          rmSync(path);
        }
      },
    ),
    { numRuns: 40, seed: 23 },
  );
});

test("numbers stored big-endian decode as DataView reads them", () => {
  const view = new DataView(new ArrayBuffer(16));
  view.setFloat64(0, -1.25e-7, false);
  view.setFloat64(8, 3e100, false);
  assert.deepEqual(Array.from(decodeNumbers({ class: "float", size: 8, signed: true, bigEndian: true }, new Uint8Array(view.buffer), 2) as Float64Array), [-1.25e-7, 3e100]);
  view.setInt16(0, -300, false);
  view.setUint32(2, 4e9, false);
  assert.deepEqual(Array.from(decodeNumbers({ class: "int", size: 2, signed: true, bigEndian: true }, new Uint8Array(view.buffer), 1) as Int16Array), [-300]);
  assert.deepEqual(Array.from(decodeNumbers({ class: "int", size: 4, signed: false, bigEndian: true }, new Uint8Array(view.buffer, 2), 1) as Uint32Array), [4e9]);
});

test("damaged files (bytes flipped, truncated, a huge size claimed): a value or a typed error naming the file, never a raw error or a hang", async () => {
  const rng = new Rng(5);
  let typed = 0;
  for (const f of [...fixtures, join(FIXTURES, "hdf5", "h5py_kinds.h5"), join(FIXTURES, "hdf5", "h5py_latest.h5")]) {
    const good = readFileSync(f);
    for (let k = 0; k < 40; k++) {
      const bytes = new Uint8Array(good);
      for (let j = 0; j <= rng.int(3); j++) bytes[64 + rng.int(bytes.length - 64)] ^= 1 + rng.int(255);
      const cut = k % 4 === 0 ? bytes.subarray(0, rng.int(bytes.length)) : bytes;
      try {
        const h5 = await memoryHdf5(cut, "damaged.h5");
        const walk = (g: Hdf5Group, depth: number): void => {
          for (const key of g.keys()) {
            const item = g.get(key);
            if (item?.kind === "group" && depth < 8) walk(item, depth + 1);
            else if (item?.kind === "dataset") item.read();
          }
        };
        walk(h5.root, 0);
      } catch (e) {
        assert.ok(e instanceof SnnkitError, `${f}, case ${k}: ${(e as Error).stack}`);
        assert.match((e as Error).message, /damaged\.h5/);
        typed++;
      }
    }
  }
  assert.ok(typed > 20, `${typed} damaged files detected`);
  // A dataspace claiming 2^40 rows: a LimitError before anything is allocated.
  const { path, bytes } = await written("h5py", (f) => f.create_dataset({ name: "x", data: Float64Array.of(1, 2, 3, 4), dtype: "<d" }));
  rmSync(path);
  // The dataspace message (version 1, rank 1, flags, 5 reserved bytes, then the 8-byte size 4).
  const at = bytes.findIndex((_, i) => bytes[i] === 1 && bytes[i + 1] === 1 && [0, 0, 0, 0, 0].every((z, k) => bytes[i + 3 + k] === z) && bytes[i + 8] === 4 && bytes.subarray(i + 9, i + 16).every((z) => z === 0));
  assert.ok(at > 0, "the dataspace message is found");
  const huge = new Uint8Array(bytes);
  huge.set([0, 0, 0, 0, 0, 1, 0, 0], at + 8);
  const ds = (await memoryHdf5(huge, "huge.h5")).dataset("x")!;
  assert.deepEqual(ds.shape, [2 ** 40]);
  assert.throws(() => ds.read(), (e: unknown) => e instanceof LimitError && /huge\.h5: \/x \(float64\): reading 8796093022208 bytes at once/.test(e.message));
  assert.deepEqual(Array.from(ds.read(1, 3) as Float64Array), [2, 3]);
  assert.throws(() => ds.read(3, 5), (e: unknown) => e instanceof DataError && /huge\.h5: offset \d+: \/x \(float64\): contiguous storage of 32 bytes for 40/.test(e.message));
});
