// snnkit/nir: NIR files (the Neuromorphic Intermediate Representation), in memory (Node and browsers alike):
// read with snnkit's HDF5 reader, written with h5wasm; their graphs checked against NIR's node types.
export { checkGraph, checkNode, isGraph, type NirArray, type NirDocument, type NirGraph, type NirNode, nirParam, NIR_NODE_TYPES, type NirValue, shapeOf } from "./nir/graph.js";
export { readNir } from "./nir/hdf5.js";
export { writeNir } from "./nir/hdf5_write.js";
export { type FlatGraph, flattenGraph, leak, NIR_DISCRETISATIONS, type NirDiscretisation, type NirRunOptions, type NirRunOutputs, runNir } from "./nir/run.js";
export { type NirNetwork, type NirNetworkOptions, networkForInput, networkToNir, nirNeuron, nirToNetwork } from "./nir/network.js";
export { type BuildOptions, buildNetwork, type LayerSpec, type NetworkSpec, networkSpecSchema, type NeuronSpec, neuronSpecSchema } from "./nir/network_spec.js";
