// STDP on a network's synapses inside a simulator: traces kept per neuron (every synapse of a neuron sees
// the same spikes, so its traces are shared), read in closed form at each spike, and the weight updates of
// the spiking neuron's outgoing (depression) and incoming (potentiation) plastic synapses.
import { ValueError } from "../errors.js";
import { checkStdpRule, depress, jump, potentiate, type StdpRule } from "./stdp.js";

/** Which synapses learn, and by which rule. */
export interface NetworkStdp {
  rule: StdpRule;
  /** Indices of the plastic synapses in the network file's order (default: all). */
  synapses?: readonly number[];
}

/** The plastic synapses of a network, over the simulator's outgoing-synapse table (CSR). */
export class PlasticSynapses {
  private readonly r1: Float64Array;
  private readonly r2: Float64Array;
  private readonly o1: Float64Array;
  private readonly o2: Float64Array;
  /** Time of each neuron's last spike as a presynaptic and as a postsynaptic neuron: its traces' values are at that time, after the jump. */
  private readonly lastPre: Float64Array;
  private readonly lastPost: Float64Array;
  /** Whether each table entry (CSR order) is plastic. */
  private readonly plastic: Uint8Array;
  /** Incoming synapses of each neuron as table entries, inEntries[inStart[i] .. inStart[i + 1]), and their presynaptic neurons. */
  private readonly inStart: Int32Array;
  private readonly inEntries: Int32Array;
  private readonly inPre: Int32Array;

  /**
   * @param outStart outgoing table: neuron i's synapses are entries outStart[i] .. outStart[i + 1]
   * @param outPost the postsynaptic neuron of each entry
   * @param entryOf the table entry of each synapse of the network file
   * @param weights the weights in table order: a plastic one outside [w_min, w_max] is a ValueError
   */
  constructor(
    private readonly stdp: NetworkStdp,
    N: number,
    private readonly outStart: Int32Array,
    private readonly outPost: Int32Array,
    private readonly entryOf: Int32Array,
    weights: ArrayLike<number>,
  ) {
    const { wMin, wMax } = checkStdpRule(stdp.rule);
    [this.r1, this.r2, this.o1, this.o2] = [0, 1, 2, 3].map(() => new Float64Array(N));
    this.lastPre = new Float64Array(N).fill(Number.NEGATIVE_INFINITY);
    this.lastPost = new Float64Array(N).fill(Number.NEGATIVE_INFINITY);
    this.plastic = new Uint8Array(outPost.length);
    if (stdp.synapses === undefined) this.plastic.fill(1);
    else
      stdp.synapses.forEach((s, k) => {
        if (!(Number.isInteger(s) && s >= 0 && s < entryOf.length)) throw new ValueError(`stdp.synapses[${k}]`, `a synapse index in [0, ${entryOf.length})`, s);
        this.plastic[entryOf[s]] = 1;
      });
    entryOf.forEach((e, k) => {
      if (this.plastic[e] && !(weights[e] >= wMin && weights[e] <= wMax)) throw new ValueError(`weight of synapse ${k}`, `a plastic synapse's weight in [${wMin}, ${wMax}]`, weights[e]);
    });
    this.inStart = new Int32Array(N + 1);
    for (const j of outPost) this.inStart[j + 1]++;
    for (let i = 0; i < N; i++) this.inStart[i + 1] += this.inStart[i];
    const fill = this.inStart.slice(0, N);
    this.inEntries = new Int32Array(outPost.length);
    this.inPre = new Int32Array(outPost.length);
    for (let p = 0; p < N; p++)
      for (let e = outStart[p]; e < outStart[p + 1]; e++) {
        const at = fill[outPost[e]]++;
        this.inEntries[at] = e;
        this.inPre[at] = p;
      }
  }

  /** A trace x of neuron i at time t, from its value at `last[i]`, decayed with τ. */
  private static at(x: Float64Array, last: Float64Array, i: number, t: number, tau: number): number {
    return last[i] === Number.NEGATIVE_INFINITY ? 0 : x[i] * Math.exp(-(t - last[i]) / tau);
  }

  /** Neuron i fires n spikes at t (both sides, in StdpSynapse's order: preSpike, then postSpike). `w`: the weights in table order, updated in place. */
  spike(i: number, t: number, n: number, w: Float64Array): void {
    this.preSpike(i, t, n, w);
    this.postSpike(i, t, n, w);
  }

  /** The presynaptic side of n spikes of neuron i at t: its plastic outgoing synapses are depressed, then its presynaptic traces jump. */
  preSpike(i: number, t: number, n: number, w: Float64Array): void {
    const rule = this.stdp.rule;
    const at = PlasticSynapses.at;
    const r2i = at(this.r2, this.lastPre, i, t, rule.tauX);
    for (let e = this.outStart[i]; e < this.outStart[i + 1]; e++)
      if (this.plastic[e]) w[e] = depress(rule, w[e], at(this.o1, this.lastPost, this.outPost[e], t, rule.tauMinus), r2i, n);
    this.r1[i] = jump(rule, at(this.r1, this.lastPre, i, t, rule.tauPlus), n);
    this.r2[i] = jump(rule, r2i, n);
    this.lastPre[i] = t;
  }

  /** The postsynaptic side of n spikes of neuron i at t: its plastic incoming synapses are potentiated, then its postsynaptic traces jump. */
  postSpike(i: number, t: number, n: number, w: Float64Array): void {
    const rule = this.stdp.rule;
    const at = PlasticSynapses.at;
    const o2i = at(this.o2, this.lastPost, i, t, rule.tauY);
    for (let k = this.inStart[i]; k < this.inStart[i + 1]; k++) {
      const e = this.inEntries[k];
      if (this.plastic[e]) w[e] = potentiate(rule, w[e], at(this.r1, this.lastPre, this.inPre[k], t, rule.tauPlus), o2i, n);
    }
    this.o1[i] = jump(rule, at(this.o1, this.lastPost, i, t, rule.tauMinus), n);
    this.o2[i] = jump(rule, o2i, n);
    this.lastPost[i] = t;
  }

  /** The weights in the network file's synapse order. */
  networkOrder(w: Float64Array): Float64Array {
    return Float64Array.from(this.entryOf, (e) => w[e]);
  }
}
