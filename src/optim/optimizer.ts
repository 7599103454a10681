// Base class of optimizers: per-parameter updates on the raw data, with saveable state.
import { ShapeError, ValueError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";

/** Saved optimizer state: step count, learning rate and per-parameter slots (moments, velocities). */
export interface OptimizerState {
  readonly step: number;
  readonly lr: number;
  readonly slots: Readonly<Record<string, readonly Float32Array[]>>;
}

/** Shared machinery: parameters, learning rate, step count, state slots, zeroGrad. */
export abstract class Optimizer {
  /** Learning rate (a schedule may change it between steps). */
  lr: number;
  /** Number of step() calls so far. */
  stepCount = 0;
  protected readonly slots: Record<string, Float32Array[]> = {};

  constructor(
    readonly params: readonly Tensor[],
    lr: number,
    slotNames: readonly string[],
  ) {
    if (!(Number.isFinite(lr) && lr > 0)) throw new ValueError("lr", "a finite number > 0", lr);
    params.forEach((p, i) => {
      if (!p.requiresGrad || p.dtype !== "float32")
        throw new ValueError(`params[${i}]`, "a float32 tensor that requires grad", p.shape);
    });
    this.lr = lr;
    for (const s of slotNames) this.slots[s] = params.map((p) => new Float32Array(p.size));
  }

  /** Clears every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.params) p.zeroGrad();
  }

  /** Applies one update to every parameter that has a gradient. */
  step(): void {
    this.stepCount++;
    this.params.forEach((p, i) => {
      if (!p.grad) return;
      const g = p.grad.dataFloat32();
      this.update(i, p.storage.f32(), g);
    });
  }

  /** Updates parameter i in place: w (live view) from its gradient g. */
  protected abstract update(i: number, w: Float32Array, g: Float32Array): void;

  /** Copy of the state (for checkpoints). */
  stateDict(): OptimizerState {
    const slots: Record<string, Float32Array[]> = {};
    for (const [k, v] of Object.entries(this.slots)) slots[k] = v.map((a) => a.slice());
    return { step: this.stepCount, lr: this.lr, slots };
  }

  /** Restores a state saved by stateDict() for the same parameters. */
  loadStateDict(state: OptimizerState): void {
    for (const [k, mine] of Object.entries(this.slots)) {
      const saved = state.slots[k];
      if (!saved || saved.length !== mine.length)
        throw new ValueError("optimizer state", `slot "${k}" with ${mine.length} arrays`, saved?.length);
      saved.forEach((a, i) => {
        if (a.length !== mine[i].length) throw new ShapeError("optimizer state", `slot "${k}"[${i}] has the wrong size`, [[a.length], [mine[i].length]]);
      });
    }
    for (const [k, mine] of Object.entries(this.slots)) state.slots[k].forEach((a, i) => mine[i].set(a));
    this.stepCount = state.step;
    this.lr = state.lr;
  }
}
