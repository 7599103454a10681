// Network files: a JSON description of LIF neurons, synapses, input trains and Poisson sources, validated.
import { z } from "zod";
import { DataError, LimitError } from "../errors.js";
import { finiteNumber as num, parseWithSchema, show } from "../io/validate.js";
import { PAIR_STDP, type StdpRule, TRIPLET_STDP } from "./stdp.js";
import type { NetworkStdp } from "./stdp_network.js";

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
  /** STDP of the synapses (docs/stdp.md), when the file declares it. */
  plasticity?: NetworkStdp;
}

/** Expected number of Poisson input events over `duration`: Σ rate · sources · targets · duration. */
export function poissonEvents(net: NetworkSpec, duration: number): number {
  return net.poisson.reduce((sum, p) => sum + p.rate * p.sources * p.neurons.length, 0) * duration;
}

/** Throws a LimitError when the network has more than MAX_NEURONS neurons (checked before any allocation). */
export function checkNetworkSize(net: NetworkSpec): void {
  const n = net.neurons.count;
  if (!(Number.isInteger(n) && n >= 1 && n <= MAX_NEURONS))
    throw new LimitError("neurons.count", `expected an integer in [1, ${MAX_NEURONS}], got ${n}`);
}

/** An array of such numbers, checked in one loop (network files hold millions); the issue names the index. */
const numbers = (expected: string, ok: (n: number) => boolean = () => true) =>
  z
    .unknown()
    .superRefine((v, ctx) => {
      if (!Array.isArray(v)) {
        ctx.addIssue({ code: "custom", message: `expected an array, got ${show(v)}` });
        return;
      }
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (typeof x !== "number" || !Number.isFinite(x) || !ok(x)) {
          ctx.addIssue({ code: "custom", path: [i], message: `expected ${expected}, got ${show(x)}` });
          return;
        }
      }
    })
    .transform((v) => v as number[]);

/** Message for a value of the wrong type (other issues, such as unknown keys, keep zod's own). */
const wrongType = (expected: string) => (issue: { code?: string; input?: unknown }) =>
  issue.code === "invalid_type" ? (issue.input === undefined ? "missing" : `expected ${expected}, got ${show(issue.input)}`) : undefined;

const optional = <T extends z.ZodType>(schema: T) => schema.optional().nullable();

/** The plasticity fields of a network file, and the StdpRule field each sets. */
const RULE_FIELDS = {
  a_plus: "aPlus",
  a_minus: "aMinus",
  tau_plus: "tauPlus",
  tau_minus: "tauMinus",
  a3_plus: "a3Plus",
  a3_minus: "a3Minus",
  tau_x: "tauX",
  tau_y: "tauY",
  w_min: "wMin",
  w_max: "wMax",
  update: "update",
  interaction: "interaction",
} as const satisfies Record<string, keyof StdpRule>;

/** The file format before cross-field checks (indices against the count, lengths, order). */
const networkFile = z.strictObject(
  {
    neurons: z.strictObject(
      {
        count: num(`an integer in [1, ${MAX_NEURONS}]`, (x) => Number.isInteger(x) && x >= 1 && x <= MAX_NEURONS),
        tau: optional(num("a number > 0 (s), or null for no leak", (x) => x > 0)),
        threshold: num("a number > 0", (x) => x > 0),
        reset: z.enum(["subtract", "zero", "mod"], { error: (issue) => `expected "subtract", "zero" or "mod", got ${show(issue.input)}` }).optional(),
        refractory: num("a number >= 0 (s)", (x) => x >= 0).optional(),
        bias: num("a finite number").optional(),
        v0: numbers("a finite number").optional(),
      },
      { error: wrongType("an object") },
    ),
    synapses: z
      .strictObject(
        { pre: numbers("a neuron index"), post: numbers("a neuron index"), weight: numbers("a finite number"), delay: numbers("a delay >= 0 (s)", (x) => x >= 0).optional() },
        { error: wrongType("an object {pre, post, weight, delay?}") },
      )
      .optional(),
    inputs: z
      .array(
        z.strictObject(
          { neuron: num("a neuron index"), times: numbers("a time >= 0 (s)", (x) => x >= 0), weights: numbers("a finite number").optional() },
          { error: wrongType("an object {neuron, times, weights?}") },
        ),
        { error: (issue) => `expected an array of inputs, got ${show(issue.input)}` },
      )
      .optional(),
    poisson: z
      .array(
        z.strictObject(
          {
            neurons: z.union([z.literal("all"), numbers("a neuron index")], { error: (issue) => `expected "all" or an array of neuron indices, got ${show(issue.input)}` }),
            rate: num("a rate >= 0 (Hz)", (x) => x >= 0),
            weight: num("a finite number"),
            sources: num("a positive integer", (x) => Number.isInteger(x) && x >= 1).optional(),
          },
          { error: wrongType("an object {neurons, rate, weight, sources?}") },
        ),
        { error: (issue) => `expected an array of Poisson sources, got ${show(issue.input)}` },
      )
      .optional(),
    plasticity: z
      .strictObject(
        {
          rule: z.enum(["pair", "triplet"], { error: (issue) => `expected "pair" or "triplet", got ${show(issue.input)}` }),
          synapses: z.union([z.literal("all"), numbers("a synapse index")], { error: (issue) => `expected "all" or an array of synapse indices, got ${show(issue.input)}` }).optional(),
          a_plus: num("a number >= 0", (x) => x >= 0).optional(),
          a_minus: num("a number >= 0", (x) => x >= 0).optional(),
          tau_plus: num("a time > 0 (s)", (x) => x > 0).optional(),
          tau_minus: num("a time > 0 (s)", (x) => x > 0).optional(),
          a3_plus: num("a number >= 0", (x) => x >= 0).optional(),
          a3_minus: num("a number >= 0", (x) => x >= 0).optional(),
          tau_x: num("a time > 0 (s)", (x) => x > 0).optional(),
          tau_y: num("a time > 0 (s)", (x) => x > 0).optional(),
          w_min: num("a finite number").optional(),
          w_max: num("a finite number").optional(),
          update: z.enum(["additive", "multiplicative"], { error: (issue) => `expected "additive" or "multiplicative", got ${show(issue.input)}` }).optional(),
          interaction: z.enum(["all", "nearest"], { error: (issue) => `expected "all" or "nearest", got ${show(issue.input)}` }).optional(),
        },
        { error: wrongType("an object {rule, synapses?, a_plus?, …}") },
      )
      .optional(),
  },
  { error: wrongType("a JSON object") },
);

/**
 * Validates a parsed network file (its format: docs/simulation.md): neurons {count, tau?, threshold, reset?,
 * refractory?, bias?, v0?}, synapses {pre, post, weight, delay?}, inputs [{neuron, times, weights?}],
 * poisson [{neurons | "all", rate, weight, sources?}], plasticity {rule, synapses?, a_plus?, …} (docs/stdp.md).
 * Unknown fields are rejected. Errors are DataErrors
 * naming the file and the path of the field (e.g. `synapses.post[3]`).
 */
export function parseNetwork(json: unknown, file = "network"): NetworkSpec {
  const f = parseWithSchema(networkFile, json, file);
  const n = f.neurons;
  const count = n.count;
  const fail = (where: string, problem: string): never => {
    throw new DataError(file, `${where}: ${problem}`);
  };
  const index = (where: string, x: number) => {
    if (!(Number.isInteger(x) && x >= 0 && x < count)) fail(where, `expected a neuron index in [0, ${count}), got ${x}`);
  };
  const indices = (where: string, list: number[]) => list.forEach((x, i) => index(`${where}[${i}]`, x));
  const sameLength = (where: string, list: unknown[] | undefined, length: number) => {
    if (list && list.length !== length) fail(where, `expected ${length} entries, got ${list.length}`);
  };
  sameLength("neurons.v0", n.v0, count);
  const s = f.synapses ?? { pre: [], post: [], weight: [] };
  indices("synapses.pre", s.pre);
  sameLength("synapses.post", s.post, s.pre.length);
  indices("synapses.post", s.post);
  sameLength("synapses.weight", s.weight, s.pre.length);
  sameLength("synapses.delay", s.delay, s.pre.length);
  const inputs = (f.inputs ?? []).map((e, k) => {
    index(`inputs[${k}].neuron`, e.neuron);
    e.times.forEach((t, i) => {
      if (i > 0 && !(t > e.times[i - 1])) fail(`inputs[${k}].times[${i}]`, `times must be strictly increasing (${e.times[i - 1]} then ${t})`);
    });
    sameLength(`inputs[${k}].weights`, e.weights, e.times.length);
    return { neuron: e.neuron, times: e.times, weights: e.weights ?? new Array<number>(e.times.length).fill(1) };
  });
  const poisson = (f.poisson ?? []).map((e, k) => {
    if (e.neurons !== "all") indices(`poisson[${k}].neurons`, e.neurons);
    return {
      neurons: e.neurons === "all" ? Array.from({ length: count }, (_, i) => i) : e.neurons,
      rate: e.rate,
      weight: e.weight,
      sources: e.sources ?? 1,
    };
  });
  let plasticity: NetworkStdp | undefined;
  if (f.plasticity) {
    const p = f.plasticity;
    const base = p.rule === "pair" ? PAIR_STDP : TRIPLET_STDP;
    const rule: StdpRule = { ...base };
    const given = p as Record<string, unknown>;
    for (const [field, key] of Object.entries(RULE_FIELDS)) if (given[field] !== undefined) (rule as unknown as Record<string, unknown>)[key] = given[field];
    if (!(rule.wMin < rule.wMax)) fail("plasticity.w_max", `expected a number above w_min (${rule.wMin}), got ${rule.wMax}`);
    const plastic = p.synapses === undefined || p.synapses === "all" ? undefined : p.synapses;
    plastic?.forEach((x, i) => {
      if (!(Number.isInteger(x) && x >= 0 && x < s.pre.length)) fail(`plasticity.synapses[${i}]`, `expected a synapse index in [0, ${s.pre.length}), got ${x}`);
    });
    for (const k of plastic ?? s.pre.keys())
      if (!(s.weight[k] >= rule.wMin && s.weight[k] <= rule.wMax)) fail(`synapses.weight[${k}]`, `a plastic synapse's weight must lie in [w_min, w_max] = [${rule.wMin}, ${rule.wMax}], got ${s.weight[k]}`);
    plasticity = { rule, synapses: plastic };
  }
  return {
    neurons: {
      count,
      tau: n.tau ?? Infinity,
      threshold: n.threshold,
      reset: n.reset ?? "zero",
      refractory: n.refractory ?? 0,
      bias: n.bias ?? 0,
      v0: n.v0,
    },
    synapses: { pre: s.pre, post: s.post, weight: s.weight, delay: s.delay ?? new Array<number>(s.pre.length).fill(0) },
    inputs,
    poisson,
    ...(plasticity ? { plasticity } : {}),
  };
}
