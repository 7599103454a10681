// Cosine learning-rate schedule.
import { ValueError } from "../errors.js";
import type { Optimizer } from "./optimizer.js";

/**
 * lr(k) = lr_min + ½(lr_max − lr_min)(1 + cos(π·k/K)) for step k of K (then lr_min), as PyTorch's
 * CosineAnnealingLR. Call `apply(k)` before step k; stateless, so a resumed run continues exactly.
 */
export class CosineSchedule {
  constructor(
    readonly optimizer: Optimizer,
    readonly maxLr: number,
    readonly totalSteps: number,
    readonly minLr = 0,
  ) {
    if (!(maxLr > 0)) throw new ValueError("CosineSchedule: maxLr", "a number > 0", maxLr);
    if (!(Number.isInteger(totalSteps) && totalSteps >= 1))
      throw new ValueError("CosineSchedule: totalSteps", "a positive integer", totalSteps);
    if (!(minLr >= 0 && minLr <= maxLr)) throw new ValueError("CosineSchedule: minLr", "a number in [0, maxLr]", minLr);
  }

  /** Learning rate at step k. */
  lrAt(k: number): number {
    const f = Math.min(k, this.totalSteps) / this.totalSteps;
    return this.minLr + 0.5 * (this.maxLr - this.minLr) * (1 + Math.cos(Math.PI * f));
  }

  /** Sets the optimizer's learning rate for step k. */
  apply(k: number): number {
    this.optimizer.lr = this.lrAt(k);
    return this.optimizer.lr;
  }
}
