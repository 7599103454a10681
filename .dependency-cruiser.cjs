// Dependency rules of snnkit, checked by `npm run deps` (dependency-cruiser) in .ci/run.
// The portable core is layered, lowest first; a module may import its own layer and lower ones only.
// Above the core: the tasks (src/tasks, src/tasks.ts: experiment runners, presets, training runs), the
// Node rim (src/node, src/node.ts, src/index_node.ts), the CLI (src/cli), bench/ and the build scripts.
const LAYERS = [
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
  "src/spiketrain/",
  "src/sim/",
  "src/tem/",
  "src/dsn/",
  "src/robustness/",
  "src/transfer/",
  "src/control/",
];
const CORE = `^(${LAYERS.join("|")}|src/(index|spiketrain|sim|tem|dsn)\\.ts$)`;
const RIM = "^(src/tasks/|src/tasks\\.ts$|src/node/|src/node\\.ts$|src/index_node\\.ts$|src/cli/|bench/|scripts/)";

/** One rule per layer: it must not import any layer above it. */
const layerRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer.replace("src/", "").replace(/\/$/, "").replace("\\.ts", "")}`,
  comment: `${layer} is below ${LAYERS.slice(i + 1).join(", ")} and must not import them`,
  severity: "error",
  from: { path: `^${layer}` },
  to: { path: `^(${LAYERS.slice(i + 1).join("|")})` },
}));

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
    {
      name: "core-not-rim",
      comment: "the portable core never imports the tasks, the Node rim, the CLI, the benchmarks or the build scripts",
      severity: "error",
      from: { path: CORE },
      to: { path: RIM },
    },
    {
      name: "core-no-node-builtins",
      comment: "the portable core runs in browsers: no node: modules (fs, zlib, worker_threads, ...) outside the rim",
      severity: "error",
      from: { path: CORE },
      to: { dependencyTypes: ["core"] },
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
