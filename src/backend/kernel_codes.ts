// Numeric codes shared by the js and wasm kernels (must match src/backend/wasm/assembly).

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

/** Surrogate derivatives of the spike function, by code. */
export const SurrogateCode = {
  fast_sigmoid: 0,
  atan: 1,
  sigmoid: 2,
  triangle: 3,
  straight_through: 4,
  gaussian: 5,
  logistic: 6,
  rectangle: 7,
} as const;
/** Name of a built-in surrogate derivative. */
export type SurrogateName = keyof typeof SurrogateCode;
