// HDF5 datatypes (spec IV.A.2.d) that data files of this field hold: integers and floats of either byte
// order, fixed-length and variable-length text, and variable-length sequences of numbers (SHD's spike
// times and units), whose elements live in the file's global heap. Decoding turns stored bytes into
// typed arrays, text or arrays of typed arrays.
import { type Block, type Hdf5Context, UNDEFINED_ADDRESS } from "./block.js";

/** A numeric element type. */
export interface Hdf5NumberType {
  class: "int" | "float";
  /** Bytes per element. */
  size: number;
  signed: boolean;
  bigEndian: boolean;
}

/** A datatype: numbers, fixed-length text (`size` bytes per element), variable-length text, or variable-length sequences of numbers. */
export type Hdf5Type =
  | Hdf5NumberType
  | { class: "string"; size: number; spacePadded: boolean }
  | { class: "vlen-string" }
  | { class: "vlen"; base: Hdf5NumberType };

/** A numeric array as read: the typed array of its element type (64-bit integers as BigInt arrays). */
export type Hdf5Numbers = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | Float32Array | Float64Array;

/** A dataset's values in row-major order: numbers, text, or one array of numbers per element. */
export type Hdf5Values = Hdf5Numbers | string[] | Hdf5Numbers[];

const CLASS_NAMES = ["fixed-point", "floating-point", "time", "string", "bitfield", "opaque", "compound", "reference", "enumerated", "variable-length", "array"];

/** The datatype of a datatype message. */
export function parseDatatype(body: Block): Hdf5Type {
  const classAndVersion = body.u8(0);
  const cls = classAndVersion & 0x0f;
  const bits = body.u8(1) | (body.u8(2) << 8);
  const size = body.u32(4);
  if (cls === 0 || cls === 1) {
    const ok = cls === 0 ? [1, 2, 4, 8].includes(size) : [4, 8].includes(size);
    if (!ok) body.fail(4, `a ${CLASS_NAMES[cls]} type of ${size} bytes (${cls === 0 ? "1, 2, 4 or 8" : "4 or 8"} are read)`);
    if (cls === 1 && bits & 0x40) body.fail(1, "a VAX-order float");
    return { class: cls === 0 ? "int" : "float", size, signed: cls === 1 || (bits & 0x08) !== 0, bigEndian: (bits & 1) !== 0 };
  }
  if (cls === 3) return { class: "string", size, spacePadded: (bits & 0x0f) === 2 };
  if (cls === 9) {
    if ((bits & 0x0f) === 1) return { class: "vlen-string" };
    const base = parseDatatype(body.sub(8, body.length - 8));
    if (base.class !== "int" && base.class !== "float") body.fail(8, `a variable-length sequence of ${base.class}; sequences of numbers are read`);
    return { class: "vlen", base };
  }
  const name = CLASS_NAMES[cls] ?? `class-${cls}`;
  return body.fail(0, `${/^[aeiou]/.test(name) ? "an" : "a"} ${name} datatype, which this reader does not read (numbers, text and variable-length sequences of numbers)`);
}

/** Bytes one element of `type` takes in a dataset's storage (a variable-length element: length, heap address, index). */
export function storedSize(type: Hdf5Type, ctx: Hdf5Context): number {
  return type.class === "vlen" || type.class === "vlen-string" ? 8 + ctx.offsetSize : type.size;
}

/** A short name of the type: float32, int64, uint16, string, vlen float32, ... */
export function typeName(type: Hdf5Type): string {
  if (type.class === "int") return `${type.signed ? "int" : "uint"}${8 * type.size}`;
  if (type.class === "float") return `float${8 * type.size}`;
  if (type.class === "vlen") return `vlen ${typeName(type.base)}`;
  return type.class;
}

type NumberArrayConstructor = new (buffer: ArrayBuffer) => Hdf5Numbers;

function arrayType(t: Hdf5NumberType): NumberArrayConstructor {
  if (t.class === "float") return t.size === 4 ? Float32Array : Float64Array;
  const table: Record<number, [NumberArrayConstructor, NumberArrayConstructor]> = {
    1: [Uint8Array, Int8Array],
    2: [Uint16Array, Int16Array],
    4: [Uint32Array, Int32Array],
    8: [BigUint64Array, BigInt64Array],
  };
  return table[t.size][t.signed ? 1 : 0];
}

/** `count` numbers of type `t` from `bytes`, as a typed array of their own (byte order swapped where stored big-endian). */
export function decodeNumbers(t: Hdf5NumberType, bytes: Uint8Array, count: number): Hdf5Numbers {
  const copy = new Uint8Array(count * t.size);
  copy.set(bytes.subarray(0, copy.length));
  if (t.bigEndian && t.size > 1)
    for (let i = 0; i < copy.length; i += t.size) copy.subarray(i, i + t.size).reverse();
  return new (arrayType(t))(copy.buffer);
}

const utf8 = new TextDecoder("utf-8");

/** Text of stored bytes (names in heaps and link messages too): up to the first null, trailing spaces dropped where space-padded. */
export function decodeText(bytes: Uint8Array, spacePadded = false): string {
  const end = bytes.indexOf(0);
  const text = utf8.decode(end >= 0 ? bytes.subarray(0, end) : bytes);
  return spacePadded ? text.replace(/ +$/, "") : text;
}

/** Objects of a global heap collection (spec III.E): index → [offset, size] in the file, each collection parsed once. */
export class GlobalHeap {
  private readonly collections = new Map<number, Map<number, [number, number]>>();
  constructor(private readonly ctx: Hdf5Context) {}

  /** The bytes of object `index` of the collection at `address`. */
  object(address: number, index: number): Uint8Array {
    const ctx = this.ctx;
    let objects = this.collections.get(address);
    if (!objects) {
      if (address === UNDEFINED_ADDRESS) ctx.fail(address, "a variable-length element in a global heap at an undefined address");
      ctx.expect(address, "GCOL", "global heap collection");
      const head = ctx.block(address, 8 + ctx.lengthSize, "global heap collection");
      const collection = ctx.block(address, head.size(8), "global heap collection");
      objects = new Map();
      const objectHead = 8 + ctx.lengthSize;
      for (let p = 8 + ctx.lengthSize; p + objectHead <= collection.length; ) {
        const k = collection.u16(p);
        if (k === 0) break;
        const size = collection.size(p + 8);
        collection.need(p + objectHead, size);
        objects.set(k, [collection.at + p + objectHead, size]);
        p += objectHead + Math.ceil(size / 8) * 8;
      }
      this.collections.set(address, objects);
    }
    const found = objects.get(index);
    if (!found) return ctx.fail(address, `global heap collection: no object ${index}`);
    return ctx.block(found[0], found[1], "global heap object").data;
  }
}

/** Decodes `count` stored elements of `type` from `bytes` (row-major). */
export function decodeElements(type: Hdf5Type, bytes: Block, count: number, heap: GlobalHeap): Hdf5Values {
  if (type.class === "int" || type.class === "float") return decodeNumbers(type, bytes.data, count);
  if (type.class === "string") return Array.from({ length: count }, (_, i) => decodeText(bytes.bytes(i * type.size, type.size), type.spacePadded));
  // A variable-length element: its length (items, or bytes of text), then the heap address and object index of its data.
  const stride = storedSize(type, bytes.ctx);
  const itemSize = type.class === "vlen" ? type.base.size : 1;
  const data = (i: number): Uint8Array => {
    const p = i * stride;
    const length = bytes.u32(p);
    if (length === 0) return new Uint8Array(0);
    const object = heap.object(bytes.address(p + 4), bytes.u32(p + 4 + bytes.ctx.offsetSize));
    if (object.length < length * itemSize) bytes.fail(p, `a variable-length element of ${length} items whose heap object holds ${object.length} bytes`);
    return object.subarray(0, length * itemSize);
  };
  if (type.class === "vlen") return Array.from({ length: count }, (_, i) => { const d = data(i); return decodeNumbers(type.base, d, d.length / itemSize); });
  return Array.from({ length: count }, (_, i) => utf8.decode(data(i)));
}
