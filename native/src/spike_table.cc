// The four-spike table product on the CPU: the wasm kernel's algorithm and order of summation (see
// spike_table.h): 32-column tables of 128 groups (in L2), threads taking disjoint ranges of 32-column
// chunks, each with its own table; the spikes' scan and codes are branch-free (random spikes would
// mispredict every other branch).
#include "spike_table.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace snnkit {
namespace {

constexpr int GROUPS_PER_BLOCK = 128;
constexpr int TABLE_COLS = 32;

/** The number of ones in x[0..n) when every value is 0 or 1, else −1 (branch-free, so random spikes cost no mispredictions). */
long binaryNonzeros(const float* x, long n) {
  long count = 0;
  int other = 0;
  for (long i = 0; i < n; i++) {
    const float v = x[i];
    count += v == 1.0f;
    other |= (v != 0.0f) & (v != 1.0f);
  }
  return other ? -1 : count;
}

/** Whether tables beat one row per spike (the wasm kernel's cost model, in double precision). */
bool tablePays(int rows, int depth, long ones) {
  const double d = static_cast<double>(ones) / (static_cast<double>(rows) * static_cast<double>(depth));
  const double q = 1 - d;
  return static_cast<double>(rows) * (1 - q * q * q * q) + 15 < static_cast<double>(rows) * 4 * d;
}

/** Sums table rows (TABLE_COLS floats each) listed in entries[p0..p1) into dst (starting from dst when add). */
using Gather = void (*)(const float* table, const int32_t* entries, int p0, int p1, float* dst, bool add);

void gatherPortable(const float* table, const int32_t* entries, int p0, int p1, float* dst, bool add) {
  float acc[TABLE_COLS];
  for (int c = 0; c < TABLE_COLS; c++) acc[c] = add ? dst[c] : 0.0f;
  for (int p = p0; p < p1; p++) {
    const float* row = table + static_cast<long>(entries[p]) * TABLE_COLS;
    for (int c = 0; c < TABLE_COLS; c++) acc[c] += row[c];
  }
  std::memcpy(dst, acc, sizeof acc);
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) void gatherAvx2(const float* table, const int32_t* entries, int p0, int p1, float* dst, bool add) {
  __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
  if (add) {
    a0 = _mm256_loadu_ps(dst);
    a1 = _mm256_loadu_ps(dst + 8);
    a2 = _mm256_loadu_ps(dst + 16);
    a3 = _mm256_loadu_ps(dst + 24);
  }
  for (int p = p0; p < p1; p++) {
    const float* row = table + static_cast<long>(entries[p]) * TABLE_COLS;
    a0 = _mm256_add_ps(a0, _mm256_loadu_ps(row));
    a1 = _mm256_add_ps(a1, _mm256_loadu_ps(row + 8));
    a2 = _mm256_add_ps(a2, _mm256_loadu_ps(row + 16));
    a3 = _mm256_add_ps(a3, _mm256_loadu_ps(row + 24));
  }
  _mm256_storeu_ps(dst, a0);
  _mm256_storeu_ps(dst + 8, a1);
  _mm256_storeu_ps(dst + 16, a2);
  _mm256_storeu_ps(dst + 24, a3);
}

__attribute__((target("avx512f"))) void gatherAvx512(const float* table, const int32_t* entries, int p0, int p1, float* dst, bool add) {
  __m512 a0 = _mm512_setzero_ps(), a1 = a0;
  if (add) {
    a0 = _mm512_loadu_ps(dst);
    a1 = _mm512_loadu_ps(dst + 16);
  }
  for (int p = p0; p < p1; p++) {
    const float* row = table + static_cast<long>(entries[p]) * TABLE_COLS;
    a0 = _mm512_add_ps(a0, _mm512_loadu_ps(row));
    a1 = _mm512_add_ps(a1, _mm512_loadu_ps(row + 16));
  }
  _mm512_storeu_ps(dst, a0);
  _mm512_storeu_ps(dst + 16, a1);
}

/**
 * gatherAvx512 for four rows at once (full-width chunks): row q sums its table rows entries[p0[q] .. p1[q])
 * into dst[q], in the same order as gatherAvx512 (so the same sums bit for bit), but the four rows'
 * additions interleave: one row's additions form a chain of dependent adds (3 cycles each on Zen 4),
 * which alone bounds gatherAvx512 at one table row per 3 cycles.
 */
__attribute__((target("avx512f"))) void gather4Avx512(const float* table, const int32_t* entries, const int32_t* p0, const int32_t* p1, float* const* dst, bool add) {
  __m512 lo[4], hi[4];
  int common = p1[0] - p0[0];
  for (int q = 0; q < 4; q++) {
    lo[q] = add ? _mm512_loadu_ps(dst[q]) : _mm512_setzero_ps();
    hi[q] = add ? _mm512_loadu_ps(dst[q] + 16) : _mm512_setzero_ps();
    common = std::min(common, p1[q] - p0[q]);
  }
  for (int k = 0; k < common; k++)
    for (int q = 0; q < 4; q++) {
      const float* row = table + static_cast<long>(entries[p0[q] + k]) * TABLE_COLS;
      lo[q] = _mm512_add_ps(lo[q], _mm512_loadu_ps(row));
      hi[q] = _mm512_add_ps(hi[q], _mm512_loadu_ps(row + 16));
    }
  for (int q = 0; q < 4; q++) {
    for (int p = p0[q] + common; p < p1[q]; p++) {
      const float* row = table + static_cast<long>(entries[p]) * TABLE_COLS;
      lo[q] = _mm512_add_ps(lo[q], _mm512_loadu_ps(row));
      hi[q] = _mm512_add_ps(hi[q], _mm512_loadu_ps(row + 16));
    }
    _mm512_storeu_ps(dst[q], lo[q]);
    _mm512_storeu_ps(dst[q] + 16, hi[q]);
  }
}

#endif

/** The subset sums of groups g0 .. g1 of B [depth, N], columns j0 .. j0+w, zero-padded to TABLE_COLS. */
void buildTable(const float* b, int depth, int N, int g0, int g1, int j0, int w, float* table) {
  for (int g = g0; g < g1; g++) {
    float* base = table + static_cast<long>((g - g0) << 4) * TABLE_COLS;
    std::fill_n(base, TABLE_COLS, 0.0f);
    for (int i = 0; i < 4; i++) {
      const int e = 1 << i;
      float* single = base + static_cast<long>(e) * TABLE_COLS;
      const int k = 4 * g + i;
      std::fill_n(single, TABLE_COLS, 0.0f);
      if (k < depth) std::memcpy(single, b + static_cast<long>(k) * N + j0, sizeof(float) * w);
      for (int c = 1; c < e; c++) {
        float* dst = base + static_cast<long>(e + c) * TABLE_COLS;
        const float* other = base + static_cast<long>(c) * TABLE_COLS;
        for (int q = 0; q < TABLE_COLS; q++) dst[q] = single[q] + other[q];
      }
    }
  }
}

}  // namespace

int spikeTableProduct(AddPath path, const float* s, int M, int K, bool transposed, const float* b, int N, float* out, bool accumulate, int threads) {
  const int rows = transposed ? K : M;
  const int depth = transposed ? M : K;
  if (rows <= 0 || N <= 0) return 1;
  const long ones = binaryNonzeros(s, static_cast<long>(M) * K);
  if (ones < 0) return -1;
  if (!tablePays(rows, depth, ones)) return 0;
  const int G = (depth + 3) >> 2;
  const int blocks = (G + GROUPS_PER_BLOCK - 1) / GROUPS_PER_BLOCK;
  // The 4-bit code of each output row's spikes in each group of four inputs.
  std::vector<uint8_t> codes(static_cast<size_t>(rows) * G, 0);
  for (int m = 0; m < M; m++) {
    const float* row = s + static_cast<long>(m) * K;
    if (transposed) {
      // Bit m & 3 of the code of column k's group m >> 2.
      uint8_t* col = codes.data() + (m >> 2);
      const int bit = m & 3;
      for (int k = 0; k < K; k++) col[static_cast<size_t>(k) * G] |= static_cast<uint8_t>((row[k] != 0.0f) << bit);
    } else {
      uint8_t* dst = codes.data() + static_cast<size_t>(m) * G;
      for (int k = 0; k < K; k++) dst[k >> 2] |= static_cast<uint8_t>((row[k] != 0.0f) << (k & 3));
    }
  }
  // Each row's table entries ((g − block start)·16 + code, nonzero codes only), ordered by row and block.
  std::vector<int32_t> entries;
  entries.reserve(static_cast<size_t>(rows) * G);
  std::vector<int32_t> bounds(static_cast<size_t>(rows) * blocks + 1);
  for (int r = 0; r < rows; r++)
    for (int blk = 0; blk < blocks; blk++) {
      bounds[static_cast<size_t>(r) * blocks + blk] = static_cast<int32_t>(entries.size());
      const int g0 = blk * GROUPS_PER_BLOCK, g1 = std::min(G, g0 + GROUPS_PER_BLOCK);
      for (int g = g0; g < g1; g++) {
        const int c = codes[static_cast<size_t>(r) * G + g];
        if (c != 0) entries.push_back(((g - g0) << 4) | c);
      }
    }
  bounds[static_cast<size_t>(rows) * blocks] = static_cast<int32_t>(entries.size());
  Gather gather = gatherPortable;
#if defined(__x86_64__)
  if (path == AddPath::Avx512) gather = gatherAvx512;
  else if (path == AddPath::Avx2) gather = gatherAvx2;
#endif
  const int chunks = (N + TABLE_COLS - 1) / TABLE_COLS;
  auto columns = [&](int c0, int c1) {
    std::vector<float> table(static_cast<size_t>(std::min(G, GROUPS_PER_BLOCK)) * 16 * TABLE_COLS);
    float tail[TABLE_COLS];
    for (int chunk = c0; chunk < c1; chunk++) {
      const int jc = chunk * TABLE_COLS, w = std::min(TABLE_COLS, N - jc);
      for (int blk = 0; blk < blocks; blk++) {
        const int g0 = blk * GROUPS_PER_BLOCK;
        buildTable(b, depth, N, g0, std::min(G, g0 + GROUPS_PER_BLOCK), jc, w, table.data());
        const bool add = accumulate || blk > 0;
        int r = 0;
#if defined(__x86_64__)
        if (path == AddPath::Avx512 && w == TABLE_COLS)
          for (; r + 4 <= rows; r += 4) {
            int32_t p0[4], p1[4];
            float* dst[4];
            for (int q = 0; q < 4; q++) {
              const size_t at = static_cast<size_t>(r + q) * blocks + blk;
              p0[q] = bounds[at];
              p1[q] = bounds[at + 1];
              dst[q] = out + static_cast<long>(r + q) * N + jc;
            }
            gather4Avx512(table.data(), entries.data(), p0, p1, dst, add);
          }
#endif
        for (; r < rows; r++) {
          const size_t at = static_cast<size_t>(r) * blocks + blk;
          float* dst = out + static_cast<long>(r) * N + jc;
          if (w == TABLE_COLS) {
            gather(table.data(), entries.data(), bounds[at], bounds[at + 1], dst, add);
          } else {
            if (add) std::memcpy(tail, dst, sizeof(float) * w);
            gather(table.data(), entries.data(), bounds[at], bounds[at + 1], tail, add);
            std::memcpy(dst, tail, sizeof(float) * w);
          }
        }
      }
    }
  };
  const int parts = std::max(1, std::min(threads, chunks));
  if (parts == 1) columns(0, chunks);
  else {
    std::vector<std::thread> pool;
    for (int t = 1; t < parts; t++) pool.emplace_back(columns, chunks * t / parts, chunks * (t + 1) / parts);
    columns(0, chunks / parts);
    for (auto& th : pool) th.join();
  }
  return 1;
}

}  // namespace snnkit
