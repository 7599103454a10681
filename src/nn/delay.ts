// A per-unit delay along time (NIR's Delay node): y(t) = x(t − d) in whole steps.
import { ShapeError, ValueError } from "../errors.js";
import { tensor, zeros } from "../tensor/creation.js";
import { add, mul } from "../tensor/ops/elementwise.js";
import { concat, slice } from "../tensor/ops/shape_ops.js";
import type { Tensor } from "../tensor/tensor.js";
import { type LayerRun, type LayerState, Module, type TimeMode } from "./module.js";

/** Longest delay in steps. */
const MAX_DELAY = 1_000_000;

/**
 * y[t, b, i] = x[t − dᵢ, b, i] (0 for t < dᵢ) over x [T, B, ...features], with dᵢ a whole number of steps
 * per feature: the sum, over the distinct delays d, of x shifted by d times the mask of the features
 * delayed by d (so its gradient is the same shift back).
 */
export class Delay extends Module {
  override readonly kind: string = "Delay";
  override readonly time: TimeMode = "temporal";
  /** The distinct delays and, for each, the mask of the features it applies to ([1, 1, ...features]). */
  private readonly shifts: { steps: number; mask: Tensor }[];

  /** `steps`: one delay per feature of `shape` (without time and batch), row-major. */
  constructor(readonly steps: readonly number[], readonly shape: readonly number[]) {
    super();
    const n = shape.reduce((a, b) => a * b, 1);
    if (steps.length !== n) throw new ValueError("Delay: steps", `${n} delays (shape [${shape}])`, `${steps.length} delays`);
    const bad = steps.findIndex((d) => !(Number.isInteger(d) && d >= 0 && d <= MAX_DELAY));
    if (bad >= 0) throw new ValueError(`Delay: steps[${bad}]`, `an integer in [0, ${MAX_DELAY}]`, steps[bad]);
    this.shifts = [...new Set(steps)].map((d, k) => ({
      steps: d,
      mask: this.addBuffer(`mask${k}`, tensor(Float32Array.from(steps, (s) => (s === d ? 1 : 0)), [1, 1, ...shape])),
    }));
  }

  forward(x: Tensor): Tensor {
    this.checkInput(x);
    const T = x.shape[0];
    let y: Tensor | null = null;
    for (const { steps, mask } of this.shifts) {
      const d = Math.min(steps, T);
      const shifted = d === 0 ? x : d === T ? zeros(x.shape) : concat([zeros([d, ...x.shape.slice(1)]), slice(x, x.shape.map(() => 0), [T - d, ...x.shape.slice(1)])], 0);
      const part = mul(shifted, mask);
      y = y ? add(y, part) : part;
    }
    return y!;
  }

  /**
   * forward() continuing a sequence: the state is the last D inputs [D, B, ...features] (D the longest
   * delay; zeros at the start), which the first D outputs of this run reach back into.
   */
  override runFrom(x: Tensor, state: LayerState | null): LayerRun {
    this.checkInput(x);
    const D = Math.max(...this.steps, 0);
    if (D === 0) return { output: this.forward(x), spikes: null, final: {} };
    const T = x.shape[0];
    const history = state?.history ?? zeros([D, ...x.shape.slice(1)], { backend: x.backend });
    if (history.shape.join(",") !== [D, ...x.shape.slice(1)].join(",")) throw new ShapeError("Delay", `state.history must be [${D}, ${x.shape.slice(1).join(", ")}]`, [history.shape]);
    const all = concat([history, x], 0);
    const rest = x.shape.slice(1);
    const output = slice(this.forward(all), [D, ...rest.map(() => 0)], [T, ...rest]);
    return { output, spikes: null, final: { history: slice(all, [T, ...rest.map(() => 0)], [D, ...rest]) } };
  }

  private checkInput(x: Tensor): void {
    if (x.rank < 3 || x.shape.slice(2).join(",") !== this.shape.join(",")) throw new ShapeError("Delay", `input must be [T, B, ${this.shape.join(", ")}]`, [x.shape]);
  }
}
