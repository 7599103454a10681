// Long sequences: peak memory and time of one training batch (forward, loss, backward) at T = 1,000
// steps with plain BPTT, memory-lean BPTT (--recompute, chunks of ⌈√T⌉) and truncated BPTT (--tbptt 50),
// on the mlp preset (static digits) and the shd-rnn preset (recurrent LIF on 140 spike channels).
// Prints a table (npm run bench:bptt [-- --steps T --batch B --json]).
import { setBackend } from "../src/backend/registry.js";
import { ceMembraneLoss } from "../src/nn/spike_losses.js";
import { type ChunkedBpttMode, chunkedBackward } from "../src/nn/chunked_bptt.js";
import type { Sequential } from "../src/nn/sequential.js";
import { SpikingNeuron } from "../src/neurons/neuron.js";
import { Rng } from "../src/random/rng.js";
import { buildModel, type ModelName } from "../src/tasks/train/models.js";
import { tensor } from "../src/tensor/creation.js";
import { tidy } from "../src/tensor/engine.js";
import { memoryInfo, resetPeakMemory } from "../src/tensor/memory.js";
import type { Tensor } from "../src/tensor/tensor.js";

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const T = arg("steps", 1000);
const B = arg("batch", 16);
const json = process.argv.includes("--json");
setBackend(process.argv.includes("--backend") ? (process.argv[process.argv.indexOf("--backend") + 1] as "js" | "wasm" | "native") : "wasm");

interface Case {
  model: ModelName;
  /** The batch's input and the `steps` of a static one. */
  input: (rng: Rng) => { x: Tensor; steps?: number };
  inputShape: number[];
  classes: number;
}
const CASES: Case[] = [
  { model: "mlp", inputShape: [1, 28, 28], classes: 10, input: (rng) => ({ x: tensor(Float32Array.from({ length: B * 784 }, () => rng.uniform()), [B, 1, 28, 28]), steps: T }) },
  {
    model: "shd-rnn",
    inputShape: [140, 1, 1],
    classes: 20,
    input: (rng) => ({ x: tensor(Float32Array.from({ length: T * B * 140 }, () => (rng.uniform() < 0.05 ? 1 : 0)), [T, B, 140, 1, 1]) }),
  },
];
const MODES: { name: string; chunking: { chunk: number; mode: ChunkedBpttMode } | null }[] = [
  { name: "plain BPTT", chunking: null },
  { name: `--recompute (chunks of ${Math.ceil(Math.sqrt(T))})`, chunking: { chunk: Math.ceil(Math.sqrt(T)), mode: "recompute" } },
  { name: "--tbptt 50", chunking: { chunk: 50, mode: "truncated" } },
];

function model(c: Case): Sequential {
  const m = buildModel({ model: c.model, neuron: "lif", rng: new Rng(1), inputShape: c.inputShape, classes: c.classes });
  const last = m.layers.at(-1);
  if (last instanceof SpikingNeuron) last.output = "membrane";
  return m;
}

/** One batch's forward, loss and backward: its peak bytes above what was in use before, and its seconds. */
function batch(c: Case, m: Sequential, chunking: (typeof MODES)[number]["chunking"]): { peak: number; seconds: number; loss: number } {
  const labels = Array.from({ length: B }, (_, i) => i % c.classes);
  let out = { peak: 0, seconds: 0, loss: 0 };
  tidy(() => {
    const { x, steps } = c.input(new Rng(2));
    const before = memoryInfo().bytesInUse;
    resetPeakMemory();
    const t0 = performance.now();
    let loss: number;
    if (chunking) loss = chunkedBackward(m, x, { ...chunking, steps }, (o) => ceMembraneLoss(o, labels)).loss;
    else {
      const l = ceMembraneLoss(m.run(x, { steps }).output, labels);
      loss = l.item();
      l.backward();
    }
    out = { peak: memoryInfo().peakBytesInUse - before, seconds: (performance.now() - t0) / 1000, loss };
  });
  for (const p of m.parameters()) {
    p.grad?.dispose();
    p.grad = null;
  }
  return out;
}

const rows: { model: string; mode: string; peak_mb: number; peak_ratio: number; seconds: number; time_ratio: number; loss: number }[] = [];
for (const c of CASES) {
  const m = model(c);
  let plain = { peak: 0, seconds: 0 };
  for (const mode of MODES) {
    const runs = [0, 1, 2].map(() => batch(c, m, mode.chunking));
    const seconds = runs.map((r) => r.seconds).sort((a, b) => a - b)[1];
    const peak = Math.max(...runs.map((r) => r.peak));
    if (!mode.chunking) plain = { peak, seconds };
    rows.push({ model: c.model, mode: mode.name, peak_mb: peak / 2 ** 20, peak_ratio: peak / plain.peak, seconds, time_ratio: seconds / plain.seconds, loss: runs[0].loss });
  }
}
if (json) console.log(JSON.stringify({ steps: T, batch: B, rows }, null, 2));
else {
  console.log(`One training batch at T = ${T}, batch ${B} (peak: the backend's bytes in use above the start; time: median of 3)\n`);
  console.log("| model | BPTT | peak MB | peak / plain | seconds | time / plain | loss |");
  console.log("|---|---|---|---|---|---|---|");
  for (const r of rows)
    console.log(`| ${r.model} | ${r.mode} | ${r.peak_mb.toFixed(1)} | ${r.peak_ratio.toFixed(3)} | ${r.seconds.toFixed(2)} | ${r.time_ratio.toFixed(2)}× | ${r.loss.toFixed(4)} |`);
}
