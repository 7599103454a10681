// Matrix products: 2-D and batched, with transposes absorbed by the kernel (no copies), and the
// spike-sparse path for binary left operands.
import { ShapeError } from "../../errors.js";
import { allocTensor, backendOf, expectDType, record } from "../op_util.js";
import { sizeOf } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { reshape } from "./shape_ops.js";

/** Options of matmul. */
export interface MatmulOptions {
  /** Use Aᵀ (a stored [..., K, M]). */
  transA?: boolean;
  /** Use Bᵀ (b stored [..., N, K]). */
  transB?: boolean;
  /** "auto" (default): spike-sparse kernel when a is a spike tensor; "dense" or "sparse" force one. */
  kernel?: "auto" | "dense" | "sparse";
}

interface Dims {
  M: number;
  N: number;
  K: number;
}

function matDims(
  a: readonly number[],
  b: readonly number[],
  transA: boolean,
  transB: boolean,
): Dims & { Kb: number } {
  const [ar, ac] = a.slice(-2);
  const [br, bc] = b.slice(-2);
  return { M: transA ? ac : ar, K: transA ? ar : ac, Kb: transB ? bc : br, N: transB ? br : bc };
}

/**
 * Whether to try the spike-sparse kernel for this left operand: "auto" tries it (the backend declines
 * unless every value is 0 or 1, checked in the scan the spike product does anyway), "sparse" forces it. The wasm spike product adds at most one 4-spike table row per four inputs where the dense GEMM
 * multiplies and adds every input; `npm run bench` (sparse_speedup, [3200×784]·[784×1000]) measured
 * it 12×, 4.5× and 3.3× faster than the dense GEMM at 5, 20 and 50 % spikes (bench/results/).
 */
function trySparse(a: Tensor, options: MatmulOptions): boolean {
  const kernel = options.kernel ?? "auto";
  if (kernel === "dense" || options.transA || options.transB) return false;
  return kernel === "sparse" || a.size > 0;
}

/**
 * C = op(A)·op(B). A is [M, K] or [..., M, K]; B is [K, N] or [..., K, N] (batch dimensions must match, or
 * B is 2-D and shared). With transA/transB the stored operand is the transpose.
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  expectDType("matmul", "float32", a, b);
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  if (a.rank < 2 || b.rank < 2)
    throw new ShapeError("matmul", "operands need at least 2 dimensions", [a.shape, b.shape]);
  const { M, N, K, Kb } = matDims(a.shape, b.shape, transA, transB);
  if (K !== Kb) throw new ShapeError("matmul", `inner dimensions differ (${K} vs ${Kb})`, [a.shape, b.shape]);
  const backend = backendOf("matmul", a, b);
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  if (b.rank > 2 && (batchA.length !== batchB.length || batchA.some((d, i) => d !== batchB[i]))) {
    throw new ShapeError("matmul", "batch dimensions differ", [a.shape, b.shape]);
  }
  // B shared by a batch of A (no transpose of A): fold the batch into M, one GEMM.
  if (b.rank === 2 && a.rank > 2 && !transA) {
    const c2 = matmul(reshape(a, [sizeOf(batchA) * M, K]), b, options);
    return reshape(c2, [...batchA, M, N]);
  }
  const batch = sizeOf(batchA);
  const out = allocTensor([...batchA, M, N], "float32", backend);
  // The spike product runs for binary A ("auto") or always ("sparse"); otherwise the GEMM.
  const sparse =
    b.rank === 2 && a.rank === 2 && trySparse(a, options) && backend.spmm(a.storage, b.storage, out.storage, M, K, N, (options.kernel ?? "auto") === "auto");
  if (!sparse) {
    for (let i = 0; i < batch; i++) {
      const bOff = b.rank === 2 ? 0 : i * K * N;
      backend.gemm({ a: a.storage, aOffset: i * M * K, b: b.storage, bOffset: bOff, c: out.storage, cOffset: i * M * N, M, N, K, transA, transB });
    }
  }
  return record(out, "matmul", [a, b], (g) => {
    const [as, bs, gs] = [a.storage, b.storage, g.storage];
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (a.requiresGrad) {
      da = allocTensor(a.shape, "float32", backend);
      for (let i = 0; i < batch; i++) {
        const bOff = b.rank === 2 ? 0 : i * K * N;
        if (transA)
          backend.gemm({ a: bs, aOffset: bOff, b: gs, bOffset: i * M * N, c: da.storage, cOffset: i * M * K, M: K, N: M, K: N, transA: transB, transB: true });
        else backend.gemm({ a: gs, aOffset: i * M * N, b: bs, bOffset: bOff, c: da.storage, cOffset: i * M * K, M, N: K, K: N, transB: !transB });
      }
    }
    if (b.requiresGrad) {
      const shared = b.rank === 2 && batch > 1;
      db = allocTensor(b.shape, "float32", backend);
      if (sparse) {
        backend.spmmTransposed(as, gs, db.storage, M, K, N, false);
      } else {
        for (let i = 0; i < batch; i++) {
          const dOff = shared ? 0 : i * K * N;
          const acc = shared && i > 0;
          if (transB)
            backend.gemm({ a: gs, aOffset: i * M * N, b: as, bOffset: i * M * K, c: db.storage, cOffset: dOff, M: N, N: K, K: M, transA: true, transB: transA, accumulate: acc });
          else backend.gemm({ a: as, aOffset: i * M * K, b: gs, bOffset: i * M * N, c: db.storage, cOffset: dOff, M: K, N, K: M, transA: !transA, accumulate: acc });
        }
      }
    }
    return [da, db];
  });
}
