// Bad inputs for the command line, generated: every numeric flag out of range or malformed, bad choices,
// empty paths, and corrupt or absurd files (network files, checkpoints, IDX data). Each case says what it
// must end in: a clean error, or either a clean error or success (a documented result).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Rng } from "../../src/random/rng.js";
import { checkpointBytes, idxFile } from "../helpers.js";

/** One command line to try; `$DIR` in args and file names is a fresh directory per case. */
export interface FuzzCase {
  name: string;
  args: string[];
  /** "error": must stop with a clean error; "either": a clean error or success, never a crash or hang. */
  expect: "error" | "either";
  /** Files to create in $DIR first (text, or bytes). */
  files?: Record<string, string | Uint8Array>;
}

/** How a flag's value is checked: integer range, real range with open or closed ends. */
type Range = { int: boolean; min: number; max: number; minOpen?: boolean };

/** Values that break a range: malformed text, non-finite, just outside, far outside, non-integer. */
function badValues(r: Range): string[] {
  const out = ["", " ", "abc", "NaN", "Infinity", "-Infinity", "1e400", "12abc", "--", "0x1", "0b1", "0o7"];
  out.push(r.minOpen ? String(r.min) : String(r.min - (r.int ? 1 : 1e-3 * Math.max(1, Math.abs(r.min)))));
  out.push(String(r.max * 2 + 1), "1e308", "-1e308");
  if (r.int) out.push(String(r.min + 0.5), "1e-300");
  return out;
}

const TRAIN_BASE = ["train", "--model", "mlp", "--steps", "2", "--epochs", "1", "--limit-train", "64", "--limit-test", "32", "--batch-size", "32", "--out", "$DIR/run", "--json"];
const TEM1_BASE = ["tem", "one-layer", "--json"];
const DSN_BASE = ["dsn", "train", "--layers", "8", "--steps", "2", "--epochs", "1", "--limit-train", "32", "--limit-test", "16", "--out", "$DIR/run", "--json"];
const TEM2_BASE = ["tem", "two-layer", "--examples", "1", "--json"];

/** [command prefix, flag, range] for every numeric flag. */
const NUMERIC: [string[], string, Range][] = [
  [TRAIN_BASE, "--epochs", { int: true, min: 1, max: 10000 }],
  [TRAIN_BASE, "--steps", { int: true, min: 1, max: 10000 }],
  [TRAIN_BASE, "--batch-size", { int: true, min: 1, max: 65536 }],
  [TRAIN_BASE, "--lr", { int: false, min: 0, max: 10, minOpen: true }],
  [TRAIN_BASE, "--tau", { int: false, min: 0, max: 1e6, minOpen: true }],
  [TRAIN_BASE, "--init-std", { int: false, min: 0, max: 1000 }],
  [TRAIN_BASE, "--seed", { int: true, min: 0, max: 2 ** 32 - 1 }],
  [TRAIN_BASE, "--limit-train", { int: true, min: 0, max: 1e8 }],
  [TRAIN_BASE, "--checkpoint-every", { int: true, min: 0, max: 1e9 }],
  [DSN_BASE, "--steps", { int: true, min: 1, max: 100000 }],
  [DSN_BASE, "--epochs", { int: true, min: 1, max: 10000 }],
  [DSN_BASE, "--lr", { int: false, min: 0, max: 10, minOpen: true }],
  [DSN_BASE, "--init-scale", { int: false, min: 0, max: 100, minOpen: true }],
  [DSN_BASE, "--seed", { int: true, min: 0, max: 2 ** 32 - 1 }],
  [DSN_BASE, "--limit-train", { int: true, min: 0, max: 1e8 }],
  [DSN_BASE, "--checkpoint-every", { int: true, min: 0, max: 1e9 }],
  [["dsn", "convert", "--checkpoint", "$DIR/c.snnk"], "--steps", { int: true, min: 1, max: 100000 }],
  [["--threads", "X", "analyze", "bounds", "--trials", "1"], "--threads", { int: true, min: 1, max: 256 }],
  [TEM1_BASE, "--inputs", { int: true, min: 1, max: 1000 }],
  [TEM1_BASE, "--outputs", { int: true, min: 1, max: 1000 }],
  [TEM1_BASE, "--examples", { int: true, min: 1, max: 100000 }],
  [TEM1_BASE, "--exposure", { int: false, min: 0, max: 1e6, minOpen: true }],
  [TEM1_BASE, "--jitter", { int: false, min: 0, max: 1e6 }],
  [TEM1_BASE, "--bands", { int: true, min: 1, max: 1000 }],
  [TEM1_BASE, "--period", { int: false, min: 0, max: 1e6, minOpen: true }],
  [TEM1_BASE, "--kappa", { int: false, min: 0, max: 1e12, minOpen: true }],
  [TEM1_BASE, "--delta", { int: false, min: 0, max: 1e12, minOpen: true }],
  [TEM1_BASE, "--bias", { int: false, min: -1e12, max: 1e12 }],
  [TEM2_BASE, "--hidden", { int: true, min: 1, max: 1000 }],
  [TEM2_BASE, "--kappa1", { int: false, min: 0, max: 1e12, minOpen: true }],
  [TEM2_BASE, "--bias2", { int: false, min: -1e12, max: 1e12 }],
  [["tem", "sweep", "--quick", "--out", "$DIR/s"], "--trials", { int: true, min: 1, max: 10000 }],
  [["analyze", "quantize", "--times", "1,2"], "--threshold", { int: false, min: 0, max: 1e12, minOpen: true }],
  [["analyze", "quantize", "--times", "1,2"], "--alpha", { int: false, min: 0, max: 1e6 }],
  [["analyze", "bounds"], "--trials", { int: true, min: 1, max: 1e6 }],
  [["analyze", "bounds", "--trials", "1"], "--seed", { int: true, min: 0, max: 2 ** 32 - 1 }],
  [["simulate", "--network", "$DIR/net.json"], "--duration", { int: false, min: 0, max: 1e12, minOpen: true }],
  [["simulate", "--network", "$DIR/net.json", "--duration", "0.1"], "--dt", { int: false, min: 0, max: 1e12, minOpen: true }],
  [["simulate", "--network", "$DIR/net.json", "--duration", "0.1"], "--max-events", { int: true, min: 1, max: 1e12 }],
];

const SMALL_NETWORK = JSON.stringify({
  neurons: { count: 3, tau: 0.02, threshold: 1, reset: "zero", refractory: 0.002 },
  synapses: { pre: [0, 1], post: [1, 2], weight: [0.6, 0.6], delay: [0.001, 0.001] },
  inputs: [{ neuron: 0, times: [0.01, 0.02], weights: [1.2, 1.2] }],
});

/** Network files that are malformed, or legal but absurd; [name, file content, expected]. */
function networkCases(): [string, string, "error" | "either"][] {
  const base = { neurons: { count: 2, threshold: 1 } };
  const cases: [string, unknown, "error" | "either"][] = [
    ["inputs is a number", { ...base, inputs: 5 }, "error"],
    ["inputs holds null", { ...base, inputs: [null] }, "error"],
    ["poisson is an object", { ...base, poisson: { neurons: "all", rate: 1, weight: 1 } }, "error"],
    ["poisson neurons is a number", { ...base, poisson: [{ neurons: 5, rate: 1, weight: 1 }] }, "error"],
    ["neurons missing", {}, "error"],
    ["neurons is a string", { neurons: "many" }, "error"],
    ["count 1e9", { neurons: { count: 1e9, threshold: 1 } }, "error"],
    ["count 2.5", { neurons: { count: 2.5, threshold: 1 } }, "error"],
    ["threshold 0", { neurons: { count: 2, threshold: 0 } }, "error"],
    ["tau negative", { neurons: { count: 2, threshold: 1, tau: -1 } }, "error"],
    ["misspelt field", { neurons: { count: 2, threshold: 1, refactory: 0.002 } }, "error"],
    ["synapse to neuron 9", { ...base, synapses: { pre: [0], post: [9], weight: [1] } }, "error"],
    ["weights as strings", { ...base, synapses: { pre: [0], post: [1], weight: ["1"] } }, "error"],
    ["negative delay", { ...base, synapses: { pre: [0], post: [1], weight: [1], delay: [-1] } }, "error"],
    ["unsorted input times", { ...base, inputs: [{ neuron: 0, times: [0.2, 0.1] }] }, "error"],
    ["input times NaN (null)", { ...base, inputs: [{ neuron: 0, times: [null] }] }, "error"],
    ["root is an array", [1, 2, 3], "error"],
    ["root is null", null, "error"],
    ["huge bias", { neurons: { count: 2, threshold: 1, bias: 1e300 } }, "error"],
    ["huge Poisson rate", { ...base, poisson: [{ neurons: "all", rate: 1e12, weight: 0.1, sources: 1000 }] }, "error"],
    ["zero-delay excitatory loop, subtract reset", { neurons: { count: 2, threshold: 1, reset: "subtract" }, synapses: { pre: [0, 1], post: [1, 0], weight: [1, 1] }, inputs: [{ neuron: 0, times: [0.001] }] }, "error"],
    // Documented results: a zero-reset zero-delay loop settles (each neuron fires once per instant).
    ["zero-delay excitatory loop, zero reset", { neurons: { count: 2, threshold: 1, reset: "zero" }, synapses: { pre: [0, 1], post: [1, 0], weight: [1, 1] }, inputs: [{ neuron: 0, times: [0.001] }] }, "either"],
    ["v0 above threshold", { neurons: { count: 2, threshold: 1, v0: [5, 1] } }, "either"],
    ["delay 1e300", { ...base, synapses: { pre: [0], post: [1], weight: [1], delay: [1e300] }, inputs: [{ neuron: 0, times: [0.001] }] }, "either"],
  ];
  return [
    ...cases.map(([name, json, expect]) => [name, JSON.stringify(json), expect] as [string, string, "error" | "either"]),
    ["not JSON", "{ neurons: ", "error"],
    ["empty file", "", "error"],
  ];
}

/** A checkpoint file with a given header, array index and data after the header (default: no arrays), its CRC right. */
const craftedCheckpoint = (header: unknown, index: unknown[] = [], data: Uint8Array = new Uint8Array(0)): Uint8Array => checkpointBytes(JSON.stringify({ header, index }), data);

/** Every generated case (a few hundred), in a fixed order; `seed` draws the random byte corruptions. */
export function fuzzCases(seed = 0): FuzzCase[] {
  const cases: FuzzCase[] = [];
  const net = { "net.json": SMALL_NETWORK };
  for (const [prefix, flag, range] of NUMERIC)
    for (const v of badValues(range)) {
      const args = prefix.includes("X") ? prefix.map((a) => (a === "X" ? v : a)) : [...prefix, flag, v];
      cases.push({ name: `${prefix.slice(0, 2).join(" ")} ${flag} ${JSON.stringify(v)}`, args, expect: "error", files: net });
    }
  // Seeds past 32 bits would wrap onto small ones.
  for (const cmd of [TRAIN_BASE, ["analyze", "bounds", "--trials", "1"], ["tem", "one-layer"]])
    cases.push({ name: `${cmd[0]} --seed 4294967296`, args: [...cmd, "--seed", "4294967296"], expect: "error" });
  // Choices and lists.
  for (const [flag, values] of [
    ["--model", ["", "MLP", "resnet"]],
    ["--neuron", ["", "izhikevich"]],
    ["--encoding", ["", "spikes"]],
    ["--loss", ["mse"]],
    ["--optimizer", ["adagrad"]],
    ["--schedule", ["step"]],
    ["--backend", ["webgpu", "native"]],
    ["--dataset", ["cifar", "fashion-mnist"]],
    ["--surrogate", ["nope", "atan:2:3", "fast_sigmoid:25:", "fast_sigmoid:0x10", "fast_sigmoid:0", "fast_sigmoid:abc", "atan:-1", ":", "fast_sigmoid:1e308", "gaussian:NaN"]],
  ] as [string, string[]][])
    for (const v of values) cases.push({ name: `train ${flag} ${JSON.stringify(v)}`, args: [...TRAIN_BASE, flag, v], expect: "error" });
  for (const [cmd, flag] of [
    [TRAIN_BASE, "--out"],
    [["simulate", "--network", "$DIR/net.json", "--duration", "0.1"], "--out"],
    [["tem", "sweep", "--quick"], "--out"],
    [["analyze", "resonance"], "--out"],
    [TRAIN_BASE, "--data-dir"],
    [["simulate", "--duration", "1"], "--network"],
    [["eval"], "--checkpoint"],
  ] as [string[], string][])
    for (const v of ["", "  "]) cases.push({ name: `${cmd[0]} ${flag} ${JSON.stringify(v)}`, args: [...cmd, flag, v], expect: "error", files: net });
  for (const times of ["", "1,,2", "2,1", "1,1", "1,NaN", "abc", "1e400", "1;2", "0x1,2", "1,0b10"])
    cases.push({ name: `analyze quantize --times ${JSON.stringify(times)}`, args: ["analyze", "quantize", "--times", times], expect: "error" });
  cases.push({ name: "analyze quantize amplitudes of another length", args: ["analyze", "quantize", "--times", "1,2,3", "--amplitudes", "1,2"], expect: "error" });
  cases.push({ name: "analyze quantize --reset none", args: ["analyze", "quantize", "--times", "1,2", "--reset", "none"], expect: "error" });
  for (const v of ["", "abc", "-1", "1.5", "99999", "0,,1", "0,1,2,3,4,5,6,7,8,9,10"])
    cases.push({ name: `simulate --record ${JSON.stringify(v)}`, args: ["simulate", "--network", "$DIR/net.json", "--duration", "0.1", "--record", v, "--out", "$DIR/o"], expect: "error", files: net });
  cases.push({ name: "simulate --record with --dt", args: ["simulate", "--network", "$DIR/net.json", "--duration", "0.1", "--dt", "1e-4", "--record", "0", "--out", "$DIR/o"], expect: "error", files: net });
  cases.push({ name: "unknown command", args: ["fly"], expect: "error" });
  cases.push({ name: "unknown flag", args: ["train", "--epoch", "3"], expect: "error" });
  cases.push({ name: "missing value", args: ["train", "--epochs"], expect: "error" });
  // TEM parameters legal as flags but absurd as work: the spike budget or a clean result.
  for (const [flag, v] of [["--kappa", "1e-300"], ["--delta", "1e-300"], ["--bias", "1e12"], ["--bias", "-1e12"], ["--exposure", "1e6"], ["--period", "1e-300"], ["--jitter", "1e6"]])
    cases.push({ name: `tem one-layer ${flag} ${v}`, args: [...TEM1_BASE, flag, v], expect: "either" });
  // Simulations: absurd durations and steps for a valid network.
  for (const extra of [["--duration", "1e308"], ["--duration", "1e12", "--dt", "1e-300"], ["--duration", "1", "--dt", "1e-300"], ["--duration", "1e12", "--dt", "1e-3"]])
    cases.push({ name: `simulate ${extra.join(" ")}`, args: ["simulate", "--network", "$DIR/net.json", ...extra, "--out", "$DIR/o"], expect: "either", files: net });
  // Network files.
  for (const [name, content, expect] of networkCases())
    cases.push({ name: `network: ${name}`, args: ["simulate", "--network", "$DIR/bad.json", "--duration", "1", "--out", "$DIR/o", "--json"], expect, files: { "bad.json": content } });
  cases.push({ name: "network: missing file", args: ["simulate", "--network", "$DIR/none.json", "--duration", "1"], expect: "error" });
  cases.push({ name: "network: a directory", args: ["simulate", "--network", "$DIR", "--duration", "1"], expect: "error" });
  // Checkpoints: garbage, random corruptions, crafted headers.
  const rng = new Rng(seed);
  const good = craftedCheckpoint({ format: "snnkit-train" });
  cases.push({ name: "checkpoint: garbage", args: ["eval", "--checkpoint", "$DIR/c.snnk"], expect: "error", files: { "c.snnk": "garbage" } });
  cases.push({ name: "checkpoint: missing", args: ["eval", "--checkpoint", "$DIR/none.snnk"], expect: "error" });
  for (let k = 0; k < 10; k++) {
    const bytes = Buffer.from(good);
    const at = rng.int(bytes.length);
    bytes[at] ^= 1 + rng.int(255);
    cases.push({ name: `checkpoint: byte ${at} flipped`, args: ["eval", "--checkpoint", "$DIR/c.snnk"], expect: "error", files: { "c.snnk": bytes } });
    const cut = Buffer.from(good).subarray(0, rng.int(good.length));
    cases.push({ name: `checkpoint: truncated to ${cut.length} bytes`, args: ["eval", "--checkpoint", "$DIR/c.snnk"], expect: "error", files: { "c.snnk": cut } });
  }
  for (const [name, header] of [
    ["no progress", { format: "snnkit-train", config: {} }],
    ["header null", null],
    ["header a number", 7],
    ["foreign format", { format: "pytorch" }],
  ] as [string, unknown][])
    for (const cmd of [["eval"], ["train", "--resume"]])
      cases.push({ name: `checkpoint: ${name} (${cmd.join(" ")})`, args: [...cmd, "--checkpoint", "$DIR/c.snnk"], expect: "error", files: { "c.snnk": craftedCheckpoint(header) } });
  // Array indices: a negative or huge length (allocating it would crash), lengths as text, a name twice, and bytes after the arrays.
  const header = { format: "snnkit-train" };
  for (const [name, index, data] of [
    ["an array of length -1", [{ name: "a", length: -1 }], Buffer.alloc(8)],
    ["an array of length 2^40", [{ name: "a", length: 2 ** 40 }], Buffer.alloc(8)],
    ["an array longer than the file", [{ name: "a", length: 3 }], Buffer.alloc(8)],
    ["a length as text", [{ name: "a", length: "2" }], Buffer.alloc(8)],
    ["an array twice", [{ name: "a", length: 1 }, { name: "a", length: 1 }], Buffer.alloc(8)],
    ["bytes after the arrays", [{ name: "a", length: 1 }], Buffer.alloc(12)],
  ] as [string, unknown[], Buffer][])
    for (const cmd of [["eval", "--checkpoint", "$DIR/c.snnk"], ["train", "--resume", "--out", "$DIR"]])
      cases.push({ name: `checkpoint: ${name} (${cmd[0]})`, args: cmd, expect: "error", files: { "c.snnk": craftedCheckpoint(header, index, data), "checkpoint.snnk": craftedCheckpoint(header, index, data) } });
  cases.push({ name: "network: nested 200,000 levels deep", args: ["simulate", "--network", "$DIR/deep.json", "--duration", "1", "--out", "$DIR/o"], expect: "error", files: { "deep.json": `${"[".repeat(200_000)}${"]".repeat(200_000)}` } });
  for (const [name, header] of [
    ["a training checkpoint", { format: "snnkit-train" }],
    ["no sizes", { format: "snnkit-dsn", config: {} }],
    ["sizes without arrays", { format: "snnkit-dsn", config: { model: "relu", layers: [], steps: 1, epochs: 1, lr: 0.1, update: "outer", forwardStart: "reset", backwardStart: "noreset", initScale: 0.01, seed: 0, backend: "js", dataset: "embedded", trainLimit: 0, testLimit: 0 }, sizes: [784, 10], progress: { epoch: 0, sample: 0, seconds: 0, work: { forward: [0], backward: [0], update: [0] }, epochs: [] }, rng: null }],
  ] as [string, unknown][])
    cases.push({ name: `dsn checkpoint: ${name}`, args: ["dsn", "convert", "--checkpoint", "$DIR/c.snnk"], expect: "error", files: { "c.snnk": craftedCheckpoint(header) } });
  for (const [flag, values] of [
    ["--layers", ["", "0", "-1", "1.5", "a,b", "10,,10", "100001", Array(17).fill("2").join(",")]],
    ["--update", ["", "inner"]],
    ["--forward-reset", ["", "never"]],
    ["--backward-reset", ["random"]],
  ] as [string, string[]][])
    for (const v of values) cases.push({ name: `dsn train ${flag} ${JSON.stringify(v)}`, args: [...DSN_BASE, flag, v], expect: "error" });
  // NIR files: not HDF5, truncated at random, a byte flipped, a directory, missing.
  const nir = readFileSync(join(import.meta.dirname, "..", "fixtures", "nir", "lif_rockpool.nir"));
  cases.push({ name: "nir: not HDF5", args: ["nir", "inspect", "$DIR/a.nir"], expect: "error", files: { "a.nir": "garbage" } });
  cases.push({ name: "nir: a directory", args: ["nir", "inspect", "$DIR"], expect: "error" });
  cases.push({ name: "nir: missing", args: ["nir", "inspect", "$DIR/none.nir"], expect: "error" });
  for (let k = 0; k < 5; k++) {
    const cut = nir.subarray(0, 8 + rng.int(nir.length - 8));
    cases.push({ name: `nir: truncated to ${cut.length} bytes`, args: ["nir", "inspect", "$DIR/a.nir"], expect: "error", files: { "a.nir": cut } });
  }
  // Model files and images for predict; a checkpoint to export.
  for (const [name, model] of [["not JSON", "{"], ["empty object", "{}"], ["a list", "[1, 2]"], ["nested deep", `${"[".repeat(100_000)}${"]".repeat(100_000)}`]])
    cases.push({ name: `predict: model ${name}`, args: ["predict", "--model", "$DIR/m.json", "--input", "$DIR/x.pgm"], expect: "error", files: { "m.json": model, "x.pgm": "P5\n28 28\n255\n" } });
  cases.push({ name: "export: garbage checkpoint", args: ["export", "--checkpoint", "$DIR/c.snnk", "--out", "$DIR/m.json"], expect: "error", files: { "c.snnk": "garbage" } });
  cases.push({ name: "predict: no input", args: ["predict", "--model", "$DIR/m.json"], expect: "error", files: { "m.json": "{}" } });
  // IDX data: wrong image size, truncated, corrupt gzip, labels out of range, no test images.
  const labels = idxFile([4], 1);
  for (const [name, files] of [
    ["images 32×32", { "train-images-idx3-ubyte": idxFile([4, 32, 32]), "train-labels-idx1-ubyte": labels, "t10k-images-idx3-ubyte": idxFile([4, 32, 32]), "t10k-labels-idx1-ubyte": labels }],
    ["truncated images", { "train-images-idx3-ubyte": idxFile([4, 28, 28]).subarray(0, 100), "train-labels-idx1-ubyte": labels }],
    ["corrupt gzip", { "train-images-idx3-ubyte.gz": Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]), "train-labels-idx1-ubyte": labels }],
    ["label 12", { "train-images-idx3-ubyte": idxFile([4, 28, 28]), "train-labels-idx1-ubyte": idxFile([4], 12) }],
    ["zero test images", { "train-images-idx3-ubyte": idxFile([4, 28, 28]), "train-labels-idx1-ubyte": labels, "t10k-images-idx3-ubyte": idxFile([0, 28, 28]), "t10k-labels-idx1-ubyte": idxFile([0]) }],
    ["gzip of a huge declared size", { "train-images-idx3-ubyte.gz": gzipSync(idxFile([1, 28, 28]).subarray(0, 12)), "train-labels-idx1-ubyte": labels }],
  ] as [string, Record<string, Uint8Array>][])
    cases.push({ name: `IDX: ${name}`, args: ["train", "--data-dir", "$DIR", "--model", "mlp", "--steps", "2", "--epochs", "1", "--out", "$DIR/run", "--json"], expect: "error", files });
  return cases;
}

/** Whether `v` is a value the flag accepts (decimal text in range). */
function inRange(v: string, r: Range): boolean {
  const n = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) return false;
  if (r.int && !Number.isInteger(n)) return false;
  return (r.minOpen ? n > r.min : n >= r.min) && n <= r.max;
}

/**
 * `n` random cases for a larger run: a random numeric flag with a random value outside its range
 * (text, huge, tiny, negative, fractional), or the small network file with one field replaced by a
 * random value (a clean error or a result, never a crash or a hang).
 */
export function randomCases(seed: number, n: number): FuzzCase[] {
  const rng = new Rng(seed);
  const pick = <T>(list: readonly T[]): T => list[rng.int(list.length)];
  const weird: unknown[] = [null, "x", "", -1, 0, 1e308, -1e308, 1e-320, 2.5, 1e9, [], {}, true, [null], "1", -0.5];
  const randomNumber = () => {
    const mag = 10 ** (rng.uniform() * 700 - 350);
    const x = (rng.uniform() < 0.5 ? -1 : 1) * mag;
    return pick([String(x), String(Math.round(x)), x.toExponential(3), String(rng.int(10) - 3), `${rng.int(100)}.${rng.int(10)}`, pick(["", "abc", "0x1g", "1e", "--", "NaN", "+", ".", "1..2"])]);
  };
  const out: FuzzCase[] = [];
  while (out.length < n) {
    if (rng.uniform() < 0.7) {
      const [prefix, flag, range] = pick(NUMERIC);
      const v = randomNumber();
      if (inRange(v, range)) continue; // only bad values: a valid one may legitimately run for long
      const args = prefix.includes("X") ? prefix.map((a) => (a === "X" ? v : a)) : [...prefix, flag, v];
      out.push({ name: `random ${prefix.slice(0, 2).join(" ")} ${flag} ${JSON.stringify(v)}`, args, expect: "error", files: { "net.json": SMALL_NETWORK } });
    } else {
      const net = JSON.parse(SMALL_NETWORK) as Record<string, unknown>;
      // Walk to a random leaf and replace it.
      let node: Record<string, unknown> = net;
      let path = "";
      for (;;) {
        const keys = Object.keys(node);
        const k = pick(keys);
        path += `.${k}`;
        const child = node[k];
        if (child !== null && typeof child === "object" && Object.keys(child).length > 0 && rng.uniform() < 0.8) node = child as Record<string, unknown>;
        else {
          node[k] = pick(weird);
          path += ` = ${JSON.stringify(node[k])}`;
          break;
        }
      }
      out.push({ name: `random network${path}`, args: ["simulate", "--network", "$DIR/net.json", "--duration", "1", "--out", "$DIR/o", "--json"], expect: "either", files: { "net.json": JSON.stringify(net) } });
    }
  }
  return out;
}
