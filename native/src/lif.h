// The fused LIF kernels (src/backend/kernels/lif.ts defines them; src/backend/wasm/assembly/lif.ts is the
// wasm build) on the CPU: the whole time loop of a layer in one call, forward and backward (BPTT). The
// forward pass does the wasm kernel's float32 operations in its order, so its membranes and spikes equal
// the wasm kernel's bit for bit; the backward pass equals it to rounding (the surrogates' exponentials are
// the C library's here).
#pragma once

#include "spike_table.h"

namespace snnkit {

/** Scalar parameters: T steps of P neurons, β, θ, the reset code (0 subtract, 1 zero, 2 none), H(0), g, g_r; for the backward pass, detach, the surrogate's code and parameter. */
struct LifParams {
  int T, P;
  float beta, thr;
  int reset;
  float h0, g, gr;
  bool detach;
  int surrogate;
  float k;
  /** Backward: a given s[−1] takes the surrogate gradient σ′(m[−1] − θ) as if computed (a noisy layer's drawn spike). */
  bool spk0Grad;
};

/** Forward: mem, spk [T, P] from input [T, P]; mem0, spk0 (P) and noise ([T, P]) may be null. */
void lifForward(AddPath path, const float* input, const float* mem0, const float* spk0, const float* noise, float* mem, float* spk, const LifParams& p);

/** Backward: dInput [T, P] (and dMem0 [P] when not null) from gSpk, gMem [T, P] (either may be null). */
void lifBackward(AddPath path, const float* input, const float* mem0, const float* spk0, const float* mem, const float* spk, const float* gSpk, const float* gMem, float* dInput, float* dMem0, const LifParams& p);

}  // namespace snnkit
