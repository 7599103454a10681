// A spiking policy for the cart-pole: the observation drives a layer of coarse-scale LIF neurons as
// constant currents for a few coarse steps per environment step, the neurons' state carried from one
// environment step to the next (streaming), and a linear readout of their spike counts picks the action.
// A population of policies (one parameter vector each) runs in lockstep on its own environments.
import { ValueError } from "../errors.js";
import { CoarseLIF } from "../neurons/coarse_lif.js";
import type { Tensor } from "../tensor/tensor.js";
import type { NeuronState } from "../neurons/neuron.js";
import { tensor } from "../tensor/creation.js";
import { dispose, keep, noGrad, tidy } from "../tensor/engine.js";
import { add } from "../tensor/ops/elementwise.js";
import { matmul } from "../tensor/ops/matmul.js";
import { broadcastTo, sum } from "../tensor/ops/reduce.js";
import { reshape } from "../tensor/ops/shape_ops.js";
import { type ContinuousState, receiveImpulse, restingState } from "../neurons/continuous_lif.js";
import type { Environment } from "./cartpole.js";

/** The cart-pole observation's scales: x/2.4 m, ẋ/3 m/s, θ/0.21 rad, θ̇/3.5 rad/s map typical values into about [−1, 1]. */
export const CARTPOLE_SCALES = [2.4, 3, 0.21, 3.5] as const;

/**
 * The input currents of an observation: each normalised value v = o/scale goes to two channels,
 * max(v, 0) and max(−v, 0) (an "on" and an "off" neuron per variable, as sensory neurons split signs).
 */
export function encodeObservation(obs: ArrayLike<number>, scales: readonly number[], out: Float32Array, at = 0): void {
  if (obs.length !== scales.length) throw new ValueError("observation", `${scales.length} values`, `${obs.length} values`);
  for (let i = 0; i < scales.length; i++) {
    const v = obs[i] / scales[i];
    if (!Number.isFinite(v)) throw new ValueError(`observation[${i}]`, "a finite number", obs[i]);
    out[at + 2 * i] = Math.max(v, 0);
    out[at + 2 * i + 1] = Math.max(-v, 0);
  }
}

/** The shape of a spiking policy. */
export interface PolicyShape {
  /** The scale of each observation value (CARTPOLE_SCALES for the cart-pole); the network has two inputs per value. */
  scales: readonly number[];
  hidden: number;
  actions: number;
  /** Coarse steps per environment step (default 2). */
  steps: number;
  /** Coarse-LIF τ in steps (default 4). */
  tau: number;
}

/** Parameters of a policy: W_in [2·observations, hidden], b [hidden], W_out [hidden, actions], flat in that order. */
export function policySize(s: PolicyShape): number {
  return 2 * s.scales.length * s.hidden + s.hidden + s.hidden * s.actions;
}

/** Checks a policy shape. */
export function checkPolicyShape(s: PolicyShape): PolicyShape {
  const int = (name: string, v: number, max: number) => {
    if (!(Number.isInteger(v) && v >= 1 && v <= max)) throw new ValueError(`policy: ${name}`, `an integer in [1, ${max}]`, v);
  };
  int("observations", s.scales.length, 1000);
  s.scales.forEach((v, i) => {
    if (!(Number.isFinite(v) && v > 0)) throw new ValueError(`policy: scales[${i}]`, "a number > 0", v);
  });
  int("hidden", s.hidden, 100_000);
  int("actions", s.actions, 1000);
  int("steps", s.steps, 1000);
  if (!(Number.isFinite(s.tau) && s.tau > 0 && s.tau <= 1e6)) throw new ValueError("policy: tau", "a number in (0, 1e6]", s.tau);
  return s;
}

/** The policy's weights as tensors: W_in [.., 2·observations, hidden], b [.., 1, hidden], W_out [.., hidden, actions] (a leading population axis, or none for one shared policy). */
export interface PolicyTensors {
  wIn: Tensor;
  bias: Tensor;
  wOut: Tensor;
}

/**
 * One environment step of the policy for P inputs x [P, 1, 2·observations]: currents I = x·W_in + b held
 * for `steps` coarse steps of the hidden layer from `state`; returns the action scores counts·W_out
 * [P, 1, actions], the spike counts [P, hidden] and the layer's state after the step.
 */
export function policyStep(layer: CoarseLIF, steps: number, x: Tensor, w: PolicyTensors, state: NeuronState | null): { scores: Tensor; counts: Tensor; state: NeuronState } {
  const P = x.shape[0];
  const hidden = w.bias.shape[w.bias.rank - 1];
  const current = reshape(add(matmul(x, w.wIn), w.bias), [1, P, hidden]);
  const r = layer.run(broadcastTo(current, [steps, P, hidden]), state);
  const counts = sum(r.spikes, 0);
  return { scores: matmul(reshape(counts, [P, 1, hidden]), w.wOut), counts, state: r.final };
}

/** How a rollout runs its neurons. */
export interface RolloutOptions {
  /** Record member 0's hidden spike counts per environment step. */
  raster?: boolean;
  /**
   * "coarse" (default): the coarse-LIF layer on the tensor engine; "event": the same policy with
   * continuous-time LIF neurons (neurons/continuous_lif.ts), each coarse step's current arriving as
   * `substeps` evenly spaced impulses, the neurons' state carried across environment steps.
   */
  engine?: "coarse" | "event";
  /** Impulses per coarse step in the event engine (default 16). */
  substeps?: number;
}

/** Returns of whole episodes, and the actions of the first member's first episode (for plots). */
export interface RolloutResult {
  /** returns[p]: member p's return. */
  returns: number[];
  /** Spikes of the hidden layer per environment step of member 0 (steps × hidden), when asked. */
  raster?: Float32Array[];
}

/**
 * Runs one episode per member: member p with parameters params[p] on envs[p], reset with seeds[p], all in
 * lockstep until every episode has ended. Each environment step: currents I = x·W_in + b held for
 * `steps` coarse steps of the hidden CoarseLIF layer (its state carried over), action = argmax of
 * counts·W_out (ties: the lower action).
 */
export function rollout(shape: PolicyShape, params: readonly Float32Array[], envs: readonly Environment[], seeds: readonly number[], options: RolloutOptions = {}): RolloutResult {
  const s = checkPolicyShape(shape);
  const P = params.length;
  if (envs.length !== P || seeds.length !== P) throw new ValueError("rollout", `as many environments and seeds as parameter vectors (${P})`, `${envs.length} and ${seeds.length}`);
  const nIn = 2 * s.scales.length;
  const size = policySize(s);
  params.forEach((p, i) => {
    if (p.length !== size) throw new ValueError(`params[${i}]`, `${size} values`, `${p.length} values`);
  });
  const wIn = new Float32Array(P * nIn * s.hidden);
  const bias = new Float32Array(P * s.hidden);
  const wOut = new Float32Array(P * s.hidden * s.actions);
  params.forEach((p, i) => {
    wIn.set(p.subarray(0, nIn * s.hidden), i * nIn * s.hidden);
    bias.set(p.subarray(nIn * s.hidden, nIn * s.hidden + s.hidden), i * s.hidden);
    wOut.set(p.subarray(nIn * s.hidden + s.hidden), i * s.hidden * s.actions);
  });
  const layer = new CoarseLIF({ tau: s.tau });
  const returns = new Array<number>(P).fill(0);
  const alive = new Array<boolean>(P).fill(true);
  const obs = envs.map((env, i) => env.reset(seeds[i]));
  const raster: Float32Array[] = [];
  const x = new Float32Array(P * nIn);
  let state: NeuronState | null = null;
  const weights = [tensor(wIn, [P, nIn, s.hidden]), tensor(bias, [P, 1, s.hidden]), tensor(wOut, [P, s.hidden, s.actions])].map(keep);
  const w: PolicyTensors = { wIn: weights[0], bias: weights[1], wOut: weights[2] };
  const event = options.engine === "event";
  const k = options.substeps ?? 16;
  if (event && !(Number.isInteger(k) && k >= 1 && k <= 100_000)) throw new ValueError("substeps", "an integer in [1, 100000]", k);
  const neurons = event ? Array.from({ length: P * s.hidden }, restingState) : [];
  let envStep = 0;
  try {
    while (alive.some(Boolean)) {
      for (let i = 0; i < P; i++) encodeObservation(obs[i], s.scales, x, i * nIn);
      let q: ArrayLike<number>;
      if (event) {
        q = noGrad(() =>
          tidy(() => {
            const counts = continuousCounts(s, tensor(x, [P, 1, nIn]), w, neurons, envStep, k);
            if (options.raster && alive[0]) raster.push(counts.subarray(0, s.hidden));
            // The same readout as policyStep: counts·W_out.
            return Array.from(matmul(tensor(counts, [P, 1, s.hidden]), w.wOut).dataFloat32());
          }),
        );
      } else {
        const scores = noGrad(() =>
          tidy(() => {
            const step = policyStep(layer, s.steps, tensor(x, [P, 1, nIn]), w, state);
            const next = Object.fromEntries(Object.entries(step.state).map(([name, v]) => [name, keep(v)]));
            if (state) dispose(Object.values(state));
            state = next;
            if (options.raster && alive[0]) raster.push(step.counts.dataFloat32().subarray(0, s.hidden));
            return step.scores;
          }),
        );
        q = scores.dataFloat32();
        scores.dispose();
      }
      envStep++;
      for (let i = 0; i < P; i++) {
        if (!alive[i]) continue;
        let best = 0;
        for (let a = 1; a < s.actions; a++) if (q[i * s.actions + a] > q[i * s.actions + best]) best = a;
        const r = envs[i].step(best);
        returns[i] += r.reward;
        obs[i] = r.observation;
        if (r.terminated || r.truncated) alive[i] = false;
      }
    }
  } finally {
    dispose(weights);
    if (state) dispose(Object.values(state as NeuronState));
  }
  return options.raster ? { returns, raster } : { returns };
}

/**
 * The hidden spike counts [P × hidden] of one environment step with continuous-time neurons: the currents
 * I = x·W_in + b of each coarse step arrive as k evenly spaced impulses I/k; the neurons (τ of the shape,
 * threshold 1, reset 0, refractory one coarse step) carry their state from step to step.
 */
function continuousCounts(s: PolicyShape, x: Tensor, w: PolicyTensors, neurons: ContinuousState[], envStep: number, k: number): Float32Array {
  const currents = add(matmul(x, w.wIn), w.bias).dataFloat32();
  const counts = new Float32Array(currents.length);
  const base = envStep * s.steps;
  for (let u = 0; u < currents.length; u++) {
    const w0 = currents[u] / k;
    for (let step = 0; step < s.steps; step++)
      for (let i = 0; i < k; i++) if (receiveImpulse(neurons[u], base + step + (i + 0.5) / k, w0, s.tau)) counts[u]++;
  }
  return counts;
}

/** Mean return of one policy over `episodes` episodes (seeds seed, seed + 1, ...), run as one population. */
export function meanReturn(shape: PolicyShape, params: Float32Array, makeEnv: () => Environment, episodes: number, seed: number, options: RolloutOptions = {}): number {
  if (!(Number.isInteger(episodes) && episodes >= 1 && episodes <= 100_000)) throw new ValueError("episodes", "an integer in [1, 100000]", episodes);
  const r = rollout(
    shape,
    Array.from({ length: episodes }, () => params),
    Array.from({ length: episodes }, makeEnv),
    Array.from({ length: episodes }, (_, i) => seed + i),
    options,
  );
  return r.returns.reduce((a, b) => a + b, 0) / episodes;
}
