// `snnkit transfer`: registration of the transfer job.
import type { Command } from "commander";
import { transferJob } from "../tasks/transfer/transfer_job.js";
import { registerJob } from "./commands.js";
import type { CliRun } from "./exit_codes.js";

/** Registers `snnkit transfer`. */
export function registerTransferCommand(program: Command, run: CliRun): void {
  registerJob(program, run, transferJob);
}
