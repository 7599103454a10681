// NIR files (HDF5) written with h5wasm (HDF5's C library in wasm, in its in-memory file system): a
// document in, bytes out, the same in Node and in browsers. The layout is NIR's (see hdf5.ts, the reader).
import h5wasm, { type Group } from "h5wasm";
import { type NirArray, type NirDocument, type NirGraph, type NirNode, type NirValue, isGraph } from "./graph.js";

let files = 0;
/** A fresh path in h5wasm's in-memory file system. */
const scratchPath = () => `/snnkit-nir-${++files}.h5`;

const H5_DTYPES: Record<NirArray["dtype"], string> = { float32: "<f", float64: "<d", int32: "<i", int64: "<q" };

/** Writes a value as a dataset: arrays with their dtype and shape (gzip-compressed when not scalar, as NIR's writer does), text as a string. */
function writeValue(group: Group, name: string, v: NirValue): void {
  if (typeof v === "string") {
    group.create_dataset({ name, data: v });
    return;
  }
  // Arrays gzip-compressed as one chunk where they were (or, new, as NIR's writer does); scalars and empty arrays as they are.
  const chunked = (v.compressed ?? true) && v.shape.length > 0 && v.data.length > 0;
  group.create_dataset({ name, data: v.data, shape: v.shape, dtype: H5_DTYPES[v.dtype], ...(chunked ? { chunks: v.shape, compression: "gzip" as const } : {}) });
}

function writeNode(group: Group, node: NirNode | NirGraph): void {
  group.create_dataset({ name: "type", data: node.type });
  for (const [k, v] of Object.entries(node.params)) writeValue(group, k, v);
  if (Object.keys(node.metadata).length > 0) {
    const meta = group.create_group("metadata");
    for (const [k, v] of Object.entries(node.metadata)) writeValue(meta, k, v);
  }
  if (!isGraph(node)) return;
  group.create_dataset({ name: "edges", data: node.edges.flat(), shape: [node.edges.length, 2] });
  const nodes = group.create_group("nodes");
  for (const [name, child] of Object.entries(node.nodes)) writeNode(nodes.create_group(name), child);
}

/** A NIR file's bytes: the document's version and graph in NIR's layout (its parameters' dtypes and shapes kept). */
export async function writeNir(doc: Pick<NirDocument, "version" | "graph">): Promise<Uint8Array> {
  const { FS } = await h5wasm.ready;
  const path = scratchPath();
  const h5 = new h5wasm.File(path, "w");
  try {
    h5.create_dataset({ name: "version", data: doc.version });
    writeNode(h5.create_group("node"), doc.graph);
  } finally {
    h5.close();
  }
  const bytes = FS.readFile(path);
  FS.unlink(path);
  return bytes;
}
