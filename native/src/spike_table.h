// The four-spike table product ("method of four Russians") for spike operands S ∈ {0,1}, as the wasm
// kernel computes it (src/backend/wasm/assembly/sparse.ts), summed in the same order so that the results
// are the same bit for bit, with the table rows added 16 (AVX-512) or 8 (AVX2) floats at a time.
#pragma once

namespace snnkit {

/** How the table rows are added: AVX-512, AVX2 or portable C++ (the same sums on each). */
enum class AddPath { Avx512, Avx2, Portable };

/**
 * out[rows, N] (+)= the spike product: for transposed = false, out = S[M,K]·B[K,N] (rows = M); for true,
 * out (+)= S[M,K]ᵀ·B[M,N] (rows = K). Returns 1 when done; 0 when S is binary but the table would not pay
 * (the caller sums one row per spike instead); −1 when S holds a value other than 0 and 1.
 */
int spikeTableProduct(AddPath path, const float* s, int M, int K, bool transposed, const float* b, int N, float* out, bool accumulate, int threads);

}  // namespace snnkit
