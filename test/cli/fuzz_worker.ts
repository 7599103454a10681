// Runs fuzz cases in this process, one after another, through runCli; reports on file descriptor 3:
// {"i", "start"} before a case and {"i", "code", "stderr", "ms"} after it. The parent kills this process
// when a case hangs and starts another from the next case.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setBackend } from "../../src/backend/registry.js";
import { runCli } from "../../src/cli/program.js";
import type { FuzzCase } from "./fuzz_cases.js";

const [casesFile, startArg] = process.argv.slice(2);
const cases = JSON.parse(readFileSync(casesFile, "utf8")) as (FuzzCase & { files?: Record<string, string | { bytes: string }> })[];
const report = (o: object) => writeSync(3, `${JSON.stringify(o)}\n`);
const writeErr = process.stderr.write.bind(process.stderr);
const writeOut = process.stdout.write.bind(process.stdout);

for (let i = Number(startArg); i < cases.length; i++) {
  const c = cases[i];
  const dir = mkdtempSync(join(tmpdir(), "snnkit-fuzz-"));
  for (const [name, content] of Object.entries(c.files ?? {}))
    writeFileSync(join(dir, name), typeof content === "string" ? content : Buffer.from(content.bytes, "base64"));
  const args = c.args.map((a) => a.replaceAll("$DIR", dir));
  let stderr = "";
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  report({ i, start: true });
  const t0 = performance.now();
  let code: number;
  try {
    code = await runCli(args);
  } catch (e) {
    stderr += `escaped runCli: ${(e as Error).stack}`;
    code = 99;
  }
  process.stderr.write = writeErr;
  process.stdout.write = writeOut;
  setBackend("wasm");
  rmSync(dir, { recursive: true, force: true });
  report({ i, code, stderr: stderr.slice(0, 600), ms: performance.now() - t0 });
}
