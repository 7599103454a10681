// NIR graphs (the Neuromorphic Intermediate Representation; Pedersen et al., Nat. Commun. 2024) as snnkit
// holds them: nodes with their type, parameter arrays (dtype and shape kept, so a file round-trips
// exactly) and metadata; nested subgraphs; edges between node names. Checked against the NIR node types.
import { DataError } from "../errors.js";

/** A numeric parameter as the file stores it: its element type, shape and values (row-major), and whether it was compressed. */
export interface NirArray {
  dtype: "float32" | "float64" | "int32" | "int64";
  shape: number[];
  data: Float32Array | Float64Array | Int32Array | BigInt64Array;
  /** Stored gzip-compressed (absent: as NIR's writer does, every array that is not a scalar). */
  compressed?: boolean;
}

/** A value of a node: a numeric array (a scalar has shape []) or text. */
export type NirValue = NirArray | string;

/** A computational node: its NIR type, its parameters and its metadata (kept as read). */
export interface NirNode {
  type: string;
  params: Record<string, NirValue>;
  metadata: Record<string, NirValue>;
}

/** A graph of nodes (or subgraphs) and edges [from, to] between their names; `params` holds any other datasets of the graph node. */
export interface NirGraph {
  type: "NIRGraph";
  nodes: Record<string, NirNode | NirGraph>;
  edges: [string, string][];
  params: Record<string, NirValue>;
  metadata: Record<string, NirValue>;
}

/** A NIR file: its version and its top-level graph; `warnings` says what a reader repaired. */
export interface NirDocument {
  version: string;
  graph: NirGraph;
  warnings: string[];
}

/** Whether a node is a (sub)graph. */
export const isGraph = (n: NirNode | NirGraph): n is NirGraph => n.type === "NIRGraph";

/** The parameters of each NIR node type: required, and optional with NIR's default when absent (as NIR's reader fills them). */
const NODE_TYPES: Record<string, { required: string[]; optional?: Record<string, "zeros-like-v_threshold" | "ones-like-v_threshold" | "ones-like-v_leak" | "none"> }> = {
  Input: { required: ["shape"] },
  Output: { required: ["shape"] },
  Affine: { required: ["weight", "bias"] },
  Linear: { required: ["weight"] },
  Scale: { required: ["scale"] },
  Threshold: { required: ["threshold"] },
  Flatten: { required: ["start_dim", "end_dim"], optional: { input_type: "none" } },
  Conv1d: { required: ["weight", "stride", "padding", "dilation", "groups", "bias"], optional: { input_shape: "none" } },
  Conv2d: { required: ["weight", "stride", "padding", "dilation", "groups", "bias"], optional: { input_shape: "none" } },
  SumPool2d: { required: ["kernel_size", "stride", "padding"] },
  AvgPool2d: { required: ["kernel_size", "stride", "padding"] },
  Delay: { required: ["delay"] },
  I: { required: ["r"] },
  LI: { required: ["tau", "r", "v_leak"] },
  IF: { required: ["r", "v_threshold"], optional: { v_reset: "zeros-like-v_threshold" } },
  LIF: { required: ["tau", "r", "v_leak", "v_threshold"], optional: { v_reset: "zeros-like-v_threshold" } },
  CubaLI: { required: ["tau_syn", "tau_mem", "r", "v_leak"], optional: { w_in: "ones-like-v_leak" } },
  CubaLIF: { required: ["tau_syn", "tau_mem", "r", "v_leak", "v_threshold"], optional: { v_reset: "zeros-like-v_threshold", w_in: "ones-like-v_threshold" } },
};

/** The node types snnkit reads (NIR's). */
export const NIR_NODE_TYPES = Object.keys(NODE_TYPES);

/** Per-neuron parameters of the neuron types, which must all have one shape. */
const NEURON_PARAMS = ["tau", "tau_syn", "tau_mem", "r", "v_leak", "v_threshold", "v_reset", "w_in"];

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** A float array of `like`'s shape, every element `value`. */
function filled(like: NirArray, value: number): NirArray {
  return { dtype: like.dtype === "float64" ? "float64" : "float32", shape: [...like.shape], data: (like.dtype === "float64" ? new Float64Array(size(like.shape)) : new Float32Array(size(like.shape))).fill(value) };
}

/**
 * Checks a node against its NIR type: a known type, every required parameter present and numeric, the
 * optional ones filled with NIR's defaults (v_reset = 0, w_in = 1; returned as `filled`, the node
 * itself left as read so that a file round-trips), neuron parameters of one shape. DataErrors name the
 * file, the node's path and the field.
 */
export function checkNode(node: NirNode, path: string, file: string): { filled: string[] } {
  const spec = NODE_TYPES[node.type];
  if (!spec) throw new DataError(file, `${path}: unknown NIR node type ${JSON.stringify(node.type)} (NIR's types: ${NIR_NODE_TYPES.join(", ")}, NIRGraph)`);
  for (const name of spec.required) {
    const v = node.params[name];
    if (v === undefined) throw new DataError(file, `${path}.${name}: missing (a ${node.type} node needs ${spec.required.join(", ")})`);
    // A convolution's padding may be NIR's "same" or "valid".
    const words = name === "padding" && node.type.startsWith("Conv") ? ["same", "valid"] : [];
    if (typeof v === "string" && !words.includes(v)) throw new DataError(file, `${path}.${name}: expected numbers${words.length ? ` or ${words.join(" or ")}` : ""}, got text ${JSON.stringify(v.slice(0, 40))}`);
  }
  const neuron = NEURON_PARAMS.filter((p) => typeof node.params[p] === "object");
  const first = neuron[0];
  for (const p of neuron.slice(1)) {
    const [a, b] = [node.params[first] as NirArray, node.params[p] as NirArray];
    if (a.shape.join(",") !== b.shape.join(",")) throw new DataError(file, `${path}.${p}: shape [${b.shape}] differs from ${first}'s [${a.shape}]`);
  }
  const filledNames: string[] = [];
  for (const [name, rule] of Object.entries(spec.optional ?? {}))
    if (node.params[name] === undefined && rule !== "none") filledNames.push(name);
  return { filled: filledNames };
}

/** A node's parameter with NIR's default where the file has none (v_reset = 0, w_in = 1, both shaped like the neurons). */
export function nirParam(node: NirNode, name: string): NirArray | undefined {
  const v = node.params[name];
  if (typeof v === "object") return v;
  const rule = NODE_TYPES[node.type]?.optional?.[name];
  const like = (p: string) => node.params[p] as NirArray | undefined;
  if (rule === "zeros-like-v_threshold" && like("v_threshold")) return filled(like("v_threshold")!, 0);
  if (rule === "ones-like-v_threshold" && like("v_threshold")) return filled(like("v_threshold")!, 1);
  if (rule === "ones-like-v_leak" && like("v_leak")) return filled(like("v_leak")!, 1);
  return undefined;
}

/**
 * Checks a graph and its subgraphs: every node (checkNode), every edge between names of this graph.
 * Files written by other libraries are repaired, with a warning, where the intent is unambiguous: an edge
 * naming a node inside a subgraph by its short name, where exactly one subgraph has it, reads as
 * "subgraph.name"; and one name no node has, beside exactly one node no edge names, is that node (a
 * writer that named a node one way and its edges another). Anything else is a DataError naming the edge.
 */
export function checkGraph(graph: NirGraph, path: string, file: string, warnings: string[]): void {
  const where = path || "graph";
  for (const [name, node] of Object.entries(graph.nodes)) {
    const at = path ? `${path}.${name}` : name;
    if (isGraph(node)) checkGraph(node, at, file, warnings);
    else {
      const { filled: defaults } = checkNode(node, at, file);
      if (defaults.length > 0) warnings.push(`${at}: no ${defaults.join(", ")} in the file; NIR's default used (${defaults.map((d) => (d === "w_in" ? "w_in = 1" : `${d} = 0`)).join(", ")})`);
    }
  }
  const known = (end: string) => end in graph.nodes || end.split(".")[0] in graph.nodes;
  const nested = (end: string) => Object.entries(graph.nodes).filter(([, n]) => isGraph(n) && end in n.nodes).map(([name]) => name);
  const unknown = [...new Set(graph.edges.flat().filter((end) => !known(end) && nested(end).length !== 1))];
  const named = new Set(graph.edges.flat());
  const unnamed = Object.keys(graph.nodes).filter((n) => !named.has(n));
  const renamed = new Map<string, string>();
  if (unknown.length === 1 && unnamed.length === 1) {
    renamed.set(unknown[0], unnamed[0]);
    warnings.push(`${where}: the edges name ${JSON.stringify(unknown[0])}, which no node is, and no edge names node ${JSON.stringify(unnamed[0])}; read as that node`);
  }
  graph.edges = graph.edges.map(([from, to], k) => {
    const resolve = (end: string): string => {
      if (known(end)) return end;
      if (renamed.has(end)) return renamed.get(end)!;
      const owners = nested(end);
      if (owners.length === 1) {
        warnings.push(`${where}: edge ${k} names ${JSON.stringify(end)}, a node of subgraph ${JSON.stringify(owners[0])}; read as ${JSON.stringify(`${owners[0]}.${end}`)}`);
        return `${owners[0]}.${end}`;
      }
      throw new DataError(file, `${path ? `${path}.` : ""}edges[${k}]: ${JSON.stringify(end)} is not a node of this graph (nodes: ${Object.keys(graph.nodes).join(", ")})`);
    };
    return [resolve(from), resolve(to)];
  });
}

/** An array's values as numbers (int64 ones too), row-major. */
export function valuesOf(a: NirArray): number[] {
  return Array.from(a.data as ArrayLike<number | bigint>, Number);
}

/** The shape of a node's values as a list of numbers (an Input's or Output's `shape`, int64 in the files). */
export function shapeOf(a: NirArray): number[] {
  return valuesOf(a);
}

/** The smallest and largest value of an array (NaN for an empty one; any NaN in it makes both NaN), without spreading it onto the stack. */
export function valueRange(a: NirArray): { min: number; max: number } {
  let [min, max] = [Infinity, -Infinity];
  const data = a.data as ArrayLike<number | bigint>;
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]);
    if (Number.isNaN(v)) return { min: Number.NaN, max: Number.NaN };
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return a.data.length === 0 ? { min: Number.NaN, max: Number.NaN } : { min, max };
}
