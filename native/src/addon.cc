// snnkit's native kernels for Node (Node-API through node-addon-api): GEMM through OpenBLAS where it is
// found, else snnkit's own AVX-512 / AVX2 / portable kernels. Operands are Float32Arrays (views of the
// wasm backend's memory, shared or not); every extent is checked against the arrays before a kernel runs.
#include <napi.h>

#include <string>

#include "blas.h"
#include "conv.h"
#include "cpu.h"
#include "gemm.h"
#include "spike_table.h"

namespace {

/** { avx2, avx512, blas } of this machine: blas is OpenBLAS's configuration, or null. */
Napi::Value Features(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const snnkit::CpuFeatures& f = snnkit::cpuFeatures();
  Napi::Object out = Napi::Object::New(env);
  out.Set("avx2", Napi::Boolean::New(env, f.avx2_fma));
  out.Set("avx512", Napi::Boolean::New(env, f.avx512f));
  out.Set("blas", snnkit::blasAvailable() ? Napi::Value(Napi::String::New(env, snnkit::blasConfig())) : env.Null());
  return out;
}

Napi::Value Fail(Napi::Env env, const std::string& message) {
  Napi::RangeError::New(env, "snnkit native: " + message).ThrowAsJavaScriptException();
  return env.Undefined();
}

/** The own kernels named "avx512", "avx2" or "portable", if this CPU runs them; else an error naming the kernel and the path. */
bool ownPath(Napi::Env env, const std::string& kernel, const std::string& path, snnkit::GemmPath* out) {
  if (path == "avx512") *out = snnkit::GemmPath::Avx512;
  else if (path == "avx2") *out = snnkit::GemmPath::Avx2;
  else if (path == "portable") *out = snnkit::GemmPath::Portable;
  else {
    Fail(env, kernel + ": unknown path " + path);
    return false;
  }
  if (snnkit::pathSupported(*out)) return true;
  Fail(env, kernel + ": this CPU cannot run the " + path + " kernels");
  return false;
}

/**
 * sgemm(a, aOffset, b, bOffset, c, cOffset, M, N, K, transA, transB, accumulate, path, threads):
 * C = op(A)·op(B) (+ C), row-major, packed (lda = K or M, ldb = N or K, ldc = N), at element offsets into
 * the three Float32Arrays. path: "blas", "avx512", "avx2" or "portable".
 */
Napi::Value Sgemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 14 || !info[0].IsTypedArray() || !info[2].IsTypedArray() || !info[4].IsTypedArray()) return Fail(env, "sgemm takes 14 arguments, three of them Float32Arrays");
  auto a = info[0].As<Napi::Float32Array>();
  auto b = info[2].As<Napi::Float32Array>();
  auto c = info[4].As<Napi::Float32Array>();
  const double aOff = info[1].As<Napi::Number>().DoubleValue(), bOff = info[3].As<Napi::Number>().DoubleValue(), cOff = info[5].As<Napi::Number>().DoubleValue();
  const double m = info[6].As<Napi::Number>().DoubleValue(), n = info[7].As<Napi::Number>().DoubleValue(), k = info[8].As<Napi::Number>().DoubleValue();
  const bool transA = info[9].ToBoolean(), transB = info[10].ToBoolean(), accumulate = info[11].ToBoolean();
  const std::string path = info[12].ToString();
  const int threads = info[13].As<Napi::Number>().Int32Value();
  if (!(m >= 0 && n >= 0 && k >= 0 && m < 2147483647.0 && n < 2147483647.0 && k < 2147483647.0)) return Fail(env, "sgemm: sizes out of range");
  const int M = static_cast<int>(m), N = static_cast<int>(n), K = static_cast<int>(k);
  const double need[3] = {aOff + m * k, bOff + k * n, cOff + m * n};
  const double have[3] = {static_cast<double>(a.ElementLength()), static_cast<double>(b.ElementLength()), static_cast<double>(c.ElementLength())};
  for (int i = 0; i < 3; i++)
    if (need[i] > have[i] || need[i] < 0) return Fail(env, "sgemm: an operand extends past its array");
  const float* A = a.Data() + static_cast<size_t>(aOff);
  const float* B = b.Data() + static_cast<size_t>(bOff);
  float* C = c.Data() + static_cast<size_t>(cOff);
  const int lda = transA ? M : K, ldb = transB ? K : N, ldc = N;
  if (M == 0 || N == 0) return env.Undefined();
  if (path == "blas") {
    if (!snnkit::blasAvailable()) return Fail(env, "sgemm: OpenBLAS is not loaded");
    // K = 0 is BLAS's empty sum (C = 0, or C kept with beta 1); the leading dimensions must still be ≥ 1.
    snnkit::blasSgemm(transA, transB, M, N, K, A, std::max(lda, 1), B, std::max(ldb, 1), C, ldc, accumulate);
    return env.Undefined();
  }
  snnkit::GemmPath p;
  if (!ownPath(env, "sgemm", path, &p)) return env.Undefined();
  snnkit::ownSgemm(p, transA, transB, M, N, K, A, lda, B, ldb, C, ldc, accumulate, std::max(1, threads));
  return env.Undefined();
}

/**
 * spikeTable(s, sOffset, M, K, transposed, b, bOffset, N, out, outOffset, accumulate, path, threads): the
 * four-spike table product (spike_table.h) of S [M, K] with B ([K, N], or [M, N] when transposed) into out
 * ([M, N], or [K, N]); returns 1 (done), 0 (the table would not pay) or −1 (S is not binary).
 * path: "avx512", "avx2" or "portable".
 */
Napi::Value SpikeTable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 13 || !info[0].IsTypedArray() || !info[5].IsTypedArray() || !info[8].IsTypedArray()) return Fail(env, "spikeTable takes 13 arguments, three of them Float32Arrays");
  auto s = info[0].As<Napi::Float32Array>();
  auto b = info[5].As<Napi::Float32Array>();
  auto out = info[8].As<Napi::Float32Array>();
  const double sOff = info[1].As<Napi::Number>().DoubleValue(), bOff = info[6].As<Napi::Number>().DoubleValue(), oOff = info[9].As<Napi::Number>().DoubleValue();
  const double m = info[2].As<Napi::Number>().DoubleValue(), k = info[3].As<Napi::Number>().DoubleValue(), n = info[7].As<Napi::Number>().DoubleValue();
  const bool transposed = info[4].ToBoolean(), accumulate = info[10].ToBoolean();
  const std::string path = info[11].ToString();
  const int threads = info[12].As<Napi::Number>().Int32Value();
  if (!(m >= 0 && n >= 0 && k >= 0 && m < 2147483647.0 && n < 2147483647.0 && k < 2147483647.0)) return Fail(env, "spikeTable: sizes out of range");
  const double rows = transposed ? k : m, depth = transposed ? m : k;
  const double need[3] = {sOff + m * k, bOff + depth * n, oOff + rows * n};
  const double have[3] = {static_cast<double>(s.ElementLength()), static_cast<double>(b.ElementLength()), static_cast<double>(out.ElementLength())};
  for (int i = 0; i < 3; i++)
    if (need[i] > have[i] || need[i] < 0) return Fail(env, "spikeTable: an operand extends past its array");
  snnkit::GemmPath own;
  if (!ownPath(env, "spikeTable", path, &own)) return env.Undefined();
  const snnkit::AddPath p = own == snnkit::GemmPath::Avx512 ? snnkit::AddPath::Avx512 : own == snnkit::GemmPath::Avx2 ? snnkit::AddPath::Avx2 : snnkit::AddPath::Portable;
  const int status = snnkit::spikeTableProduct(p, s.Data() + static_cast<size_t>(sOff), static_cast<int>(m), static_cast<int>(k), transposed, b.Data() + static_cast<size_t>(bOff), static_cast<int>(n), out.Data() + static_cast<size_t>(oOff), accumulate, std::max(1, threads));
  return Napi::Number::New(env, status);
}

/**
 * conv(kind, a, b, out, geometry[13], path, threads): a convolution kernel by im2col and snnkit's own GEMM.
 * kind 0: forward (a = x, b = w); 1: input gradient (a = dy, b = w, out = dx); 2: weight gradient
 * (a = x, b = dy, out = dw). geometry: N, C, H, W, OC, kh, kw, sh, sw, ph, pw, OH, OW.
 */
Napi::Value Conv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 7 || !info[1].IsTypedArray() || !info[2].IsTypedArray() || !info[3].IsTypedArray() || !info[4].IsArray()) return Fail(env, "conv takes 7 arguments: kind, three Float32Arrays, the geometry, path, threads");
  const int kind = info[0].As<Napi::Number>().Int32Value();
  auto a = info[1].As<Napi::Float32Array>();
  auto b = info[2].As<Napi::Float32Array>();
  auto out = info[3].As<Napi::Float32Array>();
  auto geo = info[4].As<Napi::Array>();
  if (geo.Length() != 13) return Fail(env, "conv: a geometry of 13 numbers");
  double v[13];
  for (uint32_t i = 0; i < 13; i++) {
    v[i] = geo.Get(i).As<Napi::Number>().DoubleValue();
    if (!(v[i] >= 0 && v[i] < 2147483647.0) || (i >= 5 && i <= 8 && v[i] < 1)) return Fail(env, "conv: geometry out of range");
  }
  const snnkit::ConvGeometry g{static_cast<int>(v[0]), static_cast<int>(v[1]), static_cast<int>(v[2]), static_cast<int>(v[3]), static_cast<int>(v[4]), static_cast<int>(v[5]), static_cast<int>(v[6]), static_cast<int>(v[7]), static_cast<int>(v[8]), static_cast<int>(v[9]), static_cast<int>(v[10]), static_cast<int>(v[11]), static_cast<int>(v[12])};
  const double xSize = v[0] * v[1] * v[2] * v[3], wSize = v[4] * v[1] * v[5] * v[6], ySize = v[0] * v[4] * v[11] * v[12];
  const double need[3][3] = {{xSize, wSize, ySize}, {ySize, wSize, xSize}, {xSize, ySize, wSize}};
  if (kind < 0 || kind > 2) return Fail(env, "conv: kind 0, 1 or 2");
  if (need[kind][0] > a.ElementLength() || need[kind][1] > b.ElementLength() || need[kind][2] > out.ElementLength()) return Fail(env, "conv: an operand is smaller than the geometry needs");
  const std::string path = info[5].ToString();
  snnkit::GemmPath p;
  if (!ownPath(env, "conv", path, &p)) return env.Undefined();
  const int threads = std::max(1, info[6].As<Napi::Number>().Int32Value());
  if (kind == 0) snnkit::convForward(p, a.Data(), b.Data(), out.Data(), g, threads);
  else if (kind == 1) snnkit::convBackwardInput(p, a.Data(), b.Data(), out.Data(), g, threads);
  else snnkit::convBackwardWeight(p, a.Data(), b.Data(), out.Data(), g, threads);
  return env.Undefined();
}

/** setBlasThreads(n): OpenBLAS's thread count (a no-op without OpenBLAS). */
Napi::Value SetBlasThreads(const Napi::CallbackInfo& info) {
  snnkit::blasSetThreads(std::max(1, info[0].As<Napi::Number>().Int32Value()));
  return info.Env().Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("features", Napi::Function::New(env, Features));
  exports.Set("sgemm", Napi::Function::New(env, Sgemm));
  exports.Set("setBlasThreads", Napi::Function::New(env, SetBlasThreads));
  exports.Set("spikeTable", Napi::Function::New(env, SpikeTable));
  exports.Set("conv", Napi::Function::New(env, Conv));
  return exports;
}

}  // namespace

NODE_API_MODULE(snnkit_native, Init)
