// Entry point of the snnkit wasm kernels. Memory is managed from JavaScript: every kernel takes byte
// offsets into this module's linear memory. Built with `npm run build:wasm`.
export { gemm, gemmStrided, gemmScratchBytes } from "./gemm";
export { gemv, ger } from "./blas2";
export { unary, unaryGrad, binary, axpy } from "./elementwise";
export { reduceSum, reduceMax } from "./reduce";
export { conv2dBackwardInput, conv2dBackwardWeight, conv2dForward, convTempFloats } from "./conv";
export { maxPool2dForward, maxPool2dBackward, avgPool2dForward, avgPool2dBackward } from "./pool";
export { binaryNonzeros, spikeTableColumns, spikeTableFloats, spikeTablePrepare, spmm, spmmListsInts, spmmScratchInts, spmmTransposed } from "./sparse";
export { conv2dSpikeBackwardWeight, conv2dSpikeForward, convSpikeTempFloats, transposeBatched } from "./conv_spikes";
export { lifForward, lifBackward } from "./lif";
export { alifForward, alifBackward } from "./alif";
export { alphaForward, alphaBackward } from "./alpha";
export { herdColumns, herdRows, herdVector, outerUpdate } from "./herding";

/** First byte after static data: the JavaScript allocator starts here. */
export function heapBase(): usize {
  return __heap_base;
}
