// The herding kernels on the CPU (see herding.h): the row additions and the scans for units that owe a
// spike 16 (AVX-512) or 8 (AVX2) floats at a time, the herd itself a max-heap of 64-bit keys (|φ|'s float
// bits above ~unit), which hands the spikes out in exactly the reference's order.
#include "herding.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace snnkit {
namespace {

inline bool owes(float v, bool isSigned) { return v > 0.5f || (isSigned && v < -0.5f); }

/** A unit's heap key: |φ|'s bits (non-negative floats order like their bits) above ~unit, so equal |φ| favour the lower unit. */
inline uint64_t keyOf(float v, int unit) {
  const float a = std::fabs(v);
  uint32_t bits;
  std::memcpy(&bits, &a, sizeof bits);
  return (static_cast<uint64_t>(bits) << 32) | static_cast<uint32_t>(~unit);
}

inline int unitOf(uint64_t key) { return static_cast<int>(~static_cast<uint32_t>(key)); }

/** Appends the keys of the units in [from, n) of φ that owe a spike. */
void scanFrom(const float* phi, int from, int n, bool isSigned, std::vector<uint64_t>& keys) {
  for (int j = from; j < n; j++)
    if (owes(phi[j], isSigned)) keys.push_back(keyOf(phi[j], j));
}

/** Appends the keys of the units of φ[n] that owe a spike. */
using Scan = void (*)(const float* phi, int n, bool isSigned, std::vector<uint64_t>& keys);

void scanPortable(const float* phi, int n, bool isSigned, std::vector<uint64_t>& keys) { scanFrom(phi, 0, n, isSigned, keys); }

/**
 * φ[n] ±= row (and sum ±= row when SUM); returns whether a unit owes a spike after it. The AVX-512 path
 * also writes which units owe, 16 per mask (masks[(n + 15)/16]), so the herd need not scan φ again. One
 * instance per combination of flags, so the loops carry no branches on them.
 */
using AddRow = bool (*)(float* phi, float* sum, const float* row, int n, uint16_t* masks);

template <bool NEG, bool SUM, bool SIGNED>
bool addRowPortable(float* phi, float* sum, const float* row, int n, uint16_t*) {
  bool owed = false;
  for (int j = 0; j < n; j++) {
    const float r = row[j];
    const float v = NEG ? phi[j] - r : phi[j] + r;
    phi[j] = v;
    if (SUM) sum[j] = NEG ? sum[j] - r : sum[j] + r;
    owed |= owes(v, SIGNED);
  }
  return owed;
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) void scanAvx2(const float* phi, int n, bool isSigned, std::vector<uint64_t>& keys) {
  const __m256 half = _mm256_set1_ps(0.5f), minusHalf = _mm256_set1_ps(-0.5f);
  int j = 0;
  for (; j + 8 <= n; j += 8) {
    const __m256 v = _mm256_loadu_ps(phi + j);
    __m256 m = _mm256_cmp_ps(v, half, _CMP_GT_OQ);
    if (isSigned) m = _mm256_or_ps(m, _mm256_cmp_ps(v, minusHalf, _CMP_LT_OQ));
    for (unsigned bits = static_cast<unsigned>(_mm256_movemask_ps(m)); bits != 0; bits &= bits - 1) {
      const int u = j + __builtin_ctz(bits);
      keys.push_back(keyOf(phi[u], u));
    }
  }
  scanFrom(phi, j, n, isSigned, keys);
}

template <bool NEG, bool SUM, bool SIGNED>
__attribute__((target("avx2"))) bool addRowAvx2(float* phi, float* sum, const float* row, int n, uint16_t*) {
  const __m256 half = _mm256_set1_ps(0.5f), minusHalf = _mm256_set1_ps(-0.5f);
  __m256 owed = _mm256_setzero_ps();
  int j = 0;
  for (; j + 8 <= n; j += 8) {
    const __m256 r = _mm256_loadu_ps(row + j);
    const __m256 p = _mm256_loadu_ps(phi + j);
    const __m256 v = NEG ? _mm256_sub_ps(p, r) : _mm256_add_ps(p, r);
    _mm256_storeu_ps(phi + j, v);
    if (SUM) {
      const __m256 s = _mm256_loadu_ps(sum + j);
      _mm256_storeu_ps(sum + j, NEG ? _mm256_sub_ps(s, r) : _mm256_add_ps(s, r));
    }
    owed = _mm256_or_ps(owed, _mm256_cmp_ps(v, half, _CMP_GT_OQ));
    if (SIGNED) owed = _mm256_or_ps(owed, _mm256_cmp_ps(v, minusHalf, _CMP_LT_OQ));
  }
  const bool tail = addRowPortable<NEG, SUM, SIGNED>(phi + j, SUM ? sum + j : sum, row + j, n - j, nullptr);
  return tail || _mm256_movemask_ps(owed) != 0;
}

/** The lanes of a 16-float step at j of n: all 16, or the tail's. */
inline __mmask16 lanesAt(int j, int n) { return n - j >= 16 ? static_cast<__mmask16>(0xffff) : static_cast<__mmask16>((1u << (n - j)) - 1); }

__attribute__((target("avx512f"))) void scanAvx512(const float* phi, int n, bool isSigned, std::vector<uint64_t>& keys) {
  const __m512 half = _mm512_set1_ps(0.5f), minusHalf = _mm512_set1_ps(-0.5f);
  for (int j = 0; j < n; j += 16) {
    const __mmask16 lanes = lanesAt(j, n);
    const __m512 v = _mm512_maskz_loadu_ps(lanes, phi + j);
    unsigned bits = _mm512_mask_cmp_ps_mask(lanes, v, half, _CMP_GT_OQ);
    if (isSigned) bits |= _mm512_mask_cmp_ps_mask(lanes, v, minusHalf, _CMP_LT_OQ);
    for (; bits != 0; bits &= bits - 1) {
      const int u = j + __builtin_ctz(bits);
      keys.push_back(keyOf(phi[u], u));
    }
  }
}

template <bool NEG, bool SUM, bool SIGNED>
__attribute__((target("avx512f"))) bool addRowAvx512(float* phi, float* sum, const float* row, int n, uint16_t* masks) {
  const __m512 half = _mm512_set1_ps(0.5f), minusHalf = _mm512_set1_ps(-0.5f);
  __mmask16 owed = 0;
  for (int j = 0; j < n; j += 16) {
    // Masked loads and stores throughout (the tail's lanes); full masks cost no more here (DSN step 125 µs either way).
    const __mmask16 lanes = lanesAt(j, n);
    const __m512 r = _mm512_maskz_loadu_ps(lanes, row + j);
    const __m512 p = _mm512_maskz_loadu_ps(lanes, phi + j);
    const __m512 v = NEG ? _mm512_sub_ps(p, r) : _mm512_add_ps(p, r);
    _mm512_mask_storeu_ps(phi + j, lanes, v);
    if (SUM) {
      const __m512 s = _mm512_maskz_loadu_ps(lanes, sum + j);
      _mm512_mask_storeu_ps(sum + j, lanes, NEG ? _mm512_sub_ps(s, r) : _mm512_add_ps(s, r));
    }
    __mmask16 m = _mm512_mask_cmp_ps_mask(lanes, v, half, _CMP_GT_OQ);
    if (SIGNED) m |= _mm512_mask_cmp_ps_mask(lanes, v, minusHalf, _CMP_LT_OQ);
    masks[j >> 4] = m;
    owed |= m;
  }
  return owed != 0;
}
#endif

/** The eight instances of one path's row addition, indexed by NEG·4 + SUM·2 + SIGNED. */
template <template <bool, bool, bool> class F>
struct RowAdders {
  static constexpr AddRow table[8] = {F<false, false, false>::f, F<false, false, true>::f, F<false, true, false>::f, F<false, true, true>::f,
                                      F<true, false, false>::f,  F<true, false, true>::f,  F<true, true, false>::f,  F<true, true, true>::f};
};

template <bool NEG, bool SUM, bool SIGNED>
struct PortableRow {
  static constexpr AddRow f = addRowPortable<NEG, SUM, SIGNED>;
};
#if defined(__x86_64__)
template <bool NEG, bool SUM, bool SIGNED>
struct Avx2Row {
  static constexpr AddRow f = addRowAvx2<NEG, SUM, SIGNED>;
};
template <bool NEG, bool SUM, bool SIGNED>
struct Avx512Row {
  static constexpr AddRow f = addRowAvx512<NEG, SUM, SIGNED>;
};
#endif

/** A path's kernels: its row additions, its scan, and whether the row additions write the owing units' masks. */
struct PathKernels {
  const AddRow* addRow;
  Scan scan;
  bool masks;
};

PathKernels kernelsOf(AddPath path) {
#if defined(__x86_64__)
  if (path == AddPath::Avx512) return {RowAdders<Avx512Row>::table, scanAvx512, true};
  if (path == AddPath::Avx2) return {RowAdders<Avx2Row>::table, scanAvx2, false};
#endif
  (void)path;
  return {RowAdders<PortableRow>::table, scanPortable, false};
}

/** Appends the keys of the units that `masks` (16 units each, of φ[n]) mark as owing a spike. */
void keysFromMasks(const float* phi, int n, const uint16_t* masks, std::vector<uint64_t>& keys) {
  for (int c = 0; 16 * c < n; c++)
    for (unsigned bits = masks[c]; bits != 0; bits &= bits - 1) {
      const int u = 16 * c + __builtin_ctz(bits);
      keys.push_back(keyOf(phi[u], u));
    }
}

/** Emits one spike of unit u (φ_u moves 1 toward 0, counts_u by its sign) as out[written]. */
inline void emit(float* phi, int u, HerdSink& sink) {
  const float v = phi[u];
  const float sign = v > 0 ? 1.0f : -1.0f;
  sink.out[sink.written++] = v > 0 ? u : ~u;
  phi[u] = v - sign;
  if (sink.counts) sink.counts[u] += sign;
}

/** The herd one spike at a time from a max-heap of keys (a unit that still owes goes back with its new key): any number of spikes. */
int herdByHeap(float* phi, bool isSigned, HerdSink& sink, std::vector<uint64_t>& heap) {
  std::make_heap(heap.begin(), heap.end());
  while (!heap.empty()) {
    if (sink.written >= sink.cap) return -1;
    std::pop_heap(heap.begin(), heap.end());
    const int u = unitOf(heap.back());
    heap.pop_back();
    emit(phi, u, sink);
    if (owes(phi[u], isSigned)) {
      heap.push_back(keyOf(phi[u], u));
      std::push_heap(heap.begin(), heap.end());
    }
  }
  return sink.written;
}

/** Herds of at most this many spikes are sorted by insertion alone. */
constexpr size_t SMALL_HERD = 16;

/** Sorts keys[0, size) descending: by buckets over their range (counting sort into `sorted`), then an insertion pass. */
uint64_t* sortDescending(uint64_t* keys, size_t size, std::vector<uint64_t>& sorted, std::vector<int>& buckets) {
  uint64_t* at = keys;
  if (size > SMALL_HERD) {
    uint32_t lo = UINT32_MAX, hi = 0;
    for (size_t k = 0; k < size; k++) {
      lo = std::min(lo, static_cast<uint32_t>(keys[k] >> 32));
      hi = std::max(hi, static_cast<uint32_t>(keys[k] >> 32));
    }
    const double scale = static_cast<double>(size) / (static_cast<double>(hi - lo) + 1);
    const int last = static_cast<int>(size) - 1;
    auto bucket = [&](uint64_t key) { return std::max(0, last - static_cast<int>(static_cast<double>(static_cast<uint32_t>(key >> 32) - lo) * scale)); };
    sorted.resize(size);
    // buckets[0, size]: the counts, then the starts; buckets[size + 1 + k]: key k's bucket.
    buckets.assign(2 * size + 1, 0);
    int* of = buckets.data() + size + 1;
    for (size_t k = 0; k < size; k++) buckets[(of[k] = bucket(keys[k])) + 1]++;
    for (size_t b = 1; b <= size; b++) buckets[b] += buckets[b - 1];
    for (size_t k = 0; k < size; k++) sorted[buckets[of[k]]++] = keys[k];
    at = sorted.data();
  }
  for (size_t k = 1; k < size; k++) {
    const uint64_t key = at[k];
    size_t m = k;
    for (; m > 0 && at[m - 1] < key; m--) at[m] = at[m - 1];
    at[m] = key;
  }
  return at;
}

/**
 * Emits the spikes φ[n] owes into the sink, largest key first. Returns the new count, or −1 when out filled
 * up with spikes still owed (they stay in φ). Usually every spike's key is known at once (a unit's keys are
 * |φ|, |φ| − 1, ...: decreasing), so the order is the keys sorted; with more than 2·n + 16 spikes owed, a
 * heap hands them out one by one. `masks`, when given, mark the owing units (else φ is scanned).
 */
int herd(float* phi, int n, bool isSigned, HerdSink& sink, Scan scan, HerdScratch& scratch, const uint16_t* masks = nullptr) {
  std::vector<uint64_t>& keys = scratch.keys;
  keys.clear();
  if (masks) keysFromMasks(phi, n, masks, keys);
  else scan(phi, n, isSigned, keys);
  const size_t units = keys.size(), limit = 2 * static_cast<size_t>(n) + 16;
  for (size_t k = 0; k < units; k++) {
    const int u = unitOf(keys[k]);
    for (float v = phi[u] > 0 ? phi[u] - 1 : phi[u] + 1; owes(v, isSigned); v = v > 0 ? v - 1 : v + 1) {
      if (keys.size() >= limit) {
        keys.resize(units);
        return herdByHeap(phi, isSigned, sink, keys);
      }
      keys.push_back(keyOf(v, u));
    }
  }
  const uint64_t* order = sortDescending(keys.data(), keys.size(), scratch.sorted, scratch.buckets);
  const size_t room = static_cast<size_t>(sink.cap - sink.written);
  for (size_t k = 0; k < std::min(keys.size(), room); k++) emit(phi, unitOf(order[k]), sink);
  return keys.size() > room ? -1 : sink.written;
}

}  // namespace

int herdVector(AddPath path, float* phi, int n, const float* x, float scale, bool isSigned, bool pending, HerdSink sink, HerdScratch& scratch) {
  if (!pending)
    for (int j = 0; j < n; j++) phi[j] = phi[j] + scale * x[j];
  return herd(phi, n, isSigned, sink, kernelsOf(path).scan, scratch);
}

int herdRows(AddPath path, const float* w, int rows, int cols, const int32_t* spikes, int from, int to, bool pending, float* phi, bool isSigned, float* sum, HerdSink sink, HerdScratch& scratch) {
  (void)rows;
  const PathKernels k = kernelsOf(path);
  std::vector<uint16_t>& masks = scratch.masks;
  masks.resize((static_cast<size_t>(cols) + 15) / 16);
  for (int s = from; s < to; s++) {
    const int32_t code = spikes[s];
    const int i = code >= 0 ? code : ~code;
    const bool resumed = pending && s == from;
    if (!resumed && !k.addRow[(code < 0) * 4 + (sum != nullptr) * 2 + isSigned](phi, sum, w + static_cast<long>(i) * cols, cols, masks.data())) continue;
    if (herd(phi, cols, isSigned, sink, k.scan, scratch, k.masks && !resumed ? masks.data() : nullptr) < 0) return -(s + 1);
  }
  return sink.written;
}

int herdColumns(AddPath path, float* w, int rows, int cols, const int32_t* spikes, int from, int to, bool pending, float* phi, bool isSigned, float rate, const float* c, HerdSink sink, HerdScratch& scratch) {
  for (int s = from; s < to; s++) {
    const int32_t code = spikes[s];
    const int j = code >= 0 ? code : ~code;
    float* column = w + j;
    if (phi) {
      if (!(pending && s == from))
        for (int i = 0; i < rows; i++) {
          const float v = column[static_cast<long>(i) * cols];
          phi[i] = code < 0 ? phi[i] - v : phi[i] + v;
        }
      if (herd(phi, rows, isSigned, sink, kernelsOf(path).scan, scratch) < 0) return -(s + 1);
    }
    if (rate != 0 && c) {
      const float a = code < 0 ? -rate : rate;
      for (int i = 0; i < rows; i++)
        if (c[i] > 0) {
          float& at = column[static_cast<long>(i) * cols];
          at = at - a * c[i];
        }
    }
  }
  return sink.written;
}

void outerUpdate(float* w, int rows, int cols, const float* c, const float* e, float rate) {
  for (int i = 0; i < rows; i++) {
    if (!(c[i] > 0)) continue;
    const float a = rate * c[i];
    float* row = w + static_cast<long>(i) * cols;
    for (int j = 0; j < cols; j++) row[j] = row[j] - a * e[j];
  }
}

}  // namespace snnkit
