// Convolution as im2col + GEMM: each image's patches form col [C·kh·kw, OH·OW] (zeros where the window
// leaves the image); then out_n [OC, OH·OW] = W [OC, C·kh·kw]·col, dcol = Wᵀ·dy_n scattered back by
// col2im, and dW += dy_n·colᵀ. Threads take ranges of images, each with its own col buffer (and, for the
// weight gradient, its own partial sum, added in thread order at the end).
#include "conv.h"

#include <algorithm>
#include <thread>
#include <vector>

namespace snnkit {
namespace {

long ckkOf(const ConvGeometry& g) { return static_cast<long>(g.C) * g.kh * g.kw; }
long ohwOf(const ConvGeometry& g) { return static_cast<long>(g.OH) * g.OW; }

/** col[(c·kh + i)·kw + j, oy·OW + ox] = x[c, oy·sh − ph + i, ox·sw − pw + j], or 0 outside the image. */
void im2col(const float* x, const ConvGeometry& g, float* col) {
  const long ohw = ohwOf(g);
  for (int c = 0; c < g.C; c++)
    for (int i = 0; i < g.kh; i++)
      for (int j = 0; j < g.kw; j++) {
        float* row = col + ((static_cast<long>(c) * g.kh + i) * g.kw + j) * ohw;
        for (int oy = 0; oy < g.OH; oy++) {
          const int y = oy * g.sh - g.ph + i;
          float* dst = row + static_cast<long>(oy) * g.OW;
          if (y < 0 || y >= g.H) {
            std::fill_n(dst, g.OW, 0.0f);
            continue;
          }
          const float* src = x + (static_cast<long>(c) * g.H + y) * g.W;
          for (int ox = 0; ox < g.OW; ox++) {
            const int xx = ox * g.sw - g.pw + j;
            dst[ox] = xx >= 0 && xx < g.W ? src[xx] : 0.0f;
          }
        }
      }
}

/** dx[c, y, x] += col[…] for every tap (the adjoint of im2col); dx is zeroed first. */
void col2im(const float* col, const ConvGeometry& g, float* dx) {
  const long ohw = ohwOf(g);
  std::fill_n(dx, static_cast<long>(g.C) * g.H * g.W, 0.0f);
  for (int c = 0; c < g.C; c++)
    for (int i = 0; i < g.kh; i++)
      for (int j = 0; j < g.kw; j++) {
        const float* row = col + ((static_cast<long>(c) * g.kh + i) * g.kw + j) * ohw;
        for (int oy = 0; oy < g.OH; oy++) {
          const int y = oy * g.sh - g.ph + i;
          if (y < 0 || y >= g.H) continue;
          float* dst = dx + (static_cast<long>(c) * g.H + y) * g.W;
          const float* src = row + static_cast<long>(oy) * g.OW;
          for (int ox = 0; ox < g.OW; ox++) {
            const int xx = ox * g.sw - g.pw + j;
            if (xx >= 0 && xx < g.W) dst[xx] += src[ox];
          }
        }
      }
}

/** Runs body(n0, n1, part) over ranges of the N images on up to `threads` threads. */
template <typename Body>
int byImages(int N, int threads, Body body) {
  const int parts = std::max(1, std::min(threads, N));
  if (parts == 1) {
    body(0, N, 0);
    return 1;
  }
  std::vector<std::thread> pool;
  for (int t = 1; t < parts; t++) pool.emplace_back(body, static_cast<int>(static_cast<long>(N) * t / parts), static_cast<int>(static_cast<long>(N) * (t + 1) / parts), t);
  body(0, static_cast<int>(N / parts), 0);
  for (auto& th : pool) th.join();
  return parts;
}

}  // namespace

void convForward(GemmPath path, const float* x, const float* w, float* out, const ConvGeometry& g, int threads) {
  const long ckk = ckkOf(g), ohw = ohwOf(g), xImage = static_cast<long>(g.C) * g.H * g.W, outImage = g.OC * ohw;
  byImages(g.N, threads, [&](int n0, int n1, int) {
    std::vector<float> col(static_cast<size_t>(ckk * ohw));
    for (int n = n0; n < n1; n++) {
      im2col(x + n * xImage, g, col.data());
      ownSgemm(path, false, false, g.OC, static_cast<int>(ohw), static_cast<int>(ckk), w, static_cast<int>(ckk), col.data(), static_cast<int>(ohw), out + n * outImage, static_cast<int>(ohw), false, 1);
    }
  });
}

void convBackwardInput(GemmPath path, const float* dy, const float* w, float* dx, const ConvGeometry& g, int threads) {
  const long ckk = ckkOf(g), ohw = ohwOf(g), xImage = static_cast<long>(g.C) * g.H * g.W, outImage = g.OC * ohw;
  byImages(g.N, threads, [&](int n0, int n1, int) {
    std::vector<float> col(static_cast<size_t>(ckk * ohw));
    for (int n = n0; n < n1; n++) {
      // dcol [ckk, ohw] = Wᵀ [ckk, OC] · dy_n [OC, ohw]; W is stored [OC, ckk].
      ownSgemm(path, true, false, static_cast<int>(ckk), static_cast<int>(ohw), g.OC, w, static_cast<int>(ckk), dy + n * outImage, static_cast<int>(ohw), col.data(), static_cast<int>(ohw), false, 1);
      col2im(col.data(), g, dx + n * xImage);
    }
  });
}

void convBackwardWeight(GemmPath path, const float* x, const float* dy, float* dw, const ConvGeometry& g, int threads) {
  const long ckk = ckkOf(g), ohw = ohwOf(g), xImage = static_cast<long>(g.C) * g.H * g.W, outImage = g.OC * ohw;
  const long wSize = g.OC * ckk;
  const int parts = std::max(1, std::min(threads, g.N));
  std::vector<std::vector<float>> partial(static_cast<size_t>(parts - 1), std::vector<float>(static_cast<size_t>(wSize)));
  byImages(g.N, parts, [&](int n0, int n1, int part) {
    float* sum = part == 0 ? dw : partial[static_cast<size_t>(part - 1)].data();
    std::fill_n(sum, wSize, 0.0f);
    std::vector<float> col(static_cast<size_t>(ckk * ohw));
    for (int n = n0; n < n1; n++) {
      im2col(x + n * xImage, g, col.data());
      // dW [OC, ckk] += dy_n [OC, ohw] · colᵀ [ohw, ckk]; col is stored [ckk, ohw].
      ownSgemm(path, false, true, g.OC, static_cast<int>(ckk), static_cast<int>(ohw), dy + n * outImage, static_cast<int>(ohw), col.data(), static_cast<int>(ohw), sum, static_cast<int>(ckk), true, 1);
    }
  });
  for (const auto& p : partial)
    for (long i = 0; i < wSize; i++) dw[i] += p[static_cast<size_t>(i)];
}

}  // namespace snnkit
