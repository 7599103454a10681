// snnkit's own GEMM (Goto's scheme): for each block of KC rows of op(B) and NC columns, op(B) is packed
// into panels of NR columns; each thread takes blocks of MC rows of op(A), packs them into panels of MR
// rows, and runs the MR×NR micro-kernel over every pair of panels, accumulating into C. Edge tiles go
// through a small buffer. The micro-kernels are compiled for their instruction set with function target
// attributes, so one build runs on any x86-64.
#include "gemm.h"

#include <algorithm>
#include <thread>
#include <vector>

#include "cpu.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace snnkit {
namespace {

constexpr int KC = 256;
constexpr int NC = 3072;

/** Element (i, p) of op(A) and (p, j) of op(B). */
struct Operands {
  bool transA, transB;
  const float* A;
  int lda;
  const float* B;
  int ldb;
  float a(int i, int p) const { return transA ? A[static_cast<long>(p) * lda + i] : A[static_cast<long>(i) * lda + p]; }
  float b(int p, int j) const { return transB ? B[static_cast<long>(j) * ldb + p] : B[static_cast<long>(p) * ldb + j]; }
};

/** Packs rows [i0, i0 + MR) of op(A), columns [p0, p0 + kc), as out[p·MR + r] (zeros past M). */
template <int MR>
void packA(const Operands& o, int M, int i0, int p0, int kc, float* out) {
  for (int p = 0; p < kc; p++)
    for (int r = 0; r < MR; r++) out[p * MR + r] = i0 + r < M ? o.a(i0 + r, p0 + p) : 0.0f;
}

/** Packs columns [j0, j0 + NR) of op(B), rows [p0, p0 + kc), as out[p·NR + c] (zeros past N). */
template <int NR>
void packB(const Operands& o, int N, int j0, int p0, int kc, float* out) {
  if (!o.transB && j0 + NR <= N) {
    for (int p = 0; p < kc; p++) std::copy_n(o.B + static_cast<long>(p0 + p) * o.ldb + j0, NR, out + p * NR);
    return;
  }
  for (int p = 0; p < kc; p++)
    for (int c = 0; c < NR; c++) out[p * NR + c] = j0 + c < N ? o.b(p0 + p, j0 + c) : 0.0f;
}

/** A micro-kernel: tile[MR×NR] (row stride ldt) = (add ? tile : 0) + Ap·Bp over kc. */
using MicroKernel = void (*)(int kc, const float* ap, const float* bp, float* tile, long ldt, bool add);

void microPortable(int kc, const float* ap, const float* bp, float* tile, long ldt, bool add) {
  constexpr int MR = 4, NR = 8;
  float acc[MR][NR] = {};
  for (int p = 0; p < kc; p++)
    for (int r = 0; r < MR; r++)
      for (int c = 0; c < NR; c++) acc[r][c] += ap[p * MR + r] * bp[p * NR + c];
  for (int r = 0; r < MR; r++)
    for (int c = 0; c < NR; c++) tile[r * ldt + c] = (add ? tile[r * ldt + c] : 0.0f) + acc[r][c];
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) void microAvx2(int kc, const float* ap, const float* bp, float* tile, long ldt, bool add) {
  constexpr int MR = 6;
  __m256 acc[MR][2];
#pragma GCC unroll 6
  for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
  for (int p = 0; p < kc; p++) {
    const __m256 b0 = _mm256_loadu_ps(bp + p * 16), b1 = _mm256_loadu_ps(bp + p * 16 + 8);
#pragma GCC unroll 6
    for (int r = 0; r < MR; r++) {
      const __m256 a = _mm256_broadcast_ss(ap + p * MR + r);
      acc[r][0] = _mm256_fmadd_ps(a, b0, acc[r][0]);
      acc[r][1] = _mm256_fmadd_ps(a, b1, acc[r][1]);
    }
  }
#pragma GCC unroll 6
  for (int r = 0; r < MR; r++) {
    float* t = tile + r * ldt;
    if (add) {
      acc[r][0] = _mm256_add_ps(acc[r][0], _mm256_loadu_ps(t));
      acc[r][1] = _mm256_add_ps(acc[r][1], _mm256_loadu_ps(t + 8));
    }
    _mm256_storeu_ps(t, acc[r][0]);
    _mm256_storeu_ps(t + 8, acc[r][1]);
  }
}

__attribute__((target("avx512f,avx2,fma"))) void microAvx512(int kc, const float* ap, const float* bp, float* tile, long ldt, bool add) {
  constexpr int MR = 12;
  __m512 acc[MR][2];
#pragma GCC unroll 12
  for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
  for (int p = 0; p < kc; p++) {
    const __m512 b0 = _mm512_loadu_ps(bp + p * 32), b1 = _mm512_loadu_ps(bp + p * 32 + 16);
#pragma GCC unroll 12
    for (int r = 0; r < MR; r++) {
      const __m512 a = _mm512_set1_ps(ap[p * MR + r]);
      acc[r][0] = _mm512_fmadd_ps(a, b0, acc[r][0]);
      acc[r][1] = _mm512_fmadd_ps(a, b1, acc[r][1]);
    }
  }
#pragma GCC unroll 12
  for (int r = 0; r < MR; r++) {
    float* t = tile + r * ldt;
    if (add) {
      acc[r][0] = _mm512_add_ps(acc[r][0], _mm512_loadu_ps(t));
      acc[r][1] = _mm512_add_ps(acc[r][1], _mm512_loadu_ps(t + 16));
    }
    _mm512_storeu_ps(t, acc[r][0]);
    _mm512_storeu_ps(t + 16, acc[r][1]);
  }
}
#endif

/** The blocked GEMM for one micro-kernel of MR×NR. */
template <int MR, int NR>
void blocked(MicroKernel micro, const Operands& o, int M, int N, int K, float* C, int ldc, bool accumulate, int threads) {
  constexpr int MC = MR * 16;
  // Packing buffers kept per thread and grown as needed: a convolution calls this once per image.
  thread_local std::vector<float> bPacked;
  const size_t bNeed = static_cast<size_t>(std::min(KC, K)) * ((std::min(NC, N) + NR - 1) / NR) * NR;
  if (bPacked.size() < bNeed) bPacked.resize(bNeed);
  // The pool threads below must use this thread's buffer (a thread_local named inside them is their own).
  float* const bBuffer = bPacked.data();
  for (int j0 = 0; j0 < N; j0 += NC) {
    const int nc = std::min(NC, N - j0);
    const int panels = (nc + NR - 1) / NR;
    for (int p0 = 0; p0 < K; p0 += KC) {
      const int kc = std::min(KC, K - p0);
      const bool add = accumulate || p0 > 0;
      for (int q = 0; q < panels; q++) packB<NR>(o, N, j0 + q * NR, p0, kc, bBuffer + static_cast<size_t>(q) * kc * NR);
      const int blocks = (M + MC - 1) / MC;
      auto work = [&](int first, int last) {
        thread_local std::vector<float> aPacked;
        if (aPacked.size() < static_cast<size_t>(KC) * MC) aPacked.resize(static_cast<size_t>(KC) * MC);
        float edge[MR * NR];
        for (int blk = first; blk < last; blk++) {
          const int i0 = blk * MC;
          const int mc = std::min(MC, M - i0);
          const int aPanels = (mc + MR - 1) / MR;
          for (int r = 0; r < aPanels; r++) packA<MR>(o, M, i0 + r * MR, p0, kc, aPacked.data() + static_cast<size_t>(r) * kc * MR);
          for (int q = 0; q < panels; q++) {
            const float* bp = bBuffer + static_cast<size_t>(q) * kc * NR;
            const int j = j0 + q * NR, nr = std::min(NR, N - j);
            for (int r = 0; r < aPanels; r++) {
              const float* ap = aPacked.data() + static_cast<size_t>(r) * kc * MR;
              const int i = i0 + r * MR, mr = std::min(MR, M - i);
              float* c = C + static_cast<long>(i) * ldc + j;
              if (mr == MR && nr == NR) {
                micro(kc, ap, bp, c, ldc, add);
                continue;
              }
              // An edge tile: computed whole in the buffer, then its valid part written.
              micro(kc, ap, bp, edge, NR, false);
              for (int y = 0; y < mr; y++)
                for (int x = 0; x < nr; x++) c[static_cast<long>(y) * ldc + x] = (add ? c[static_cast<long>(y) * ldc + x] : 0.0f) + edge[y * NR + x];
            }
          }
        }
      };
      const int parts = std::max(1, std::min(threads, blocks));
      if (parts == 1) work(0, blocks);
      else {
        std::vector<std::thread> pool;
        for (int t = 1; t < parts; t++) pool.emplace_back(work, blocks * t / parts, blocks * (t + 1) / parts);
        work(0, blocks / parts);
        for (auto& th : pool) th.join();
      }
    }
  }
}

}  // namespace

bool pathSupported(GemmPath path) {
  const CpuFeatures& f = cpuFeatures();
  return path == GemmPath::Portable || (path == GemmPath::Avx2 && f.avx2_fma) || (path == GemmPath::Avx512 && f.avx512f);
}

GemmPath bestOwnPath() {
  return pathSupported(GemmPath::Avx512) ? GemmPath::Avx512 : pathSupported(GemmPath::Avx2) ? GemmPath::Avx2 : GemmPath::Portable;
}

void ownSgemm(GemmPath path, bool transA, bool transB, int M, int N, int K, const float* A, int lda, const float* B, int ldb, float* C, int ldc, bool accumulate, int threads) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    // An empty sum: C = 0, or C unchanged when accumulating.
    if (!accumulate)
      for (int i = 0; i < M; i++) std::fill_n(C + static_cast<long>(i) * ldc, N, 0.0f);
    return;
  }
  const Operands o{transA, transB, A, lda, B, ldb};
#if defined(__x86_64__)
  if (path == GemmPath::Avx512 && pathSupported(path)) return blocked<12, 32>(microAvx512, o, M, N, K, C, ldc, accumulate, threads);
  if (path == GemmPath::Avx2 && pathSupported(path)) return blocked<6, 16>(microAvx2, o, M, N, K, C, ldc, accumulate, threads);
#endif
  blocked<4, 8>(microPortable, o, M, N, K, C, ldc, accumulate, threads);
}

}  // namespace snnkit
