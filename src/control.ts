// snnkit/control: the cart-pole environment and spiking policies for it (coarse-LIF, or continuous-time
// neurons through the transfer engines).
export { CartPole, type CartPoleOptions, type Environment, type EnvironmentStep } from "./control/cartpole.js";
export { CARTPOLE_SCALES, checkPolicyShape, encodeObservation, meanReturn, type PolicyShape, policySize, policyStep, type PolicyTensors, rollout, type RolloutOptions, type RolloutResult } from "./control/spiking_policy.js";
