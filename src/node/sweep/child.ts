// A child process that executes one run of a sweep and reports its result to its parent. It exits when its
// parent goes away (a worker killed with SIGKILL closes the channel), so no orphan keeps writing the run's
// folder while another worker takes the run over.
import { executeRun } from "./execute.js";
import type { ChildRequest, ChildReply } from "./child_protocol.js";

process.on("disconnect", () => process.exit(70));
process.once("message", (message: ChildRequest) => {
  executeRun(message.run, message.out, { checkpointEvery: message.checkpointEvery })
    .then((result) => process.send?.({ ok: true, result } satisfies ChildReply, () => process.exit(0)))
    .catch((e: unknown) => process.send?.({ ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) } satisfies ChildReply, () => process.exit(1)));
});
