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
  // The first line that says what failed (a compiler's or make's error), else node-gyp's own.
  const lines = `${r.stdout ?? ""}\n${r.stderr ?? ""}\n${r.error?.message ?? ""}`.split("\n").map((l) => l.trim()).filter(Boolean);
  const last = lines.find((l) => /error|not found|no such/i.test(l) && !l.startsWith("gyp ")) ?? lines.find((l) => l.startsWith("gyp ERR! stack")) ?? lines.at(-1);
  say(`native addon not built (${last || "node-gyp failed"}); snnkit runs on wasm`);
  process.exit(0);
}
say("native addon built (native/build/Release/snnkit_native.node)");
