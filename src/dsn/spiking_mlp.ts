// The event-driven spiking MLP of Deep Spiking Networks (O'Connor & Welling 2016), as in the authors'
// implementation (DeepSpike, SpikingMLP with hold_error). No biases. Per step t of T:
//   forward   the input goes through a signed herder; each spike (i, s) of layer l's input adds s·W_l[i, :]
//             to the layer's rectified herder φ_l and to its pre-activation sum Σu_l (one row addition per
//             spike, no multiplications); the herder's spikes go on to layer l + 1.
//   error     −y goes through a signed herder; a counter adds +1 per output spike and −1 per target spike
//             and releases |count| signed error spikes (error = output − target) at the end of the step.
//   backward  an error spike of unit j of layer l passes only where Σu_l[j] ≥ 0 (the ReLU derivative); it
//             adds s·W_l[:, j] to the signed herder of layer l's input units, whose spikes are the errors
//             of layer l − 1.
//   update    lr = η/T². Default ("outer"): at the end of the sample W_l −= lr·c_l⁺ ⊗ e_l, with c_l the input
//             spike counts of layer l (negative ones dropped) and e_l its net passed error spikes.
//             "fractional": each passed error spike (j, s) applies W_l[:, j] −= s·lr·c_l⁺ at once, with the
//             counts so far (after the spike's column has gone down).
// Prediction: the same forward pass with its own rectified herders (reset each sample) and a linear
// readout, argmax of Σ_t (last layer's weighted input)/T = W_Lᵀ c_L / T.
import type { Backend } from "../backend/backend.js";
import type { HerdVector, HerdWeights } from "../backend/kernels/herding.js";
import { getBackend } from "../backend/registry.js";
import type { Storage } from "../backend/storage.js";
import { LimitError, ValueError } from "../errors.js";
import { Rng, type RngState } from "../random/rng.js";
import { HERDER_STARTS, type HerderStart } from "./herding.js";
import { checkSizes, checkWeights } from "./mlp_shape.js";

/** Weight update rules: at the end of the sample (outer product of counts) or per error spike. */
export const DSN_UPDATES = ["outer", "fractional"] as const;
/** A weight update rule of the spiking MLP. */
export type DsnUpdate = (typeof DSN_UPDATES)[number];

/** Options of a SpikingMlp (defaults: the authors' run settings). */
export interface SpikingMlpOptions {
  /** Steps T per sample (default 10). */
  steps?: number;
  /** η: the learning rate is η/T² per spike pair (default 0.01). */
  eta?: number;
  /** Weight updates (default "outer"). */
  update?: DsnUpdate;
  /** How the forward herders start each training sample (default "reset"). */
  forwardStart?: HerderStart;
  /** How the backward herders start each sample (default "noreset": carried across samples). */
  backwardStart?: HerderStart;
  /** Generator of random-shift starts (default Rng(1234)). */
  rng?: Rng;
  /** Most spikes one layer may emit in one step (default 2²²): more raises a LimitError. */
  maxSpikesPerStep?: number;
  /** Backend holding the weights and state (default: the current backend). */
  backend?: Backend;
}

/** The work of one sample, per layer l (weights W_l from layer l's inputs to its outputs). */
export interface DsnWork {
  /** Spikes into layer l: one weight-row addition each (layer 0: input spikes). */
  forwardRowAdds: number[];
  /** Spikes emitted by layer l's herder (from its spike counts). */
  forwardSpikes: number[];
  /** Error spikes that passed the gate of layer l ≥ 1: one weight-column addition each (layer 0: none). */
  backwardColumnAdds: number[];
  /** Multiply-adds of the weight updates of layer l. */
  updateMultiplyAdds: number[];
  /** Error spikes released by the counter. */
  errorSpikes: number;
}

/** Multiply-adds of one online SGD step (forward, input gradients, weight gradients) of the dense ReLU MLP. */
export function denseMultiplyAdds(sizes: readonly number[]): { forward: number[]; backward: number[]; update: number[] } {
  const layers = sizes.slice(1).map((n, l) => sizes[l] * n);
  return { forward: layers, backward: layers.map((m, l) => (l === 0 ? 0 : m)), update: layers };
}

/**
 * Work per layer in scalar operations, the unit of the dense network's count: a row addition into layer
 * l's outputs adds sizes[l+1] numbers, a column addition into its inputs sizes[l], and an update
 * multiply-add is one. (Each addition also compares the unit's state with the threshold; those
 * comparisons are not counted, nor the dense network's ReLUs.)
 */
export function scalarOperations(
  sizes: readonly number[],
  work: { forward: readonly number[]; backward: readonly number[]; update: readonly number[] },
): { forward: number; backward: number; update: number; total: number } {
  let [forward, backward, update] = [0, 0, 0];
  for (let l = 0; l + 1 < sizes.length; l++) {
    forward += (work.forward[l] ?? 0) * sizes[l + 1];
    backward += (work.backward[l] ?? 0) * sizes[l];
    update += work.update[l] ?? 0;
  }
  return { forward, backward, update, total: forward + backward + update };
}

/** Weights W_l [sizes[l], sizes[l+1]] drawn from scale·N(0, 1) (the authors: 0.01). */
export function initialWeights(sizes: readonly number[], rng: Rng, scale = 0.01): Float32Array[] {
  return sizes.slice(1).map((n, l) => Float32Array.from({ length: sizes[l] * n }, () => scale * rng.normal()));
}

const DEFAULT_MAX_SPIKES = 1 << 22;

/** Names of the first layers' herders in LimitError messages (built once, not per call). */
const LAYER_NAMES = Array.from({ length: 16 }, (_, l) => `layer ${l + 1}`);

/** A growing list of spike codes in backend storage. */
class SpikeList {
  storage: Storage;
  length = 0;
  constructor(
    private readonly backend: Backend,
    capacity: number,
  ) {
    this.storage = backend.alloc("int32", capacity);
  }
  /** Doubles the room (up to `limit`), keeping the codes. */
  grow(limit: number, what: string): void {
    const room = this.storage.length;
    if (room >= limit)
      throw new LimitError("maxSpikesPerStep", `${what} would emit more than ${limit} spikes in one step; the weights or inputs are too large for T steps, or raise the limit`);
    const bigger = this.backend.alloc("int32", Math.min(limit, 2 * room));
    bigger.i32().set(this.storage.i32());
    this.storage.free();
    this.storage = bigger;
  }
  codes(): Int32Array {
    return this.storage.i32().subarray(0, this.length);
  }
}

/** Whether any entry is nonzero. */
function hasNonzero(a: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) return true;
  return false;
}

/** The number of positive entries. */
function positives(a: Float32Array): number {
  // An indexed loop: a for-of iterator over a typed array costs some 5 µs per sample here.
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] > 0) n++;
  return n;
}

/** An event-driven spiking MLP that trains with spikes (see the file comment for the algorithm). */
export class SpikingMlp {
  readonly sizes: readonly number[];
  readonly steps: number;
  readonly eta: number;
  readonly update: DsnUpdate;
  readonly forwardStart: HerderStart;
  readonly backwardStart: HerderStart;
  private readonly backend: Backend;
  private readonly rng: Rng;
  private readonly maxSpikes: number;
  private readonly w: Storage[];
  private readonly input: Storage;
  private readonly target: Storage;
  private readonly phiIn: Storage;
  private readonly phiTarget: Storage;
  /** Per layer (its output units): the forward herder, the sample's pre-activation sum Σu_l, its spike counts N_l, and the error counts e_l. */
  private readonly phiForward: Storage[];
  private readonly sumU: Storage[];
  private readonly outputCounts: Storage[];
  private readonly errors: Storage[];
  /** The input herder's spike counts; c_l, the counts of layer l's inputs, is this for l = 0, else N_{l−1}. */
  private readonly inputCounts: Storage;
  /** Per layer l ≥ 1: the backward herder of its input units (null for layer 0). */
  private readonly phiBackward: (Storage | null)[];
  private readonly phiTest: Storage[];
  private readonly testCounts: Storage[];
  private readonly counter: Int32Array;
  private readonly inputSpikes: SpikeList;
  private readonly targetSpikes: SpikeList;
  private readonly forwardSpikes: SpikeList[];
  private readonly errorSpikes: SpikeList[];
  /** The output list of calls that emit nothing (the fractional updates of layer 0). */
  private readonly spareSpikes: SpikeList;
  /** Kernel parameter objects reused by every call (one shape each, no allocation per call). */
  private readonly vectorCall: HerdVector;
  private readonly weightsCall: HerdWeights;
  /** The kernel calls on those parameters (made once). */
  private readonly callVector = () => this.backend.herdVector(this.vectorCall);
  private readonly callRows = () => this.backend.herdRows(this.weightsCall);
  private readonly callColumns = () => this.backend.herdColumns(this.weightsCall);
  private disposed = false;

  /** A network with the given weights W_l [sizes[l], sizes[l+1]] (copied). */
  constructor(sizes: readonly number[], weights: readonly Float32Array[], options: SpikingMlpOptions = {}) {
    checkWeights(sizes, weights);
    this.sizes = [...sizes];
    const L = sizes.length - 1;
    this.steps = options.steps ?? 10;
    if (!Number.isInteger(this.steps) || this.steps < 1 || this.steps > 1e6) throw new ValueError("steps", "an integer in [1, 1e6]", this.steps);
    this.eta = options.eta ?? 0.01;
    if (!(Number.isFinite(this.eta) && this.eta >= 0 && this.eta <= 1e3)) throw new ValueError("eta", "a number in [0, 1000]", this.eta);
    this.update = options.update ?? "outer";
    if (!DSN_UPDATES.includes(this.update)) throw new ValueError("update", DSN_UPDATES.join(" or "), this.update);
    this.forwardStart = options.forwardStart ?? "reset";
    this.backwardStart = options.backwardStart ?? "noreset";
    for (const [what, start] of [["forwardStart", this.forwardStart], ["backwardStart", this.backwardStart]] as const)
      if (!HERDER_STARTS.includes(start)) throw new ValueError(what, HERDER_STARTS.join(", "), start);
    this.maxSpikes = options.maxSpikesPerStep ?? DEFAULT_MAX_SPIKES;
    if (!Number.isInteger(this.maxSpikes) || this.maxSpikes < 1) throw new ValueError("maxSpikesPerStep", "a positive integer", this.maxSpikes);
    this.rng = options.rng ?? new Rng(1234);
    const b = (this.backend = options.backend ?? getBackend());
    const zeros = (n: number) => {
      const s = b.alloc("float32", n);
      s.f32().fill(0);
      return s;
    };
    this.w = weights.map((wl) => {
      const s = b.alloc("float32", wl.length);
      s.f32().set(wl);
      return s;
    });
    const [nIn, nOut] = [sizes[0], sizes[L]];
    this.input = zeros(nIn);
    this.target = zeros(nOut);
    this.phiIn = zeros(nIn);
    this.phiTarget = zeros(nOut);
    this.phiForward = sizes.slice(1).map(zeros);
    this.sumU = sizes.slice(1).map(zeros);
    this.outputCounts = sizes.slice(1).map(zeros);
    this.errors = sizes.slice(1).map(zeros);
    this.inputCounts = zeros(nIn);
    this.phiBackward = sizes.slice(0, L).map((n, l) => (l === 0 ? null : zeros(n)));
    this.phiTest = sizes.slice(1, L).map(zeros);
    this.testCounts = sizes.slice(0, L).map(zeros);
    this.counter = new Int32Array(nOut);
    const list = (n: number) => new SpikeList(b, Math.min(this.maxSpikes, Math.max(64, 4 * n)));
    this.inputSpikes = list(nIn);
    this.targetSpikes = list(nOut);
    this.forwardSpikes = sizes.slice(1).map(list);
    this.errorSpikes = sizes.slice(1).map(list);
    this.spareSpikes = list(0);
    this.vectorCall = { phi: this.phiIn, x: this.input, scale: 1, signed: true, pending: false, counts: null, out: this.spareSpikes.storage, written: 0 };
    this.weightsCall = { w: this.w[0], rows: 0, cols: 0, spikes: this.spareSpikes.storage, from: 0, to: 0, pending: false, phi: null, signed: false, sum: null, counts: null, out: this.spareSpikes.storage, written: 0, rate: 0, inputCounts: null };
    // The backward herders start at 0 (random-shift: U(−½, ½)); under "noreset" they carry on from there.
    for (const phi of this.phiBackward) if (phi) this.startHerder(phi, this.backwardStart === "random-shift" ? "random-shift" : "reset");
  }

  /** A network with weights drawn from 0.01·N(0, 1) by `rng` (default Rng(1234)). */
  static create(sizes: readonly number[], options: SpikingMlpOptions = {}): SpikingMlp {
    checkSizes(sizes);
    return new SpikingMlp(sizes, initialWeights(sizes, options.rng ?? new Rng(1234)), options);
  }

  /** Copies of the weights W_l [sizes[l], sizes[l+1]]. */
  weights(): Float32Array[] {
    this.checkAlive();
    return this.w.map((s) => Float32Array.from(s.f32()));
  }

  /** The learning rate per spike pair, η/T². */
  get learningRate(): number {
    return this.eta / (this.steps * this.steps);
  }

  /**
   * What a sample leaves behind besides the weights (for checkpoints): the forward and backward herders'
   * states (carried over under "noreset") and the random-shift generator's state.
   */
  carriedState(): { herders: Float32Array[]; rng: RngState } {
    this.checkAlive();
    const herders = [...this.phiForward, ...this.phiBackward.filter((s): s is Storage => s !== null)];
    return { herders: herders.map((s) => Float32Array.from(s.f32())), rng: this.rng.getState() };
  }

  /** Restores what carriedState() returned. */
  restoreCarriedState(state: { herders: readonly Float32Array[]; rng: RngState }): void {
    this.checkAlive();
    const herders = [...this.phiForward, ...this.phiBackward.filter((s): s is Storage => s !== null)];
    if (state.herders.length !== herders.length) throw new ValueError("herder states", `${herders.length} arrays`, `${state.herders.length}`);
    herders.forEach((s, i) => {
      if (state.herders[i].length !== s.length) throw new ValueError(`herder states[${i}]`, `${s.length} values`, `${state.herders[i].length} values`);
    });
    herders.forEach((s, i) => s.f32().set(state.herders[i]));
    this.rng.setState(state.rng);
  }

  /** Frees the backend storage. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const all = [...this.w, this.input, this.target, this.phiIn, this.phiTarget, ...this.phiForward, ...this.sumU, ...this.outputCounts, ...this.errors, this.inputCounts, ...this.phiTest, ...this.testCounts];
    for (const s of all) s.free();
    for (const s of this.phiBackward) s?.free();
    for (const list of [this.inputSpikes, this.targetSpikes, this.spareSpikes, ...this.forwardSpikes, ...this.errorSpikes]) list.storage.free();
  }

  private checkAlive(): void {
    if (this.disposed) throw new ValueError("SpikingMlp", "a network that was not disposed", "a disposed network");
  }

  private setInput(x: ArrayLike<number>): void {
    const n = this.sizes[0];
    if (x.length !== n) throw new ValueError("x", `${n} values`, `${x.length} values`);
    const view = this.input.f32();
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(x[i])) throw new ValueError(`x[${i}]`, "a finite number", x[i]);
      view[i] = x[i];
    }
  }

  private startHerder(phi: Storage, start: HerderStart): void {
    if (start === "reset") phi.f32().fill(0);
    else if (start === "random-shift") {
      const v = phi.f32();
      for (let i = 0; i < v.length; i++) v[i] = this.rng.uniform() - 0.5;
    }
  }

  /**
   * Runs a herd kernel (`call`, on the parameters `p`) into `list`, emptied first; when the list fills, it
   * grows and the kernel resumes where it stopped (a negative status −(k + 1): spike k's herd is pending).
   */
  private runHerd(list: SpikeList, what: string, p: HerdVector | HerdWeights, call: () => number): void {
    p.pending = false;
    if ("from" in p) p.from = 0;
    list.length = 0;
    for (;;) {
      p.out = list.storage;
      p.written = list.length;
      const r = call();
      if (r >= 0) {
        list.length = r;
        return;
      }
      list.length = list.storage.length;
      list.grow(this.maxSpikes, what);
      p.pending = true;
      if ("from" in p) p.from = -r - 1;
    }
  }

  /** herdVector: φ += scale·x into a signed herder, its spikes into `list`. */
  private runVector(list: SpikeList, what: string, phi: Storage, x: Storage, scale: number, counts: Storage | null): void {
    const p = this.vectorCall;
    p.phi = phi;
    p.x = x;
    p.scale = scale;
    p.counts = counts;
    this.runHerd(list, what, p, this.callVector);
  }

  /** Sets the layer-l fields of the reused herdRows / herdColumns parameters. */
  private setWeightsCall(l: number, spikes: SpikeList, to: number, phi: Storage | null, signed: boolean, sum: Storage | null, counts: Storage | null, rate: number, inputCounts: Storage | null): void {
    const p = this.weightsCall;
    p.w = this.w[l];
    p.rows = this.sizes[l];
    p.cols = this.sizes[l + 1];
    p.spikes = spikes.storage;
    p.to = to;
    p.phi = phi;
    p.signed = signed;
    p.sum = sum;
    p.counts = counts;
    p.rate = rate;
    p.inputCounts = inputCounts;
  }

  /** Forward spikes `src` through layer l's herder (rectified), into `dst`. */
  private forwardLayer(l: number, src: SpikeList, dst: SpikeList, phi: Storage, sum: Storage | null, counts: Storage): void {
    this.setWeightsCall(l, src, src.length, phi, false, sum, counts, 0, null);
    this.runHerd(dst, LAYER_NAMES[l] ?? `layer ${l + 1}`, this.weightsCall, this.callRows);
  }

  /** c_l: the spike counts of layer l's inputs. */
  private layerInputCounts(l: number): Storage {
    return l === 0 ? this.inputCounts : this.outputCounts[l - 1];
  }

  /** One online training step on one sample (x, label); returns its work. */
  trainSample(x: ArrayLike<number>, label: number): DsnWork {
    this.checkAlive();
    const L = this.sizes.length - 1;
    const nOut = this.sizes[L];
    if (!Number.isInteger(label) || label < 0 || label >= nOut) throw new ValueError("label", `an integer in [0, ${nOut})`, label);
    this.setInput(x);
    const target = this.target.f32();
    target.fill(0);
    target[label] = 1;
    this.phiIn.f32().fill(0);
    this.phiTarget.f32().fill(0);
    for (const phi of this.phiForward) this.startHerder(phi, this.forwardStart);
    for (const phi of this.phiBackward) if (phi) this.startHerder(phi, this.backwardStart);
    for (const s of [...this.sumU, ...this.outputCounts, ...this.errors, this.inputCounts]) s.f32().fill(0);
    this.counter.fill(0);
    const work: DsnWork = { forwardRowAdds: new Array(L).fill(0), forwardSpikes: new Array(L).fill(0), backwardColumnAdds: new Array(L).fill(0), updateMultiplyAdds: new Array(L).fill(0), errorSpikes: 0 };
    const fractional = this.update === "fractional";
    const lr = this.learningRate;
    const b = this.backend;
    for (let t = 0; t < this.steps; t++) {
      this.runVector(this.inputSpikes, "the input herder", this.phiIn, this.input, 1, this.inputCounts);
      let src = this.inputSpikes;
      for (let l = 0; l < L; l++) {
        work.forwardRowAdds[l] += src.length;
        this.forwardLayer(l, src, this.forwardSpikes[l], this.phiForward[l], this.sumU[l], this.outputCounts[l]);
        src = this.forwardSpikes[l];
      }
      // Indexed loops over the spike lists: for-of iterators over typed arrays cost microseconds per sample here.
      const out = this.forwardSpikes[L - 1].codes();
      for (let k = 0; k < out.length; k++) this.counter[out[k]] += 1;
      this.runVector(this.targetSpikes, "the target herder", this.phiTarget, this.target, -1, null);
      const target = this.targetSpikes.codes();
      for (let k = 0; k < target.length; k++) {
        const code = target[k];
        this.counter[code >= 0 ? code : ~code] += code >= 0 ? 1 : -1;
      }
      work.errorSpikes += this.releaseErrors(this.errorSpikes[L - 1]);
      for (let l = L - 1; l >= 0; l--) {
        const passed = this.gate(l);
        if (l > 0) work.backwardColumnAdds[l] += passed;
        if (fractional) work.updateMultiplyAdds[l] += passed * positives(this.layerInputCounts(l).f32());
        if (passed === 0 || (l === 0 && !fractional)) {
          if (l > 0) this.errorSpikes[l - 1].length = 0;
          continue;
        }
        this.setWeightsCall(l, this.errorSpikes[l], passed, this.phiBackward[l], true, null, null, fractional ? lr : 0, this.layerInputCounts(l));
        // Into layer 0 there is no herder (phi null): the call only applies the fractional updates.
        this.runHerd(l > 0 ? this.errorSpikes[l - 1] : this.spareSpikes, "a backward herder", this.weightsCall, this.callColumns);
      }
    }
    this.outputCounts.forEach((n, l) => {
      for (const v of n.f32()) work.forwardSpikes[l] += v;
    });
    if (!fractional)
      for (let l = 0; l < L; l++) {
        if (!hasNonzero(this.errors[l].f32())) continue;
        const rows = this.sizes[l];
        const cols = this.sizes[l + 1];
        const c = this.layerInputCounts(l);
        work.updateMultiplyAdds[l] += positives(c.f32()) * cols;
        b.outerUpdate({ w: this.w[l], rows, cols, c, e: this.errors[l], rate: lr });
      }
    return work;
  }

  /** Writes the counter's error spikes (unit order, |count| each) into `list` and clears the counter. */
  private releaseErrors(list: SpikeList): number {
    const counter = this.counter;
    let n = 0;
    for (let j = 0; j < counter.length; j++) n += Math.abs(counter[j]);
    while (list.storage.length < n) list.grow(this.maxSpikes, "the error counter");
    const codes = list.storage.i32();
    let k = 0;
    for (let j = 0; j < counter.length; j++) {
      const c = counter[j];
      for (let m = 0; m < Math.abs(c); m++) codes[k++] = c > 0 ? j : ~j;
    }
    this.counter.fill(0);
    list.length = n;
    return n;
  }

  /**
   * Keeps the error spikes of layer l whose unit has Σu ≥ 0 (the ReLU derivative), in order, and adds
   * them to the layer's error counts e_l; returns how many passed.
   */
  private gate(l: number): number {
    const list = this.errorSpikes[l];
    const codes = list.codes();
    const sum = this.sumU[l].f32();
    const e = this.errors[l].f32();
    let kept = 0;
    for (let k = 0; k < codes.length; k++) {
      const code = codes[k];
      const j = code >= 0 ? code : ~code;
      if (!(sum[j] >= 0)) continue;
      codes[kept++] = code;
      e[j] += code >= 0 ? 1 : -1;
    }
    list.length = kept;
    return kept;
  }

  /**
   * The network's output for x: W_Lᵀ c_L / T, with c_L the spike counts of the last layer's inputs over T
   * steps of the test herders (rectified, reset each sample). Its argmax is the prediction.
   */
  predict(x: ArrayLike<number>): Float64Array {
    return this.predictWithWork(x).output;
  }

  /** predict(), and the spikes into every layer (one weight-row addition each, the readout's included). */
  predictWithWork(x: ArrayLike<number>): { output: Float64Array; rowAdditions: number } {
    this.checkAlive();
    const L = this.sizes.length - 1;
    this.setInput(x);
    this.phiIn.f32().fill(0);
    for (const s of [...this.phiTest, ...this.testCounts]) s.f32().fill(0);
    let rowAdditions = 0;
    for (let t = 0; t < this.steps; t++) {
      this.runVector(this.inputSpikes, "the input herder", this.phiIn, this.input, 1, this.testCounts[0]);
      let src = this.inputSpikes;
      for (let l = 0; l < L - 1; l++) {
        rowAdditions += src.length;
        this.forwardLayer(l, src, this.forwardSpikes[l], this.phiTest[l], null, this.testCounts[l + 1]);
        src = this.forwardSpikes[l];
      }
      rowAdditions += src.length;
    }
    const [rows, cols] = [this.sizes[L - 1], this.sizes[L]];
    const c = this.testCounts[L - 1].f32();
    const w = this.w[L - 1].f32();
    const output = new Float64Array(cols);
    for (let i = 0; i < rows; i++) {
      if (c[i] === 0) continue;
      for (let j = 0; j < cols; j++) output[j] += c[i] * w[i * cols + j];
    }
    for (let j = 0; j < cols; j++) output[j] /= this.steps;
    return { output, rowAdditions };
  }
}
