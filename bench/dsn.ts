// The Deep Spiking Networks workload: one online training step (batch 1) of the 784-200-200-10 MLP on the
// embedded digits, spiking (T = 10) and as the ReLU baseline, beside PyTorch's SGD step of the same ReLU
// MLP (../shared/anchors/torch_mlp_b1.py, one thread), in alternating rounds.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { getBackend } from "../src/backend/registry.js";
import { ReluMlp } from "../src/dsn/relu_mlp.js";
import { initialWeights, SpikingMlp } from "../src/dsn/spiking_mlp.js";
import { embeddedSplit } from "../src/node/mnist_embedded.js";
import { Rng } from "../src/random/rng.js";
import { median } from "./kernels.js";

/** Microseconds per training sample (medians over rounds), the anchor's, and the spiking run's work. */
export interface DsnBenchResult {
  dsn_us_per_sample: number;
  relu_mlp_us_per_sample: number;
  /** PyTorch's SGD step of the ReLU MLP (null without the anchor). */
  pytorch_mlp_us_per_sample: number | null;
  /** Row additions, column additions and update multiply-adds per spiking sample, all layers. */
  dsn_work_per_sample: { forward_row_additions: number; backward_column_additions: number; update_multiply_adds: number };
}

const SIZES = [784, 200, 200, 10];

/** Runs PyTorch's batch-1 step once; its median µs per training sample, or null (reason on stderr). */
export function torchStep(anchorsDir: string, samples: number): number | null {
  const script = resolve(anchorsDir, "torch_mlp_b1.py");
  if (!existsSync(script)) {
    console.error(`bench: ${script} not found; skipping the PyTorch MLP anchor`);
    return null;
  }
  const r = spawnSync("/usr/bin/python3", [script, "--samples", String(samples), "--threads", "1"], { encoding: "utf8", timeout: 600_000 });
  if (r.status !== 0) {
    console.error(`bench: the PyTorch MLP anchor failed (${(r.stderr || r.error?.message || "").trim().split("\n").pop()}); install python3-torch`);
    return null;
  }
  return (JSON.parse(r.stdout.trim().split("\n").pop()!) as { train_us_per_sample: number }).train_us_per_sample;
}


/**
 * `rounds` alternating rounds of: the spiking MLP, the ReLU MLP (each `samples` training steps, after a
 * warm-up of as many), and (with `anchorsDir`) PyTorch's step. The networks keep training across rounds,
 * so the spiking work is that of an MLP a few thousand samples into its first epoch.
 */
export function runDsnBench(samples: number, rounds: number, anchorsDir: string | null): DsnBenchResult {
  const { train } = embeddedSplit();
  const n = train.labels.length;
  const backend = getBackend();
  const w = initialWeights(SIZES, new Rng(1234));
  const spiking = new SpikingMlp(SIZES, w, { backend });
  const relu = new ReluMlp(SIZES, w, 0.01, { backend });
  let next = 0;
  const work = { forward_row_additions: 0, backward_column_additions: 0, update_multiply_adds: 0 };
  let workSamples = 0;
  const timeSteps = (step: (x: Float32Array, label: number) => void): number => {
    const t0 = performance.now();
    for (let k = 0; k < samples; k++) {
      const i = next++ % n;
      step((train.images as Float32Array).subarray(i * 784, (i + 1) * 784), train.labels[i]);
    }
    return ((performance.now() - t0) * 1000) / samples;
  };
  const spikingStep = (x: Float32Array, label: number) => {
    const wk = spiking.trainSample(x, label);
    const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);
    work.forward_row_additions += sum(wk.forwardRowAdds);
    work.backward_column_additions += sum(wk.backwardColumnAdds);
    work.update_multiply_adds += sum(wk.updateMultiplyAdds);
    workSamples++;
  };
  timeSteps(spikingStep);
  timeSteps((x, label) => relu.trainSample(x, label));
  const [ours, base, torch]: number[][] = [[], [], []];
  for (let r = 0; r < rounds; r++) {
    ours.push(timeSteps(spikingStep));
    base.push(timeSteps((x, label) => relu.trainSample(x, label)));
    if (anchorsDir) {
      const t = torchStep(anchorsDir, 1000);
      if (t !== null) torch.push(t);
    }
  }
  spiking.dispose();
  relu.dispose();
  const per = (v: number) => v / workSamples;
  return {
    dsn_us_per_sample: median(ours),
    relu_mlp_us_per_sample: median(base),
    pytorch_mlp_us_per_sample: torch.length > 0 ? median(torch) : null,
    dsn_work_per_sample: { forward_row_additions: per(work.forward_row_additions), backward_column_additions: per(work.backward_column_additions), update_multiply_adds: per(work.update_multiply_adds) },
  };
}

/** A table of the batch-1 steps, with ratios to PyTorch and the targets (spiking ≤ 0.25×, ReLU ≤ 0.2×). */
export function formatDsnBench(r: DsnBenchResult): string {
  const rows: [string, number, number][] = [
    ["spiking MLP, T = 10 (dsn_us_per_sample)", r.dsn_us_per_sample, 0.25],
    ["ReLU MLP (relu_mlp_us_per_sample)", r.relu_mlp_us_per_sample, 0.2],
  ];
  const torch = r.pytorch_mlp_us_per_sample;
  const lines = [`784-200-200-10, one online training step (µs per sample)${torch === null ? "" : `; PyTorch ReLU MLP step: ${torch.toFixed(1)} µs`}`];
  for (const [name, us, target] of rows) lines.push(`  ${name.padEnd(42)} ${us.toFixed(1).padStart(8)}${torch === null ? "" : `   ${(us / torch).toFixed(3)}× PyTorch (target ≤ ${target}×)`}`);
  const wk = r.dsn_work_per_sample;
  const dense = 2 * SIZES.slice(1).reduce((s, m, l) => s + SIZES[l] * m, 0) + SIZES.slice(2).reduce((s, m, l) => s + SIZES[l + 1] * m, 0);
  lines.push(`  spiking work per sample: ${wk.forward_row_additions.toFixed(0)} row additions, ${wk.backward_column_additions.toFixed(0)} column additions, ${wk.update_multiply_adds.toFixed(0)} update multiply-adds (dense ReLU step: ${dense} multiply-adds)`);
  return lines.join("\n");
}
