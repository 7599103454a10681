// snnkit/robustness: perturbations of inputs (noise, FGSM, an L2 attack) and of networks (spike and
// membrane noise) for robustness sweeps.
export { additiveNoise, chooseDistinct, fgsm, type InputGradient, multiplicativeNoise, saltAndPepper, sphereAttack, type SphereAttackOptions } from "./robustness/input_attacks.js";
export { CurrentNoise, flipSpikes, type NetworkNoise, SpikeNoise, withNetworkNoise } from "./robustness/network_noise.js";
