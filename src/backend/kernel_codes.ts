// Numeric codes shared by the js and wasm kernels. scripts/assembly_codes.ts writes them (and the
// surrogate codes of src/surrogate/surrogate.ts) as AssemblyScript constants for the wasm build.

/** Unary elementwise ops. `pow` takes p0 = exponent; `clamp` p0 = lo, p1 = hi; `affine` y = x·p0 + p1. */
export const UnaryOp = {
  neg: 0,
  exp: 1,
  log: 2,
  abs: 3,
  sqrt: 4,
  relu: 5,
  sigmoid: 6,
  tanh: 7,
  pow: 8,
  clamp: 9,
  affine: 10,
} as const;
/** Name of a unary elementwise op. */
export type UnaryOpName = keyof typeof UnaryOp;

/** Binary elementwise ops on float32. */
export const BinaryOp = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5 } as const;
/** Name of a binary elementwise op. */
export type BinaryOpName = keyof typeof BinaryOp;

/** Comparisons, producing a bool (uint8) tensor. */
export const CompareOp = { gt: 0, ge: 1, lt: 2, le: 3, eq: 4, ne: 5 } as const;
/** Name of a comparison. */
export type CompareOpName = keyof typeof CompareOp;

/** Reset mechanisms of the LIF kernel. */
export const ResetCode = { subtract: 0, zero: 1, none: 2 } as const;
/** Reset mechanism of a LIF neuron: subtract θ, set to zero, or no reset. */
export type ResetMode = keyof typeof ResetCode;

/** The wasm GEMM micro-kernel's tile (rows × columns of C; assembly/gemm.ts is written for it): splits of C over threads start on its edges. */
export const GemmTile = { rows: 4, cols: 8 } as const;
