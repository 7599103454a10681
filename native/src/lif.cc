// The fused LIF kernels on the CPU (see lif.h). The loops run over neurons with the time loop outside, so
// that the compiler vectorizes them; each body is compiled three times (AVX-512, AVX2, baseline) and the
// path chooses one at run time. Reset codes and surrogate codes are those of src/backend/kernel_codes.ts
// and src/surrogate/surrogate.ts.
#include "lif.h"

#include <algorithm>
#include <cmath>

namespace snnkit {
namespace {

constexpr int RESET_SUBTRACT = 0, RESET_ZERO = 1;
enum Surrogate { FAST_SIGMOID = 0, ATAN = 1, SIGMOID = 2, TRIANGLE = 3, STRAIGHT_THROUGH = 4, GAUSSIAN = 5, LOGISTIC = 6, RECTANGLE = 7 };
constexpr float HALF_PI = 1.5707963267948966f, INV_SQRT_2PI = 0.3989422804014327f;

/** H(x − θ) with H(0) = h0. */
inline float spikeOf(float m, float thr, float h0) { return m > thr ? 1.0f : m == thr ? h0 : 0.0f; }

inline float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

/** The surrogate derivative σ′(x) of kind S with parameter k (the wasm kernel's expressions). */
template <int S>
inline float surrogate(float x, float k) {
  if (S == FAST_SIGMOID) {
    const float d = 1.0f + k * std::fabs(x);
    return 1.0f / (d * d);
  }
  if (S == ATAN) {
    const float z = HALF_PI * k * x;
    return k * 0.5f / (1.0f + z * z);
  }
  if (S == SIGMOID) {
    const float s = sigmoid(k * x);
    return k * (s * (1.0f - s));
  }
  if (S == TRIANGLE) return std::fmax(1.0f - std::fabs(x) / k, 0.0f) / k;
  if (S == STRAIGHT_THROUGH) return 1.0f;
  if (S == GAUSSIAN) {
    const float z = x / k;
    return std::exp(-0.5f * (z * z)) * (INV_SQRT_2PI / k);
  }
  if (S == LOGISTIC) {
    const float s = sigmoid(x / k);
    return s * (1.0f - s) / k;
  }
  return std::fabs(x) < k ? 0.5f / k : 0.0f;  // RECTANGLE
}

/** Neurons per column block: the time loop runs inside a block, so each step touches a few kilobytes of each array (as the wasm kernel does). */
constexpr long BLOCK = 512;

/** One step of the block's n neurons (reset R, with noise when NOISE): straight-line code the compiler vectorizes. */
template <int R, bool NOISE>
__attribute__((always_inline)) inline void forwardStep(long n, const float* x, const float* mPrev, const float* sPrev, const float* eps, float* m, float* s, const LifParams& p) {
  const float beta = p.beta, g = p.g, gr = p.gr, thr = p.thr, h0 = p.h0;
  for (long j = 0; j < n; j++) {
    const float h = beta * mPrev[j] + g * x[j];
    const float v = R == RESET_SUBTRACT ? h - thr * sPrev[j] : R == RESET_ZERO ? h * (1.0f - sPrev[j]) + sPrev[j] * (gr * x[j]) : h;
    m[j] = v;
    const float w = NOISE ? v + eps[j] : v;
    s[j] = w > thr ? 1.0f : w == thr ? h0 : 0.0f;
  }
}

template <int R, bool NOISE>
__attribute__((always_inline)) inline void forwardBlocks(const float* input, const float* mem0, const float* spk0, const float* noise, float* mem, float* spk, const LifParams& p) {
  const long P = p.P;
  float m0[BLOCK], s0[BLOCK];  // m[−1] and s[−1] of the block
  for (long j0 = 0; j0 < P; j0 += BLOCK) {
    const long n = std::min(BLOCK, P - j0);
    for (long j = 0; j < n; j++) {
      m0[j] = mem0 ? mem0[j0 + j] : 0.0f;
      s0[j] = spk0 ? spk0[j0 + j] : spikeOf(m0[j], p.thr, p.h0);
    }
    for (int t = 0; t < p.T; t++) {
      const long row = t * P + j0;
      float* m = mem + row;
      float* s = spk + row;
      forwardStep<R, NOISE>(n, input + row, t > 0 ? m - P : m0, t > 0 ? s - P : s0, NOISE ? noise + row : nullptr, m, s, p);
    }
  }
}

__attribute__((always_inline)) inline void forwardBody(const float* input, const float* mem0, const float* spk0, const float* noise, float* mem, float* spk, const LifParams& p) {
  const bool n = noise != nullptr;
  if (p.reset == RESET_SUBTRACT) n ? forwardBlocks<RESET_SUBTRACT, true>(input, mem0, spk0, noise, mem, spk, p) : forwardBlocks<RESET_SUBTRACT, false>(input, mem0, spk0, noise, mem, spk, p);
  else if (p.reset == RESET_ZERO) n ? forwardBlocks<RESET_ZERO, true>(input, mem0, spk0, noise, mem, spk, p) : forwardBlocks<RESET_ZERO, false>(input, mem0, spk0, noise, mem, spk, p);
  else n ? forwardBlocks<2, true>(input, mem0, spk0, noise, mem, spk, p) : forwardBlocks<2, false>(input, mem0, spk0, noise, mem, spk, p);
}

/**
 * One backward step of the block's n neurons at time t (reset R; LAST: t = T − 1, where nothing flows back
 * from t + 1): dInput and the carry c (dL/dm[t+1] in, dL/dm[t] out). gSpk, gMem may be null (read as 0).
 */
template <int S, int R, bool LAST>
__attribute__((always_inline)) inline void backwardStep(long n, long P, const float* x, const float* m, const float* s, const float* sPrev, const float* gSpk, const float* gMem, float* dIn, float* c, const LifParams& p) {
  const float beta = p.beta, g = p.g, gr = p.gr, thr = p.thr, k = p.k;
  const bool detach = p.detach;
  for (long j = 0; j < n; j++) {
    float a = beta, bs = 0.0f;  // ∂m[t+1]/∂m[t], ∂m[t+1]/∂s[t]
    if (R == RESET_SUBTRACT) bs = -thr;
    if (R == RESET_ZERO && !LAST) {
      a = beta * (1.0f - s[j]);
      const float xNext = x[P + j];
      bs = gr * xNext - (beta * m[j] + g * xNext);
    }
    const float cj = LAST ? 0.0f : c[j];
    float ds = gSpk ? gSpk[j] : 0.0f;
    if (!detach) ds = ds + cj * bs;
    float dm = cj * a;
    if (gMem) dm = dm + gMem[j];
    dm = dm + ds * surrogate<S>(m[j] - thr, k);
    dIn[j] = R == RESET_ZERO ? dm * (g * (1.0f - sPrev[j]) + gr * sPrev[j]) : dm * g;
    c[j] = dm;
  }
}

template <int S, int R>
__attribute__((always_inline)) inline void backwardBlocks(const float* input, const float* mem0, const float* spk0, const float* mem, const float* spk, const float* gSpk, const float* gMem, float* dInput, float* dMem0, const LifParams& p) {
  const long P = p.P;
  float c[BLOCK], m0[BLOCK], s0[BLOCK];  // dL/dm[t+1], m[−1] and s[−1] of the block
  for (long j0 = 0; j0 < P; j0 += BLOCK) {
    const long n = std::min(BLOCK, P - j0);
    for (long j = 0; j < n; j++) {
      m0[j] = mem0 ? mem0[j0 + j] : 0.0f;
      s0[j] = spk0 ? spk0[j0 + j] : spikeOf(m0[j], p.thr, p.h0);
    }
    for (int t = p.T - 1; t >= 0; t--) {
      const long row = t * P + j0;
      const float* sPrev = t > 0 ? spk + row - P : s0;
      const float* gs = gSpk ? gSpk + row : nullptr;
      const float* gm = gMem ? gMem + row : nullptr;
      if (t == p.T - 1) backwardStep<S, R, true>(n, P, input + row, mem + row, spk + row, sPrev, gs, gm, dInput + row, c, p);
      else backwardStep<S, R, false>(n, P, input + row, mem + row, spk + row, sPrev, gs, gm, dInput + row, c, p);
    }
    if (dMem0)
      for (long j = 0; j < n; j++) {
        const float cj = p.T > 0 ? c[j] : 0.0f;
        float a = p.beta, bs = 0.0f;
        if (R == RESET_SUBTRACT) bs = -p.thr;
        if (R == RESET_ZERO) {
          a = p.beta * (1.0f - s0[j]);
          const float x0 = input[j0 + j];
          bs = p.gr * x0 - (p.beta * m0[j] + p.g * x0);
        }
        float d = cj * a;
        // s[−1] depends on m[−1] only when it was not given.
        if (!p.detach && (!spk0 || p.spk0Grad)) d = d + cj * bs * surrogate<S>(m0[j] - p.thr, p.k);
        dMem0[j0 + j] = d;
      }
  }
}

template <int S>
__attribute__((always_inline)) inline void backwardBody(const float* input, const float* mem0, const float* spk0, const float* mem, const float* spk, const float* gSpk, const float* gMem, float* dInput, float* dMem0, const LifParams& p) {
  if (p.reset == RESET_SUBTRACT) backwardBlocks<S, RESET_SUBTRACT>(input, mem0, spk0, mem, spk, gSpk, gMem, dInput, dMem0, p);
  else if (p.reset == RESET_ZERO) backwardBlocks<S, RESET_ZERO>(input, mem0, spk0, mem, spk, gSpk, gMem, dInput, dMem0, p);
  else backwardBlocks<S, 2>(input, mem0, spk0, mem, spk, gSpk, gMem, dInput, dMem0, p);
}

using Forward = void (*)(const float*, const float*, const float*, const float*, float*, float*, const LifParams&);
using Backward = void (*)(const float*, const float*, const float*, const float*, const float*, const float*, const float*, float*, float*, const LifParams&);

void forwardPortable(const float* i, const float* m0, const float* s0, const float* n, float* m, float* s, const LifParams& p) { forwardBody(i, m0, s0, n, m, s, p); }
template <int S>
void backwardPortable(const float* i, const float* m0, const float* s0, const float* m, const float* s, const float* gs, const float* gm, float* di, float* dm0, const LifParams& p) {
  backwardBody<S>(i, m0, s0, m, s, gs, gm, di, dm0, p);
}
#if defined(__x86_64__)
__attribute__((target("avx2"))) void forwardAvx2(const float* i, const float* m0, const float* s0, const float* n, float* m, float* s, const LifParams& p) { forwardBody(i, m0, s0, n, m, s, p); }
__attribute__((target("avx512f"))) void forwardAvx512(const float* i, const float* m0, const float* s0, const float* n, float* m, float* s, const LifParams& p) { forwardBody(i, m0, s0, n, m, s, p); }
template <int S>
__attribute__((target("avx2"))) void backwardAvx2(const float* i, const float* m0, const float* s0, const float* m, const float* s, const float* gs, const float* gm, float* di, float* dm0, const LifParams& p) {
  backwardBody<S>(i, m0, s0, m, s, gs, gm, di, dm0, p);
}
template <int S>
__attribute__((target("avx512f"))) void backwardAvx512(const float* i, const float* m0, const float* s0, const float* m, const float* s, const float* gs, const float* gm, float* di, float* dm0, const LifParams& p) {
  backwardBody<S>(i, m0, s0, m, s, gs, gm, di, dm0, p);
}
#endif

/** One path's backward kernels, by surrogate code. */
template <template <int> class K>
constexpr Backward BY_SURROGATE[8] = {K<0>::f, K<1>::f, K<2>::f, K<3>::f, K<4>::f, K<5>::f, K<6>::f, K<7>::f};
template <int S>
struct PortableBackward {
  static constexpr Backward f = backwardPortable<S>;
};
#if defined(__x86_64__)
template <int S>
struct Avx2Backward {
  static constexpr Backward f = backwardAvx2<S>;
};
template <int S>
struct Avx512Backward {
  static constexpr Backward f = backwardAvx512<S>;
};
#endif

}  // namespace

void lifForward(AddPath path, const float* input, const float* mem0, const float* spk0, const float* noise, float* mem, float* spk, const LifParams& p) {
  Forward f = forwardPortable;
#if defined(__x86_64__)
  if (path == AddPath::Avx512) f = forwardAvx512;
  else if (path == AddPath::Avx2) f = forwardAvx2;
#endif
  f(input, mem0, spk0, noise, mem, spk, p);
}

void lifBackward(AddPath path, const float* input, const float* mem0, const float* spk0, const float* mem, const float* spk, const float* gSpk, const float* gMem, float* dInput, float* dMem0, const LifParams& p) {
  const Backward* table = BY_SURROGATE<PortableBackward>;
#if defined(__x86_64__)
  if (path == AddPath::Avx512) table = BY_SURROGATE<Avx512Backward>;
  else if (path == AddPath::Avx2) table = BY_SURROGATE<Avx2Backward>;
#endif
  table[p.surrogate](input, mem0, spk0, mem, spk, gSpk, gMem, dInput, dMem0, p);
}

}  // namespace snnkit
