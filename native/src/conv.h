// 2-D convolution (NCHW) as im2col and snnkit's own GEMM: the forward pass and both gradients, images
// split over threads.
#pragma once

#include "gemm.h"

namespace snnkit {

/** The geometry of a convolution (as the TypeScript Conv2dGeometry). */
struct ConvGeometry {
  int N, C, H, W, OC, kh, kw, sh, sw, ph, pw, OH, OW;
};

/** out[n, o] = Σ w[o, c, i, j]·x[n, c, …] (zero padding). */
void convForward(GemmPath path, const float* x, const float* w, float* out, const ConvGeometry& g, int threads);
/** dx = the input gradient of dy. */
void convBackwardInput(GemmPath path, const float* dy, const float* w, float* dx, const ConvGeometry& g, int threads);
/** dw = the weight gradient of dy (summed over the images). */
void convBackwardWeight(GemmPath path, const float* x, const float* dy, float* dw, const ConvGeometry& g, int threads);

}  // namespace snnkit
