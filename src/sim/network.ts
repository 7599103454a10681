// Network files: a JSON description of LIF neurons, synapses, input trains and Poisson sources, validated.
import { DataError, LimitError } from "../errors.js";

/** Most neurons a simulator accepts: each neuron holds about ten numbers of state and a spike list. */
export const MAX_NEURONS = 10_000_000;

/** Reset after a spike in the network simulator. */
export type NetworkReset = "subtract" | "zero" | "mod";

/** A validated network (times in seconds). */
export interface NetworkSpec {
  neurons: {
    count: number;
    /** Membrane time constant τ (s); Infinity (or omitted leak) for no leak. */
    tau: number;
    threshold: number;
    reset: NetworkReset;
    /** Absolute refractory period (s): the membrane is held at its reset value and inputs are ignored. */
    refractory: number;
    /** Constant input current I (threshold units per second): dv/dt = −v/τ + I. */
    bias: number;
    /** Initial membrane potentials (default 0). */
    v0?: number[];
  };
  synapses: { pre: number[]; post: number[]; weight: number[]; delay: number[] };
  inputs: { neuron: number; times: number[]; weights: number[] }[];
  poisson: { neurons: number[]; rate: number; weight: number; sources: number }[];
}

/** Throws a LimitError when the network has more than MAX_NEURONS neurons (checked before any allocation). */
export function checkNetworkSize(net: NetworkSpec): void {
  const n = net.neurons.count;
  if (!(Number.isInteger(n) && n >= 1 && n <= MAX_NEURONS))
    throw new LimitError("neurons.count", `expected an integer in [1, ${MAX_NEURONS}], got ${n}`);
}

function fail(file: string, where: string, problem: string): never {
  throw new DataError(file, `${where}: ${problem}`);
}

function num(file: string, where: string, v: unknown, ok: (n: number) => boolean, expected: string): number {
  if (typeof v !== "number" || !Number.isFinite(v) || !ok(v)) fail(file, where, `expected ${expected}, got ${JSON.stringify(v)}`);
  return v;
}

function numArray(file: string, where: string, v: unknown, ok: (n: number) => boolean, expected: string, length?: number): number[] {
  if (!Array.isArray(v)) fail(file, where, "expected an array");
  if (length !== undefined && v.length !== length) fail(file, where, `expected ${length} entries, got ${v.length}`);
  return v.map((x, i) => num(file, `${where}[${i}]`, x, ok, expected));
}

/**
 * Validates a parsed network file (schema in the README): neurons {count, tau?, threshold, reset?,
 * refractory?, bias?, v0?}, synapses {pre, post, weight, delay?}, inputs [{neuron, times, weights?}],
 * poisson [{neurons | "all", rate, weight, sources?}]. Errors name the file and the field.
 */
export function parseNetwork(json: unknown, file = "network"): NetworkSpec {
  if (typeof json !== "object" || json === null) fail(file, "root", "expected a JSON object");
  const o = json as Record<string, unknown>;
  const n = (o.neurons ?? fail(file, "neurons", "missing")) as Record<string, unknown>;
  const count = num(file, "neurons.count", n.count, (x) => Number.isInteger(x) && x >= 1, "a positive integer");
  const isNeuron = (x: number) => Number.isInteger(x) && x >= 0 && x < count;
  const reset = (n.reset ?? "zero") as string;
  if (!["subtract", "zero", "mod"].includes(reset)) fail(file, "neurons.reset", `expected "subtract", "zero" or "mod", got ${JSON.stringify(reset)}`);
  const neurons: NetworkSpec["neurons"] = {
    count,
    tau: n.tau === undefined || n.tau === null ? Infinity : num(file, "neurons.tau", n.tau, (x) => x > 0, "a number > 0"),
    threshold: num(file, "neurons.threshold", n.threshold, (x) => x > 0, "a number > 0"),
    reset: reset as NetworkReset,
    refractory: n.refractory === undefined ? 0 : num(file, "neurons.refractory", n.refractory, (x) => x >= 0, "a number >= 0"),
    bias: n.bias === undefined ? 0 : num(file, "neurons.bias", n.bias, () => true, "a finite number"),
    v0: n.v0 === undefined ? undefined : numArray(file, "neurons.v0", n.v0, () => true, "a finite number", count),
  };
  const s = (o.synapses ?? { pre: [], post: [], weight: [] }) as Record<string, unknown>;
  const pre = numArray(file, "synapses.pre", s.pre, isNeuron, `a neuron index in [0, ${count})`);
  const synapses = {
    pre,
    post: numArray(file, "synapses.post", s.post, isNeuron, `a neuron index in [0, ${count})`, pre.length),
    weight: numArray(file, "synapses.weight", s.weight, () => true, "a finite number", pre.length),
    delay: s.delay === undefined ? new Array(pre.length).fill(0) : numArray(file, "synapses.delay", s.delay, (x) => x >= 0, "a delay >= 0", pre.length),
  };
  const inputs = ((o.inputs ?? []) as unknown[]).map((raw, k) => {
    const e = raw as Record<string, unknown>;
    const times = numArray(file, `inputs[${k}].times`, e.times, (x) => x >= 0, "a time >= 0");
    times.forEach((t, i) => {
      if (i > 0 && !(t > times[i - 1])) fail(file, `inputs[${k}].times[${i}]`, `times must be strictly increasing (${times[i - 1]} then ${t})`);
    });
    return {
      neuron: num(file, `inputs[${k}].neuron`, e.neuron, isNeuron, `a neuron index in [0, ${count})`),
      times,
      weights: e.weights === undefined ? new Array(times.length).fill(1) : numArray(file, `inputs[${k}].weights`, e.weights, () => true, "a finite number", times.length),
    };
  });
  const poisson = ((o.poisson ?? []) as unknown[]).map((raw, k) => {
    const e = raw as Record<string, unknown>;
    return {
      neurons: e.neurons === "all" ? Array.from({ length: count }, (_, i) => i) : numArray(file, `poisson[${k}].neurons`, e.neurons, isNeuron, `a neuron index in [0, ${count})`),
      rate: num(file, `poisson[${k}].rate`, e.rate, (x) => x >= 0, "a rate >= 0 (Hz)"),
      weight: num(file, `poisson[${k}].weight`, e.weight, () => true, "a finite number"),
      sources: e.sources === undefined ? 1 : num(file, `poisson[${k}].sources`, e.sources, (x) => Number.isInteger(x) && x >= 1, "a positive integer"),
    };
  });
  return { neurons, synapses, inputs, poisson };
}
