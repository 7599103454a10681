// An HDF5 object header: the list of messages that describe a group or a dataset (its dataspace, datatype,
// layout, filters, links), in either version (1: HDF5 1.6 and h5py's default; 2: "OHDR", HDF5 1.8 and
// later), continuation blocks followed once each.
import { type Block, type Hdf5Context, UNDEFINED_ADDRESS } from "./block.js";

/** Message types this reader understands (HDF5 spec, IV.A.2). */
export const MESSAGE = {
  dataspace: 0x0001,
  linkInfo: 0x0002,
  datatype: 0x0003,
  link: 0x0006,
  layout: 0x0008,
  filterPipeline: 0x000b,
  continuation: 0x0010,
  symbolTable: 0x0011,
} as const;

/** One header message: its type, its flags (bit 1: shared) and its body. */
export interface Message {
  type: number;
  flags: number;
  body: Block;
}

/** Most continuation blocks one header may have. */
const MAX_BLOCKS = 4096;

/** The messages of the object header at `address`. */
export function readObjectHeader(ctx: Hdf5Context, address: number): Message[] {
  if (address === UNDEFINED_ADDRESS) ctx.fail(address, "an object header at an undefined address");
  const head = ctx.block(address, 16, "object header");
  return head.text(0, 4) === "OHDR" ? readV2(ctx, address) : readV1(ctx, head);
}

function readV1(ctx: Hdf5Context, head: Block): Message[] {
  if (head.u8(0) !== 1) head.fail(0, `object header version ${head.u8(0)} (1 or 2, with signature OHDR, expected)`);
  const blocks: [number, number][] = [[head.at + 16, head.u32(8)]];
  const messages: Message[] = [];
  const seen = new Set<number>();
  for (let b = 0; b < blocks.length; b++) {
    const block = ctx.block(blocks[b][0], blocks[b][1], "object header messages");
    for (let p = 0; p + 8 <= block.length; ) {
      const [type, size, flags] = [block.u16(p), block.u16(p + 2), block.u8(p + 4)];
      const message = { type, flags, body: block.sub(p + 8, size) };
      messages.push(message);
      follow(ctx, message, 0, blocks, seen);
      p += 8 + size;
    }
  }
  return messages;
}

function readV2(ctx: Hdf5Context, address: number): Message[] {
  const head = ctx.block(address, 6, "object header");
  if (head.u8(4) !== 2) head.fail(4, `object header version ${head.u8(4)} after OHDR (2 expected)`);
  const flags = head.u8(5);
  const sizeAt = 6 + (flags & 0x20 ? 16 : 0) + (flags & 0x10 ? 4 : 0);
  const sizeBytes = 1 << (flags & 3);
  const chunk0 = ctx.block(address + sizeAt, sizeBytes, "object header").uint(0, sizeBytes);
  const order = flags & 0x04 ? 2 : 0;
  // Chunk 0's messages, then each continuation block's ("OCHK", messages, a 4-byte checksum).
  const blocks: [number, number][] = [[address + sizeAt + sizeBytes, chunk0]];
  const messages: Message[] = [];
  const seen = new Set<number>();
  for (let b = 0; b < blocks.length; b++) {
    const block = ctx.block(blocks[b][0], blocks[b][1], "object header messages");
    for (let p = 0; p + 4 + order <= block.length; ) {
      const [type, size, mflags] = [block.u8(p), block.u16(p + 1), block.u8(p + 3)];
      const message = { type, flags: mflags, body: block.sub(p + 4 + order, size) };
      messages.push(message);
      follow(ctx, message, 4, blocks, seen);
      p += 4 + order + size;
    }
  }
  return messages;
}

/** Queues the block a continuation message points to (once; `skip` bytes of signature at its start, and as many of checksum at its end). */
function follow(ctx: Hdf5Context, message: Message, skip: number, blocks: [number, number][], seen: Set<number>): void {
  if (message.type !== MESSAGE.continuation) return;
  const at = message.body.address(0);
  const length = message.body.size(ctx.offsetSize);
  if (seen.has(at)) return;
  seen.add(at);
  if (blocks.length >= MAX_BLOCKS) message.body.fail(0, `more than ${MAX_BLOCKS} continuation blocks in one object header`);
  if (skip > 0) {
    ctx.expect(at, "OCHK", "object header continuation");
    if (length < 2 * skip) message.body.fail(0, `a continuation block of ${length} bytes`);
  }
  blocks.push([at + skip, length - 2 * skip]);
}

/** The first message of `type`, or null. */
export function findMessage(messages: Message[], type: number): Message | null {
  return messages.find((m) => m.type === type) ?? null;
}
