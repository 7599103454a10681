// Running a NIR graph on a time grid of step dt (NIR is continuous-time and stores no dt), in float64: the
// reference executor of imported graphs. Every NIR node type; subgraphs inlined; recurrent edges carry the
// previous step's value; several edges into a node add up.
import { DataError, LimitError, ValueError } from "../errors.js";
import { isGraph, type NirArray, type NirGraph, type NirNode, nirParam, shapeOf, valuesOf } from "./graph.js";

/**
 * How a neuron's ODE becomes a step of dt, its input held constant over the step:
 * - "euler": forward Euler, v ← v + (dt/τ)(v_leak − v + R·I), as snnTorch, SpikingJelly, Lava and Spyx import
 *   NIR (and NIR's own reference implementation); a CubaLIF's membrane takes the synaptic current of the
 *   step before;
 * - "exact": the ODE's solution over the step, v ← v∞ + (v − v∞)·e^{−dt/τ} with v∞ = v_leak + R·I (and the
 *   two-exponential solution for the current-based neurons): the continuous-time model sampled at the
 *   grid, the threshold checked at the end of each step.
 */
export const NIR_DISCRETISATIONS = ["euler", "exact"] as const;
/** A discretisation of NIR's neuron ODEs. */
export type NirDiscretisation = (typeof NIR_DISCRETISATIONS)[number];

/** Options of runNir. */
export interface NirRunOptions {
  /** The time step (s). */
  dt: number;
  /** Steps to run (the input gives one value per step). */
  steps: number;
  method?: NirDiscretisation;
  /** Most node updates (nodes × units × steps) the run may do (default 10⁹). */
  maxWork?: number;
}

/** Each Output node's value at every step (flattened, row-major). */
export type NirRunOutputs = Record<string, Float64Array[]>;

const numbers = (a: NirArray | undefined) => Float64Array.from(a ? valuesOf(a) : []);
const size = (shape: readonly number[]) => shape.reduce((x, y) => x * y, 1);

/** A node ready to step: its output shape, and its update from the sum of its inputs at this step. */
interface Unit {
  shape: number[];
  step(input: Float64Array): Float64Array;
}

/** A graph with its subgraphs inlined: nodes by full name (subgraph nodes as "sub.name"), and edges between full names. */
export interface FlatGraph {
  nodes: Map<string, NirNode>;
  edges: [string, string][];
}

/** Inlines subgraphs: their nodes become "sub.name"; an edge into a subgraph goes to its Input nodes, one out of it leaves from its Output nodes. */
function flatten(graph: NirGraph, prefix: string, out: FlatGraph, file: string): { inputs: string[]; outputs: string[] } {
  const ends = new Map<string, { inputs: string[]; outputs: string[] }>();
  for (const [name, node] of Object.entries(graph.nodes)) {
    const full = prefix + name;
    if (isGraph(node)) ends.set(name, flatten(node, `${full}.`, out, file));
    else {
      out.nodes.set(full, node);
      ends.set(name, { inputs: [full], outputs: [full] });
    }
  }
  /** The full names an edge end stands for: a node, a subgraph's inputs or outputs, or a dotted name into a subgraph. */
  const endpoint = (end: string, side: "from" | "to"): string[] => {
    const e = ends.get(end);
    if (e) return side === "from" ? e.outputs : e.inputs;
    if (out.nodes.has(prefix + end)) return [prefix + end];
    throw new DataError(file, `edge end ${JSON.stringify(prefix + end)}: no such node`);
  };
  for (const [from, to] of graph.edges) for (const a of endpoint(from, "from")) for (const b of endpoint(to, "to")) out.edges.push([a, b]);
  const of = (type: string) => Object.entries(graph.nodes).filter(([, n]) => n.type === type).map(([n]) => prefix + n);
  return { inputs: of("Input"), outputs: of("Output") };
}

/** A graph with its subgraphs inlined (an edge into a subgraph reaches its Input nodes; one out of it leaves its Output nodes). */
export function flattenGraph(graph: NirGraph, file: string): FlatGraph {
  const flat: FlatGraph = { nodes: new Map(), edges: [] };
  flatten(graph, "", flat, file);
  return flat;
}

/** The decay over one step, e^{−dt/τ} (exact) or 1 − dt/τ (Euler), and the weight of the new value (1 − the decay). */
export function leak(dt: number, tau: number, method: NirDiscretisation): { keep: number; take: number } {
  if (method === "exact") {
    const keep = Math.exp(-dt / tau);
    return { keep, take: 1 - keep };
  }
  return { keep: 1 - dt / tau, take: dt / tau };
}

/** A neuron unit: LI, LIF, I, IF, CubaLI or CubaLIF with its state, stepped by `method`. */
function neuron(node: NirNode, dt: number, method: NirDiscretisation, at: string): Unit {
  const p = (name: string) => numbers(nirParam(node, name));
  const t = node.type;
  const r = p("r");
  const n = r.length;
  const shape = (nirParam(node, "r") ?? nirParam(node, "v_threshold"))!.shape;
  const v = new Float64Array(n);
  const spiking = t === "LIF" || t === "IF" || t === "CubaLIF";
  const threshold = spiking ? p("v_threshold") : null;
  const reset = spiking ? p("v_reset") : null;
  const out = new Float64Array(n);
  /** The threshold and reset of a spiking neuron (v > θ: spike, v ← v_reset); a leaky integrator puts out v. */
  const fire = () => {
    for (let i = 0; i < n; i++) {
      if (!threshold) out[i] = v[i];
      else if (v[i] > threshold[i]) {
        out[i] = 1;
        v[i] = reset![i];
      } else out[i] = 0;
    }
    return out;
  };
  if (t === "I" || t === "IF")
    return {
      shape,
      step(x) {
        for (let i = 0; i < n; i++) v[i] += dt * r[i] * x[i];
        return fire();
      },
    };
  const vLeak = p("v_leak");
  if (t === "LI" || t === "LIF") {
    const tau = p("tau");
    const k = Array.from(tau, (tt) => leak(dt, tt, method));
    return {
      shape,
      step(x) {
        for (let i = 0; i < n; i++) v[i] = k[i].keep * v[i] + k[i].take * (vLeak[i] + r[i] * x[i]);
        return fire();
      },
    };
  }
  if (t === "CubaLI" || t === "CubaLIF") {
    const [tauSyn, tauMem, wIn] = [p("tau_syn"), p("tau_mem"), p("w_in")];
    const current = new Float64Array(n);
    return {
      shape,
      step(x) {
        for (let i = 0; i < n; i++) {
          const target = wIn[i] * x[i];
          const syn = leak(dt, tauSyn[i], method);
          const mem = leak(dt, tauMem[i], method);
          const i0 = current[i];
          if (method === "euler") v[i] = mem.keep * v[i] + mem.take * (vLeak[i] + r[i] * i0);
          else {
            // v over the step with I(s) = target + (i0 − target)e^{−s/τs}: the constant part as a leak to
            // v_leak + R·target, the decaying part through the two exponentials.
            const ts = tauSyn[i];
            const tm = tauMem[i];
            const both = Math.abs(ts - tm) < 1e-12 * tm ? (dt / tm) * mem.keep : (ts / (ts - tm)) * (syn.keep - mem.keep);
            v[i] = mem.keep * v[i] + mem.take * (vLeak[i] + r[i] * target) + r[i] * (i0 - target) * both;
          }
          current[i] = syn.keep * i0 + syn.take * target;
        }
        return fire();
      },
    };
  }
  throw new DataError(at, `a ${t} node is not a neuron`);
}

/** y = W·x (+ b) with W [out, in] as NIR stores it. */
function affine(node: NirNode, inShape: number[]): Unit {
  const w = nirParam(node, "weight")!;
  const [rows, cols] = w.shape.length === 2 ? w.shape : [w.shape[0], 1];
  if (size(inShape) !== cols) throw new ValueError(`the ${node.type} node's input`, `${cols} values (its weight is [${w.shape}])`, `${size(inShape)} values`);
  const W = numbers(w);
  const b = node.type === "Affine" ? numbers(nirParam(node, "bias")) : null;
  const y = new Float64Array(rows);
  return {
    shape: [rows],
    step(x) {
      for (let i = 0; i < rows; i++) {
        let s = b ? b[i] : 0;
        for (let j = 0; j < cols; j++) s += W[i * cols + j] * x[j];
        y[i] = s;
      }
      return y;
    },
  };
}

/** A 2-D convolution (NCHW without batch) or a sum or average pool, with stride, padding (and dilation, groups). */
function window2d(node: NirNode, inShape: number[]): Unit {
  const pair = (name: string, fallback: number) => {
    const v = numbers(nirParam(node, name));
    return v.length === 0 ? [fallback, fallback] : v.length === 1 ? [v[0], v[0]] : [v[0], v[1]];
  };
  const padWord = node.params.padding;
  const [C, H, W] = inShape.length === 3 ? inShape : [1, ...inShape.slice(-2)];
  const conv = node.type === "Conv2d";
  const weight = conv ? nirParam(node, "weight")! : null;
  const [OC, ICg, KH, KW] = weight ? weight.shape : [C, 1, ...pair("kernel_size", 1)];
  const [SH, SW] = pair("stride", 1);
  const [DH, DW] = conv ? pair("dilation", 1) : [1, 1];
  // NIR's "valid" pads nothing; "same" pads so that a stride of 1 keeps the size (odd kernels only, as PyTorch pads them evenly).
  if (padWord === "same" && ((DH * (KH - 1)) % 2 !== 0 || (DW * (KW - 1)) % 2 !== 0)) throw new ValueError(`the ${node.type} node's padding`, "\"same\" with kernels of odd extent", `[${KH}, ${KW}]`);
  const [PH, PW] = padWord === "same" ? [(DH * (KH - 1)) / 2, (DW * (KW - 1)) / 2] : padWord === "valid" ? [0, 0] : pair("padding", 0);
  const groups = conv ? Number(numbers(nirParam(node, "groups"))[0] ?? 1) : C;
  const OH = Math.floor((H + 2 * PH - DH * (KH - 1) - 1) / SH) + 1;
  const OW = Math.floor((W + 2 * PW - DW * (KW - 1) - 1) / SW) + 1;
  if (conv && ICg * groups !== C) throw new ValueError("the Conv2d node's input", `${ICg * groups} channels (weight [${weight!.shape}], groups ${groups})`, `${C} channels`);
  const w = conv ? numbers(weight!) : null;
  const bias = conv ? numbers(nirParam(node, "bias")) : null;
  const scale = node.type === "AvgPool2d" ? 1 / (KH * KW) : 1;
  const y = new Float64Array(OC * OH * OW);
  return {
    shape: [OC, OH, OW],
    step(x) {
      for (let o = 0; o < OC; o++) {
        const g = conv ? Math.floor(o / (OC / groups)) : o;
        for (let oy = 0; oy < OH; oy++)
          for (let ox = 0; ox < OW; ox++) {
            let s = bias && bias.length ? bias[o] : 0;
            for (let c = 0; c < (conv ? ICg : 1); c++) {
              const ch = conv ? g * ICg + c : o;
              for (let ky = 0; ky < KH; ky++) {
                const iy = oy * SH - PH + ky * DH;
                if (iy < 0 || iy >= H) continue;
                for (let kx = 0; kx < KW; kx++) {
                  const ix = ox * SW - PW + kx * DW;
                  if (ix < 0 || ix >= W) continue;
                  s += (w ? w[((o * ICg + c) * KH + ky) * KW + kx] : scale) * x[(ch * H + iy) * W + ix];
                }
              }
            }
            y[(o * OH + oy) * OW + ox] = s;
          }
      }
      return y;
    },
  };
}

/** A 1-D convolution as a 2-D one of height 1: input [C, L], weight [O, C/groups, K], output [O, L′]. */
function conv1d(node: NirNode, inShape: number[]): Unit {
  const w = nirParam(node, "weight")!;
  const one = (name: string, fallback: number) => numbers(nirParam(node, name))[0] ?? fallback;
  const as2d: NirNode = {
    type: "Conv2d",
    metadata: {},
    params: {
      weight: { ...w, shape: [w.shape[0], w.shape[1], 1, w.shape[2]] },
      bias: node.params.bias,
      groups: node.params.groups,
      stride: { dtype: "float64", shape: [2], data: Float64Array.of(1, one("stride", 1)) },
      dilation: { dtype: "float64", shape: [2], data: Float64Array.of(1, one("dilation", 1)) },
      padding: typeof node.params.padding === "string" ? node.params.padding : { dtype: "float64", shape: [2], data: Float64Array.of(0, one("padding", 0)) },
    },
  };
  const unit = window2d(as2d, [inShape[0], 1, inShape.at(-1)!]);
  return { shape: [unit.shape[0], unit.shape[2]], step: unit.step };
}

/** y(t) = x(t − τ): each unit's input delayed by its τ, rounded to whole steps of dt (zero before it arrives). */
function delay(node: NirNode, inShape: number[], dt: number, at: string): Unit {
  const steps = Array.from(numbers(nirParam(node, "delay")), (d) => Math.round(d / dt));
  const n = steps.length;
  if (n !== size(inShape)) throw new ValueError(`the Delay node ${at}'s input`, `${n} values (one per delay)`, `${size(inShape)} values`);
  const bad = steps.findIndex((d) => !(d >= 0 && d <= 1e7));
  if (bad >= 0) throw new ValueError(`the Delay node ${at}'s delay[${bad}]`, `a delay in [0, ${1e7}·dt] s`, numbers(nirParam(node, "delay"))[bad]);
  const span = Math.max(0, ...steps) + 1;
  const ring = new Float64Array(span * n);
  const y = new Float64Array(n);
  let k = 0;
  return {
    shape: inShape,
    step(x) {
      const slot = k % span;
      ring.set(x, slot * n);
      for (let i = 0; i < n; i++) y[i] = k >= steps[i] ? ring[((k - steps[i]) % span) * n + i] : 0;
      k++;
      return y;
    },
  };
}

/** The unit of a node, given the shape of its input. */
function unitOf(name: string, node: NirNode, inShape: number[], o: Required<Pick<NirRunOptions, "dt" | "method">>, file: string): Unit {
  switch (node.type) {
    case "Input":
    case "Output": {
      const shape = shapeOf(node.params.shape as NirArray);
      return { shape, step: (x) => x };
    }
    case "Affine":
    case "Linear":
      return affine(node, inShape);
    case "Scale": {
      const s = numbers(nirParam(node, "scale"));
      return { shape: inShape, step: (x) => x.map((v, i) => v * s[i % s.length]) };
    }
    case "Threshold": {
      const th = numbers(nirParam(node, "threshold"));
      return { shape: inShape, step: (x) => x.map((v, i) => (v > th[i % th.length] ? 1 : 0)) };
    }
    case "Flatten":
      return { shape: [size(inShape)], step: (x) => x };
    case "Conv2d":
    case "SumPool2d":
    case "AvgPool2d":
      return window2d(node, inShape);
    case "Conv1d":
      return conv1d(node, inShape);
    case "Delay":
      return delay(node, inShape, o.dt, name);
    case "I":
    case "IF":
    case "LI":
    case "LIF":
    case "CubaLI":
    case "CubaLIF":
      return neuron(node, o.dt, o.method, name);
    default:
      throw new DataError(file, `${name}: a ${node.type} node, which the executor does not run`);
  }
}

/**
 * Runs a NIR graph for `steps` steps of `dt`: each Input node takes its value at every step from `inputs`
 * (by node name; flattened row-major), every other node its inputs' sum at the same step, except along an
 * edge that closes a cycle (a recurrent connection), which carries the value of the step before (zero at
 * the first). Returns every Output node's value at every step. Neurons follow `method` (default "euler").
 */
export function runNir(graph: NirGraph, inputs: Record<string, Float64Array[]>, options: NirRunOptions, file = "graph"): NirRunOutputs {
  const { dt, steps } = options;
  if (!(Number.isFinite(dt) && dt > 0)) throw new ValueError("dt", "a time step > 0 in seconds", dt);
  if (!(Number.isInteger(steps) && steps >= 1)) throw new ValueError("steps", "an integer >= 1", steps);
  const method = options.method ?? "euler";
  const flat = flattenGraph(graph, file);
  const incoming = new Map<string, string[]>();
  for (const [a, b] of flat.edges) incoming.set(b, [...(incoming.get(b) ?? []), a]);
  // Depth-first from the inputs: the order to compute in, and the edges that close a cycle.
  const order: string[] = [];
  const state = new Map<string, "open" | "done">();
  const back = new Set<string>();
  const outgoing = new Map<string, string[]>();
  for (const [a, b] of flat.edges) outgoing.set(a, [...(outgoing.get(a) ?? []), b]);
  const visit = (name: string) => {
    state.set(name, "open");
    for (const next of outgoing.get(name) ?? []) {
      if (state.get(next) === "open") back.add(`${name}\u0000${next}`);
      else if (!state.has(next)) visit(next);
    }
    state.set(name, "done");
    order.push(name);
  };
  const inputNames = [...flat.nodes].filter(([n, node]) => node.type === "Input" && !incoming.has(n)).map(([n]) => n);
  for (const name of inputNames) if (!state.has(name)) visit(name);
  order.reverse();
  for (const name of inputNames) if (!inputs[name]) throw new ValueError("inputs", `a value for every Input node (${inputNames.join(", ")})`, Object.keys(inputs));
  // Shapes along the order (a recurrent input has the shape of its source, known once its source is built).
  const units = new Map<string, Unit>();
  const inputSize = new Map<string, number>();
  let work = 0;
  for (const name of order) {
    const node = flat.nodes.get(name)!;
    const sources = (incoming.get(name) ?? []).filter((s) => units.has(s));
    const inShape = inputNames.includes(name) ? shapeOf(node.params.shape as NirArray) : sources.length ? units.get(sources[0])!.shape : [0];
    for (const s of sources)
      if (size(units.get(s)!.shape) !== size(inShape)) throw new DataError(file, `${name}: its inputs differ in size (${sources.map((x) => `${x}: ${size(units.get(x)!.shape)}`).join(", ")})`);
    const unit = unitOf(name, node, inShape, { dt, method }, file);
    units.set(name, unit);
    inputSize.set(name, size(inShape));
    work += size(unit.shape) * steps;
  }
  const maxWork = options.maxWork ?? 1e9;
  if (work > maxWork) throw new LimitError("maxWork", `the graph needs about ${work} unit updates over ${steps} steps, more than ${maxWork}; run fewer steps`);
  const current = new Map<string, Float64Array>();
  const previous = new Map<string, Float64Array>();
  const outputs: NirRunOutputs = {};
  for (const [n, node] of flat.nodes) if (node.type === "Output" && !(outgoing.get(n)?.length)) outputs[n] = [];
  for (let k = 0; k < steps; k++) {
    for (const name of order) {
      const unit = units.get(name)!;
      let input: Float64Array;
      if (inputNames.includes(name)) {
        input = inputs[name][k];
        if (!input || input.length !== size(unit.shape)) throw new ValueError(`inputs.${name}[${k}]`, `${size(unit.shape)} values (shape [${unit.shape}])`, input ? `${input.length} values` : "nothing");
      } else {
        input = new Float64Array(inputSize.get(name)!);
        for (const s of incoming.get(name) ?? []) {
          const v = back.has(`${s}\u0000${name}`) ? previous.get(s) : current.get(s);
          if (v) for (let i = 0; i < input.length; i++) input[i] += v[i];
        }
      }
      current.set(name, Float64Array.from(unit.step(input)));
    }
    for (const [name, v] of current) previous.set(name, v);
    for (const name of Object.keys(outputs)) outputs[name].push(current.get(name)!);
  }
  return outputs;
}
