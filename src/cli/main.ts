// The `snnkit` command line.
import { Command, Option } from "commander";
import { formatKernelBench, runKernelBench } from "../../bench/kernels.js";
import type { BackendName } from "../backend/backend.js";
import { registerTrainCommands } from "./train_command.js";

const program = new Command();
program.name("snnkit").description("Spiking neural networks in TypeScript").version("0.1.0");

registerTrainCommands(program);

program
  .command("bench")
  .description("measure the kernels: GEMM GFLOP/s, fused LIF ns per neuron-step, spike-sparse vs dense")
  .addOption(
    new Option("--backend <name>", "backend(s) to measure").choices(["all", "wasm", "js"]).default("all"),
  )
  .option("--quick", "fewer repetitions", false)
  .option("--json", "print one JSON object instead of a table", false)
  .action((opts: { backend: string; quick: boolean; json: boolean }) => {
    const backends: BackendName[] = opts.backend === "all" ? ["wasm", "js"] : [opts.backend as BackendName];
    const result = runKernelBench(backends, opts.quick);
    console.log(opts.json ? JSON.stringify(result) : formatKernelBench(result));
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  console.error(`snnkit: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
