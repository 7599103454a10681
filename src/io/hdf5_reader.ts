// HDF5 files read by path, whole or by a range of rows, with snnkit's own reader (src/io/hdf5/): over bytes
// in memory (pages, tests), or, from the Node rim, over a file on disk read piece by piece. Readers of
// large HDF5 files (SHD, SSC) go through this, so that they read one sample at a time.
import { memorySource } from "./byte_source.js";
import { type Hdf5Reader, openHdf5 } from "./hdf5/file.js";

export { checkHdf5Signature, type Hdf5Dataset, type Hdf5Group, type Hdf5Reader, hasHdf5Signature, openHdf5 } from "./hdf5/file.js";
export type { Hdf5Type, Hdf5Values } from "./hdf5/datatype.js";

/** An Hdf5Reader over bytes in memory (openHdf5 checks the HDF5 signature first). */
export async function memoryHdf5(bytes: Uint8Array, name: string): Promise<Hdf5Reader> {
  return openHdf5(memorySource(bytes), name);
}
