// The cart-pole demo of the playground, the same in a page's worker and in Node (the browser test): an ES
// run of the coarse-LIF policy for some generations, then one recorded episode of its centre policy with
// the cart's states and the hidden neurons' spikes.
import { CartPole, type Environment } from "../src/control/cartpole.js";
import { rollout } from "../src/control/spiking_policy.js";
import { createEs, DEFAULT_ES, esGeneration } from "../src/tasks/control/es.js";

/** What the demo gives: the mean and centre return of each generation, and a recorded episode. */
export interface CartPoleDemo {
  generations: { meanReturn: number; centerReturn: number }[];
  /** [x, ẋ, θ, θ̇] after every step of the recorded episode. */
  states: number[][];
  /** The hidden layer's spike counts at every step. */
  spikes: number[][];
}

/** An environment that records its observations. */
function recording(env: Environment, states: number[][]): Environment {
  return {
    observationSize: env.observationSize,
    actionCount: env.actionCount,
    reset: (seed) => {
      const o = env.reset(seed);
      states.push(Array.from(o));
      return o;
    },
    step: (action) => {
      const r = env.step(action);
      states.push(Array.from(r.observation));
      return r;
    },
  };
}

/** `generations` ES generations from seed `seed`, each reported to `progress`, then an episode (seed 123) of the trained policy. */
export function cartPoleDemo(generations: number, seed = 0, progress: (g: { generation: number; meanReturn: number; centerReturn: number }) => void = () => undefined): CartPoleDemo {
  const s = createEs({ ...DEFAULT_ES, generations, seed });
  const history: CartPoleDemo["generations"] = [];
  for (let g = 0; g < generations; g++) {
    const r = esGeneration(s);
    history.push({ meanReturn: r.meanReturn, centerReturn: r.centerReturn });
    progress({ generation: r.generation, meanReturn: r.meanReturn, centerReturn: r.centerReturn });
  }
  const states: number[][] = [];
  const run = rollout(s.shape, [s.params], [recording(new CartPole(), states)], [123], { raster: true });
  return { generations: history, states, spikes: (run.raster ?? []).map((r) => Array.from(r)) };
}
