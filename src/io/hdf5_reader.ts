// HDF5 datasets read by path, whole or by a range of rows: over bytes in memory (h5wasm's in-memory file
// system; pages, tests), or, from the Node rim, over a file on disk read lazily. Readers of large HDF5
// files (SHD, SSC) go through this, so that they read one sample at a time.
import type { Dataset, File as H5File } from "h5wasm";
import { DataError } from "../errors.js";

/** A dataset: its shape and its rows [start, end) (all without a range). */
export interface Hdf5Dataset {
  shape: number[];
  read(start?: number, end?: number): unknown;
}

/** An open HDF5 file: datasets by path (null when there is none). */
export interface Hdf5Reader {
  dataset(path: string): Hdf5Dataset | null;
  close(): void;
}

/** An Hdf5Reader over an h5wasm file (of either build: in memory, or on disk in Node). */
export function h5wasmReader(file: Pick<H5File, "get" | "close">, name: string, onClose: () => void = () => undefined): Hdf5Reader {
  return {
    dataset(path) {
      let item: unknown;
      try {
        item = file.get(path);
      } catch (e) {
        throw new DataError(name, `${path}: unreadable (${(e as Error).message})`);
      }
      // Datasets have a shape; groups (and links to nothing) do not.
      if (!item || typeof item !== "object" || !("shape" in item)) return null;
      const ds = item as Dataset;
      return {
        shape: ds.shape ?? [],
        read: (start?: number, end?: number) => (start === undefined ? ds.value : ds.slice([[start, end ?? start + 1]])),
      };
    },
    close() {
      file.close();
      onClose();
    },
  };
}

/** The 8 bytes every HDF5 file without a user block starts with: \x89 H D F \r \n \x1a \n. */
const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether `head` (a file's first bytes) starts with the HDF5 signature. */
export const hasHdf5Signature = (head: Uint8Array): boolean => head.length >= 8 && HDF5_SIGNATURE.every((b, i) => head[i] === b);

/** Checks that `head` (a file's first bytes) starts with the HDF5 signature; a DataError naming `name` (with `note` added) when not. */
export function checkHdf5Signature(head: Uint8Array, name: string, note = ""): void {
  if (!hasHdf5Signature(head)) throw new DataError(name, `not an HDF5 file (no HDF5 signature at offset 0)${note}`);
}

/** An h5wasm file as opened, or a DataError naming `name` when the HDF5 library could not open it. */
export function checkOpened<F extends { file_id: bigint }>(file: F, name: string): F {
  if (file.file_id < 0n) throw new DataError(name, "corrupt HDF5 file (the HDF5 library cannot open it)");
  return file;
}

let opened = 0;

/** An Hdf5Reader over bytes in memory (checked for the HDF5 signature first). h5wasm is loaded on first use, so pages that read no HDF5 do not carry it. */
export async function memoryHdf5(bytes: Uint8Array, name: string): Promise<Hdf5Reader> {
  checkHdf5Signature(bytes, name);
  const h5wasm = (await import("h5wasm")).default;
  const { FS } = await h5wasm.ready;
  const path = `/snnkit-h5-${++opened}.h5`;
  FS.writeFile(path, bytes);
  try {
    return h5wasmReader(checkOpened(new h5wasm.File(path, "r"), name), name, () => FS.unlink(path));
  } catch (e) {
    FS.unlink(path);
    throw e;
  }
}
