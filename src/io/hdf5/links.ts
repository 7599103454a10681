// The members of an HDF5 group (spec III.A–D, IV.A.2.g, p, q): old-style groups (a symbol table: a
// version-1 B-tree of symbol table nodes with names in a local heap; h5py's default) and new-style groups
// (link messages in the object header, or, past eight links, in a fractal heap indexed by a version-2
// B-tree; HDF5 1.8 and later, h5wasm's default).
import { type Block, type Hdf5Context, UNDEFINED_ADDRESS } from "./block.js";
import { btreeV1Entries } from "./btree_v1.js";
import { decodeText } from "./datatype.js";
import { denseLinks } from "./dense_links.js";
import { MESSAGE, type Message } from "./object_header.js";

/** A group's members: name → object header address (hard links; soft and external links are left out), by name. */
export function groupLinks(ctx: Hdf5Context, messages: Message[]): Map<string, number> {
  const links = new Map<string, number>();
  for (const m of messages) {
    if (m.type === MESSAGE.symbolTable) symbolTable(ctx, m.body, links);
    else if (m.type === MESSAGE.link) {
      const link = parseLink(m.body);
      if (link) links.set(link[0], link[1]);
    } else if (m.type === MESSAGE.linkInfo) {
      let p = 2 + (m.body.u8(1) & 1 ? 8 : 0);
      const heap = m.body.address(p);
      p += ctx.offsetSize;
      const nameIndex = m.body.address(p);
      if (heap !== UNDEFINED_ADDRESS) for (const body of denseLinks(ctx, heap, nameIndex)) {
        const link = parseLink(body);
        if (link) links.set(link[0], link[1]);
      }
    }
  }
  return new Map([...links].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A link message's name and target address; null for a soft or external link. */
function parseLink(body: Block): [string, number] | null {
  if (body.u8(0) !== 1) body.fail(0, `link message version ${body.u8(0)} (1)`);
  const flags = body.u8(1);
  let p = 2;
  const type = flags & 0x08 ? body.u8(p++) : 0;
  if (flags & 0x04) p += 8;
  if (flags & 0x10) p++;
  const lengthSize = 1 << (flags & 3);
  const length = body.uint(p, lengthSize);
  p += lengthSize;
  const name = new TextDecoder().decode(body.bytes(p, length));
  return type === 0 ? [name, body.address(p + length)] : null;
}

/** Adds the members of an old-style group (symbol table message: B-tree address, local heap address). */
function symbolTable(ctx: Hdf5Context, body: Block, links: Map<string, number>): void {
  const names = localHeap(ctx, body.address(ctx.offsetSize));
  const entrySize = 2 * ctx.offsetSize + 24;
  for (const { child } of btreeV1Entries(ctx, body.address(0), 0, ctx.lengthSize, "a group's members")) {
    ctx.expect(child, "SNOD", "symbol table node");
    const count = ctx.block(child, 8, "symbol table node").u16(6);
    const table = ctx.block(child + 8, count * entrySize, "symbol table node");
    for (let s = 0; s < count; s++) links.set(names(table.size(s * entrySize)), table.address(s * entrySize + ctx.offsetSize));
  }
}

/** The names of a local heap ("HEAP"): the null-terminated text at an offset into its data segment. */
function localHeap(ctx: Hdf5Context, address: number): (offset: number) => string {
  ctx.expect(address, "HEAP", "local heap");
  const head = ctx.block(address, 8 + 2 * ctx.lengthSize + ctx.offsetSize, "local heap");
  const data = ctx.block(head.address(8 + 2 * ctx.lengthSize), head.size(8), "local heap data");
  return (offset) => {
    if (offset >= data.length) data.fail(0, `a name at offset ${offset} of a local heap of ${data.length} bytes`);
    return decodeText(data.data.subarray(offset));
  };
}
