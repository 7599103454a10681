// e-prop: online learning for recurrent LIF and ALIF networks (Bellec et al. 2020).
export { type EpropGradients, EpropNetwork, type EpropOptions, type EpropPass } from "./eprop/eprop.js";
