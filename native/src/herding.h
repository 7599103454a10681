// The herding kernels of Deep Spiking Networks (O'Connor & Welling 2016) natively, with the semantics that
// src/backend/kernels/herding.ts defines: every addition one float32 operation in the reference's order,
// and spikes emitted in the order of their keys (|φ| first, then the lower unit), so the results equal the
// reference and wasm kernels bit for bit. Spike codes: u ≥ 0 a positive spike of unit u, ~u a negative one.
#pragma once

#include <cstdint>
#include <vector>

#include "spike_table.h"

namespace snnkit {

/** Where a herd's spikes go: counts (or null), the code list out[written .. cap). */
struct HerdSink {
  float* counts;
  int32_t* out;
  int written;
  int cap;
};

/** A caller's working memory for herds (sort keys, buckets, masks), kept between calls: one per thread that calls the kernels. */
struct HerdScratch {
  std::vector<uint64_t> keys, sorted;
  std::vector<int> buckets;
  std::vector<uint16_t> masks;
};

/** φ[n] += scale·x (unless pending), then herd. Returns the spikes written in total, or −1 (out full; they stay owed in φ). */
int herdVector(AddPath path, float* phi, int n, const float* x, float scale, bool isSigned, bool pending, HerdSink sink, HerdScratch& scratch);

/**
 * Forward spikes[from, to) into W[rows, cols]: each adds ±its row to φ (and sum, when not null), then herds.
 * Returns the spikes written, or −(k + 1) when out filled up while herding after spike k. Codes must name rows < rows.
 */
int herdRows(AddPath path, const float* w, int rows, int cols, const int32_t* spikes, int from, int to, bool pending, float* phi, bool isSigned, float* sum, HerdSink sink, HerdScratch& scratch);

/**
 * Backward error spikes[from, to) into W[rows, cols]: each (j, s) adds s·W[:, j] to φ (when not null) and
 * herds, then with rate ≠ 0 applies W[i, j] −= (s·rate)·c_i where c_i > 0. Same return as herdRows.
 */
int herdColumns(AddPath path, float* w, int rows, int cols, const int32_t* spikes, int from, int to, bool pending, float* phi, bool isSigned, float rate, const float* c, HerdSink sink, HerdScratch& scratch);

/** W[rows, cols]: row i −= (rate·c_i)·e for every c_i > 0 (product rounded, then subtracted). */
void outerUpdate(float* w, int rows, int cols, const float* c, const float* e, float rate);

}  // namespace snnkit
