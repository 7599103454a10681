// Between NIR graphs and snnkit networks: nirToNetwork turns a chain of NIR nodes (with recurrent neurons)
// into a trainable Sequential at a chosen dt; networkToNir writes a network as a NIR graph, its dt, its
// discretisation and each neuron layer's exact snnkit settings kept in the nodes' metadata.
import { DataError, ValueError } from "../errors.js";
import { Conv1d } from "../nn/conv1d.js";
import { Conv2d } from "../nn/conv2d.js";
import { Delay } from "../nn/delay.js";
import { Linear } from "../nn/linear.js";
import type { Module, TensorEntry } from "../nn/module.js";
import { AvgPool2d } from "../nn/pool.js";
import { Scale } from "../nn/scale.js";
import type { Sequential } from "../nn/sequential.js";
import { LIF } from "../neurons/lif_module.js";
import { Recurrent } from "../neurons/recurrent.js";
import { isCustomSurrogate } from "../neurons/spike_function.js";
import { Synaptic } from "../neurons/synaptic.js";
import { parseWithSchema } from "../io/validate.js";
import type { NirArray, NirGraph, NirNode, NirValue } from "./graph.js";
import { nirParam, shapeOf, valueRange, valuesOf } from "./graph.js";
import { buildNetwork, type LayerSpec, type NetworkSpec, type NeuronSpec, neuronSpecSchema } from "./network_spec.js";
import { flattenGraph, leak, type NirDiscretisation } from "./run.js";

/** Options of nirToNetwork and networkToNir. */
export interface NirNetworkOptions {
  /** The time step (s): NIR stores none. */
  dt: number;
  /** How the neurons' ODEs become steps (default "euler", as snnTorch and NIR's reference import). */
  method?: NirDiscretisation;
  /** The file's name, for errors. */
  file?: string;
}

/** An imported network: the module (its weights the file's), its spec, its output shape, and what the import had to say. */
export interface NirNetwork {
  model: Sequential;
  spec: NetworkSpec;
  outputShape: number[];
  warnings: string[];
}

/** Largest float32: the threshold of a neuron that never fires (a leaky integrator). */
const NEVER = 3.4028234663852886e38;
const NEURON_TYPES = new Set(["I", "IF", "LI", "LIF", "CubaLI", "CubaLIF"]);
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function checkDt(dt: number): void {
  if (!(Number.isFinite(dt) && dt > 0 && dt <= 1e3)) throw new ValueError("dt", "a time step in (0, 1000] seconds", dt);
}

/** A neuron's NIR node from its spec at `dt`: the type and parameters that make NIR's ODE step, under `method`, as the layer steps. */
export function nirNeuron(spec: NeuronSpec, shape: readonly number[], dt: number, method: NirDiscretisation, where: string): NirNode {
  const n = size(shape);
  const fill = (v: number): NirArray => ({ dtype: "float64", shape: [...shape], data: new Float64Array(n).fill(v) });
  /** τ of a decay β per step: dt/(1 − β) (Euler) or −dt/ln β (exact). */
  const tauOf = (beta: number, name: string) => {
    if (!(beta < 1)) throw new ValueError(`${where}: ${name}`, "a decay below 1 (a NIR time constant)", beta);
    if (method === "euler") return dt / (1 - beta);
    if (!(beta > 0)) throw new ValueError(`${where}: ${name}`, "a decay above 0 for the exact discretisation (τ = −dt/ln β; use euler)", beta);
    return -dt / Math.log(beta);
  };
  const spiking = spec.reset !== "none" || spec.output === "spikes";
  const fire: Record<string, NirValue> = spiking ? { v_threshold: fill(spec.threshold), v_reset: fill(0) } : {};
  if (spec.kind === "synaptic") {
    const params: Record<string, NirValue> = {
      tau_syn: fill(tauOf(spec.alpha, "alpha")),
      tau_mem: fill(tauOf(spec.beta, "beta")),
      r: fill(spec.inputGain / (1 - spec.beta)),
      v_leak: fill(0),
      w_in: fill(spec.currentGain / (1 - spec.alpha)),
      ...fire,
    };
    return { type: spiking ? "CubaLIF" : "CubaLI", params, metadata: {} };
  }
  if (spec.beta === 1) return { type: spiking ? "IF" : "I", params: { r: fill(spec.inputGain / dt), ...fire }, metadata: {} };
  const params = { tau: fill(tauOf(spec.beta, "beta")), r: fill(spec.inputGain / (1 - spec.beta)), v_leak: fill(0), ...fire };
  return { type: spiking ? "LIF" : "LI", params, metadata: {} };
}

/** One value of a per-neuron parameter that must be the same for every neuron of the node. */
function uniform(node: NirNode, name: string, at: string, file: string): number {
  const a = nirParam(node, name);
  if (!a) throw new DataError(file, `${at}.${name}: missing`);
  if (a.data.length === 0) throw new DataError(file, `${at}.${name}: empty`);
  const { min: lo, max: hi } = valueRange(a);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new DataError(file, `${at}.${name}: not finite (from ${lo} to ${hi})`);
  if (hi - lo > 1e-9 * Math.max(Math.abs(lo), Math.abs(hi))) throw new DataError(file, `${at}.${name}: per-neuron values from ${lo} to ${hi}; nirToNetwork takes one value per node (runNir runs it as it is)`);
  return Number(a.data[0]);
}

/** The spec of a NIR neuron node at dt, by NIR's semantics (reset to 0 within the step, the input after it kept), and v_leak as a bias R⁻¹·v_leak on the layer before. */
function neuronFromNir(node: NirNode, at: string, dt: number, method: NirDiscretisation, file: string): { spec: NeuronSpec; leakBias: number } {
  const one = (p: string) => uniform(node, p, at, file);
  const t = node.type;
  const spiking = t === "IF" || t === "LIF" || t === "CubaLIF";
  if (spiking && one("v_reset") !== 0) throw new DataError(file, `${at}.v_reset: ${one("v_reset")}; snnkit's neurons reset to 0 (runNir runs other resets)`);
  const threshold = spiking ? one("v_threshold") : NEVER;
  if (!(threshold > 0)) throw new DataError(file, `${at}.v_threshold: ${threshold}; snnkit's thresholds are > 0`);
  const r = one("r");
  const shared = { threshold, reset: spiking ? ("zero" as const) : ("none" as const), output: spiking ? ("spikes" as const) : ("membrane" as const) };
  const decay = (name: string) => {
    const tau = one(name);
    if (!(tau > 0)) throw new DataError(file, `${at}.${name}: ${tau}; a time constant is > 0`);
    if (method === "euler" && tau < dt) throw new DataError(file, `${at}.${name}: ${tau} s is shorter than dt = ${dt} s, where forward Euler oscillates (use a smaller --dt, or --method exact)`);
    return leak(dt, tau, method);
  };
  if (t === "I" || t === "IF") return { spec: { kind: "lif", beta: 1, inputGain: dt * r, refractoryGain: dt * r, ...shared }, leakBias: 0 };
  const vLeak = one("v_leak");
  if (t === "LI" || t === "LIF") {
    const { keep, take } = decay("tau");
    if (vLeak !== 0 && r === 0) throw new DataError(file, `${at}.v_leak: ${vLeak} with r = 0 cannot become an input bias`);
    return { spec: { kind: "lif", beta: keep, inputGain: take * r, refractoryGain: take * r, ...shared }, leakBias: vLeak === 0 ? 0 : vLeak / r };
  }
  if (method !== "euler") throw new DataError(file, `${at}: a ${t} node maps to snnkit's Synaptic layer by forward Euler only (method euler); runNir runs it exactly`);
  if (vLeak !== 0) throw new DataError(file, `${at}.v_leak: ${vLeak}; a ${t} node imports with v_leak = 0 only (runNir runs it)`);
  const syn = decay("tau_syn");
  const mem = decay("tau_mem");
  const wIn = one("w_in");
  return {
    spec: { kind: "synaptic", alpha: syn.keep, currentGain: syn.take * wIn, beta: mem.keep, inputGain: mem.take * r, refractoryGain: mem.take * r, previousCurrent: true, ...shared },
    leakBias: 0,
  };
}

/** Whether two nodes' numeric parameters agree to 1e-6 (a float32 copy of float64 values does). */
function sameParams(a: NirNode, b: NirNode): boolean {
  if (a.type !== b.type) return false;
  return Object.entries(b.params).every(([name, v]) => {
    const mine = nirParam(a, name);
    if (typeof v === "string" || !mine) return false;
    const [x, y] = [valuesOf(mine), valuesOf(v)];
    return x.length === y.length && x.every((xi, i) => Math.abs(xi - y[i]) <= 1e-6 * Math.max(Math.abs(xi), Math.abs(y[i])) + 1e-12);
  });
}

/**
 * A neuron node's spec: the snnkit settings its metadata keeps (`snnkit_neuron`, written by networkToNir)
 * when they give this node's parameters at this dt, so that a network exported by snnkit comes back
 * exactly; else NIR's semantics (neuronFromNir), with a warning where the metadata disagreed.
 */
function neuronSpecOf(node: NirNode, shape: number[], at: string, o: Required<NirNetworkOptions>, warnings: string[]): { spec: NeuronSpec; leakBias: number } {
  const kept = node.metadata.snnkit_neuron;
  if (typeof kept === "string") {
    let spec: NeuronSpec | null = null;
    try {
      spec = parseWithSchema(neuronSpecSchema, JSON.parse(kept), `${o.file}: ${at}.metadata.snnkit_neuron`);
    } catch (e) {
      warnings.push(`${at}: metadata.snnkit_neuron unreadable (${(e as Error).message}); read by NIR's semantics`);
    }
    if (spec) {
      let implied: NirNode | null = null;
      try {
        implied = nirNeuron(spec, shape, o.dt, o.method, at);
      } catch {
        implied = null;
      }
      if (implied && sameParams(node, implied)) return { spec, leakBias: 0 };
      warnings.push(`${at}: its snnkit settings (metadata) do not give these parameters at dt = ${o.dt} s by ${o.method}; read by NIR's semantics`);
    }
  }
  return neuronFromNir(node, at, o.dt, o.method, o.file);
}

/** One integer of a parameter that NIR writes as a scalar or a pair of equal values (stride, padding); `fallback` when absent. */
function square(node: NirNode, name: string, at: string, file: string, fallback: number): number {
  const a = nirParam(node, name);
  const v = a ? valuesOf(a) : [];
  if (v.length === 0) return fallback;
  if (!v.every((x) => x === v[0] && Number.isInteger(x) && x >= 0)) throw new DataError(file, `${at}.${name}: [${v}]; snnkit's layers take one non-negative integer for both sides`);
  return v[0];
}

/** [in, out] from NIR's [out, in]. */
function transposed(w: NirArray): Float32Array {
  const [rows, cols] = w.shape;
  const v = valuesOf(w);
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = v[i * cols + j];
  return out;
}

/** The chain of node names from the graph's one Input node, and each neuron's feedback node (an Affine or Linear from the neuron back to itself). */
function chainOf(graph: NirGraph, file: string): { chain: string[]; feedback: Map<string, string>; nodes: Map<string, NirNode> } {
  const flat = flattenGraph(graph, file);
  const incoming = new Map<string, string[]>();
  const outgoing = new Map<string, string[]>();
  for (const [a, b] of flat.edges) {
    if (!(incoming.get(b) ?? []).includes(a)) incoming.set(b, [...(incoming.get(b) ?? []), a]);
    if (!(outgoing.get(a) ?? []).includes(b)) outgoing.set(a, [...(outgoing.get(a) ?? []), b]);
  }
  const feedback = new Map<string, string>();
  for (const [name, node] of flat.nodes) {
    const [ins, outs] = [incoming.get(name) ?? [], outgoing.get(name) ?? []];
    if ((node.type === "Affine" || node.type === "Linear") && ins.length === 1 && outs.length === 1 && ins[0] === outs[0] && NEURON_TYPES.has(flat.nodes.get(ins[0])!.type)) feedback.set(ins[0], name);
  }
  const inputs = [...flat.nodes].filter(([n, node]) => node.type === "Input" && !incoming.has(n)).map(([n]) => n);
  const any = "a chain of nodes, each feeding the next, with neurons that may have a recurrent Affine or Linear (runNir runs any graph)";
  if (inputs.length !== 1) throw new DataError(file, `nirToNetwork takes ${any}; this graph has ${inputs.length} Input nodes (${inputs.join(", ")})`);
  const chain: string[] = [];
  const seen = new Set<string>();
  for (let cur: string | undefined = inputs[0]; cur !== undefined; ) {
    chain.push(cur);
    seen.add(cur);
    const next: string[] = (outgoing.get(cur) ?? []).filter((n) => n !== feedback.get(cur!));
    if (next.length > 1) throw new DataError(file, `${cur}: feeds ${next.join(", ")}; nirToNetwork takes ${any}`);
    const to = next[0];
    if (to !== undefined) {
      const into = (incoming.get(to) ?? []).filter((s) => s !== feedback.get(to));
      if (into.length > 1) throw new DataError(file, `${to}: takes input from ${into.join(", ")}; nirToNetwork takes ${any}`);
      if (seen.has(to)) throw new DataError(file, `${to}: a cycle that is not a neuron's own recurrent Affine or Linear; nirToNetwork takes ${any}`);
    }
    cur = to;
  }
  const off = [...flat.nodes.keys()].filter((n) => !seen.has(n) && ![...feedback.values()].includes(n));
  if (off.length > 0) throw new DataError(file, `${off.join(", ")}: not on the path from ${inputs[0]}; nirToNetwork takes ${any}`);
  return { chain, feedback, nodes: flat.nodes };
}

/**
 * A trainable snnkit network from a NIR graph, at time step `dt`: Affine/Linear → Linear, Conv1d/Conv2d →
 * Conv1d/Conv2d, Flatten, AvgPool2d (SumPool2d as AvgPool2d and a Scale of k²), Scale, Delay (each
 * unit's delay rounded to whole steps of dt, as runNir rounds it), Threshold → a
 * LIF without leak or reset; LIF, IF, LI, I → LIF layers and CubaLIF, CubaLI → Synaptic layers, each with
 * β = e^{−dt/τ} or 1 − dt/τ and input gain (1 − β)·R (dt·R without leak), reset to 0 within the step,
 * the input after a spike kept; v_leak becomes a bias R⁻¹·v_leak of the layer before. A neuron with an
 * Affine or Linear from its output back to its input becomes a Recurrent layer. Neuron nodes written by
 * networkToNir come back with their exact snnkit settings. DataErrors name the node and the field.
 */
export function nirToNetwork(graph: NirGraph, options: NirNetworkOptions): NirNetwork {
  checkDt(options.dt);
  const o: Required<NirNetworkOptions> = { dt: options.dt, method: options.method ?? "euler", file: options.file ?? "graph" };
  const file = o.file;
  const { chain, feedback, nodes } = chainOf(graph, file);
  const warnings: string[] = [];
  const layers: LayerSpec[] = [];
  const arrays = new Map<number, Record<string, Float32Array>>();
  const f32 = (a: NirArray) => Float32Array.from(valuesOf(a));
  const input = nodes.get(chain[0])!;
  let shape = shapeOf(input.params.shape as NirArray);
  const inputShape = [...shape];
  const exportedAt = graph.metadata.dt;
  if (typeof exportedAt === "object" && valuesOf(exportedAt)[0] !== o.dt) warnings.push(`written at dt = ${valuesOf(exportedAt)[0]} s; imported at dt = ${o.dt} s`);
  for (const name of chain.slice(1)) {
    const node = nodes.get(name)!;
    const param = (p: string) => {
      const a = nirParam(node, p);
      if (!a) throw new DataError(file, `${name}.${p}: missing`);
      return a;
    };
    switch (node.type) {
      case "Input":
        break;
      case "Output":
        if (size(shapeOf(node.params.shape as NirArray)) !== size(shape)) warnings.push(`${name}: shape [${shapeOf(node.params.shape as NirArray)}], the layers before give [${shape}]`);
        break;
      case "Affine":
      case "Linear": {
        const w = param("weight");
        if (w.shape.length !== 2) throw new DataError(file, `${name}.weight: shape [${w.shape}], expected [out, in]`);
        const [rows, cols] = w.shape;
        if (shape.length > 1) {
          layers.push({ kind: "flatten" });
          warnings.push(`${name}: its input is [${shape}]; flattened first`);
        }
        if (size(shape) !== cols) throw new DataError(file, `${name}.weight: [${w.shape}] takes ${cols} inputs; the layer before gives ${size(shape)}`);
        const bias = node.type === "Affine" ? f32(param("bias")) : null;
        if (bias && bias.length !== rows) throw new DataError(file, `${name}.bias: ${bias.length} values for ${rows} outputs`);
        layers.push({ kind: "linear", in: cols, out: rows, bias: bias !== null });
        arrays.set(layers.length - 1, { weight: transposed(w), ...(bias ? { bias } : {}) });
        shape = [rows];
        break;
      }
      case "Conv1d":
      case "Conv2d": {
        const w = param("weight");
        const two = node.type === "Conv2d";
        if (w.shape.length !== (two ? 4 : 3)) throw new DataError(file, `${name}.weight: shape [${w.shape}], expected [out, in, ${two ? "kh, kw" : "k"}]`);
        if (two && w.shape[2] !== w.shape[3]) throw new DataError(file, `${name}.weight: a ${w.shape[2]}×${w.shape[3]} kernel; snnkit's Conv2d is square`);
        if (square(node, "groups", name, file, 1) !== 1) throw new DataError(file, `${name}.groups: snnkit's convolutions have one group`);
        if (square(node, "dilation", name, file, 1) !== 1) throw new DataError(file, `${name}.dilation: snnkit's convolutions have dilation 1`);
        const [OC, C, K] = w.shape;
        const pad = node.params.padding;
        const padding = pad === "same" ? (K - 1) / 2 : pad === "valid" ? 0 : square(node, "padding", name, file, 0);
        if (!Number.isInteger(padding)) throw new DataError(file, `${name}.padding: "same" with an even kernel (${K}) pads unevenly; snnkit pads evenly`);
        const stride = Math.max(1, square(node, "stride", name, file, 1));
        if (shape.length !== (two ? 3 : 2) || shape[0] !== C) throw new DataError(file, `${name}: takes [${C}, ${two ? "H, W" : "L"}]; the layer before gives [${shape}]`);
        const out = (n: number) => Math.floor((n + 2 * padding - K) / stride) + 1;
        if (shape.slice(1).some((n) => out(n) < 1)) throw new DataError(file, `${name}: the kernel does not fit its input [${shape}]`);
        const bias = nirParam(node, "bias");
        const b = bias && valuesOf(bias).length === OC ? f32(bias) : null;
        layers.push({ kind: two ? "conv2d" : "conv1d", in: C, out: OC, kernel: K, stride, padding, bias: b !== null });
        arrays.set(layers.length - 1, { weight: f32(w), ...(b ? { bias: b } : {}) });
        shape = [OC, ...shape.slice(1).map(out)];
        break;
      }
      case "Flatten": {
        const [start, end] = [square(node, "start_dim", name, file, 0), valuesOf(param("end_dim"))[0]];
        if (start !== 0 || !(end === -1 || end === shape.length - 1)) throw new DataError(file, `${name}: flattens dimensions ${start}..${end} of [${shape}]; snnkit flattens them all (0..-1)`);
        layers.push({ kind: "flatten" });
        shape = [size(shape)];
        break;
      }
      case "AvgPool2d":
      case "SumPool2d": {
        const k = square(node, "kernel_size", name, file, 1);
        const stride = square(node, "stride", name, file, k) || k;
        if (square(node, "padding", name, file, 0) !== 0) throw new DataError(file, `${name}.padding: snnkit's pooling does not pad`);
        if (shape.length !== 3) throw new DataError(file, `${name}: takes [C, H, W]; the layer before gives [${shape}]`);
        layers.push({ kind: "avgpool2d", kernel: k, stride });
        shape = [shape[0], ...shape.slice(1).map((n) => Math.floor((n - k) / stride) + 1)];
        if (node.type === "SumPool2d") layers.push({ kind: "scale", shape: [], factors: [k * k] });
        break;
      }
      case "Scale": {
        const s = valuesOf(param("scale"));
        if (s.length !== 1 && s.length !== size(shape)) throw new DataError(file, `${name}.scale: ${s.length} values for an input of [${shape}]`);
        layers.push({ kind: "scale", shape: s.length === 1 ? [] : [...shape], factors: s });
        break;
      }
      case "Delay": {
        const seconds = valuesOf(param("delay"));
        if (seconds.length !== size(shape)) throw new DataError(file, `${name}.delay: ${seconds.length} delays for an input of [${shape}]`);
        const steps = seconds.map((d) => Math.round(d / o.dt));
        const bad = steps.findIndex((d) => !(d >= 0 && d <= 1_000_000));
        if (bad >= 0) throw new DataError(file, `${name}.delay[${bad}]: ${seconds[bad]} s is not a delay of 0 to 1000000 steps of ${o.dt} s`);
        layers.push({ kind: "delay", shape: [...shape], steps });
        break;
      }
      case "Threshold": {
        const theta = uniform(node, "threshold", name, file);
        if (!(theta > 0)) throw new DataError(file, `${name}.threshold: ${theta}; snnkit's thresholds are > 0`);
        layers.push({ kind: "lif", beta: 0, threshold: theta, reset: "none", inputGain: 1, refractoryGain: 0, output: "spikes" });
        break;
      }
      default: {
        if (!NEURON_TYPES.has(node.type)) throw new DataError(file, `${name}: a ${node.type} node, which nirToNetwork has no layer for (runNir runs it)`);
        const { spec, leakBias } = neuronSpecOf(node, shape, name, o, warnings);
        if (leakBias !== 0) {
          const before = layers.length - 1;
          const prev = layers[before];
          if (!prev || (prev.kind !== "linear" && prev.kind !== "conv1d" && prev.kind !== "conv2d")) throw new DataError(file, `${name}.v_leak: ${leakBias * uniform(node, "r", name, file)}; nirToNetwork makes it a bias of a Linear or convolution right before the neurons, and there is none`);
          const a = arrays.get(before)!;
          a.bias = (a.bias ?? new Float32Array(prev.out)).map((v) => v + leakBias);
          prev.bias = true;
        }
        const fb = feedback.get(name);
        if (!fb) {
          layers.push(spec);
          break;
        }
        const fbNode = nodes.get(fb)!;
        const w = nirParam(fbNode, "weight");
        const n = size(shape);
        if (!w) throw new DataError(file, `${fb}.weight: missing`);
        if (shape.length !== 1 || w.shape.join(",") !== `${n},${n}`) throw new DataError(file, `${fb}.weight: shape [${w.shape}]; a recurrent connection of ${name} ([${shape}]) is [${n}, ${n}]`);
        const bias = fbNode.type === "Affine" ? nirParam(fbNode, "bias") : undefined;
        layers.push({ kind: "recurrent", size: n, bias: bias !== undefined, cell: spec });
        arrays.set(layers.length - 1, { "feedback.weight": transposed(w), ...(bias ? { "feedback.bias": f32(bias) } : {}) });
      }
    }
  }
  const spec: NetworkSpec = { input: inputShape, layers };
  const model = buildNetwork(spec);
  const state: Record<string, TensorEntry> = model.stateDict();
  for (const [index, named] of arrays)
    for (const [key, data] of Object.entries(named)) {
      const entry = state[`${index}.${key}`];
      if (!entry || entry.data.length !== data.length) throw new DataError(file, `layer ${index} (${layers[index].kind}): ${key} of ${data.length} values, the layer has ${entry?.data.length ?? 0}`);
      state[`${index}.${key}`] = { shape: entry.shape, data };
    }
  model.loadStateDict(state);
  return { model, spec, outputShape: shape, warnings };
}

/**
 * An imported network fitted to inputs of `inputShape` (e.g. images [1, 28, 28]): its layers with a Flatten
 * first where its Input takes the same values flat, and its weights named for those layers. A DataError
 * names `file` where the Input takes another number of values or another shape (`what`: the inputs, as the
 * message names them).
 */
export function networkForInput(net: NirNetwork, inputShape: readonly number[], file: string, what = "the inputs"): { spec: NetworkSpec; weights: Record<string, TensorEntry> } {
  const input = net.spec.input;
  if (size(input) !== size(inputShape)) throw new DataError(file, `its Input takes [${input}]; ${what} are [${inputShape}]`);
  const flat = input.length === 1 && inputShape.length > 1;
  if (!flat && input.join(",") !== inputShape.join(",")) throw new DataError(file, `its Input takes [${input}]; ${what} are [${inputShape}] (give the Input their shape, or flat)`);
  const weights = Object.fromEntries(Object.entries(net.model.stateDict()).map(([name, e]) => [flat ? name.replace(/^(\d+)/, (k) => String(Number(k) + 1)) : name, e]));
  return { spec: { input: [...inputShape], layers: flat ? [{ kind: "flatten" }, ...net.spec.layers] : net.spec.layers }, weights };
}

const i64 = (values: readonly number[], shape: number[] = [values.length]): NirArray => ({ dtype: "int64", shape, data: BigInt64Array.from(values.map((v) => BigInt(v))) });
/** An int64 setting stored plain, as NIR's writer stores a convolution's (it compresses arrays, not tuples). */
const plain = (values: readonly number[], shape: number[] = [values.length]): NirArray => ({ ...i64(values, shape), compressed: false });
const f32Of = (data: Float32Array, shape: readonly number[]): NirArray => ({ dtype: "float32", shape: [...shape], data: Float32Array.from(data) });

/** A neuron layer's spec (the exact settings it steps with); errors say why a layer has none. */
function neuronSpecOfLayer(layer: LIF | Synaptic, where: string): NeuronSpec {
  const lif = layer instanceof Synaptic ? layer.membraneLayer : layer;
  if (lif.noiseSource) throw new ValueError(where, "a deterministic neuron layer (NIR has no noise)", "noisy neurons");
  if (lif.betaParam || lif.thresholdParam) throw new ValueError(where, "fixed β and θ (learned ones are not exported yet)", "a learned β or θ");
  if (lif.convention !== "snnkit") throw new ValueError(where, "a neuron of snnkit's convention", `the ${lif.convention} convention`);
  const p = lif.params;
  const surrogate = isCustomSurrogate(p.surrogate) ? undefined : { name: p.surrogate.name, ...(p.surrogate.param !== undefined ? { param: p.surrogate.param } : {}) };
  const base = { beta: p.beta, threshold: p.threshold, reset: p.reset, inputGain: p.inputGain, refractoryGain: p.refractoryGain, ...(p.h0 !== 0 ? { h0: p.h0 } : {}), ...(surrogate ? { surrogate } : {}), output: layer.output };
  if (layer instanceof Synaptic) return { kind: "synaptic", ...base, alpha: layer.alpha, currentGain: layer.currentGain, previousCurrent: layer.previousCurrent };
  return { kind: "lif", ...base };
}

/** A neuron layer's node with its snnkit settings, dt, discretisation and reset in the metadata. */
function neuronNode(layer: LIF | Synaptic, shape: readonly number[], o: Required<NirNetworkOptions>, where: string): NirNode {
  const spec = neuronSpecOfLayer(layer, where);
  const node = nirNeuron(spec, shape, o.dt, o.method, where);
  node.metadata = {
    snnkit_neuron: JSON.stringify(spec),
    dt: { dtype: "float64", shape: [], data: Float64Array.of(o.dt) },
    discretisation: o.method,
    reset: spec.reset,
    reset_timing: "snnkit: the subtract or zero reset acts on the step after the spike (m[t] = β·m[t−1] + g·I[t] − θ·s[t−1]); NIR resets within the step",
  };
  return node;
}

/**
 * A network as a NIR graph (Input, the layers in order as nodes "0", "1", …, Output) at time step `dt`:
 * Linear → Affine (Linear without bias), Conv1d, Conv2d, Flatten, AvgPool2d, Scale, Delay; LIF/IF/CoarseLIF →
 * LIF or IF (LI or I when they neither reset nor spike) with τ = dt/(1 − β) (Euler) or −dt/ln β (exact)
 * and R = g/(1 − β) (g/dt without leak); Synaptic → CubaLIF; Recurrent → a subgraph of the neurons and
 * their feedback Affine. Each neuron node's metadata keeps its exact snnkit settings, dt, the
 * discretisation and the reset mode. A layer NIR cannot express (MaxPool2d, noisy neurons, …) is a
 * ValueError naming it. `inputShape`: the features of one input (without time and batch).
 */
export function networkToNir(model: Sequential, options: NirNetworkOptions & { inputShape: readonly number[] }): NirGraph {
  checkDt(options.dt);
  const o: Required<NirNetworkOptions> = { dt: options.dt, method: options.method ?? "euler", file: options.file ?? "network" };
  let shape = [...options.inputShape];
  const nodes: NirGraph["nodes"] = { input: { type: "Input", params: { shape: i64(shape) }, metadata: {} } };
  const edges: [string, string][] = [];
  let previous = "input";
  model.layers.forEach((layer: Module, i) => {
    const where = `layer ${i} (${layer.kind})`;
    const name = String(i);
    let node: NirNode | NirGraph;
    if (layer instanceof Linear) {
      const w = layer.weight.dataFloat32();
      const weight = new Float32Array(w.length);
      const [inF, outF] = [layer.inFeatures, layer.outFeatures];
      for (let a = 0; a < inF; a++) for (let b = 0; b < outF; b++) weight[b * inF + a] = w[a * outF + b];
      const params: Record<string, NirValue> = { weight: f32Of(weight, [outF, inF]) };
      if (layer.bias) params.bias = f32Of(layer.bias.dataFloat32(), [outF]);
      node = { type: layer.bias ? "Affine" : "Linear", params, metadata: {} };
      shape = [outF];
    } else if (layer instanceof Conv2d || layer instanceof Conv1d) {
      const two = layer instanceof Conv2d;
      const K = layer.kernelSize;
      const bias = layer.bias ? layer.bias.dataFloat32() : new Float32Array(layer.outChannels);
      const out = (n: number) => Math.floor((n + 2 * layer.padding - K) / layer.stride) + 1;
      const pair = (v: number) => (two ? plain([v, v]) : plain([v], []));
      node = {
        type: two ? "Conv2d" : "Conv1d",
        params: {
          weight: f32Of(layer.weight.dataFloat32(), layer.weight.shape),
          bias: f32Of(bias, [layer.outChannels]),
          stride: pair(layer.stride),
          padding: pair(layer.padding),
          dilation: pair(1),
          groups: plain([1], []),
          input_shape: two ? plain(shape.slice(1)) : plain([shape[1]], []),
        },
        metadata: {},
      };
      shape = [layer.outChannels, ...shape.slice(1).map(out)];
    } else if (layer.kind === "Flatten") {
      node = { type: "Flatten", params: { start_dim: i64([0], []), end_dim: i64([-1], []), input_type: i64(shape) }, metadata: {} };
      shape = [size(shape)];
    } else if (layer instanceof AvgPool2d) {
      const k = layer.kernelSize;
      node = { type: "AvgPool2d", params: { kernel_size: i64([k, k]), stride: i64([layer.stride, layer.stride]), padding: i64([0, 0]) }, metadata: {} };
      shape = [shape[0], ...shape.slice(1).map((n) => Math.floor((n - k) / layer.stride) + 1)];
    } else if (layer instanceof Scale) {
      const f = layer.factors.dataFloat32();
      const full = f.length === 1 ? new Float32Array(size(shape)).fill(f[0]) : f;
      node = { type: "Scale", params: { scale: f32Of(full, shape) }, metadata: {} };
    } else if (layer instanceof Delay) {
      node = { type: "Delay", params: { delay: { dtype: "float64", shape: [...layer.shape], data: Float64Array.from(layer.steps, (d) => d * o.dt) } }, metadata: {} };
    } else if (layer instanceof LIF || layer instanceof Synaptic) {
      node = neuronNode(layer, shape, o, where);
    } else if (layer instanceof Recurrent) {
      if (!(layer.cell instanceof LIF || layer.cell instanceof Synaptic)) throw new ValueError(where, "a recurrent LIF or Synaptic layer", `a recurrent ${layer.cell.kind}`);
      const fb = layer.feedback;
      const n = fb.inFeatures;
      const w = fb.weight.dataFloat32();
      const weight = new Float32Array(n * n);
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) weight[b * n + a] = w[a * n + b];
      const feedback: NirNode = { type: fb.bias ? "Affine" : "Linear", params: { weight: f32Of(weight, [n, n]), ...(fb.bias ? { bias: f32Of(fb.bias.dataFloat32(), [n]) } : {}) }, metadata: {} };
      const io = (type: string): NirNode => ({ type, params: { shape: i64([n]) }, metadata: {} });
      const cell = layer.cell;
      cell.output = layer.output;
      node = {
        type: "NIRGraph",
        nodes: { input: io("Input"), cell: neuronNode(cell, [n], o, where), feedback, output: io("Output") },
        edges: [["input", "cell"], ["cell", "feedback"], ["feedback", "cell"], ["cell", "output"]],
        params: {},
        metadata: {},
      };
    } else {
      throw new ValueError(where, "a layer NIR can express (Linear, Conv1d, Conv2d, Flatten, AvgPool2d, Scale, Delay, LIF, IF, CoarseLIF, Synaptic, Recurrent)", layer.kind === "MaxPool2d" ? "MaxPool2d (NIR pools by sum or average only)" : layer.kind);
    }
    nodes[name] = node;
    edges.push([previous, name]);
    previous = name;
  });
  nodes.output = { type: "Output", params: { shape: i64(shape) }, metadata: {} };
  edges.push([previous, "output"]);
  const metadata: Record<string, NirValue> = { dt: { dtype: "float64", shape: [], data: Float64Array.of(o.dt) }, discretisation: o.method, written_by: "snnkit" };
  return { type: "NIRGraph", nodes, edges, params: {}, metadata };
}
