// An HDF5 file opened for reading, in plain TypeScript over a ByteSource (bytes in memory, or a file read
// piece by piece in Node): its superblock, then groups and datasets by path, each dataset read whole or by
// a range of rows. It reads what h5py and HDF5 1.8+ write for data of this field (NIR graphs, SHD and SSC
// spike data): old- and new-style groups, contiguous, compact and chunked storage, deflate and shuffle,
// numbers, text and variable-length sequences. Anything else is a DataError naming the file, the offset and
// what is not read.
import { DataError, SnnkitError, ValueError } from "../../errors.js";
import type { ByteSource } from "../byte_source.js";
import { Block, Hdf5Context } from "./block.js";
import { decodeElements, GlobalHeap, type Hdf5Type, type Hdf5Values, parseDatatype, storedSize, typeName } from "./datatype.js";
import { groupLinks } from "./links.js";
import { findMessage, MESSAGE, readObjectHeader } from "./object_header.js";
import { type Filter, type Layout, parseDataspace, parseFilters, parseLayout, readRows } from "./storage.js";

/** A dataset: its shape ([] for a scalar), its type, and its values, all or rows [start, end) of its first dimension. */
export interface Hdf5Dataset {
  readonly kind: "dataset";
  readonly path: string;
  readonly shape: number[];
  readonly type: Hdf5Type;
  /** Whether its storage has filters (compression). */
  readonly compressed: boolean;
  read(start?: number, end?: number): Hdf5Values;
}

/** A group: its members' names (sorted) and each member by name (null when there is none, or it is neither a group nor a dataset). */
export interface Hdf5Group {
  readonly kind: "group";
  readonly path: string;
  keys(): string[];
  get(name: string): Hdf5Group | Hdf5Dataset | null;
}

/** An open HDF5 file: its root group, datasets by path, and close. */
export interface Hdf5Reader {
  readonly root: Hdf5Group;
  /** The dataset at `path` (slash-separated from the root), or null where there is none. */
  dataset(path: string): Hdf5Dataset | null;
  close(): void;
}

/**
 * Runs one operation of the reader; an error that is not snnkit's own (a range error from a value no check
 * foresaw) becomes a DataError naming the file, so that a damaged file never surfaces as a raw error.
 */
function guarded<T>(name: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof SnnkitError) throw e;
    throw new DataError(name, `corrupt HDF5 file (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** The 8 bytes every HDF5 superblock starts with: \x89 H D F \r \n \x1a \n. */
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether `head` (a file's first bytes) starts with the HDF5 signature. */
export const hasHdf5Signature = (head: Uint8Array): boolean => head.length >= 8 && SIGNATURE.every((b, i) => head[i] === b);

/** Checks that `head` (a file's first bytes) starts with the HDF5 signature; a DataError naming `name` (with `note` added) when not. */
export function checkHdf5Signature(head: Uint8Array, name: string, note = ""): void {
  if (!hasHdf5Signature(head)) throw new DataError(name, `not an HDF5 file (no HDF5 signature at offset 0)${note}`);
}

/** Opens the HDF5 file in `source` (named `name` in errors); `onClose` runs on close (to close the source). */
export function openHdf5(source: ByteSource, name: string, onClose: () => void = () => undefined): Hdf5Reader {
  return guarded(name, () => open(source, name, onClose));
}

function open(source: ByteSource, name: string, onClose: () => void): Hdf5Reader {
  checkHdf5Signature(source.read(0, 8), name);
  // Every superblock field this reader needs lies in the first 96 bytes (at most 24 + 6 eight-byte addresses).
  const data = source.read(0, Math.min(source.size, 96));
  const sb = new Block(new Hdf5Context(source, name, 8, 8), 0, data);
  const version = sb.u8(8);
  if (version > 3) sb.fail(8, `superblock version ${version} (0 to 3)`);
  const [offsetSize, lengthSize] = version >= 2 ? [sb.u8(9), sb.u8(10)] : [sb.u8(13), sb.u8(14)];
  for (const [what, size] of [["address", offsetSize], ["length", lengthSize]] as const)
    if (![2, 4, 8].includes(size)) sb.fail(version >= 2 ? 9 : 13, `superblock: ${what}es of ${size} bytes (2, 4 or 8)`);
  const fields = version >= 2 ? 12 : version === 1 ? 28 : 24;
  // v2 and v3: base, extension, end of file and root group addresses; v0 and v1: base, free space, end of
  // file and driver addresses, then the root group's symbol table entry (its name offset, its object header).
  const need = fields + (version >= 2 ? 4 : 6) * offsetSize;
  if (data.length < need) throw new DataError(name, `truncated HDF5 file: its superblock needs ${need} bytes, the file has ${source.size}`);
  const head = new Block(new Hdf5Context(source, name, offsetSize, lengthSize), 0, data);
  const base = head.address(fields);
  const eofAt = fields + 2 * offsetSize;
  const eof = head.address(eofAt);
  if (eof > source.size) throw new DataError(name, `truncated HDF5 file: its superblock (offset ${eofAt}) records ${eof} bytes, the file has ${source.size}`);
  const ctx = new Hdf5Context(source, name, offsetSize, lengthSize, base < 0 ? 0 : base);
  const rootAddress = new Block(ctx, 0, data).address(version >= 2 ? fields + 3 * offsetSize : fields + 5 * offsetSize);
  const heap = new GlobalHeap(ctx);
  const root = groupAt(ctx, heap, rootAddress, "/");
  let closed = false;
  return {
    root,
    dataset: (path) => guarded(name, () => {
      let item: Hdf5Group | Hdf5Dataset | null = root;
      for (const part of path.split("/").filter((p) => p.length > 0)) item = item?.kind === "group" ? item.get(part) : null;
      return item?.kind === "dataset" ? item : null;
    }),
    close() {
      if (!closed) onClose();
      closed = true;
    },
  };
}

/** The group whose object header is at `address`. */
function groupAt(ctx: Hdf5Context, heap: GlobalHeap, address: number, path: string): Hdf5Group {
  let links: Map<string, number> | null = null;
  const members = () => (links ??= groupLinks(ctx, readObjectHeader(ctx, address)));
  return {
    kind: "group",
    path,
    keys: () => guarded(ctx.name, () => [...members().keys()]),
    get: (name) =>
      guarded(ctx.name, () => {
        const at = members().get(name);
        return at === undefined ? null : objectAt(ctx, heap, at, path === "/" ? `/${name}` : `${path}/${name}`);
      }),
  };
}

/** The group or dataset whose object header is at `address` (null for other objects, such as a named datatype). */
function objectAt(ctx: Hdf5Context, heap: GlobalHeap, address: number, path: string): Hdf5Group | Hdf5Dataset | null {
  const messages = readObjectHeader(ctx, address);
  const layoutMessage = findMessage(messages, MESSAGE.layout);
  if (!layoutMessage) return messages.some((m) => m.type === MESSAGE.symbolTable || m.type === MESSAGE.link || m.type === MESSAGE.linkInfo) ? groupAt(ctx, heap, address, path) : null;
  const need = (type: number, what: string) => {
    const m = findMessage(messages, type);
    if (!m) return ctx.fail(address, `${path}: a dataset without a ${what} message`);
    if (m.flags & 0x02) m.body.fail(0, `${path}: a shared (committed) ${what}, which this reader does not read`);
    return m.body;
  };
  const shape = parseDataspace(need(MESSAGE.dataspace, "dataspace"));
  const type = parseDatatype(need(MESSAGE.datatype, "datatype"));
  const filterMessage = findMessage(messages, MESSAGE.filterPipeline);
  const filters = filterMessage ? parseFilters(filterMessage.body) : [];
  const layout = parseLayout(layoutMessage.body, shape ?? []);
  return dataset(ctx, heap, path, shape, type, layout, filters);
}

function dataset(ctx: Hdf5Context, heap: GlobalHeap, path: string, dims: number[] | null, type: Hdf5Type, layout: Layout, filters: Filter[]): Hdf5Dataset {
  const shape = dims ?? [0];
  const element = storedSize(type, ctx);
  return {
    kind: "dataset",
    path,
    shape: dims ? [...dims] : [],
    type,
    compressed: filters.length > 0,
    read: (start?: number, end?: number) => guarded(ctx.name, () => {
      const rows = shape.length === 0 ? 1 : shape[0];
      const [from, to] = [start ?? 0, end ?? (start === undefined ? rows : start + 1)];
      if (shape.length === 0 && start !== undefined) throw new ValueError(`${path}: rows`, "no range for a scalar dataset", start);
      if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from <= to && to <= rows)) throw new ValueError(`${path}: rows`, `a range within [0, ${rows}]`, [from, to]);
      const rowElements = shape.slice(1).reduce((a, b) => a * b, 1);
      const count = shape.length === 0 ? 1 : (to - from) * rowElements;
      if (dims === null || count === 0) return decodeElements(type, new Block(ctx, 0, new Uint8Array(0)), 0, heap);
      const bytes = readRows(layout, filters, shape, element, from, to, ctx, `${path} (${typeName(type)})`);
      return decodeElements(type, bytes, count, heap);
    }),
  };
}
