// snnkit: spiking neural networks in TypeScript. Public API of the portable core (no Node APIs here).
export type { Backend, BackendName, DType, Storage } from "./backend/backend.js";
export type {
  BinaryOpName,
  CompareOpName,
  ResetMode,
  SurrogateName,
  UnaryOpName,
} from "./backend/kernel_codes.js";
export { backendByName, getBackend, getBackendName, ready, setBackend } from "./backend/registry.js";
export { BackendError, DisposedError, DTypeError, ShapeError, SnnkitError, ValueError } from "./errors.js";
export { type LifOptions, type LifResult, lif } from "./neurons/lif_op.js";
export { defaultRng, manualSeed, Rng, type RngState } from "./random/rng.js";
export {
  defaultSurrogateParam,
  resolveSurrogate,
  type SurrogateSpec,
  surrogateDerivative,
} from "./surrogate/surrogate.js";
export { backward } from "./tensor/autograd.js";
export {
  bernoulli,
  type CreateOptions,
  full,
  ones,
  type RandomOptions,
  rand,
  randn,
  scalar,
  tensor,
  zeros,
} from "./tensor/creation.js";
export { dispose, isGradEnabled, keep, liveTensorCount, noGrad, tidy } from "./tensor/engine.js";
export { type MemoryInfo, memoryInfo } from "./tensor/memory.js";
export * from "./tensor/ops/index.js";
export { type GradNode, type NestedArray, Tensor } from "./tensor/tensor.js";
