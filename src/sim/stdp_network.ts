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
  /** Time of each neuron's last spike: its traces' values are at that time, after the jump. */
  private readonly last: Float64Array;
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
   */
  constructor(
    private readonly stdp: NetworkStdp,
    N: number,
    private readonly outStart: Int32Array,
    private readonly outPost: Int32Array,
    private readonly entryOf: Int32Array,
  ) {
    checkStdpRule(stdp.rule);
    [this.r1, this.r2, this.o1, this.o2] = [0, 1, 2, 3].map(() => new Float64Array(N));
    this.last = new Float64Array(N).fill(Number.NEGATIVE_INFINITY);
    this.plastic = new Uint8Array(outPost.length);
    if (stdp.synapses === undefined) this.plastic.fill(1);
    else
      stdp.synapses.forEach((s, k) => {
        if (!(Number.isInteger(s) && s >= 0 && s < entryOf.length)) throw new ValueError(`stdp.synapses[${k}]`, `a synapse index in [0, ${entryOf.length})`, s);
        this.plastic[entryOf[s]] = 1;
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

  /** A trace of neuron i at time t (its value at i's last spike, decayed). */
  private at(x: Float64Array, i: number, t: number, tau: number): number {
    return this.last[i] === Number.NEGATIVE_INFINITY ? 0 : x[i] * Math.exp(-(t - this.last[i]) / tau);
  }

  /**
   * Neuron i fires n spikes at t: its plastic outgoing synapses are depressed (the presynaptic side), its
   * presynaptic traces jump, its plastic incoming synapses are potentiated, and its postsynaptic traces
   * jump (the order StdpSynapse takes for a presynaptic and a postsynaptic spike at one instant). `w`: the
   * weights in table order, updated in place.
   */
  spike(i: number, t: number, n: number, w: Float64Array): void {
    const rule = this.stdp.rule;
    const r2i = this.at(this.r2, i, t, rule.tauX);
    for (let e = this.outStart[i]; e < this.outStart[i + 1]; e++) {
      if (!this.plastic[e]) continue;
      const j = this.outPost[e];
      w[e] = depress(rule, w[e], this.at(this.o1, j, t, rule.tauMinus), r2i, n);
    }
    const r1i = jump(rule, this.at(this.r1, i, t, rule.tauPlus), n);
    const r2iAfter = jump(rule, r2i, n);
    const o2i = this.at(this.o2, i, t, rule.tauY);
    for (let k = this.inStart[i]; k < this.inStart[i + 1]; k++) {
      const e = this.inEntries[k];
      if (!this.plastic[e]) continue;
      const p = this.inPre[k];
      const r1p = p === i ? r1i : this.at(this.r1, p, t, rule.tauPlus);
      w[e] = potentiate(rule, w[e], r1p, o2i, n);
    }
    const o1i = jump(rule, this.at(this.o1, i, t, rule.tauMinus), n);
    this.r1[i] = r1i;
    this.r2[i] = r2iAfter;
    this.o1[i] = o1i;
    this.o2[i] = jump(rule, o2i, n);
    this.last[i] = t;
  }

  /** The weights in the network file's synapse order. */
  networkOrder(w: Float64Array): Float64Array {
    return Float64Array.from(this.entryOf, (e) => w[e]);
  }
}
