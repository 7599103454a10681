// Bounded reading of an HDF5 file's structures: a file's bytes reached through a ByteSource, and blocks of
// them (an object header, a heap, a B-tree node) read once and parsed field by field. Every field is checked
// against its block and every block against the file's size, so a corrupt or truncated file gives a
// DataError naming the file and the offset, never a read past the end.
import { DataError } from "../../errors.js";
import type { ByteSource } from "../byte_source.js";

/** An address that points nowhere (HDF5 writes all bits set). */
export const UNDEFINED_ADDRESS = -1;

/** Largest structure (object header, heap, B-tree node, chunk) read in one piece: 1 GiB. */
const MAX_BLOCK = 2 ** 30;

/** An HDF5 file being read: its bytes, its name for errors, and the sizes of its addresses and lengths. */
export class Hdf5Context {
  constructor(
    readonly source: ByteSource,
    readonly name: string,
    /** Bytes of an address (2, 4 or 8). */
    readonly offsetSize: number,
    /** Bytes of a length (2, 4 or 8). */
    readonly lengthSize: number,
    /** Added to every address read (where the file has a user block before its superblock). */
    readonly base = 0,
  ) {}

  /** A DataError naming the file, the offset and the problem. */
  fail(at: number, problem: string): never {
    throw new DataError(this.name, `offset ${at}: ${problem}`);
  }

  /** The `length` bytes at `at`, checked against the file's size. */
  block(at: number, length: number, what: string): Block {
    if (!(Number.isSafeInteger(at) && at >= 0)) this.fail(at, `${what}: not an address in the file`);
    if (!(Number.isSafeInteger(length) && length >= 0 && length <= MAX_BLOCK)) this.fail(at, `${what} of ${length} bytes`);
    if (at + length > this.source.size) this.fail(at, `${what} of ${length} bytes runs past the end of the file (${this.source.size} bytes): truncated or corrupt`);
    const data = this.source.read(at, length);
    if (data.length !== length) this.fail(at, `${what}: ${data.length} of ${length} bytes could be read`);
    return new Block(this, at, data);
  }

  /** Checks that the 4-byte signature `sig` is at `at` (a B-tree node, a heap, an object header). */
  expect(at: number, sig: string, what: string): void {
    const got = this.block(at, 4, what).text(0, 4);
    if (got !== sig) this.fail(at, `${what}: expected the signature ${sig}, found ${JSON.stringify(got)}`);
  }
}

/** Some bytes of the file at a known offset, read field by field (little-endian, as HDF5 stores them). */
export class Block {
  readonly view: DataView;
  constructor(
    readonly ctx: Hdf5Context,
    /** Offset of the first byte in the file. */
    readonly at: number,
    readonly data: Uint8Array,
  ) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  get length(): number {
    return this.data.length;
  }

  /** A DataError at `p` bytes into the block. */
  fail(p: number, problem: string): never {
    return this.ctx.fail(this.at + p, problem);
  }

  /** Checks that `n` bytes from `p` lie in the block. */
  need(p: number, n: number): void {
    if (!(p >= 0 && n >= 0 && p + n <= this.data.length)) this.fail(p, `a field of ${n} bytes runs past the end of its structure (${this.data.length} bytes)`);
  }

  u8(p: number): number {
    this.need(p, 1);
    return this.data[p];
  }

  u16(p: number): number {
    this.need(p, 2);
    return this.view.getUint16(p, true);
  }

  u32(p: number): number {
    this.need(p, 4);
    return this.view.getUint32(p, true);
  }

  /** An unsigned integer of `size` bytes (0 to 8); a value past 2⁵³ fails. */
  uint(p: number, size: number): number {
    this.need(p, size);
    let value = 0;
    for (let k = size - 1; k >= 0; k--) value = value * 256 + this.data[p + k];
    if (!Number.isSafeInteger(value)) this.fail(p, `a ${size}-byte value beyond 2^53`);
    return value;
  }

  /** An address (the file's address size), with the base address added; all bits set reads as UNDEFINED_ADDRESS. */
  address(p: number): number {
    const n = this.ctx.offsetSize;
    if (this.bytes(p, n).every((b) => b === 0xff)) return UNDEFINED_ADDRESS;
    return this.uint(p, n) + this.ctx.base;
  }

  /** A length (the file's length size). */
  size(p: number): number {
    return this.uint(p, this.ctx.lengthSize);
  }

  /** `n` bytes from `p`. */
  bytes(p: number, n: number): Uint8Array {
    this.need(p, n);
    return this.data.subarray(p, p + n);
  }

  /** `n` bytes from `p` as text (Latin-1; for signatures). */
  text(p: number, n: number): string {
    return String.fromCharCode(...this.bytes(p, n));
  }

  /** The bytes [p, p + n) as a block of their own. */
  sub(p: number, n: number): Block {
    this.need(p, n);
    return new Block(this.ctx, this.at + p, this.data.subarray(p, p + n));
  }
}
