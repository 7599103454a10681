// Links of a new-style group stored densely (HDF5 1.8+, past eight links): link messages kept as objects of
// a fractal heap (spec III.G), found through the version-2 B-tree that indexes them by name (III.A.2,
// record type 5: a name hash and a heap ID). Read here: a root direct block or a root indirect block of
// direct blocks (about half a megabyte of link messages with HDF5's defaults), and a name index of any depth.
import { Block, type Hdf5Context, UNDEFINED_ADDRESS } from "./block.js";

/** Bytes needed to hold the integer `n`. */
const bytesFor = (n: number): number => Math.max(1, Math.ceil(Math.log2(n + 1) / 8));

/** The bodies of the link messages of a group stored in the fractal heap at `heapAddress`, named by the B-tree at `indexAddress`. */
export function denseLinks(ctx: Hdf5Context, heapAddress: number, indexAddress: number): Block[] {
  const heap = fractalHeap(ctx, heapAddress);
  return nameIndexRecords(ctx, indexAddress).map((record) => heap(record.subarray(4)));
}

/** A reader of a fractal heap's objects by heap ID (managed and tiny objects). */
function fractalHeap(ctx: Hdf5Context, address: number): (id: Uint8Array) => Block {
  const [O, L] = [ctx.offsetSize, ctx.lengthSize];
  ctx.expect(address, "FRHP", "fractal heap");
  const h = ctx.block(address, 22 + 12 * L + 3 * O, "fractal heap header");
  if (h.u8(4) !== 0) h.fail(4, `fractal heap version ${h.u8(4)} (0)`);
  if (h.u16(7) !== 0) h.fail(7, "a fractal heap with I/O filters, which this reader does not read");
  const maxManaged = h.u32(10);
  const width = h.u16(14 + 10 * L + 2 * O);
  const startSize = h.size(16 + 10 * L + 2 * O);
  const maxDirect = h.size(16 + 11 * L + 2 * O);
  const heapBits = h.u16(16 + 12 * L + 2 * O);
  const root = h.address(20 + 12 * L + 2 * O);
  const rows = h.u16(20 + 12 * L + 3 * O);
  const offsetBytes = Math.ceil(heapBits / 8);
  const lengthBytes = bytesFor(Math.min(maxDirect, maxManaged));
  if (!(width > 0 && startSize > 0 && maxDirect >= startSize && Number.isInteger(Math.log2(startSize)) && Number.isInteger(Math.log2(maxDirect)))) h.fail(14, "fractal heap: a table shape that is not powers of two");
  // The direct blocks, as [heap offset, file address, size], in heap order.
  const blocks: [number, number, number][] = [];
  if (root === UNDEFINED_ADDRESS) {
    // An empty heap.
  } else if (rows === 0) blocks.push([0, root, startSize]);
  else {
    const directRows = Math.log2(maxDirect) - Math.log2(startSize) + 2;
    if (rows > directRows) h.fail(0, `a fractal heap of ${rows} rows, past its ${directRows} rows of direct blocks (nested indirect blocks are not read)`);
    ctx.expect(root, "FHIB", "fractal heap indirect block");
    const entries = ctx.block(root + 5 + O + offsetBytes, rows * width * O, "fractal heap indirect block");
    let offset = 0;
    for (let r = 0; r < rows; r++) {
      const size = r < 2 ? startSize : startSize * 2 ** (r - 1);
      for (let c = 0; c < width; c++, offset += size) {
        const at = entries.address((r * width + c) * O);
        if (at !== UNDEFINED_ADDRESS) blocks.push([offset, at, size]);
      }
    }
  }
  for (const [, at] of blocks) ctx.expect(at, "FHDB", "fractal heap direct block");
  return (id) => {
    const type = (id[0] >> 4) & 3;
    if (type === 2 || id[0] >> 6 !== 0) ctx.fail(address, `fractal heap: a ${type === 2 ? "huge" : "version " + (id[0] >> 6)} object ID, which this reader does not read`);
    if (type === 1) {
      const length = (id[0] & 0x0f) + 1;
      if (length > id.length - 1) ctx.fail(address, "fractal heap: a tiny object longer than its ID");
      return new Block(ctx, address, id.subarray(1, 1 + length));
    }
    let offset = 0;
    for (let k = offsetBytes; k >= 1; k--) offset = offset * 256 + id[k];
    let length = 0;
    for (let k = offsetBytes + lengthBytes; k > offsetBytes; k--) length = length * 256 + id[k];
    const block = blocks.find(([start, , size]) => offset >= start && offset + length <= start + size);
    if (!block) return ctx.fail(address, `fractal heap: an object at heap offset ${offset} (${length} bytes) in no direct block`);
    return ctx.block(block[1] + offset - block[0], length, "fractal heap object");
  };
}

/** Deepest version-2 B-tree this reader follows. */
const MAX_DEPTH = 16;

/**
 * The records of a version-2 B-tree ("BTHD") of link names (type 5), every node visited. An internal node
 * holds records and, per child, its address, its record count and (below depth 1) its subtree's record
 * count, in fields as wide as the largest such count can be (spec III.A.2; HDF5's H5B2 header setup).
 */
function nameIndexRecords(ctx: Hdf5Context, address: number): Uint8Array[] {
  const O = ctx.offsetSize;
  ctx.expect(address, "BTHD", "link name index (v2 B-tree)");
  const h = ctx.block(address, 16 + 2 * O + ctx.lengthSize, "v2 B-tree header");
  const [type, nodeSize, recordSize, depth] = [h.u8(5), h.u32(6), h.u16(10), h.u16(12)];
  if (type !== 5) h.fail(5, `v2 B-tree of record type ${type} where link names are indexed (5)`);
  if (recordSize < 5 || nodeSize < 10 + recordSize) h.fail(6, `v2 B-tree nodes of ${nodeSize} bytes with records of ${recordSize}`);
  if (depth > MAX_DEPTH) h.fail(12, `a v2 B-tree of depth ${depth} (at most ${MAX_DEPTH} is read)`);
  const root = h.address(16);
  if (root === UNDEFINED_ADDRESS) return [];
  // Per level: most records a node holds, and most records its subtree holds; the widths of the count fields.
  const maxRecords = [Math.floor((nodeSize - 10) / recordSize)];
  const maxTotal = [maxRecords[0]];
  const countBytes = bytesFor(maxRecords[0]);
  const pointerSize = (level: number) => O + countBytes + (level > 1 ? bytesFor(maxTotal[level - 1]) : 0);
  for (let level = 1; level <= depth; level++) {
    maxRecords.push(Math.floor((nodeSize - 10 - pointerSize(level)) / (recordSize + pointerSize(level))));
    maxTotal.push((maxRecords[level] + 1) * maxTotal[level - 1] + maxRecords[level]);
  }
  const out: Uint8Array[] = [];
  const visit = (at: number, count: number, level: number): void => {
    if (count > maxRecords[level]) ctx.fail(at, `a v2 B-tree node of ${count} records, more than ${maxRecords[level]} fit`);
    ctx.expect(at, level === 0 ? "BTLF" : "BTIN", "v2 B-tree node");
    const node = ctx.block(at + 6, count * recordSize + (level > 0 ? (count + 1) * pointerSize(level) : 0), "v2 B-tree node");
    for (let k = 0; k < count; k++) out.push(node.bytes(k * recordSize, recordSize));
    for (let c = 0; level > 0 && c <= count; c++) {
      const p = count * recordSize + c * pointerSize(level);
      visit(node.address(p), node.uint(p + O, countBytes), level - 1);
    }
  };
  visit(root, h.u16(16 + O), depth);
  return out;
}
