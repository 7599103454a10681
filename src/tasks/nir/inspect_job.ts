// `snnkit nir inspect FILE`: what a NIR file holds: its version, nodes (type and shape), edges, subgraphs,
// its parameters summarised, and what the reader repaired.
import { z } from "zod";
import { type NirArray, type NirGraph, type NirNode, isGraph, shapeOf, valueRange } from "../../nir/graph.js";
import { readNir } from "../../nir/hdf5.js";
import { type Job, schemaSettings } from "../run/job.js";

const inspectSchema = z.strictObject({ file: z.string().min(1).describe("the NIR file (HDF5)") });
/** What `snnkit nir inspect` reads. */
export type InspectConfig = z.output<typeof inspectSchema>;

/** A node as inspect reports it; a subgraph has its own nodes and edges. */
export interface InspectedNode {
  name: string;
  type: string;
  /** Input/Output: the declared shape; neurons: their per-neuron parameters' shape; weighted layers: the weight's; otherwise null. */
  shape: number[] | null;
  /** Every parameter: its dtype, shape, and smallest and largest value. */
  params: Record<string, { dtype: string; shape: number[]; min: number; max: number } | string>;
  nodes?: InspectedNode[];
  edges?: [string, string][];
}

/** What inspect reports. */
export interface InspectResult {
  file: string;
  version: string;
  nodes: InspectedNode[];
  edges: [string, string][];
  warnings: string[];
}

/** The array that gives a node its shape, by type. */
function defining(node: NirNode): NirArray | undefined {
  const p = node.params;
  const pick = (name: string) => (typeof p[name] === "object" ? (p[name] as NirArray) : undefined);
  return pick("v_threshold") ?? pick("tau") ?? pick("tau_mem") ?? pick("r") ?? pick("weight") ?? pick("input_type") ?? pick("kernel_size") ?? pick("scale") ?? pick("threshold") ?? pick("delay");
}

function inspectNode(name: string, node: NirNode | NirGraph): InspectedNode {
  if (isGraph(node)) return { name, type: node.type, shape: null, params: {}, nodes: Object.entries(node.nodes).map(([n, c]) => inspectNode(n, c)), edges: node.edges };
  const params: InspectedNode["params"] = {};
  for (const [k, v] of Object.entries(node.params)) {
    if (typeof v === "string") params[k] = v;
    else params[k] = { dtype: v.dtype, shape: v.shape, ...valueRange(v) };
  }
  const io = node.type === "Input" || node.type === "Output";
  const shape = io && typeof node.params.shape === "object" ? shapeOf(node.params.shape) : (defining(node)?.shape ?? null);
  return { name, type: node.type, shape, params };
}

/** Text lines for a graph's nodes and edges, indented by depth. */
function describe(nodes: InspectedNode[], edges: [string, string][], indent: string): string[] {
  const lines: string[] = [];
  for (const n of nodes) {
    lines.push(`${indent}${n.name}: ${n.type}${n.shape ? ` [${n.shape.join(", ")}]` : ""}`);
    for (const [k, p] of Object.entries(n.params))
      lines.push(typeof p === "string" ? `${indent}    ${k} = ${p}` : `${indent}    ${k} ${p.dtype} [${p.shape.join(", ")}] in [${p.min.toPrecision(4)}, ${p.max.toPrecision(4)}]`);
    if (n.nodes) lines.push(...describe(n.nodes, n.edges ?? [], `${indent}  `));
  }
  lines.push(`${indent}edges: ${edges.map(([a, b]) => `${a} → ${b}`).join(", ") || "none"}`);
  return lines;
}

/** Reads a NIR file and reports its graph. */
export const inspectJob: Job<InspectConfig, InspectResult> = {
  name: "nir inspect",
  description: "what a NIR file holds: version, nodes with their type and shape, edges, subgraphs, parameters summarised",
  ...schemaSettings<InspectConfig>(inspectSchema, {}),
  async run(c, { store }) {
    const doc = await readNir(store.readExternal(c.file), c.file);
    return { file: c.file, version: doc.version, nodes: Object.entries(doc.graph.nodes).map(([n, node]) => inspectNode(n, node)), edges: doc.graph.edges, warnings: doc.warnings };
  },
  summary: (r) => [`${r.file}: NIR ${r.version}`, ...describe(r.nodes, r.edges, "  "), ...r.warnings.map((w) => `warning: ${w}`)].join("\n"),
};
