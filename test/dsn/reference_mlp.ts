// A second implementation of one training sample of the spiking MLP, written from the rules of
// docs/deep-spiking-networks.md with plain arrays (sorting each herd's spike keys instead of the
// kernels' repeated search for the largest |φ|). States are float32 as the kernels keep them, and the
// updates are rounded as the kernels round them, so the two agree bit for bit.
import type { DsnUpdate } from "../../src/dsn/spiking_mlp.js";

const f = Math.fround;

/** Spikes (unit, sign) a herder owes, in the order of the method: |φ| at each spike, largest first, ties by the lower unit. */
function herd(phi: Float32Array, signed: boolean): [number, number][] {
  const keyed: { unit: number; sign: number; key: number }[] = [];
  for (let j = 0; j < phi.length; j++) {
    let v = phi[j];
    while (v > 0.5 || (signed && v < -0.5)) {
      const sign = v > 0 ? 1 : -1;
      keyed.push({ unit: j, sign, key: Math.abs(v) });
      v = f(v - sign);
    }
    phi[j] = v;
  }
  keyed.sort((a, b) => b.key - a.key || a.unit - b.unit);
  return keyed.map((k) => [k.unit, k.sign]);
}

/** The reference network: weights W_l [sizes[l] × sizes[l+1]] and the backward herders carried between samples. */
export interface ReferenceMlp {
  sizes: number[];
  w: Float32Array[];
  /** φ of the signed backward herder on layer l's inputs, l ≥ 1 (index 0 unused). */
  phiBack: Float32Array[];
}

/** A reference network with copies of `weights`, backward herders at 0 (noreset from then on). */
export function referenceMlp(sizes: number[], weights: readonly Float32Array[]): ReferenceMlp {
  return { sizes, w: weights.map((w) => Float32Array.from(w)), phiBack: sizes.slice(0, -1).map((n) => new Float32Array(n)) };
}

/**
 * One sample (x, label) of T steps with learning rate η/T², forward herders reset, backward herders
 * carried; mutates the network; returns the work as SpikingMlp.trainSample reports it, and how many
 * error spikes the ReLU-derivative gates stopped.
 */
export function referenceTrainSample(net: ReferenceMlp, x: ArrayLike<number>, label: number, steps: number, eta: number, update: DsnUpdate) {
  const { sizes, w } = net;
  const L = sizes.length - 1;
  const lr = eta / (steps * steps);
  const phiIn = new Float32Array(sizes[0]);
  const phiTarget = new Float32Array(sizes[L]);
  const phi = sizes.slice(1).map((n) => new Float32Array(n));
  const sumU = sizes.slice(1).map((n) => new Float32Array(n));
  // counts[0]: the input herder's net counts; counts[l + 1]: the spikes of layer l's herder.
  const counts = sizes.map((n) => new Float32Array(n));
  const errors = sizes.slice(1).map((n) => new Float32Array(n));
  let blocked = 0;
  const work = { forwardRowAdds: new Array(L).fill(0), forwardSpikes: new Array(L).fill(0), backwardColumnAdds: new Array(L).fill(0), updateMultiplyAdds: new Array(L).fill(0), errorSpikes: 0 };
  const positives = (c: Float32Array) => c.filter((v) => v > 0).length;
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < sizes[0]; i++) phiIn[i] = f(phiIn[i] + x[i]);
    let spikes = herd(phiIn, true);
    for (const [i, s] of spikes) counts[0][i] += s;
    for (let l = 0; l < L; l++) {
      work.forwardRowAdds[l] += spikes.length;
      const out: [number, number][] = [];
      for (const [i, s] of spikes) {
        for (let j = 0; j < sizes[l + 1]; j++) {
          const v = s * w[l][i * sizes[l + 1] + j];
          phi[l][j] = f(phi[l][j] + v);
          sumU[l][j] = f(sumU[l][j] + v);
        }
        for (const spike of herd(phi[l], false)) {
          out.push(spike);
          counts[l + 1][spike[0]] += 1;
        }
      }
      spikes = out;
    }
    // The error counter: +1 per output spike, then the spikes of the target herder fed −y; released unit by unit.
    const counter = new Array(sizes[L]).fill(0);
    for (const [j] of spikes) counter[j] += 1;
    for (let j = 0; j < sizes[L]; j++) phiTarget[j] = f(phiTarget[j] - (j === label ? 1 : 0));
    for (const [j, s] of herd(phiTarget, true)) counter[j] += s;
    let err: [number, number][] = [];
    counter.forEach((c, j) => {
      for (let m = 0; m < Math.abs(c); m++) err.push([j, Math.sign(c)]);
    });
    work.errorSpikes += err.length;
    for (let l = L - 1; l >= 0; l--) {
      // The ReLU derivative: an error spike passes where the unit's pre-activation sum so far is ≥ 0.
      const passed = err.filter(([j]) => sumU[l][j] >= 0);
      blocked += err.length - passed.length;
      for (const [j, s] of passed) errors[l][j] += s;
      if (l > 0) work.backwardColumnAdds[l] += passed.length;
      if (update === "fractional") work.updateMultiplyAdds[l] += passed.length * positives(counts[l]);
      const below: [number, number][] = [];
      for (const [j, s] of passed) {
        if (l > 0) {
          for (let i = 0; i < sizes[l]; i++) net.phiBack[l][i] = f(net.phiBack[l][i] + s * w[l][i * sizes[l + 1] + j]);
          below.push(...herd(net.phiBack[l], true));
        }
        if (update === "fractional") {
          const a = f(s * lr);
          for (let i = 0; i < sizes[l]; i++) if (counts[l][i] > 0) w[l][i * sizes[l + 1] + j] = f(w[l][i * sizes[l + 1] + j] - f(a * counts[l][i]));
        }
      }
      err = below;
    }
  }
  for (let l = 0; l < L; l++) work.forwardSpikes[l] = counts[l + 1].reduce((s, v) => s + v, 0);
  if (update === "outer")
    for (let l = 0; l < L; l++) {
      if (!errors[l].some((v) => v !== 0)) continue;
      const cols = sizes[l + 1];
      work.updateMultiplyAdds[l] += positives(counts[l]) * cols;
      for (let i = 0; i < sizes[l]; i++) {
        if (!(counts[l][i] > 0)) continue;
        const a = f(f(lr) * counts[l][i]);
        for (let j = 0; j < cols; j++) w[l][i * cols + j] = f(w[l][i * cols + j] - f(a * errors[l][j]));
      }
    }
  return { work, blocked };
}
