// What a benchmark ran on, recorded beside its numbers: the CPU (model, vector extensions), cores, Node,
// snnkit's backend and threads, the environment variables that change OpenBLAS and OpenMP, and the
// versions of the anchors (from their own output).
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { getBackendName, getThreads } from "../src/backend/registry.js";

/** The machine and settings of a sitting. */
export interface MachineInfo {
  cpu_model: string;
  /** The vector extensions among the CPU's flags that the kernels can use. */
  cpu_vector_flags: string[];
  logical_cores: number;
  node: string;
  snnkit_backend: string;
  snnkit_threads: number;
  /** OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE, OMP_WAIT_POLICY, SNNKIT_THREADS as set (absent when unset). */
  environment: Record<string, string>;
}

const VECTOR_FLAGS = ["sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_vnni", "avx512_bf16", "amx_tile", "neon", "asimd"];

/** This machine, now. */
export function machineInfo(): MachineInfo {
  let flags: string[] = [];
  let model = cpus()[0]?.model ?? "unknown";
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    model = /^model name\s*:\s*(.*)$/m.exec(info)?.[1] ?? model;
    const line = /^(flags|Features)\s*:\s*(.*)$/m.exec(info)?.[2] ?? "";
    const present = new Set(line.split(/\s+/));
    flags = VECTOR_FLAGS.filter((f) => present.has(f));
  } catch {
    // No /proc (not Linux): the model from os.cpus() and no flags.
  }
  const environment: Record<string, string> = {};
  for (const k of ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_WAIT_POLICY", "SNNKIT_THREADS"]) if (process.env[k] !== undefined) environment[k] = process.env[k]!;
  return { cpu_model: model, cpu_vector_flags: flags, logical_cores: cpus().length, node: process.version, snnkit_backend: getBackendName(), snnkit_threads: getThreads(), environment };
}
