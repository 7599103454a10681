/** The functions exported by the AssemblyScript kernels (pointers are byte offsets; bools are 0/1). */
export interface WasmKernels {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  gemmScratchBytes(): number;
  gemm(
    a: number,
    b: number,
    c: number,
    M: number,
    N: number,
    K: number,
    tA: number,
    tB: number,
    acc: number,
    scratch: number,
  ): void;
  unary(op: number, x: number, out: number, n: number, p0: number, p1: number): void;
  unaryGrad(op: number, x: number, y: number, g: number, dx: number, n: number, p0: number, p1: number): void;
  binary(
    op: number,
    a: number,
    b: number,
    out: number,
    d0: number,
    d1: number,
    d2: number,
    d3: number,
    a0: number,
    a1: number,
    a2: number,
    a3: number,
    b0: number,
    b1: number,
    b2: number,
    b3: number,
  ): void;
  axpy(y: number, x: number, alpha: number, n: number): void;
  reduceSum(x: number, out: number, outer: number, n: number, inner: number): void;
  reduceMax(x: number, out: number, idx: number, outer: number, n: number, inner: number): void;
  conv2dForward(...args: number[]): void;
  conv2dBackwardInput(...args: number[]): void;
  conv2dBackwardWeight(...args: number[]): void;
  convTempFloats(N: number, C: number, kh: number, kw: number, OC: number, ohw: number): number;
  maxPool2dForward(...args: number[]): void;
  maxPool2dBackward(dy: number, idx: number, dx: number, P: number, HW: number, OHW: number): void;
  avgPool2dForward(...args: number[]): void;
  avgPool2dBackward(...args: number[]): void;
  spmm(s: number, w: number, out: number, M: number, K: number, N: number, scratch: number): void;
  spmmTransposed(s: number, dy: number, dw: number, M: number, K: number, N: number, acc: number, scratch: number): void;
  spmmScratchInts(M: number, K: number): number;
  spmmListsInts(M: number, K: number): number;
  spikeTableFloats(depth: number): number;
  spikeTablePrepare(s: number, M: number, K: number, transposed: number, lists: number): number;
  spikeTableColumns(...args: number[]): void;
  gemmStrided(...args: number[]): void;
  binaryNonzeros(x: number, n: number): number;
  transposeBatched(src: number, dst: number, B: number, R: number, C: number): void;
  convSpikeTempFloats(N: number, C: number, kh: number, kw: number, OC: number, ohw: number): number;
  conv2dSpikeForward(...args: number[]): void;
  conv2dSpikeBackwardWeight(...args: number[]): void;
  lifForward(
    input: number,
    mem0: number,
    mem: number,
    spk: number,
    T: number,
    P: number,
    beta: number,
    thr: number,
    reset: number,
    h0: number,
    inputGain: number,
    refractoryGain: number,
  ): void;
  lifBackward(...args: number[]): void;
}
