// Training a spiking cart-pole policy by policy gradients through the surrogate (REINFORCE with a
// baseline, Williams 1992): the policy samples actions from softmax(counts·W_out), a batch of episodes is
// played, and log π(a_t | s_t) is weighted by the discounted return from t minus the batch's mean return
// from t; the gradient flows back through the spikes (the coarse LIF's surrogate) and through time across
// the environment steps (the layer's state is carried, not detached).
import { CartPole } from "../../control/cartpole.js";
import { CARTPOLE_SCALES, encodeObservation, type PolicyShape, policyStep } from "../../control/spiking_policy.js";
import { ValueError } from "../../errors.js";
import { CoarseLIF } from "../../neurons/coarse_lif.js";
import type { NeuronState } from "../../neurons/neuron.js";
import { Rng, type RngState } from "../../random/rng.js";
import { tensor } from "../../tensor/creation.js";
import { tidy } from "../../tensor/engine.js";
import { type AdamState, adamStep, checkObservationNoise, checkSettings, initialPolicy } from "./policy_training.js";
import { logSoftmax } from "../../tensor/ops/loss.js";
import { mul, neg } from "../../tensor/ops/elementwise.js";
import { sum } from "../../tensor/ops/reduce.js";
import { reshape, stack } from "../../tensor/ops/shape_ops.js";
import type { Tensor } from "../../tensor/tensor.js";

/** Settings of a policy-gradient run. */
export interface PgConfig {
  hidden: number;
  steps: number;
  tau: number;
  /** Episodes per update. */
  batch: number;
  lr: number;
  /** Discount γ of the returns. */
  gamma: number;
  updates: number;
  initScale: number;
  seed: number;
  /** Observation noise σ of the cart-pole (a harder variant; default 0). */
  observationNoise?: number;
}

/** The defaults of `snnkit control cartpole --method pg`. */
export const DEFAULT_PG: PgConfig = { hidden: 16, steps: 2, tau: 4, batch: 8, lr: 0.01, gamma: 0.99, updates: 150, initScale: 0.5, seed: 0 };

/** One update's episodes: their mean return. */
export interface PgUpdate {
  update: number;
  meanReturn: number;
}

/** Where a policy-gradient run stands. */
export interface PgSession {
  config: PgConfig;
  shape: PolicyShape;
  params: Float32Array;
  adam: AdamState;
  rng: RngState;
  history: PgUpdate[];
}

/** Checks a policy-gradient configuration. */
export function checkPgConfig(c: PgConfig): PgConfig {
  checkObservationNoise(c.observationNoise);
  if (!(c.gamma > 0 && c.gamma <= 1)) throw new ValueError("gamma", "a number in (0, 1]", c.gamma);
  return checkSettings(c, [["hidden", 4096], ["steps", 100], ["batch", 10_000], ["updates", 1_000_000]], ["tau", "lr", "initScale"]);
}

/** A new run: parameters initScale·N(0, 1) from Rng(seed). */
export function createPg(config: PgConfig): PgSession {
  const c = checkPgConfig(config);
  const shape: PolicyShape = { scales: CARTPOLE_SCALES, hidden: c.hidden, actions: 2, steps: c.steps, tau: c.tau };
  return { config: c, shape, ...initialPolicy(shape, c.initScale, c.seed), history: [] };
}

/** Discounted returns from each step, G_t = r_t + γ·G_{t+1}, per episode (rewards[t][b], 0 after the end). */
export function returnsToGo(rewards: readonly Float64Array[], gamma: number): Float64Array[] {
  const out = rewards.map((r) => new Float64Array(r.length));
  for (let t = rewards.length - 1; t >= 0; t--)
    for (let b = 0; b < rewards[t].length; b++) out[t][b] = rewards[t][b] + (t + 1 < rewards.length ? gamma * out[t + 1][b] : 0);
  return out;
}

/** One update: `batch` episodes with sampled actions, the REINFORCE gradient with a baseline, one Adam step. */
export function pgUpdate(s: PgSession): PgUpdate {
  const c = s.config;
  const B = c.batch;
  const nIn = 2 * s.shape.scales.length;
  const H = c.hidden;
  const rng = new Rng(0);
  rng.setState(s.rng);
  const update = s.history.length + 1;
  const grads = new Float32Array(s.params.length);
  let meanReturn = 0;
  tidy(() => {
    const wIn = tensor(s.params.subarray(0, nIn * H), [nIn, H], { requiresGrad: true });
    const bias = tensor(s.params.subarray(nIn * H, nIn * H + H), [1, H], { requiresGrad: true });
    const wOut = tensor(s.params.subarray(nIn * H + H), [H, 2], { requiresGrad: true });
    const layer = new CoarseLIF({ tau: c.tau });
    const envs = Array.from({ length: B }, () => new CartPole({ observationNoise: c.observationNoise ?? 0 }));
    const obs = envs.map((env, b) => env.reset((c.seed * 7_919 + update * 131 + b) % 2 ** 32));
    const alive = new Array<boolean>(B).fill(true);
    const chosen: Tensor[] = [];
    const rewards: Float64Array[] = [];
    const x = new Float32Array(B * nIn);
    let state: NeuronState | null = null;
    while (alive.some(Boolean)) {
      obs.forEach((o, b) => encodeObservation(o, s.shape.scales, x, b * nIn));
      const step = policyStep(layer, c.steps, tensor(x, [B, 1, nIn]), { wIn, bias, wOut }, state);
      state = step.state;
      const logp = logSoftmax(reshape(step.scores, [B, 2]), 1);
      const lp = logp.dataFloat32();
      const pick = new Float32Array(B * 2);
      const r = new Float64Array(B);
      for (let b = 0; b < B; b++) {
        if (!alive[b]) continue;
        const a = rng.uniform() < Math.exp(lp[2 * b + 1]) ? 1 : 0;
        pick[2 * b + a] = 1;
        const out = envs[b].step(a);
        r[b] = out.reward;
        obs[b] = out.observation;
        if (out.terminated || out.truncated) alive[b] = false;
      }
      chosen.push(sum(mul(logp, tensor(pick, [B, 2])), 1));
      rewards.push(r);
    }
    // Baseline: the batch's mean return from step t (over the episodes still running at t); the advantages are then scaled by their spread.
    const G = returnsToGo(rewards, c.gamma);
    const running = rewards.map((r) => r.map((v) => (v > 0 ? 1 : 0)));
    const adv = G.map((g, t) => {
      const n = running[t].reduce((a, v) => a + v, 0);
      const mean = g.reduce((a, v, b) => a + v * running[t][b], 0) / Math.max(n, 1);
      return Float32Array.from(g, (v, b) => (running[t][b] ? v - mean : 0));
    });
    let sq = 0;
    let count = 0;
    adv.forEach((a, t) => a.forEach((v, b) => (running[t][b] ? ((sq += v * v), count++) : 0)));
    const spread = Math.sqrt(sq / Math.max(count, 1)) || 1;
    const A = tensor(Float32Array.from(adv.flatMap((a) => Array.from(a, (v) => v / spread))), [adv.length, B]);
    const loss = mul(neg(sum(mul(stack(chosen), A))), 1 / B);
    loss.backward();
    grads.set(wIn.grad!.dataFloat32(), 0);
    grads.set(bias.grad!.dataFloat32(), nIn * H);
    grads.set(wOut.grad!.dataFloat32(), nIn * H + H);
    for (const t of [wIn, bias, wOut]) {
      t.zeroGrad();
      t.dispose();
    }
    meanReturn = rewards.reduce((a, r) => a + r.reduce((x, y) => x + y, 0), 0) / B;
  });
  adamStep(s.params, s.adam, grads, c.lr, -1);
  s.rng = rng.getState();
  const u = { update, meanReturn };
  s.history.push(u);
  return u;
}
