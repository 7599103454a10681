// NIR files (HDF5) read and written with h5wasm, in memory: bytes in, bytes out, the same in Node and in
// browsers (h5wasm embeds its wasm). The layout is NIR's: root `version`, the graph group `node` with
// `type` = "NIRGraph", `nodes/<name>/` (each with `type`, its parameter datasets and an optional
// `metadata` group; subgraphs nested the same way) and `edges` (pairs of names).
import h5wasm, { type Dataset, Group } from "h5wasm";
import { DataError, LimitError } from "../errors.js";
import { checkHdf5Signature, checkOpened } from "../io/hdf5_reader.js";
import { checkGraph, type NirArray, type NirDocument, type NirGraph, type NirNode, type NirValue, isGraph } from "./graph.js";

/** Most elements one dataset may hold (2²⁸: 1 GiB of float32), checked before it is read. */
const MAX_ELEMENTS = 2 ** 28;
/** Deepest nesting of subgraphs a file may have. */
const MAX_DEPTH = 64;

let files = 0;
/** A fresh path in h5wasm's in-memory file system. */
const scratchPath = () => `/snnkit-nir-${++files}.h5`;

const DTYPES: Record<string, NirArray["dtype"]> = { "<f": "float32", "<d": "float64", "<i": "int32", "<q": "int64" };

/** A dataset's value as a NirValue; DataError names the dataset when its type is not one NIR writes. */
function readValue(ds: Dataset, at: string, file: string): NirValue | string[] {
  const shape = ds.shape ?? [];
  const count = shape.reduce((a, b) => a * b, 1);
  if (count > MAX_ELEMENTS) throw new LimitError("elements", `${file}: ${at} holds ${count} values, more than ${MAX_ELEMENTS}`);
  const dtype0 = DTYPES[ds.dtype as string];
  if (count === 0 && shape.length > 0) return dtype0 ? { dtype: dtype0, shape: [...shape], data: new { float32: Float32Array, float64: Float64Array, int32: Int32Array, int64: BigInt64Array }[dtype0](0) } : [];
  const value = ds.value;
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value as string[];
  const dtype = DTYPES[ds.dtype as string];
  if (!dtype) throw new DataError(file, `${at}: a dataset of type ${JSON.stringify(ds.dtype)}; NIR stores float32, float64, int32, int64 or text`);
  const make = { float32: Float32Array, float64: Float64Array, int32: Int32Array, int64: BigInt64Array }[dtype];
  let data: NirArray["data"];
  if (typeof value === "bigint") data = BigInt64Array.of(value);
  else if (typeof value === "number") data = dtype === "int64" ? BigInt64Array.of(BigInt(value)) : (make as Float64ArrayConstructor).of(value);
  else if (ArrayBuffer.isView(value)) data = (make as Float64ArrayConstructor).from(value as unknown as ArrayLike<number>);
  else throw new DataError(file, `${at}: unreadable values`);
  if (dtype === "int64" && !(data instanceof BigInt64Array)) data = BigInt64Array.from(Array.from(data as ArrayLike<number>, (v) => BigInt(v)));
  return { dtype, shape: [...shape], data, compressed: ds.filters.length > 0 };
}

/** The text of a group's `type` dataset, or a DataError naming it. */
function typeOf(group: Group, at: string, file: string): string {
  const t = group.get("type");
  if (!t || t instanceof Group) throw new DataError(file, `${at}.type: missing (every NIR node has a type)`);
  const v = (t as Dataset).value;
  if (typeof v !== "string") throw new DataError(file, `${at}.type: expected text, got ${JSON.stringify(v)}`);
  return v;
}

/** A metadata group's values (numbers and text). */
function readMetadata(group: Group, at: string, file: string): Record<string, NirValue> {
  const out: Record<string, NirValue> = {};
  for (const key of group.keys()) {
    const item = group.get(key);
    if (!item || item instanceof Group) continue;
    const v = readValue(item as Dataset, `${at}.metadata.${key}`, file);
    out[key] = Array.isArray(v) ? v.join(",") : v;
  }
  return out;
}

/** A node group: a graph (type NIRGraph) or a computational node, with its datasets and metadata. */
function readNode(group: Group, at: string, file: string, depth: number): NirNode | NirGraph {
  if (depth > MAX_DEPTH) throw new DataError(file, `${at}: subgraphs nested deeper than ${MAX_DEPTH}`);
  const type = typeOf(group, at, file);
  const params: Record<string, NirValue> = {};
  let metadata: Record<string, NirValue> = {};
  let nodes: Record<string, NirNode | NirGraph> | null = null;
  let edges: [string, string][] = [];
  for (const key of group.keys()) {
    if (key === "type") continue;
    const item = group.get(key);
    if (!item) continue;
    if (item instanceof Group) {
      if (key === "metadata") metadata = readMetadata(item, at, file);
      else if (key === "nodes" && type === "NIRGraph") {
        nodes = {};
        for (const name of item.keys()) {
          const child = item.get(name);
          if (!(child instanceof Group)) throw new DataError(file, `${at}.nodes.${name}: expected a node group, got a dataset`);
          nodes[name] = readNode(child, `${at}.nodes.${name}`, file, depth + 1);
        }
      } else throw new DataError(file, `${at}.${key}: an unexpected group in a ${type} node`);
      continue;
    }
    const v = readValue(item as Dataset, `${at}.${key}`, file);
    if (key === "edges" && type === "NIRGraph") {
      const empty = typeof v === "object" && !Array.isArray(v) && v.data.length === 0;
      const names = Array.isArray(v) ? v : typeof v === "string" ? [v] : empty ? [] : null;
      if (!names || names.length % 2 !== 0) throw new DataError(file, `${at}.edges: expected pairs of node names`);
      edges = Array.from({ length: names.length / 2 }, (_, k) => [names[2 * k], names[2 * k + 1]]);
    } else if (Array.isArray(v)) throw new DataError(file, `${at}.${key}: a list of text where NIR has numbers`);
    else params[key] = v;
  }
  if (type !== "NIRGraph") return { type, params, metadata };
  if (!nodes) throw new DataError(file, `${at}.nodes: missing (a NIRGraph has nodes and edges)`);
  return { type: "NIRGraph", nodes, edges, params, metadata };
}

/**
 * Checks the HDF5 superblock at offset 0 (NIR files have no user block): the signature, and the file
 * length it records against the bytes there are (a truncated file stops here, before the HDF5 library
 * reads past its end).
 */
function checkSuperblock(bytes: Uint8Array, file: string): void {
  checkHdf5Signature(bytes, file, "; NIR files are HDF5");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[8];
  if (version === undefined || version > 3) throw new DataError(file, `superblock version ${version} at offset 8: not one HDF5 writes (0 to 3)`);
  const offsetSize = version >= 2 ? bytes[9] : bytes[13];
  if (offsetSize !== 4 && offsetSize !== 8) throw new DataError(file, `superblock: an address size of ${offsetSize} bytes (4 or 8 expected)`);
  const at = (version >= 2 ? 12 : version === 1 ? 28 : 24) + 2 * offsetSize;
  if (bytes.length < at + offsetSize) throw new DataError(file, `truncated HDF5 file: its superblock needs ${at + offsetSize} bytes, the file has ${bytes.length}`);
  const eof = offsetSize === 8 ? Number(view.getBigUint64(at, true)) : view.getUint32(at, true);
  if (eof > bytes.length) throw new DataError(file, `truncated HDF5 file: its superblock (offset ${at}) records ${eof} bytes, the file has ${bytes.length}`);
}

/**
 * Reads a NIR file from its bytes: the graph, every node with its parameters as stored (dtype and shape),
 * metadata, nested subgraphs, edges; then checks it against NIR's node types (checkGraph). Uncompressed
 * and gzip-compressed datasets alike. Errors are DataErrors naming `file` and the node and field; a file
 * that is not HDF5 says so.
 */
export async function readNir(bytes: Uint8Array, file: string): Promise<NirDocument> {
  const { FS } = await h5wasm.ready;
  checkSuperblock(bytes, file);
  const path = scratchPath();
  FS.writeFile(path, bytes);
  let h5: InstanceType<typeof h5wasm.File> | null = null;
  try {
    try {
      h5 = new h5wasm.File(path, "r");
    } catch (e) {
      throw new DataError(file, `corrupt HDF5 file (${(e as Error).message})`);
    }
    const opened = checkOpened(h5, file);
    let version: unknown;
    let graph: NirNode | NirGraph;
    try {
      const versionItem = opened.get("version");
      version = versionItem && !(versionItem instanceof Group) ? (versionItem as Dataset).value : null;
      if (typeof version !== "string") throw new DataError(file, "version: missing (a NIR file has a root `version`)");
      const root = opened.get("node");
      if (!(root instanceof Group)) throw new DataError(file, "node: missing (a NIR file has its graph in the group `node`)");
      graph = readNode(root, "node", file, 0);
    } catch (e) {
      // The HDF5 library's own errors on a damaged file become DataErrors naming it.
      if (e instanceof DataError || e instanceof LimitError) throw e;
      throw new DataError(file, `corrupt HDF5 file (${(e as Error).message})`);
    }
    if (!isGraph(graph)) throw new DataError(file, `node.type: expected "NIRGraph" at the root, got ${JSON.stringify(graph.type)}`);
    const warnings: string[] = [];
    checkGraph(graph, "", file, warnings);
    return { version: version as string, graph, warnings };
  } finally {
    try {
      h5?.close();
    } finally {
      FS.unlink(path);
    }
  }
}

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
