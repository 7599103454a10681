// Builds snnkit's optional native addon (native/, Node-API) with node-gyp against this Node's own headers:
// nothing is downloaded. Runs at install. Where it cannot be built (no compiler, no headers), install still
// succeeds and snnkit runs on wasm: this script says why in one line and exits 0.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

const root = join(import.meta.dirname, "..");
const say = (line) => console.error(`snnkit: ${line}`);

if (process.env.SNNKIT_SKIP_NATIVE) {
  say("native addon not built (SNNKIT_SKIP_NATIVE is set); snnkit runs on wasm");
  process.exit(0);
}
// Node's headers as installed with Node (…/include/node), never a download.
const nodedir = dirname(dirname(process.execPath));
if (!existsSync(join(nodedir, "include", "node", "node_api.h"))) {
  say(`native addon not built: no Node headers under ${nodedir}/include/node; snnkit runs on wasm`);
  process.exit(0);
}
// node-gyp: the one npm runs scripts with, else npm's own copy beside this Node.
const candidates = [process.env.npm_config_node_gyp, join(nodedir, "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js")].filter(Boolean);
const gyp = candidates.find((p) => existsSync(p));
if (!gyp) {
  say("native addon not built: node-gyp not found; snnkit runs on wasm");
  process.exit(0);
}
const r = spawnSync(process.execPath, [gyp, "rebuild", `--nodedir=${nodedir}`, "--directory", join(root, "native")], { encoding: "utf8", timeout: 600_000 });
if (r.status !== 0) {
  const last = `${r.stderr ?? ""}${r.error?.message ?? ""}`.trim().split("\n").filter((l) => !l.startsWith("gyp info")).slice(-2).join(" | ");
  say(`native addon not built (${last || "node-gyp failed"}); snnkit runs on wasm`);
  process.exit(0);
}
say("native addon built (native/build/Release/snnkit_native.node)");
