// Dependency rules of snnkit, checked by `npm run deps` (dependency-cruiser) in .ci/run; docs/architecture.md
// draws them. The portable core is a stack of base layers (lowest first; a module may import its own layer
// and lower ones) with the methods on top as siblings: a method imports the base, and another method only
// where the exception is listed below. Above the core, the tasks (src/tasks: one run per method, and the run
// layer they share) are portable too; the Node rim (src/node) is a platform under them; the CLI (src/cli)
// sits on top. The page (web/) sits on the core and the tasks, beside the CLI, and runs in a browser.
const BASE = [
  "src/errors\\.ts",
  "src/random/",
  "src/surrogate/",
  "src/backend/",
  "src/tensor/",
  "src/nn/",
  "src/optim/",
  "src/neurons/",
  "src/encode/",
  "src/data/",
  "src/io/",
  "src/plot/",
];
/** The methods of the core: siblings above the base. */
const METHODS = ["spiketrain", "sim", "tem", "dsn", "eprop", "robustness", "transfer", "control", "nir", "events"];
/** Method → method imports of the core, each for a reason. */
const METHOD_EXCEPTIONS = {
  // The simulators report their spikes as spike trains.
  sim: ["spiketrain"],
  // A trained policy runs on the continuous-time engines.
  control: ["transfer"],
};
/** The methods' runs in src/tasks (siblings), and what they share (the run layer, seed statistics). */
const TASK_METHODS = ["train", "dsn", "control", "robustness", "transfer", "sim", "tem", "spiketrain", "nir", "events", "sweep"];
const TASK_EXCEPTIONS = {
  // The robustness suite attacks trained networks and trains the paper's.
  robustness: ["train"],
  // Transfer runs a trained network in continuous time.
  transfer: ["train"],
  // A sweep runs the other methods' commands.
  sweep: ["train", "dsn", "control", "robustness", "sim", "tem"],
};

const CORE = `^(${BASE.join("|")}|src/(${METHODS.join("|")})/|src/(index|spiketrain|sim|tem|dsn|eprop|robustness|transfer|control|nir|events)\\.ts$)`;
const RIM = "^(src/tasks/|src/tasks\\.ts$|src/node/|src/node\\.ts$|src/index_node\\.ts$|src/cli/|bench/|scripts/)";
const TASKS = "^(src/tasks/|src/tasks\\.ts$)";

/** One rule per base layer: it must not import any base layer above it, nor a method. */
const layerRules = BASE.map((layer, i) => ({
  name: `layer-${layer.replace("src/", "").replace(/\/$/, "").replace("\\.ts", "")}`,
  comment: `${layer} is below ${[...BASE.slice(i + 1), "the methods"].join(", ")} and must not import them`,
  severity: "error",
  from: { path: `^${layer}` },
  to: { path: `^(${[...BASE.slice(i + 1), ...METHODS.map((m) => `src/${m}/`)].join("|")})` },
}));

/** One rule per method (of the core, and of the tasks): no imports of a sibling beyond its listed exceptions. */
function siblingRules(prefix, methods, exceptions) {
  return methods.map((m) => {
    const others = methods.filter((o) => o !== m && !(exceptions[m] ?? []).includes(o));
    return {
      name: `sibling-${prefix.replace(/\W/g, "") || "core"}-${m}`,
      comment: `${prefix}${m}/ is a method beside the others: it imports ${(exceptions[m] ?? []).map((o) => `${prefix}${o}/`).join(", ") || "none of them"} (listed exceptions) and no other`,
      severity: "error",
      from: { path: `^src/${prefix}${m}/` },
      to: { path: `^src/${prefix}(${others.join("|")})/` },
    };
  });
}

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "no import cycles",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    ...siblingRules("", METHODS, METHOD_EXCEPTIONS),
    ...siblingRules("tasks/", TASK_METHODS, TASK_EXCEPTIONS),
    {
      name: "core-not-rim",
      comment: "the portable core never imports the tasks, the Node rim, the CLI, the benchmarks or the build scripts",
      severity: "error",
      from: { path: CORE },
      to: { path: RIM },
    },
    {
      name: "portable-no-node-builtins",
      comment: "the portable core and the tasks run in browsers and job engines: no node: modules (fs, zlib, worker_threads, ...) outside the Node rim and the CLI",
      severity: "error",
      from: { path: [CORE, TASKS] },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "tasks-portable",
      comment: "the tasks run in browsers and job engines: no imports of the Node rim or the CLI",
      severity: "error",
      from: { path: TASKS },
      to: { path: "^(src/node/|src/node\\.ts$|src/index_node\\.ts$|src/cli/)" },
    },
    {
      name: "node-below-cli",
      comment: "the Node rim is a platform under the tasks; the CLI is built on it, not the other way round",
      severity: "error",
      from: { path: "^(src/node/|src/node\\.ts$|src/index_node\\.ts$)" },
      to: { path: "^src/cli/" },
    },
    {
      name: "web-portable",
      comment: "the page (web/) runs in a browser: the core and the tasks only, no Node rim, CLI or node: modules",
      severity: "error",
      from: { path: "^web/" },
      to: { path: "^(src/node/|src/node\\.ts$|src/index_node\\.ts$|src/cli/)" },
    },
    {
      name: "web-no-node-builtins",
      comment: "the page runs in a browser: no node: modules",
      severity: "error",
      from: { path: "^web/" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "nothing-imports-the-page",
      comment: "the page sits on top: the library never imports it (the benchmarks measure it)",
      severity: "error",
      from: { path: "^(src|scripts)/" },
      to: { path: "^web/" },
    },
    {
      name: "not-to-unresolvable",
      comment: "every import resolves",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^src/backend/wasm/(assembly|generated)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
