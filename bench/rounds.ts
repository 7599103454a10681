// `npm run bench -- --anchor`: snnkit and its anchors in alternating rounds on the same machine (ours,
// then PyTorch, Brian2 and numpy's OpenBLAS, then ours again, ...), each workload of ours in a process of
// its own. Per workload: every round's time, the ratio of each round, their median and spread, whether the
// target holds in every round, and the peak memory of each side. Ratios are time ratios: below 1, snnkit
// is faster.
import { spawnSync } from "node:child_process";
import type { BackendName } from "../src/backend/backend.js";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { torchStep } from "./dsn.js";
import { type MachineInfo, machineInfo } from "./machine.js";
import { CHILD_WORKLOADS, type ChildReport } from "./one_workload.js";
import { runBrianAnchor, runTorchAnchor, type AnchorSource } from "./workloads.js";
import { median } from "./kernels.js";

/** One workload over the rounds. */
interface RoundsRow {
  /** Our value per round, and the anchor's (ms, s, µs, or GFLOP/s for GEMM), in the same unit. */
  ours: number[];
  anchor: number[];
  anchor_name: string;
  /** Time ratio per round (ours / anchor; for GEMM's rates, anchor / ours), and their median, min and max. */
  ratios: number[];
  ratio_median: number;
  ratio_min: number;
  ratio_max: number;
  /** The issue's target for the ratio (null: none), and whether every round met it. */
  target: number | null;
  held_every_round: boolean | null;
  /** Peak resident memory of our process (MB; the wasm heap included), the wasm heap alone, and the anchor's process. */
  ours_peak_rss_mb: number;
  ours_wasm_heap_mb: number;
  anchor_peak_rss_mb: number | null;
}

/** The rounds of a sitting. */
export interface RoundsResult {
  machine: MachineInfo;
  /** The backend our workloads ran on. */
  backend: BackendName;
  rounds: number;
  versions: { torch: string | null; brian2: string | null; numpy: string | null };
  rows: Record<string, RoundsRow>;
  /** W5's mean rate per round (Hz): ours time-stepped and exact, and Brian2's: the workloads must agree within 5 %. */
  w5_rates: { ours: number[]; ours_exact: number[]; anchor: number[] };
}

/** The targets of the performance issue (time ratios against the anchor). */
const TARGETS: Record<string, number> = {
  w1_ms: 0.5,
  w2_ms: 0.7,
  w4_b128_t25_ms: 0.5,
  w4_b1_t1000_ms: 0.1,
  w5_s: 0.6,
  w5_exact_s: 3,
  dsn_us_per_sample: 0.5,
};


/** Runs one of our workloads in a child process. */
function ours(name: (typeof CHILD_WORKLOADS)[number], iters: number, backend: BackendName): ChildReport {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, "one_workload.ts"), name, "--iters", String(iters), "--backend", backend], { encoding: "utf8", timeout: 1_800_000 });
  if (r.status !== 0) throw new Error(`bench: our workload ${name} failed: ${(r.stderr || r.error?.message || "").trim().split("\n").slice(-3).join(" ")}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as ChildReport;
}

/** Runs `script args` under bench/peak_rss.py with `env`; its peak resident memory (MB), or null. */
function peakRss(script: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): number | null {
  if (!existsSync(script)) return null;
  const r = spawnSync("/usr/bin/python3", [join(import.meta.dirname, "peak_rss.py"), script, ...args], { encoding: "utf8", timeout: 1_800_000, env, cwd });
  if (r.status !== 0) return null;
  return (JSON.parse(r.stdout.trim().split("\n").pop()!) as { peak_rss_mb: number }).peak_rss_mb;
}

/** The environment torch_snn.py's best setting ran in. */
function torchEnv(from: AnchorSource): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_WAIT_POLICY: from.omp_wait_policy };
  if (from.openblas_env !== "as-is") {
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
  }
  return env;
}

/** numpy's float32 1024³ product on one OpenBLAS thread (GFLOP/s, median of 20), with OPENBLAS_CORETYPE as set and unset (the faster), and numpy's version. */
function numpyGemm(): { gflops: number; numpy: string } | null {
  const code = [
    "import json, time, numpy as np",
    "a = np.random.default_rng(0).standard_normal((1024, 1024), dtype=np.float32); b = a.T.copy(); a @ b",
    "ts = []",
    "for _ in range(20):",
    "    t = time.perf_counter(); a @ b; ts.append(time.perf_counter() - t)",
    "print(json.dumps({'gflops': 2 * 1024**3 / sorted(ts)[10] / 1e9, 'numpy': np.__version__}))",
  ].join("\n");
  let best: { gflops: number; numpy: string } | null = null;
  for (const unset of [false, true]) {
    const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1" };
    if (unset) {
      if (env.OPENBLAS_CORETYPE === undefined && env.OPENBLAS_L2_SIZE === undefined) continue;
      delete env.OPENBLAS_CORETYPE;
      delete env.OPENBLAS_L2_SIZE;
    }
    const r = spawnSync("/usr/bin/python3", ["-c", code], { encoding: "utf8", timeout: 300_000, env });
    if (r.status !== 0) continue;
    const got = JSON.parse(r.stdout.trim().split("\n").pop()!) as { gflops: number; numpy: string };
    if (!best || got.gflops > best.gflops) best = got;
  }
  return best;
}

/**
 * `rounds` alternating rounds of our workloads (each in its own process, `iters` timed iterations) and the
 * anchors, then each anchor's peak memory in its best setting. Progress goes to stderr.
 */
export function runAnchoredRounds(rounds: number, iters: number, anchorsDir: string, backend: BackendName): RoundsResult {
  const dir = resolve(anchorsDir);
  const ourValues: Record<string, number[]> = {};
  const anchorValues: Record<string, number[]> = {};
  const memory: Record<string, ChildReport> = {};
  const versions: RoundsResult["versions"] = { torch: null, brian2: null, numpy: null };
  const push = (table: Record<string, number[]>, key: string, v: number | null | undefined) => {
    if (v !== null && v !== undefined) (table[key] ??= []).push(v);
  };
  let from: Partial<Record<string, AnchorSource>> = {};
  for (let r = 0; r < rounds; r++) {
    for (const name of CHILD_WORKLOADS) {
      console.error(`bench: round ${r + 1} of ${rounds}: snnkit ${name}`);
      const rep = ours(name, iters, backend);
      for (const [k, v] of Object.entries(rep.values)) push(ourValues, k, v);
      for (const k of Object.keys(rep.values)) if (!memory[k] || rep.max_rss_mb > memory[k].max_rss_mb) memory[k] = rep;
    }
    console.error(`bench: round ${r + 1} of ${rounds}: PyTorch (torch_snn.py best)`);
    const torch = runTorchAnchor(dir, iters);
    if (torch) {
      for (const k of ["w1_ms", "w2_ms", "w4_b1_t1000_ms", "w4_b128_t25_ms"] as const) push(anchorValues, k, torch[k]);
      versions.torch = torch.torch ?? null;
      from = { ...from, ...torch.from };
    }
    console.error(`bench: round ${r + 1} of ${rounds}: Brian2 (brian2_w5.py cpp_standalone 1)`);
    const brian = runBrianAnchor(dir);
    if (brian) {
      push(anchorValues, "w5_s", brian.wall_s);
      push(anchorValues, "w5_exact_s", brian.wall_s);
      push(anchorValues, "w5_mean_rate_hz", brian.mean_rate_hz);
      versions.brian2 = brian.brian2;
    }
    console.error(`bench: round ${r + 1} of ${rounds}: PyTorch's batch-1 ReLU MLP step and numpy's GEMM`);
    const mlp = torchStep(dir, 1000);
    push(anchorValues, "dsn_us_per_sample", mlp);
    push(anchorValues, "relu_mlp_us_per_sample", mlp);
    const gemm = numpyGemm();
    push(anchorValues, "gemm_1024_gflops_per_thread", gemm?.gflops);
    if (gemm) versions.numpy = gemm.numpy;
  }
  // The anchors' peak memory, once, in the setting that gave their best time.
  console.error("bench: the anchors' peak memory");
  const anchorRss: Record<string, number | null> = {};
  for (const k of ["w1_ms", "w2_ms", "w4_b1_t1000_ms", "w4_b128_t25_ms"]) {
    const f = from[k];
    anchorRss[k] = f ? peakRss(join(dir, "torch_snn.py"), [f.job, "--iters", "3"], torchEnv(f)) : null;
  }
  anchorRss.w5_s = anchorRss.w5_exact_s = peakRss(join(dir, "brian2_w5.py"), ["cpp_standalone", "1"], process.env, dir);
  anchorRss.dsn_us_per_sample = anchorRss.relu_mlp_us_per_sample = peakRss(join(dir, "torch_mlp_b1.py"), ["--samples", "1000", "--threads", "1"], process.env);
  const names: Record<string, string> = {
    w1_ms: "PyTorch best",
    w2_ms: "PyTorch best",
    w4_b1_t1000_ms: "PyTorch best",
    w4_b128_t25_ms: "PyTorch best",
    w5_s: "Brian2 C++ standalone, 1 thread",
    w5_exact_s: "Brian2 C++ standalone, 1 thread (dt 0.1 ms)",
    dsn_us_per_sample: "PyTorch ReLU MLP step, 1 thread",
    relu_mlp_us_per_sample: "PyTorch ReLU MLP step, 1 thread",
    gemm_1024_gflops_per_thread: "OpenBLAS via numpy, 1 thread",
  };
  const rows: Record<string, RoundsRow> = {};
  for (const [k, name] of Object.entries(names)) {
    const o = ourValues[k] ?? [];
    const a = anchorValues[k] ?? [];
    const n = Math.min(o.length, a.length);
    if (n === 0) continue;
    const rate = k.includes("gflops");
    const ratios = Array.from({ length: n }, (_, i) => (rate ? a[i] / o[i] : o[i] / a[i]));
    const target = TARGETS[k] ?? null;
    rows[k] = {
      ours: o,
      anchor: a,
      anchor_name: name,
      ratios,
      ratio_median: median(ratios),
      ratio_min: Math.min(...ratios),
      ratio_max: Math.max(...ratios),
      target,
      held_every_round: target === null ? null : ratios.every((x) => x <= target),
      ours_peak_rss_mb: memory[k]?.max_rss_mb ?? NaN,
      ours_wasm_heap_mb: memory[k]?.wasm_heap_mb ?? NaN,
      anchor_peak_rss_mb: anchorRss[k] ?? null,
    };
  }
  return { machine: machineInfo(), backend, rounds, versions, rows, w5_rates: { ours: ourValues.w5_mean_rate_hz ?? [], ours_exact: ourValues.w5_exact_mean_rate_hz ?? [], anchor: anchorValues.w5_mean_rate_hz ?? [] } };
}

/** The rounds as a table (markdown), with the machine and versions above it. */
export function formatRounds(r: RoundsResult): string {
  const m = r.machine;
  const lines = [
    `${m.cpu_model}${m.cpu_family_model ? ` (family ${m.cpu_family_model[0]}, model ${m.cpu_family_model[1]})` : ""}, ${m.logical_cores} logical cores (${m.cpu_vector_flags.join(" ")}); Node ${m.node}; snnkit on ${r.backend}, ${m.snnkit_threads} threads; ${Object.entries(m.environment).map(([k, v]) => `${k}=${v}`).join(" ") || "no OpenBLAS/OpenMP variables set"}`,
    `anchors: PyTorch ${r.versions.torch ?? "—"}, Brian2 ${r.versions.brian2 ?? "—"}, numpy ${r.versions.numpy ?? "—"}; ${r.rounds} alternating rounds`,
    "",
    "| workload | snnkit (median) | anchor (median) | ratio median [min–max] | target | every round | peak RSS snnkit (wasm heap) / anchor, MB |",
    "|---|---|---|---|---|---|---|",
  ];
  const f = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
  for (const [k, row] of Object.entries(r.rows)) {
    lines.push(
      `| ${k} | ${f(median(row.ours))} | ${f(median(row.anchor))} (${row.anchor_name}) | ${row.ratio_median.toFixed(2)}× [${row.ratio_min.toFixed(2)}–${row.ratio_max.toFixed(2)}] | ${row.target === null ? "—" : `≤ ${row.target}×`} | ${row.held_every_round === null ? "—" : row.held_every_round ? "yes" : "no"} | ${row.ours_peak_rss_mb.toFixed(0)} (${row.ours_wasm_heap_mb.toFixed(0)}) / ${row.anchor_peak_rss_mb === null ? "—" : row.anchor_peak_rss_mb.toFixed(0)} |`,
    );
  }
  const brian = r.w5_rates.anchor;
  for (const [what, ours] of [["time-stepped", r.w5_rates.ours], ["exact", r.w5_rates.ours_exact]] as const) {
    if (ours.length === 0 || brian.length === 0) continue;
    const [a, b] = [median(ours), median(brian)];
    lines.push("", `W5 mean rate: snnkit ${what} ${a.toFixed(2)} Hz, Brian2 ${b.toFixed(2)} Hz (${((100 * (a - b)) / b).toFixed(1)} %; the workloads agree within 5 %: ${Math.abs(a - b) <= 0.05 * b ? "yes" : "no"})`);
  }
  return lines.join("\n");
}
