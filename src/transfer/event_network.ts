// A trained coarse-LIF network run exactly, event by event, with continuous-time LIF neurons
// (neurons/continuous_lif.ts), each layer by its implementation registered for the event engine. Signals between layers are per-step "analog" masses (the pixels' currents, biases)
// and impulses (the weighted spikes of earlier neurons, at their exact times). Linear and conv layers act
// on both (impulses one by one, scattered to the units they reach); a neuron layer receives its analog
// mass spread within each step, merged with its impulses. Max pooling of currents is defined below.
import { ValueError } from "../errors.js";
import type { Conv2d } from "../nn/conv2d.js";
import type { Linear } from "../nn/linear.js";
import type { Module } from "../nn/module.js";
import type { AvgPool2d, MaxPool2d } from "../nn/pool.js";
import type { Scale } from "../nn/scale.js";
import type { Sequential } from "../nn/sequential.js";
import type { Rng } from "../random/rng.js";
import { tensor } from "../tensor/creation.js";
import { noGrad, tidy } from "../tensor/engine.js";
import { layerImplementation, registerLayer } from "../nn/layer_engines.js";
import { runContinuousCuba } from "../neurons/continuous_cuba.js";
import { type ContinuousRun, type FiringRule, type Impulses, runContinuousLif } from "../neurons/continuous_lif.js";
import type { SpikingNeuron } from "../neurons/neuron.js";
import type { Recurrent } from "../neurons/recurrent.js";
import { type ContinuousLayer, continuousLayer } from "./continuous_neurons.js";
import { mergeImpulses, type Spread, spreadSteps } from "./impulses.js";

/** A signal over `units` units (shape without batch) for T steps: per-step masses and per-unit impulses. */
interface Signal {
  shape: number[];
  /** [T × units] mass per step, or null. */
  analog: Float32Array | null;
  /** Per unit, its impulses sorted by time, or null. */
  impulses: Impulses[] | null;
}

/** How the transferred network runs. */
export interface EventRunOptions {
  /** Impulses per step that carry a step's analog input (default 16). */
  substeps?: number;
  /** Their timing within the step (default "even"). */
  spread?: Spread;
  /** Generator of uniform timings. */
  rng?: Rng;
  /** When neurons fire (default "crossing": the continuous LIF). */
  fire?: FiringRule;
}

/** A transferred network's result on one input: its output per step, and the spikes of each neuron layer. */
export interface EventRun {
  /** `[T × outputs]`: the last layer's membrane at each step end (membrane readout), or its spikes per step. */
  output: Float32Array;
  outputs: number;
  /** Spikes emitted by each neuron layer, in layer order. */
  spikesPerLayer: number[];
}

const unitsOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** A stateless layer on analog masses, all steps at once on the tensor engine ([T, ...shape] in and out). */
function analogLayer(layer: Module, analog: Float32Array, shape: number[], T: number): { analog: Float32Array; shape: number[] } {
  let out: Float32Array = new Float32Array(0);
  let outShape: number[] = [];
  noGrad(() =>
    tidy(() => {
      const y = layer.forward(tensor(analog, [T, ...shape]));
      out = y.dataFloat32();
      outShape = y.shape.slice(1);
    }),
  );
  return { analog: out, shape: outShape };
}

/** Impulses into a weighted layer: each input impulse (unit i, t, w) reaches the units j it is connected to with w·W_ij. */
function scatter(impulses: Impulses[], reach: (i: number, emit: (j: number, weight: number) => void) => void, outUnits: number): Impulses[] {
  // Visit the inputs' impulses in time order (ties: lower input unit first), so every target's list comes out sorted.
  let n = 0;
  for (const p of impulses) n += p.t.length;
  const times = new Float64Array(n);
  const units = new Int32Array(n);
  const weights = new Float64Array(n);
  let at = 0;
  impulses.forEach((p, i) => {
    for (let q = 0; q < p.t.length; q++) {
      times[at] = p.t[q];
      units[at] = i;
      weights[at++] = p.w[q];
    }
  });
  const order = Uint32Array.from({ length: n }, (_, q) => q).sort((a, b) => times[a] - times[b] || units[a] - units[b]);
  const out: Impulses[] = Array.from({ length: outUnits }, () => ({ t: [], w: [] }));
  for (const q of order) {
    const t = times[q];
    const w = weights[q];
    reach(units[q], (j, weight) => {
      out[j].t.push(t);
      out[j].w.push(w * weight);
    });
  }
  return out;
}

/** The impulses an AvgPool2d layer passes on: each input impulse reaches every window that covers it, with weight 1/k². */
export function avgPoolImpulses(layer: AvgPool2d, impulses: Impulses[], inShape: readonly number[], outShape: readonly number[]): Impulses[] {
  const [C, H, W] = inShape;
  const [, OH, OW] = outShape;
  const { kernelSize: K, stride } = layer;
  const share = 1 / (K * K);
  const reach = (i: number, emit: (j: number, weight: number) => void) => {
    const [c, y, x] = [Math.floor(i / (H * W)), Math.floor(i / W) % H, i % W];
    for (let oy = Math.max(0, Math.ceil((y - K + 1) / stride)); oy <= Math.min(OH - 1, Math.floor(y / stride)); oy++)
      for (let ox = Math.max(0, Math.ceil((x - K + 1) / stride)); ox <= Math.min(OW - 1, Math.floor(x / stride)); ox++) emit((c * OH + oy) * OW + ox, share);
  };
  return scatter(impulses, reach, C * OH * OW);
}

/** The impulses a Scale layer passes on: each unit's, times its factor. */
function scaleImpulses(layer: Scale, impulses: Impulses[]): Impulses[] {
  const f = layer.factors.dataFloat32();
  return impulses.map((p, i) => ({ t: p.t, w: p.w.map((w) => w * f[f.length === 1 ? 0 : i]) }));
}

/** The impulses a Linear layer (without its bias) passes on: each input impulse (i, t, w) reaches every output j with weight w·W_ij. */
export function linearImpulses(layer: Linear, impulses: Impulses[]): Impulses[] {
  const w = layer.weight.dataFloat32();
  const n = layer.outFeatures;
  return scatter(
    impulses,
    (i, emit) => {
      for (let j = 0; j < n; j++) emit(j, w[i * n + j]);
    },
    n,
  );
}

/**
 * The impulses a Conv2d layer (without its bias) passes on from impulses on its inputs (shape inShape,
 * [C, H, W]) to its outputs (outShape): each input impulse (i, t, w) reaches every output j its kernel
 * connects it to, with weight w·W_ij.
 */
export function convImpulses(layer: Conv2d, impulses: Impulses[], inShape: readonly number[], outShape: readonly number[]): Impulses[] {
  const w = layer.weight.dataFloat32();
  const [C, H, W] = inShape;
  const [OC, OH, OW] = outShape;
  const K = layer.kernelSize;
  const { stride, padding } = layer;
  const reach = (i: number, emit: (j: number, weight: number) => void) => {
    const c = Math.floor(i / (H * W));
    const y = Math.floor(i / W) % H;
    const x = i % W;
    for (let ky = 0; ky < K; ky++) {
      const oyS = y + padding - ky;
      if (oyS < 0 || oyS % stride !== 0 || oyS / stride >= OH) continue;
      for (let kx = 0; kx < K; kx++) {
        const oxS = x + padding - kx;
        if (oxS < 0 || oxS % stride !== 0 || oxS / stride >= OW) continue;
        for (let o = 0; o < OC; o++) emit((o * OH + oyS / stride) * OW + oxS / stride, w[((o * C + c) * K + ky) * K + kx]);
      }
    }
  };
  return scatter(impulses, reach, unitsOf(outShape));
}

/**
 * A weighted layer on a signal: its analog part by the tensor engine (bias included), its impulses by
 * `impulses` (linearImpulses or convImpulses).
 */
function weightedLayer<L extends Module>(impulses: (layer: L, p: Impulses[], inShape: readonly number[], outShape: readonly number[]) => Impulses[]): EventLayer {
  return (layer, s, run) => {
    // The analog part carries the bias: the layer on the analog masses (zeros when there are none).
    const analog = analogLayer(layer, s.analog ?? new Float32Array(run.T * unitsOf(s.shape)), s.shape, run.T);
    return { shape: analog.shape, analog: analog.analog, impulses: s.impulses ? impulses(layer as L, s.impulses, s.shape, analog.shape) : null };
  };
}

/**
 * The pooled impulses of one window (see maxPool): within each step [s, s + 1) the pooled accumulated
 * input is the largest of the window's accumulated inputs; each change of it is an impulse.
 */
export function maxPoolImpulses(window: readonly Impulses[]): Impulses {
  const next = new Int32Array(window.length);
  const acc = new Float64Array(window.length);
  let step = -1;
  let max = 0;
  const p: Impulses = { t: [], w: [] };
  // Merge the window's sorted lists (ties: the earlier slot first).
  for (;;) {
    let slot = -1;
    for (let q = 0; q < window.length; q++) if (next[q] < window[q].t.length && (slot < 0 || window[q].t[next[q]] < window[slot].t[next[slot]])) slot = q;
    if (slot < 0) break;
    const t = window[slot].t[next[slot]];
    const w = window[slot].w[next[slot]++];
    if (Math.floor(t) !== step) {
      step = Math.floor(t);
      acc.fill(0);
      max = 0;
    }
    acc[slot] += w;
    let m = acc[0];
    for (let q = 1; q < window.length; q++) if (acc[q] > m) m = acc[q];
    if (m !== max) {
      p.t.push(t);
      p.w.push(m - max);
      max = m;
    }
  }
  return p;
}

/**
 * Max pooling of currents. Analog masses pool as in the coarse model (the largest of each step). For
 * impulses: within each step, the pooled unit's accumulated input is the largest of its window's
 * accumulated inputs, and every change of that maximum is an impulse of the pooled unit. At each step's
 * end it equals the coarse model's pooled input. (An analog part the whole window shares, such as a
 * conv bias, adds to that maximum unchanged.)
 */
function maxPool(pool: Module, s: Signal, run: EventRunState): Signal {
  const layer = pool as MaxPool2d;
  const T = run.T;
  const analog = s.analog ? analogLayer(layer, s.analog, s.shape, T) : null;
  if (!s.impulses) return { shape: analog!.shape, analog: analog!.analog, impulses: null };
  const [C, H, W] = s.shape;
  const K = layer.kernelSize;
  const stride = layer.stride;
  const OH = Math.floor((H - K) / stride) + 1;
  const OW = Math.floor((W - K) / stride) + 1;
  if (s.analog)
    for (let step = 0; step < T; step++)
      for (let c = 0; c < C; c++) {
        const first = s.analog[step * C * H * W + c * H * W];
        for (let i = 1; i < H * W; i++)
          if (s.analog[step * C * H * W + c * H * W + i] !== first)
            throw new ValueError("transfer: max pooling", "an analog current shared by each pooling window (a bias) when spikes arrive too", "different analog currents");
      }
  const out: Impulses[] = [];
  const window: Impulses[] = [];
  for (let c = 0; c < C; c++)
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++) {
        window.length = 0;
        for (let ky = 0; ky < K; ky++) for (let kx = 0; kx < K; kx++) window.push(s.impulses[(c * H + oy * stride + ky) * W + ox * stride + kx]);
        out.push(maxPoolImpulses(window));
      }
  return { shape: [C, OH, OW], analog: analog?.analog ?? null, impulses: out };
}

/** One unit of a layer in continuous time on its impulses (their weights already scaled by the layer's gain). */
function runUnit(c: ContinuousLayer, input: Impulses, T: number, readMembrane: boolean, fire: FiringRule | undefined): ContinuousRun {
  return c.kind === "lif" ? runContinuousLif(input, c.tau, T, readMembrane, fire, c.neuron) : runContinuousCuba(input, c.constants, T, readMembrane, fire, c.neuron);
}

/** Impulses with their weights times `gain`. */
const scaled = (p: Impulses, gain: number): Impulses => (gain === 1 ? p : { t: p.t, w: p.w.map((w) => gain * w) });

/**
 * Runs a layer's units in continuous time (continuousLayer: a CoarseLIF's neurons, the ODE of a LIF or IF
 * layer, the current-based neuron of a Synaptic layer), each exactly on its analog mass spread within each
 * step and its impulses (and `extra` impulses, e.g. a recurrent layer's feedback), all scaled by the
 * layer's input gain; returns each unit's spike times and, when asked, its membrane at the step ends.
 */
function runUnits(c: ContinuousLayer, s: Signal, run: EventRunState, readMembrane: boolean, extra: Impulses[] | null = null): ContinuousRun[] {
  const { T } = run;
  const units = unitsOf(s.shape);
  return Array.from({ length: units }, (_, u) => {
    const mass = s.analog ? Float32Array.from({ length: T }, (_, step) => c.gain * s.analog![step * units + u]) : null;
    let input: Impulses = mass ? spreadSteps(mass, run.substeps, run.spread, run.rng) : { t: [], w: [] };
    if (s.impulses) input = mergeImpulses(input, scaled(s.impulses[u], c.gain));
    if (extra) input = mergeImpulses(input, scaled(extra[u], c.gain));
    return runUnit(c, input, T, readMembrane, run.fire);
  });
}

/** A neuron layer's spikes as the signal to the next layer, counted, and as the network's output when it is the last. */
function emit(layer: Module, runs: ContinuousRun[], s: Signal, run: EventRunState, readMembrane: boolean): Signal {
  const { T } = run;
  const units = runs.length;
  run.spikesPerLayer.push(runs.reduce((n, r) => n + r.spikes.length, 0));
  if (layer === run.last) {
    const output = new Float32Array(T * units);
    runs.forEach((r, u) => {
      for (let step = 0; step < T; step++) output[step * units + u] = readMembrane ? r.stepEnds![step] : r.spikes.filter((t) => Math.floor(t) === step).length;
    });
    run.output = { output, outputs: units, spikesPerLayer: run.spikesPerLayer };
  }
  return { shape: s.shape, analog: null, impulses: runs.map((r) => ({ t: r.spikes, w: r.spikes.map(() => 1) })) };
}

/** A layer of neurons in continuous time (runUnits), its spikes passed on. */
function continuousNeurons(neurons: Module, s: Signal, run: EventRunState): Signal {
  const c = continuousLayer(neurons, neurons === run.last);
  const readMembrane = neurons === run.last && (neurons as SpikingNeuron).output === "membrane";
  return emit(neurons, runUnits(c, s, run, readMembrane), s, run, readMembrane);
}

/**
 * A Recurrent layer in continuous time: its cell's neurons, with the spikes of each fed back through the
 * feedback layer (weights W, bias b) one step later, as the step-by-step layer adds s[t−1]·W + b at step t
 * (the bias as a mass in every step but the first). The feedback depends on the spikes it causes, so the
 * layer is run again with the feedback of the previous run until its spikes no longer change: with a delay
 * of one step, run n is exact up to step n, so at most T + 1 runs.
 */
function recurrentNeurons(module: Module, s: Signal, run: EventRunState): Signal {
  const layer = module as Recurrent;
  const c = continuousLayer(layer.cell, layer === run.last, layer.output);
  const { T } = run;
  const n = layer.feedback.inFeatures;
  const readMembrane = layer === run.last && layer.output === "membrane";
  const W = layer.feedback.weight.dataFloat32();
  const b = layer.feedback.bias?.dataFloat32() ?? null;
  // The bias as a mass per step from the second step on, spread like any mass.
  const bias: Impulses[] = Array.from({ length: n }, (_, u) => (b ? spreadSteps(Float32Array.from({ length: T }, (_, step) => (step === 0 ? 0 : b[u])), run.substeps, run.spread, run.rng) : { t: [], w: [] }));
  let runs: ContinuousRun[] = [];
  let key = "";
  for (let pass = 0; pass <= T + 1; pass++) {
    const feedback: Impulses[] = bias.map((p) => ({ t: [...p.t], w: [...p.w] }));
    if (pass > 0) {
      const arrivals: Impulses[] = Array.from({ length: n }, () => ({ t: [], w: [] }));
      runs.forEach((r, j) => {
        for (const t of r.spikes)
          if (t + 1 < T)
            for (let i = 0; i < n; i++) {
              arrivals[i].t.push(t + 1);
              arrivals[i].w.push(W[j * n + i]);
            }
      });
      for (let i = 0; i < n; i++) {
        const order = arrivals[i].t.map((_, q) => q).sort((x, y) => arrivals[i].t[x] - arrivals[i].t[y]);
        feedback[i] = mergeImpulses(feedback[i], { t: order.map((q) => arrivals[i].t[q]), w: order.map((q) => arrivals[i].w[q]) });
      }
    }
    runs = runUnits(c, s, run, readMembrane, feedback);
    const next = JSON.stringify(runs.map((r) => r.spikes));
    if (pass > 0 && next === key) break;
    key = next;
  }
  return emit(layer, runs, s, run, readMembrane);
}

/** How the event engine runs one kind of layer: signal in, signal out. */
type EventLayer = (layer: Module, s: Signal, run: EventRunState) => Signal;

/** One run's settings, its last neuron layer, and what the neuron layers have produced so far. */
interface EventRunState {
  T: number;
  substeps: number;
  spread: Spread;
  rng: Rng | null;
  fire?: FiringRule;
  last: Module;
  spikesPerLayer: number[];
  output: EventRun | null;
}

/** The layers the event engine runs, and which of them are neurons. */
const EVENT_LAYERS: Record<string, { run: EventLayer; neurons?: true }> = {
  Linear: { run: weightedLayer((l: Linear, p) => linearImpulses(l, p)) },
  Conv2d: { run: weightedLayer(convImpulses) },
  MaxPool2d: { run: maxPool },
  AvgPool2d: { run: weightedLayer(avgPoolImpulses) },
  Scale: { run: weightedLayer(scaleImpulses) },
  Flatten: { run: (_layer, s) => ({ ...s, shape: [unitsOf(s.shape)] }) },
  CoarseLIF: { run: continuousNeurons, neurons: true },
  LIF: { run: continuousNeurons, neurons: true },
  IF: { run: continuousNeurons, neurons: true },
  Synaptic: { run: continuousNeurons, neurons: true },
  Recurrent: { run: recurrentNeurons, neurons: true },
};
for (const [kind, implementation] of Object.entries(EVENT_LAYERS)) registerLayer("event", kind, implementation);

/**
 * Runs a coarse-LIF network (the layers registered for the event engine: Conv2d, Linear, MaxPool2d,
 * Flatten and CoarseLIF) on one input x [T, ...] of per-step masses (a direct-encoded image repeated T
 * times, or the input spikes of each step) with continuous-time neurons: each CoarseLIF layer becomes
 * continuous-time LIF neurons with its τ, threshold 1, reset to 0 and a refractory period of one step.
 */
export function runEventNetwork(model: Sequential, x: Float32Array, inputShape: readonly number[], T: number, options: EventRunOptions = {}): EventRun {
  const k = options.substeps ?? 16;
  if (!(Number.isInteger(k) && k >= 1 && k <= 1_000_000)) throw new ValueError("substeps", "an integer in [1, 1000000]", k);
  if (x.length !== T * unitsOf(inputShape)) throw new ValueError("x", `${T}·${unitsOf(inputShape)} values`, `${x.length} values`);
  const layers = model.layers.map((layer) => ({ layer, ...layerImplementation<(typeof EVENT_LAYERS)[string]>("event", layer) }));
  const last = layers.filter((l) => l.neurons).at(-1)?.layer;
  if (!last) throw new ValueError("transfer: model", "a network ending in neurons (CoarseLIF, LIF or IF)", "no layer of neurons");
  const run: EventRunState = { T, substeps: k, spread: options.spread ?? "even", rng: options.rng ?? null, fire: options.fire, last, spikesPerLayer: [], output: null };
  let s: Signal = { shape: [...inputShape], analog: x, impulses: null };
  for (const { layer, run: step } of layers) s = step(layer, s, run);
  return run.output!;
}
