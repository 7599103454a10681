// What a benchmark ran on, recorded beside its numbers: the CPU (model, family, vector extensions), cores,
// Node, snnkit's threads, the environment variables that change OpenBLAS and OpenMP, and the
// versions of the anchors (from their own output).
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { getThreads } from "../src/backend/registry.js";

/** The machine and settings of a sitting. */
export interface MachineInfo {
  cpu_model: string;
  /** The CPU's family and model numbers (on AMD, family 25 is Zen 3/4, 26 is Zen 5), or null. */
  cpu_family_model: [number, number] | null;
  /** The vector extensions among the CPU's flags that the kernels can use. */
  cpu_vector_flags: string[];
  logical_cores: number;
  node: string;
  snnkit_threads: number;
  /** OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE, OMP_WAIT_POLICY, SNNKIT_THREADS as set (absent when unset). */
  environment: Record<string, string>;
}

const VECTOR_FLAGS = ["sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_vnni", "avx512_bf16", "amx_tile", "neon", "asimd"];

/** This machine, now. */
export function machineInfo(): MachineInfo {
  let flags: string[] = [];
  let model = cpus()[0]?.model ?? "unknown";
  let familyModel: [number, number] | null = null;
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    model = /^model name\s*:\s*(.*)$/m.exec(info)?.[1] ?? model;
    const family = /^cpu family\s*:\s*(\d+)$/m.exec(info)?.[1];
    const number = /^model\s*:\s*(\d+)$/m.exec(info)?.[1];
    if (family && number) familyModel = [Number(family), Number(number)];
    const line = /^(flags|Features)\s*:\s*(.*)$/m.exec(info)?.[2] ?? "";
    const present = new Set(line.split(/\s+/));
    flags = VECTOR_FLAGS.filter((f) => present.has(f));
  } catch {
    // No /proc (not Linux): the model from os.cpus() and no flags.
  }
  const environment: Record<string, string> = {};
  for (const k of ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_WAIT_POLICY", "SNNKIT_THREADS"]) if (process.env[k] !== undefined) environment[k] = process.env[k]!;
  return { cpu_model: model, cpu_family_model: familyModel, cpu_vector_flags: flags, logical_cores: cpus().length, node: process.version, snnkit_threads: getThreads(), environment };
}
