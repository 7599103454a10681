// Unsupervised learning of digits with STDP and competition, after Diehl & Cook (2015): Poisson pixels
// drive a layer of LIF neurons with adaptive thresholds through plastic synapses; the first neuron to fire
// in a step inhibits the others; each neuron's synapses are normalised after every image. Neurons are then
// labelled by the class they answer most, and an image is classed by the labelled neurons' votes.
import { ValueError } from "../errors.js";
import { Rng } from "../random/rng.js";
import { checkStdpRule, depress, jump, potentiate, type StdpRule } from "./stdp.js";

/** The STDP of the competitive network: multiplicative pair STDP, potentiation η_post = 0.01, depression η_pre = 10⁻⁴, τ = 20 ms (Diehl & Cook's learning rates), weights in [0, 1]. */
export const COMPETITIVE_STDP: StdpRule = { aPlus: 0.01, aMinus: 0.0001, tauPlus: 0.02, tauMinus: 0.02, a3Plus: 0, a3Minus: 0, tauX: 0.1, tauY: 0.1, wMin: 0, wMax: 1, update: "multiplicative", interaction: "all" };

/** Settings of the competitive network (times in ms, potentials in mV above rest). */
export interface CompetitiveOptions {
  /** Excitatory neurons (default 100). */
  neurons?: number;
  /** Inputs per image (default 784). */
  inputs?: number;
  /** Presentation of one image (default 150 ms) on a grid of dt (default 1 ms). */
  presentMs?: number;
  dtMs?: number;
  /** Rate of a pixel of value 1 (default 63.75 Hz); raised by 32 Hz and the image shown again while fewer than 5 spikes answer. */
  maxRateHz?: number;
  /** Membrane time constant (default 100 ms), threshold above rest (default 13 mV), refractory period (default 5 ms). */
  tauMs?: number;
  threshold?: number;
  refractoryMs?: number;
  /** Threshold increase per spike (default 0.05 mV); it lasts through training (homeostasis). */
  thetaPlus?: number;
  /** The sum each neuron's input weights are normalised to after every image (default 78, Diehl & Cook's for 784 inputs). */
  weightSum?: number;
  rule?: StdpRule;
  seed?: number;
}

/** Largest network (weights inputs × neurons). */
const MAX_WEIGHTS = 1 << 26;

/**
 * The network. Per step of dt, with v the membranes (mV above rest), θ the adaptive thresholds:
 *   v ← v·e^(−dt/τ) + Σ_{i spiking} W_i·   (each input spike also depresses its synapses by the post traces)
 *   the neuron with the largest v − (θ₀ + θ) > 0, not refractory, spikes: v ← 0, θ ← θ + θ₊, its synapses
 *   potentiate by the pre traces, and every other neuron's v ← 0 (winner take all: Diehl & Cook's
 *   inhibitory population, made instantaneous).
 */
export class CompetitiveStdpNetwork {
  readonly neurons: number;
  readonly inputs: number;
  /** W [inputs, neurons] in [0, 1]. */
  readonly weights: Float32Array;
  /** Adaptive threshold θ per neuron (mV). */
  readonly theta: Float32Array;
  private readonly o: Required<Omit<CompetitiveOptions, "rule" | "seed" | "neurons" | "inputs">>;
  private readonly rule: StdpRule;
  private readonly rng: Rng;

  constructor(options: CompetitiveOptions = {}) {
    this.neurons = options.neurons ?? 100;
    this.inputs = options.inputs ?? 784;
    for (const [name, v] of [["neurons", this.neurons], ["inputs", this.inputs]] as const)
      if (!(Number.isInteger(v) && v >= 1)) throw new ValueError(name, "a positive integer", v);
    if (this.neurons * this.inputs > MAX_WEIGHTS) throw new ValueError("neurons", `at most ${MAX_WEIGHTS} weights (inputs × neurons)`, this.neurons * this.inputs);
    this.o = {
      presentMs: options.presentMs ?? 150,
      dtMs: options.dtMs ?? 1,
      maxRateHz: options.maxRateHz ?? 63.75,
      tauMs: options.tauMs ?? 100,
      threshold: options.threshold ?? 13,
      refractoryMs: options.refractoryMs ?? 5,
      thetaPlus: options.thetaPlus ?? 0.05,
      weightSum: options.weightSum ?? 78,
    };
    for (const [name, v] of Object.entries(this.o)) if (!(Number.isFinite(v) && v > 0)) throw new ValueError(name, "a positive number", v);
    if (this.o.presentMs / this.o.dtMs > 1e5) throw new ValueError("presentMs", "at most 10⁵ steps of dt per image", this.o.presentMs / this.o.dtMs);
    this.rule = checkStdpRule(options.rule ?? COMPETITIVE_STDP);
    this.rng = new Rng(options.seed ?? 0);
    this.weights = Float32Array.from({ length: this.inputs * this.neurons }, () => 0.3 * this.rng.uniform());
    this.theta = new Float32Array(this.neurons);
  }

  /**
   * Shows one image (pixel intensities in [0, 1]) and returns each neuron's spike count; with `learn`,
   * STDP and the thresholds change and the weights are normalised afterwards. While fewer than 5 spikes
   * answer, the image is shown again 32 Hz brighter (up to 5 times).
   */
  present(image: ArrayLike<number>, learn: boolean): Int32Array {
    if (image.length !== this.inputs) throw new ValueError("image", `${this.inputs} pixels`, image.length);
    let rate = this.o.maxRateHz;
    let counts = this.showOnce(image, rate, learn);
    for (let retry = 0; retry < 5 && counts.reduce((a, b) => a + b, 0) < 5; retry++) {
      rate += 32;
      counts = this.showOnce(image, rate, learn);
    }
    if (learn) this.normalise();
    return counts;
  }

  private showOnce(image: ArrayLike<number>, maxRate: number, learn: boolean): Int32Array {
    const { inputs: P, neurons: N, weights: W, rule } = this;
    const { dtMs, presentMs, tauMs, threshold, refractoryMs, thetaPlus } = this.o;
    const steps = Math.round(presentMs / dtMs);
    const decayV = Math.exp(-dtMs / tauMs);
    const decayPre = Math.exp(-dtMs / (rule.tauPlus * 1000));
    const decayPost = Math.exp(-dtMs / (rule.tauMinus * 1000));
    const v = new Float64Array(N);
    const refractory = new Int32Array(N);
    const pre = new Float64Array(P);
    const post = new Float64Array(N);
    const counts = new Int32Array(N);
    const p = Float64Array.from({ length: P }, (_, i) => Math.min(1, image[i] * maxRate * dtMs * 1e-3));
    const refractorySteps = Math.round(refractoryMs / dtMs);
    for (let t = 0; t < steps; t++) {
      for (let j = 0; j < N; j++) {
        v[j] *= decayV;
        post[j] *= decayPost;
      }
      for (let i = 0; i < P; i++) {
        pre[i] *= decayPre;
        if (p[i] === 0 || this.rng.uniform() >= p[i]) continue;
        // A presynaptic spike: its synapses depress by the post traces (read before this step's spikes), then deliver.
        const row = i * N;
        for (let j = 0; j < N; j++) {
          if (learn && post[j] > 0) W[row + j] = depress(rule, W[row + j], post[j], 0, 1);
          if (refractory[j] === 0) v[j] += W[row + j];
        }
        pre[i] = jump(rule, pre[i], 1);
      }
      let winner = -1;
      let best = 0;
      for (let j = 0; j < N; j++) {
        if (refractory[j] > 0) {
          refractory[j]--;
          continue;
        }
        const over = v[j] - (threshold + this.theta[j]);
        if (over > best) [winner, best] = [j, over];
      }
      if (winner < 0) continue;
      counts[winner]++;
      v.fill(0);
      refractory[winner] = refractorySteps;
      if (!learn) continue;
      this.theta[winner] += thetaPlus;
      for (let i = 0; i < P; i++) if (pre[i] > 0) W[i * N + winner] = potentiate(rule, W[i * N + winner], pre[i], 0, 1);
      post[winner] = jump(rule, post[winner], 1);
    }
    return counts;
  }

  /** Scales each neuron's input weights to sum to weightSum (clipped to [w_min, w_max]). */
  private normalise(): void {
    const { inputs: P, neurons: N, weights: W } = this;
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let i = 0; i < P; i++) s += W[i * N + j];
      if (s === 0) continue;
      const k = this.o.weightSum / s;
      for (let i = 0; i < P; i++) W[i * N + j] = Math.min(this.rule.wMax, Math.max(this.rule.wMin, W[i * N + j] * k));
    }
  }
}

/** Labels each neuron with the class whose images it answered with the most spikes on average (−1: silent). */
export function labelNeurons(counts: readonly Int32Array[], labels: ArrayLike<number>, classes: number): Int32Array {
  if (counts.length !== labels.length || counts.length === 0) throw new ValueError("labels", `one per response (${counts.length})`, labels.length);
  const N = counts[0].length;
  const sums = new Float64Array(classes * N);
  const perClass = new Float64Array(classes);
  counts.forEach((c, k) => {
    const y = labels[k];
    perClass[y]++;
    for (let j = 0; j < N; j++) sums[y * N + j] += c[j];
  });
  return Int32Array.from({ length: N }, (_, j) => {
    let best = -1;
    let value = 0;
    for (let y = 0; y < classes; y++) {
      const mean = perClass[y] > 0 ? sums[y * N + j] / perClass[y] : 0;
      if (mean > value) [best, value] = [y, mean];
    }
    return best;
  });
}

/** The class of a response: the highest mean spike count over the neurons labelled with each class (Diehl & Cook's vote). */
export function voteClass(counts: Int32Array, assignment: Int32Array, classes: number): number {
  const sum = new Float64Array(classes);
  const members = new Float64Array(classes);
  assignment.forEach((y, j) => {
    if (y < 0) return;
    sum[y] += counts[j];
    members[y]++;
  });
  let best = 0;
  for (let y = 1; y < classes; y++) if ((members[y] ? sum[y] / members[y] : 0) > (members[best] ? sum[best] / members[best] : 0)) best = y;
  return best;
}
