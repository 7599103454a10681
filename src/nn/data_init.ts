// Data-dependent initialisation (LSUV-style) for spiking stacks, so that deep layers are not silent at the start.
import { ValueError } from "../errors.js";
import { noGrad, tidy } from "../tensor/engine.js";
import type { Tensor } from "../tensor/tensor.js";
import { Conv2d } from "./conv2d.js";
import { Linear } from "./linear.js";
import { type RunOptions, Sequential } from "./sequential.js";

/**
 * Layer by layer, in order, scales each Linear/Conv2d layer's weight and bias so that its output (the
 * current into the next neurons) has standard deviation `targetStd` on the sample batch `x` (LSUV,
 * Mishkin & Matas 2016, applied with spikes flowing through the already-scaled layers below). Without it,
 * the spike rate of a deep stack shrinks with depth and the top layers start silent, which stalls
 * surrogate-gradient training. Returns the scale applied to each weighted layer.
 */
export function scaleToUnitCurrent(model: Sequential, x: Tensor, options: RunOptions & { targetStd?: number } = {}): number[] {
  const target = options.targetStd ?? 1;
  if (!(target > 0)) throw new ValueError("targetStd", "a number > 0", target);
  const scales: number[] = [];
  model.layers.forEach((layer, i) => {
    if (!(layer instanceof Linear || layer instanceof Conv2d)) return;
    const std = tidy(() =>
      noGrad(() => {
        const out = new Sequential(...model.layers.slice(0, i + 1)).run(x, { steps: options.steps }).output.dataFloat32();
        let s = 0;
        let ss = 0;
        for (const v of out) {
          s += v;
          ss += v * v;
        }
        const m = s / out.length;
        return Math.sqrt(Math.max(ss / out.length - m * m, 0));
      }),
    );
    const k = std > 1e-12 ? target / std : 1;
    for (const p of [layer.weight, layer.bias]) {
      if (!p) continue;
      const v = p.storage.f32();
      for (let j = 0; j < v.length; j++) v[j] *= k;
    }
    scales.push(k);
  });
  return scales;
}
