// The `snnkit` command line: runs the program on process.argv with the kernel threads installed.
import { installNodeKernelThreads } from "../node/kernel_workers.js";
import { installNodeNativeAddon } from "../node/native_addon.js";
import { runCli } from "./program.js";

installNodeKernelThreads();
installNodeNativeAddon();
process.exitCode = await runCli(process.argv.slice(2));
