export * from "./conv.js";
export * from "./custom.js";
export * from "./elementwise.js";
export * from "./loss.js";
export * from "./matmul.js";
export * from "./reduce.js";
export * from "./shape_ops.js";
