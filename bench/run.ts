// `npm run bench`: the kernel benchmarks as a table (also `npx snnkit bench`).
import { formatKernelBench, runKernelBench } from "./kernels.js";

const quick = process.argv.includes("--quick");
console.log(formatKernelBench(runKernelBench(["wasm", "js"], quick)));
