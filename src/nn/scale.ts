// A fixed per-feature gain (NIR's Scale node).
import { ShapeError, ValueError } from "../errors.js";
import { tensor } from "../tensor/creation.js";
import { mul } from "../tensor/ops/elementwise.js";
import type { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";

/** y[n, …] = s ⊙ x[n, …]: each feature times its constant factor, or every value times one (a buffer, not learned). */
export class Scale extends Module {
  override readonly kind: string = "Scale";
  readonly factors: Tensor;

  /** `factors`: one per feature, of the feature shape `shape` (without the batch dimension); or one factor for all, with `shape` []. */
  constructor(factors: Float32Array, readonly shape: readonly number[]) {
    super();
    const n = shape.reduce((a, b) => a * b, 1);
    if (factors.length !== n) throw new ValueError("Scale: factors", `${n} values (shape [${shape}])`, `${factors.length} values`);
    const bad = factors.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new ValueError(`Scale: factors[${bad}]`, "a finite number", factors[bad]);
    this.factors = this.addBuffer("factors", tensor(factors, shape.length > 0 ? [1, ...shape] : [1]));
  }

  forward(x: Tensor): Tensor {
    if (this.shape.length > 0 && x.shape.slice(1).join(",") !== this.shape.join(",")) throw new ShapeError("Scale", `input must be [N, ${this.shape.join(", ")}]`, [x.shape]);
    return mul(x, this.factors);
  }
}
