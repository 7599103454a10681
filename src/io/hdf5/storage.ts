// Where a dataset's elements are and how to read some of them (HDF5 spec IV.A.2.b, i, l): its dataspace
// (the shape), its layout (compact in the header, contiguous, or chunked with a version-1 B-tree or a
// single chunk), and its filter pipeline (deflate, shuffle, Fletcher-32), undone on read.
import { unzlibSync } from "fflate";
import { LimitError } from "../../errors.js";
import { Block, type Hdf5Context, UNDEFINED_ADDRESS } from "./block.js";
import { btreeV1Entries } from "./btree_v1.js";

/** Most bytes one read may assemble (1 GiB), checked before anything is allocated. */
const MAX_READ_BYTES = 2 ** 30;

/** The shape of a dataspace message: [] for a scalar, null for a null dataspace (no elements). */
export function parseDataspace(body: Block): number[] | null {
  const version = body.u8(0);
  const rank = body.u8(1);
  if (version !== 1 && version !== 2) body.fail(0, `dataspace message version ${version} (1 or 2)`);
  if (version === 2 && body.u8(3) === 2) return null;
  const at = version === 1 ? 8 : 4;
  return Array.from({ length: rank }, (_, i) => body.size(at + i * body.ctx.lengthSize));
}

/** A chunk of a chunked dataset: where it is stored, its stored size, which filters were skipped, and its first element. */
interface Chunk {
  address: number;
  size: number;
  filterMask: number;
  offset: number[];
}

/** Where a dataset's elements are. */
export type Layout =
  | { kind: "compact"; data: Block }
  | { kind: "contiguous"; address: number; size: number }
  | { kind: "chunked"; chunk: number[]; chunks: () => Chunk[] };

/** The layout of a data layout message (versions 3 and 4; chunks indexed by a version-1 B-tree or as a single chunk). */
export function parseLayout(body: Block, shape: number[]): Layout {
  const rank = shape.length;
  const ctx = body.ctx;
  const version = body.u8(0);
  if (version < 3 || version > 5) body.fail(0, `data layout message version ${version} (3 to 5 are read; 1 and 2 are HDF5 1.4's)`);
  const cls = body.u8(1);
  if (cls === 0) return { kind: "compact", data: body.sub(4, body.u16(2)) };
  if (cls === 1) return { kind: "contiguous", address: body.address(2), size: body.size(2 + ctx.offsetSize) };
  if (cls !== 2) body.fail(1, `layout class ${cls} (compact 0, contiguous 1 or chunked 2)`);
  if (version === 3) {
    const dims = body.u8(2);
    const tree = body.address(3);
    const sizes = Array.from({ length: dims }, (_, i) => body.u32(3 + ctx.offsetSize + 4 * i));
    const chunk = checkChunk(body, sizes, rank);
    return { kind: "chunked", chunk, chunks: () => (tree === UNDEFINED_ADDRESS ? [] : chunkTree(ctx, tree, dims)) };
  }
  // Versions 4 and 5 (HDF5 1.10+, 2.0): chunk sizes of a given width, then the chunk index.
  const flags = body.u8(2);
  const dims = body.u8(3);
  const width = body.u8(4);
  const sizes = Array.from({ length: dims }, (_, i) => body.uint(5 + width * i, width));
  const chunk = checkChunk(body, sizes, rank);
  const element = sizes[dims - 1];
  let p = 5 + width * dims;
  const index = body.u8(p++);
  if (index === 1) {
    const filtered = (flags & 0x02) !== 0;
    const size = filtered ? body.size(p) : chunk.reduce((a, b) => a * b, 1) * element;
    const filterMask = filtered ? body.u32(p + ctx.lengthSize) : 0;
    const address = body.address(filtered ? p + ctx.lengthSize + 4 : p);
    return { kind: "chunked", chunk, chunks: () => (address === UNDEFINED_ADDRESS ? [] : [{ address, size, filterMask, offset: chunk.map(() => 0) }]) };
  }
  if (index === 3) {
    const address = body.address(p + 1);
    return { kind: "chunked", chunk, chunks: () => (address === UNDEFINED_ADDRESS ? [] : fixedArray(ctx, address, chunk, element, shape)) };
  }
  return body.fail(p - 1, `chunk index type ${index}; this reader reads a version-1 B-tree (HDF5's default), a single chunk (1) or a fixed array (3), not the indexes of resizable datasets`);
}

/**
 * The chunks of a fixed-array chunk index ("FAHD", then its data block "FADB"; HDF5 1.10+ for datasets of
 * fixed size): one entry per chunk of the grid in row-major order, an address (then, for filtered chunks,
 * the stored size and filter mask). Paged data blocks (over 1,024 chunks by default) are not read.
 */
function fixedArray(ctx: Hdf5Context, address: number, chunk: number[], element: number, shape: number[]): Chunk[] {
  const O = ctx.offsetSize;
  ctx.expect(address, "FAHD", "fixed array chunk index");
  const h = ctx.block(address, 8 + ctx.lengthSize + O, "fixed array header");
  const [filtered, entrySize, pageBits] = [h.u8(5) === 1, h.u8(6), h.u8(7)];
  const count = h.size(8);
  const data = h.address(8 + ctx.lengthSize);
  if (count > 2 ** pageBits) h.fail(7, `a paged fixed array of ${count} chunks, which this reader does not read`);
  const sizeBytes = entrySize - O - 4;
  if (entrySize < O || (filtered && sizeBytes < 1)) h.fail(6, `fixed array entries of ${entrySize} bytes`);
  ctx.expect(data, "FADB", "fixed array data block");
  const entries = ctx.block(data + 6 + O, count * entrySize, "fixed array data block");
  const grid = shape.map((n, d) => Math.ceil(n / chunk[d]));
  if (count !== grid.reduce((a, b) => a * b, 1)) h.fail(8, `a fixed array of ${count} chunks for a grid of ${grid.join(" × ")}`);
  const chunks: Chunk[] = [];
  for (let k = 0; k < count; k++) {
    const p = k * entrySize;
    const at = entries.address(p);
    if (at === UNDEFINED_ADDRESS) continue;
    // Chunk k of the grid, row-major: its position along each dimension.
    const offset = new Array<number>(shape.length);
    for (let d = shape.length - 1, rest = k; d >= 0; d--) {
      offset[d] = (rest % grid[d]) * chunk[d];
      rest = Math.floor(rest / grid[d]);
    }
    const size = filtered ? entries.uint(p + O, sizeBytes) : chunk.reduce((a, b) => a * b, 1) * element;
    chunks.push({ address: at, size, filterMask: filtered ? entries.u32(p + entrySize - 4) : 0, offset });
  }
  return chunks;
}

/** A chunk's dimensions (the stored list ends with the element size), checked against the dataset's rank. */
function checkChunk(body: Block, sizes: number[], rank: number): number[] {
  if (sizes.length !== rank + 1) body.fail(2, `a chunk of ${sizes.length - 1} dimensions for a dataset of ${rank}`);
  const chunk = sizes.slice(0, rank);
  if (chunk.some((d) => d < 1)) body.fail(2, `chunk dimensions ${chunk.join(" × ")}`);
  return chunk;
}

/** The chunks a version-1 B-tree of raw data chunks (node type 1) indexes: each key holds the chunk's stored size, filter mask and first element. */
function chunkTree(ctx: Hdf5Context, root: number, dims: number): Chunk[] {
  return btreeV1Entries(ctx, root, 1, 8 + 8 * dims, "chunks").map(({ key, child }) => ({
    address: child,
    size: key.u32(0),
    filterMask: key.u32(4),
    offset: Array.from({ length: dims - 1 }, (_, d) => key.uint(8 + 8 * d, 8)),
  }));
}

/** One filter of a pipeline: its id (1 deflate, 2 shuffle, 3 Fletcher-32, ...) and client data. */
export interface Filter {
  id: number;
  clientData: number[];
}

/** The filters of a filter pipeline message (versions 1 and 2), in the order they were applied on write. */
export function parseFilters(body: Block): Filter[] {
  const version = body.u8(0);
  if (version !== 1 && version !== 2) body.fail(0, `filter pipeline message version ${version} (1 or 2)`);
  const count = body.u8(1);
  const filters: Filter[] = [];
  let p = version === 1 ? 8 : 2;
  for (let f = 0; f < count; f++) {
    const id = body.u16(p);
    const named = version === 1 || id >= 256;
    const nameLength = named ? body.u16(p + 2) : 0;
    p += named ? 4 : 2;
    const values = body.u16(p + 2);
    p += 4;
    p += version === 1 ? Math.ceil(nameLength / 8) * 8 : nameLength;
    filters.push({ id, clientData: Array.from({ length: values }, (_, k) => body.u32(p + 4 * k)) });
    p += 4 * values + (version === 1 && values % 2 === 1 ? 4 : 0);
  }
  return filters;
}

const FILTER_NAMES: Record<number, string> = { 4: "szip", 32000: "LZF", 32001: "Blosc", 32004: "LZ4", 32008: "bitshuffle", 32015: "Zstandard" };

/** Undoes the filters (last applied first) on a chunk's stored bytes, giving its `expected` raw bytes; filters whose bit is set in `mask` were not applied. */
function unfilter(stored: Block, filters: Filter[], mask: number, expected: number): Uint8Array {
  let data = stored.data;
  for (let f = filters.length - 1; f >= 0; f--) {
    if (mask & (1 << f)) continue;
    const { id, clientData } = filters[f];
    if (id === 1) {
      let out: Uint8Array;
      try {
        out = unzlibSync(data, { out: new Uint8Array(expected) });
      } catch (e) {
        return stored.fail(0, `a deflate-compressed chunk that does not inflate (${(e as Error).message})`);
      }
      data = out;
    } else if (id === 2) {
      data = unshuffle(data, clientData[0] ?? 1);
    } else if (id === 3) {
      if (data.length < 4) stored.fail(0, "a Fletcher-32 chunk shorter than its checksum");
      data = data.subarray(0, data.length - 4);
    } else stored.fail(0, `filter ${id}${FILTER_NAMES[id] ? ` (${FILTER_NAMES[id]})` : ""}, which this reader cannot undo (deflate, shuffle and Fletcher-32 are read)`);
  }
  if (data.length !== expected) stored.fail(0, `a chunk of ${data.length} bytes once unfiltered, ${expected} expected`);
  return data;
}

/** Undoes HDF5's shuffle: byte k of every element was stored together, for each k. */
function unshuffle(data: Uint8Array, size: number): Uint8Array {
  if (size <= 1) return data;
  const n = Math.floor(data.length / size);
  const out = new Uint8Array(data);
  for (let k = 0; k < size; k++) for (let i = 0; i < n; i++) out[i * size + k] = data[k * n + i];
  return out;
}

/**
 * The stored bytes of rows [start, end) of a dataset of `shape` (all of a scalar's one element), `element`
 * bytes each, assembled from its layout; unallocated storage reads as zeros (HDF5's default fill).
 */
export function readRows(layout: Layout, filters: Filter[], shape: number[], element: number, start: number, end: number, ctx: Hdf5Context, what: string): Block {
  const rowElements = shape.slice(1).reduce((a, b) => a * b, 1);
  const rowBytes = rowElements * element;
  const bytes = (end - start) * rowBytes;
  if (bytes > MAX_READ_BYTES) throw new LimitError("bytes", `${ctx.name}: ${what}: reading ${bytes} bytes at once, more than ${MAX_READ_BYTES}`);
  if (layout.kind === "compact") {
    if (layout.data.length < end * rowBytes) layout.data.fail(0, `${what}: compact data of ${layout.data.length} bytes for ${end * rowBytes}`);
    return layout.data.sub(start * rowBytes, bytes);
  }
  if (layout.kind === "contiguous") {
    if (layout.address === UNDEFINED_ADDRESS) return new Block(ctx, 0, new Uint8Array(bytes));
    if (layout.size < end * rowBytes) ctx.fail(layout.address, `${what}: contiguous storage of ${layout.size} bytes for ${end * rowBytes}`);
    return ctx.block(layout.address + start * rowBytes, bytes, what);
  }
  const out = new Uint8Array(bytes);
  const chunk = layout.chunk;
  const chunkElements = chunk.reduce((a, b) => a * b, 1);
  const rank = shape.length;
  for (const c of layout.chunks()) {
    if (c.offset.length !== rank || c.offset.some((o, d) => o % chunk[d] !== 0)) ctx.fail(c.address, `${what}: a chunk at element ${c.offset.join(", ")}, not on the chunk grid`);
    if (rank > 0 && (c.offset[0] >= end || c.offset[0] + chunk[0] <= start)) continue;
    const raw = unfilter(ctx.block(c.address, c.size, `${what}: chunk`), filters, c.filterMask, chunkElements * element);
    copyChunk(raw, c.offset, chunk, shape, element, start, end, out);
  }
  return new Block(ctx, 0, out);
}

/** Copies the part of a chunk (at `offset`, of dimensions `chunk`) inside the dataset and rows [start, end) into `out` (those rows, row-major). */
function copyChunk(raw: Uint8Array, offset: number[], chunk: number[], shape: number[], element: number, start: number, end: number, out: Uint8Array): void {
  const rank = shape.length;
  if (rank === 0) {
    out.set(raw.subarray(0, element));
    return;
  }
  if (rank === 1) {
    const [lo, hi] = [Math.max(offset[0], start), Math.min(offset[0] + chunk[0], end, shape[0])];
    if (hi > lo) out.set(raw.subarray((lo - offset[0]) * element, (hi - offset[0]) * element), (lo - start) * element);
    return;
  }
  const last = rank - 1;
  const run = Math.min(chunk[last], shape[last] - offset[last]) * element;
  // Walk the chunk's rows along its last dimension: `index` holds the position in the chunk of every other dimension.
  const index = new Array<number>(rank).fill(0);
  for (;;) {
    let inside = true;
    let src = 0;
    let dst = 0;
    for (let d = 0; d < rank; d++) {
      const at = offset[d] + index[d];
      if (at >= (d === 0 ? Math.min(end, shape[0]) : shape[d]) || (d === 0 && at < start)) inside = false;
      src = src * chunk[d] + index[d];
      dst = dst * shape[d] + (d === 0 ? at - start : at);
    }
    if (inside && run > 0) out.set(raw.subarray(src * element, src * element + run), dst * element);
    let d = last - 1;
    while (d >= 0 && ++index[d] === chunk[d]) index[d--] = 0;
    if (d < 0) break;
  }
}
