// A tuned BLAS found at run time (OpenBLAS, as numpy and PyTorch load it): its sgemm, its thread count,
// and its configuration string. Nothing is linked at build time, so the addon builds and runs without it.
#pragma once
#include <string>

namespace snnkit {

/** Whether OpenBLAS was found and loaded. */
bool blasAvailable();
/** Its configuration (openblas_get_config), or "" without it. */
std::string blasConfig();
/** Sets OpenBLAS's threads. */
void blasSetThreads(int threads);
/**
 * C[M,N] = op(A)·op(B) (+ C when accumulate), row-major, through cblas_sgemm; lda, ldb, ldc are the
 * row strides of A, B and C as stored.
 */
void blasSgemm(bool transA, bool transB, int M, int N, int K, const float* A, int lda, const float* B, int ldb, float* C, int ldc, bool accumulate);

}  // namespace snnkit
