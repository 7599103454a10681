// `snnkit nir run FILE --input FILE --dt S`: a NIR graph driven by values per step from a JSON or CSV file,
// its outputs per step.
import { z } from "zod";
import { DataError } from "../../errors.js";
import { choice, finiteNumber as number, integerIn as integer } from "../../io/validate.js";
import { parseNpy } from "../../io/image_files.js";
import { type NirArray, shapeOf } from "../../nir/graph.js";
import { readNir } from "../../nir/hdf5.js";
import { NIR_DISCRETISATIONS, type NirRunOutputs, runNir } from "../../nir/run.js";
import { type Job, schemaSettings } from "../run/job.js";

const runSchema = z.strictObject({
  file: z.string().min(1).describe("the NIR file (HDF5)"),
  input: z
    .string()
    .min(1)
    .describe('values per step: JSON (a list of steps, each a list of numbers, or {"<input node>": steps}), CSV (a row per step), NPY ([steps, ...the input\'s shape]), or spike trains as JSON {"spike_times": [[t, ...] per input unit, in seconds]}'),
  dt: number("a number in (0, 1]", (x) => x > 0 && x <= 1).describe("time step in seconds: NIR stores none (snnTorch, SpikingJelly and Lava use 1e-4)"),
  steps: integer(1, 10_000_000).describe("steps to run (default: the input's)").optional(),
  method: choice(NIR_DISCRETISATIONS).describe("euler: forward Euler, as most libraries import NIR; exact: the neuron ODEs solved over each step"),
});
/** What `snnkit nir run` runs. */
export type NirRunConfig = z.output<typeof runSchema>;

/** The outputs of a run with the settings that produced them. */
export interface NirRunResult {
  dt: number;
  method: NirRunConfig["method"];
  steps: number;
  outputs: Record<string, number[][]>;
}

/**
 * Spike trains as steps of dt: unit i's value at step k is the number of its spikes in [k·dt, (k+1)·dt).
 * Each train sorted, finite and ≥ 0; DataErrors name the unit and the spike.
 */
function binSpikeTrains(value: unknown, units: number, dt: number, steps: number | undefined, file: string): Float64Array[] {
  if (!Array.isArray(value) || value.length !== units) throw new DataError(file, `spike_times: expected a list of ${units} spike trains (one per input unit)`);
  const trains = value.map((train, u) => {
    if (!Array.isArray(train)) throw new DataError(file, `spike_times[${u}]: expected a list of spike times in seconds`);
    train.forEach((t, j) => {
      if (typeof t !== "number" || !Number.isFinite(t) || t < 0) throw new DataError(file, `spike_times[${u}][${j}]: expected a time >= 0 in seconds, got ${JSON.stringify(t)}`);
      if (j > 0 && t < train[j - 1]) throw new DataError(file, `spike_times[${u}][${j}]: ${t} s comes before the spike before it (${train[j - 1]} s); spike times must be sorted`);
    });
    return train as number[];
  });
  const last = Math.max(0, ...trains.map((t) => t.at(-1) ?? 0));
  const n = steps ?? Math.floor(last / dt) + 1;
  if (n > 10_000_000) throw new DataError(file, `spike_times: the last spike at ${last} s needs ${n} steps of ${dt} s, more than 10000000`);
  const rows = Array.from({ length: n }, () => new Float64Array(units));
  trains.forEach((train, u) => {
    for (const t of train) {
      const k = Math.floor(t / dt);
      if (k < n) rows[k][u] += 1;
    }
  });
  return rows;
}

/** The steps in an input file: a list of rows of finite numbers, per input node. */
function parseInput(bytes: Uint8Array, file: string, inputs: Record<string, number>, dt: number, steps: number | undefined): Record<string, Float64Array[]> {
  const inputNames = Object.keys(inputs);
  if (bytes[0] === 0x93 && bytes[1] === 0x4e) {
    if (inputNames.length !== 1) throw new DataError(file, `NPY drives one input; the graph has ${inputNames.length}`);
    const a = parseNpy(bytes, file);
    const per = a.shape.slice(1).reduce((x, y) => x * y, 1);
    if (a.shape.length < 1 || per !== inputs[inputNames[0]]) throw new DataError(file, `shape [${a.shape}]: expected [steps, ...] with ${inputs[inputNames[0]]} values per step`);
    return { [inputNames[0]]: Array.from({ length: a.shape[0] }, (_, k) => Float64Array.from(a.data.subarray(k * per, (k + 1) * per))) };
  }
  const text = new TextDecoder().decode(bytes);
  const rows = (value: unknown, at: string): Float64Array[] => {
    if (!Array.isArray(value)) throw new DataError(file, `${at}: expected a list of steps`);
    return value.map((row, k) => {
      const list = Array.isArray(row) ? row : [row];
      const bad = list.findIndex((x) => typeof x !== "number" || !Number.isFinite(x));
      if (bad >= 0) throw new DataError(file, `${at}[${k}][${bad}]: expected a finite number, got ${JSON.stringify(list[bad])}`);
      return Float64Array.from(list as number[]);
    });
  };
  const trimmed = text.trim();
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (e) {
      throw new DataError(file, `not JSON (${(e as Error).message})`);
    }
    if (json !== null && typeof json === "object" && "spike_times" in json) {
      if (inputNames.length !== 1) throw new DataError(file, `spike_times drive one input; the graph has ${inputNames.length}`);
      return { [inputNames[0]]: binSpikeTrains((json as { spike_times: unknown }).spike_times, inputs[inputNames[0]], dt, steps, file) };
    }
    if (Array.isArray(json)) {
      if (inputNames.length !== 1) throw new DataError(file, `the graph has ${inputNames.length} inputs (${inputNames.join(", ")}): give {"<input>": steps} for each`);
      return { [inputNames[0]]: rows(json, "steps") };
    }
    const out: Record<string, Float64Array[]> = {};
    for (const [k, v] of Object.entries(json as object)) out[k] = rows(v, k);
    return out;
  }
  if (inputNames.length !== 1) throw new DataError(file, `CSV drives one input; the graph has ${inputNames.length}`);
  return {
    [inputNames[0]]: trimmed.split(/\r?\n/).map((line, k) => {
      const cells = line.split(",").map((c) => c.trim());
      const values = cells.map(Number);
      const bad = values.findIndex((x, i) => cells[i] === "" || !Number.isFinite(x));
      if (bad >= 0) throw new DataError(file, `line ${k + 1}, column ${bad + 1}: expected a finite number, got ${JSON.stringify(cells[bad])}`);
      return Float64Array.from(values);
    }),
  };
}

/** Runs a NIR graph on values per step from a file. */
export const nirRunJob: Job<NirRunConfig, NirRunResult> = {
  name: "nir run",
  description: "run a NIR graph on values per step (JSON, CSV or NPY) or spike trains with time step --dt: its outputs per step",
  ...schemaSettings<NirRunConfig>(runSchema, { dt: 1e-4, method: "euler" }),
  async run(c, { store }) {
    const doc = await readNir(store.readExternal(c.file), c.file);
    const inputNames = Object.entries(doc.graph.nodes).filter(([, n]) => n.type === "Input").map(([n]) => n);
    const sizes = Object.fromEntries(inputNames.map((name) => [name, shapeOf(doc.graph.nodes[name].params.shape as NirArray).reduce((a, b) => a * b, 1)]));
    const inputs = parseInput(store.readExternal(c.input), c.input, sizes, c.dt, c.steps);
    const given = Math.min(...Object.values(inputs).map((steps) => steps.length));
    const steps = c.steps ?? given;
    if (steps > given) throw new DataError(c.input, `${given} steps of input, ${steps} asked for (--steps)`);
    for (const name of inputNames) {
      const shape = shapeOf(doc.graph.nodes[name].params.shape as NirArray);
      if (inputs[name]?.some((row) => row.length !== shape.reduce((a, b) => a * b, 1))) throw new DataError(c.input, `${name}: every step needs ${shape.reduce((a, b) => a * b, 1)} values (shape [${shape}])`);
    }
    const outputs: NirRunOutputs = runNir(doc.graph, inputs, { dt: c.dt, steps, method: c.method }, c.file);
    return { dt: c.dt, method: c.method, steps, outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.map((row) => Array.from(row))])) };
  },
  summary: (r) =>
    [
      `${r.steps} steps of ${r.dt} s (${r.method}; NIR stores no dt)`,
      ...Object.entries(r.outputs).map(([name, rows]) => {
        const totals = rows[0].map((_, i) => rows.reduce((s, row) => s + row[i], 0));
        return `${name}: sum over the steps per unit ${totals.map((t) => +t.toPrecision(6)).join(", ")}; last step ${rows.at(-1)!.map((v) => +v.toPrecision(6)).join(", ")}`;
      }),
    ].join("\n"),
};
