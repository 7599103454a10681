// NIR files (HDF5) read from their bytes, the same in Node and in browsers, with snnkit's own HDF5 reader
// (src/io/hdf5/, small enough for a page; the writer, hdf5_write.ts, uses HDF5's C library). The layout is NIR's: root `version`, the graph group `node` with
// `type` = "NIRGraph", `nodes/<name>/` (each with `type`, its parameter datasets and an optional
// `metadata` group; subgraphs nested the same way) and `edges` (pairs of names).
import { DataError, LimitError, preview } from "../errors.js";
import { memorySource } from "../io/byte_source.js";
import { checkHdf5Signature, type Hdf5Dataset, type Hdf5Group, openHdf5 } from "../io/hdf5_reader.js";
import { typeName } from "../io/hdf5/datatype.js";
import { checkGraph, type NirArray, type NirDocument, type NirGraph, type NirNode, type NirValue, isGraph } from "./graph.js";

/** Most elements one dataset may hold (2²⁸: 1 GiB of float32), checked before it is read. */
const MAX_ELEMENTS = 2 ** 28;
/** Deepest nesting of subgraphs a file may have. */
const MAX_DEPTH = 64;

const DTYPES: Record<string, NirArray["dtype"]> = { float32: "float32", float64: "float64", int32: "int32", int64: "int64" };

/** A dataset's value as a NirValue (text as a string, or a list of them); DataError names the dataset when its type is not one NIR writes. */
function readValue(ds: Hdf5Dataset, at: string, file: string): NirValue | string[] {
  const count = ds.shape.reduce((a, b) => a * b, 1);
  if (count > MAX_ELEMENTS) throw new LimitError("elements", `${file}: ${at} holds ${count} values, more than ${MAX_ELEMENTS}`);
  if (ds.type.class === "string" || ds.type.class === "vlen-string") {
    const text = ds.read() as string[];
    return ds.shape.length === 0 ? text[0] : text;
  }
  const dtype = DTYPES[typeName(ds.type)];
  if (!dtype) throw new DataError(file, `${at}: a dataset of type ${typeName(ds.type)}; NIR stores float32, float64, int32, int64 or text`);
  const data = ds.read() as NirArray["data"];
  return { dtype, shape: [...ds.shape], data, compressed: ds.compressed };
}

/** The text of a group's `type` dataset, or a DataError naming it. */
function typeOf(group: Hdf5Group, at: string, file: string): string {
  const t = group.get("type");
  if (!t || t.kind === "group") throw new DataError(file, `${at}.type: missing (every NIR node has a type)`);
  const v = readValue(t, `${at}.type`, file);
  if (typeof v !== "string") throw new DataError(file, `${at}.type: expected text, got ${preview(Array.isArray(v) ? v : Array.from(v.data as ArrayLike<unknown>))}`);
  return v;
}

/** A metadata group's values (numbers and text). */
function readMetadata(group: Hdf5Group, at: string, file: string): Record<string, NirValue> {
  const out: Record<string, NirValue> = {};
  for (const key of group.keys()) {
    const item = group.get(key);
    if (!item || item.kind === "group") continue;
    const v = readValue(item, `${at}.metadata.${key}`, file);
    out[key] = Array.isArray(v) ? v.join(",") : v;
  }
  return out;
}

/** A node group: a graph (type NIRGraph) or a computational node, with its datasets and metadata. */
function readNode(group: Hdf5Group, at: string, file: string, depth: number): NirNode | NirGraph {
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
    if (item.kind === "group") {
      if (key === "metadata") metadata = readMetadata(item, at, file);
      else if (key === "nodes" && type === "NIRGraph") {
        nodes = {};
        for (const name of item.keys()) {
          const child = item.get(name);
          if (child?.kind !== "group") throw new DataError(file, `${at}.nodes.${name}: expected a node group, got a dataset`);
          nodes[name] = readNode(child, `${at}.nodes.${name}`, file, depth + 1);
        }
      } else throw new DataError(file, `${at}.${key}: an unexpected group in a ${type} node`);
      continue;
    }
    const v = readValue(item, `${at}.${key}`, file);
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
 * Reads a NIR file from its bytes: the graph, every node with its parameters as stored (dtype and shape),
 * metadata, nested subgraphs, edges; then checks it against NIR's node types (checkGraph). Uncompressed
 * and gzip-compressed datasets alike. Errors are DataErrors naming `file` and the node and field; a file
 * that is not HDF5 says so, and a truncated one is named before anything past its end is read.
 */
export async function readNir(bytes: Uint8Array, file: string): Promise<NirDocument> {
  checkHdf5Signature(bytes, file, "; NIR files are HDF5");
  const h5 = openHdf5(memorySource(bytes), file);
  const version = h5.root.get("version");
  const text = version?.kind === "dataset" ? readValue(version, "version", file) : null;
  if (typeof text !== "string") throw new DataError(file, "version: missing (a NIR file has a root `version`)");
  const root = h5.root.get("node");
  if (root?.kind !== "group") throw new DataError(file, "node: missing (a NIR file has its graph in the group `node`)");
  const graph = readNode(root, "node", file, 0);
  if (!isGraph(graph)) throw new DataError(file, `node.type: expected "NIRGraph" at the root, got ${JSON.stringify(graph.type)}`);
  const warnings: string[] = [];
  checkGraph(graph, "", file, warnings);
  return { version: text, graph, warnings };
}
