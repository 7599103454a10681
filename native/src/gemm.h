// snnkit's own single-precision GEMM: packed panels, cache blocking, and register-tiled micro-kernels for
// AVX-512 (12×32), AVX2+FMA (6×16) and portable C++ (4×8), chosen at run time.
#pragma once

namespace snnkit {

/** The kernels of snnkit's own GEMM. */
enum class GemmPath { Avx512, Avx2, Portable };

/** The fastest path this CPU supports. */
GemmPath bestOwnPath();
/** Whether this CPU can run `path`. */
bool pathSupported(GemmPath path);

/**
 * C[M,N] = op(A)·op(B) (+ C when accumulate), row-major with row strides lda, ldb, ldc of A, B and C as
 * stored, on `threads` threads (blocks of rows of C; the result does not depend on the thread count).
 */
void ownSgemm(GemmPath path, bool transA, bool transB, int M, int N, int K, const float* A, int lda, const float* B, int ldb, float* C, int ldc, bool accumulate, int threads);

}  // namespace snnkit
