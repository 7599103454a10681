// `snnkit data inspect | verify`: event files (N-MNIST, DVS Gesture, SHD; docs/events.md) and the published checksums of their archives.
import type { Command } from "commander";
import { dataInspectJob } from "../tasks/events/data_inspect_job.js";
import { registerJob } from "./commands.js";
import { describeCheck, verifyArchives } from "../node/event_data.js";
import { type CliRun, EXIT } from "./exit_codes.js";

/** Registers `snnkit data`. */
export function registerDataCommands(program: Command, run: CliRun): void {
  const data = program.command("data").description("neuromorphic event files: N-MNIST samples, DVS Gesture recordings (AEDAT 3.1), SHD and SSC files");
  registerJob(data, run, dataInspectJob, { argument: "file" });
  data
    .command("verify")
    .description("check downloaded archives (N-MNIST Train.zip/Test.zip, shd_*.h5.zip, ssc_*.h5.zip, DvsGesture.tar.gz) against their publishers' MD5 checksums; exit 1 when one differs")
    .argument("<files...>", "the archives")
    .option("--json", "print the result as JSON")
    .action((files: string[], values: { json?: boolean }) => {
      const checks = verifyArchives(files);
      console.log(values.json ? JSON.stringify({ files: checks }) : checks.map(describeCheck).join("\n"));
      if (checks.some((c) => c.matches === false)) run.exitCode = EXIT.error;
    });
}
