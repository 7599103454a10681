// snnkit's native kernels for Node (Node-API through node-addon-api): GEMM through OpenBLAS where it is
// found, else snnkit's own AVX-512 / AVX2 / portable kernels. Operands are Float32Arrays (views of the
// wasm backend's memory, shared or not); every extent is checked against the arrays before a kernel runs.
#include <napi.h>

#include <string>

#include "blas.h"
#include "conv.h"
#include "cpu.h"
#include "gemm.h"
#include "herding.h"
#include "lif.h"
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

/** The vector width of the own-kernel path g, for the kernels that add rather than multiply (spike tables, herding, LIF). */
snnkit::AddPath addPathOf(snnkit::GemmPath g) {
  return g == snnkit::GemmPath::Avx512 ? snnkit::AddPath::Avx512 : g == snnkit::GemmPath::Avx2 ? snnkit::AddPath::Avx2 : snnkit::AddPath::Portable;
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
  const int status = snnkit::spikeTableProduct(addPathOf(own), s.Data() + static_cast<size_t>(sOff), static_cast<int>(m), static_cast<int>(k), transposed, b.Data() + static_cast<size_t>(bOff), static_cast<int>(n), out.Data() + static_cast<size_t>(oOff), accumulate, std::max(1, threads));
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

constexpr double MAX_INT = 2147483647.0;

/**
 * What bind() set: the memory the herding kernels work on (the wasm backend's, as a Float32Array) and the
 * block their arguments are written into (a Float64Array), so that a call passes no JavaScript values at
 * all (each costs a call some 20–100 ns, and Deep Spiking Networks make some 70 calls per sample). One per
 * Node environment (thread).
 */
struct Bound {
  Napi::Reference<Napi::Float32Array> memoryRef;
  Napi::Reference<Napi::Float64Array> argsRef;
  float* base = nullptr;
  double length = 0;
  const double* args = nullptr;
  size_t argsLength = 0;
  /** The herds' working memory of this environment's thread. */
  snnkit::HerdScratch scratch;
};

Bound& bound(Napi::Env env) {
  Bound* b = env.GetInstanceData<Bound>();
  if (b == nullptr) {
    b = new Bound();
    env.SetInstanceData(b);
  }
  return *b;
}

/** bind(mem, args): the memory (Float32Array) and argument block (Float64Array) of the herding kernels; call again when the memory's buffer changes. */
Napi::Value Bind(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 2 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array || !info[1].IsTypedArray() ||
      info[1].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array)
    return Fail(env, "bind takes the memory as a Float32Array and the argument block as a Float64Array");
  Bound& b = bound(env);
  auto mem = info[0].As<Napi::Float32Array>();
  auto args = info[1].As<Napi::Float64Array>();
  b.memoryRef = Napi::Persistent(mem);
  b.argsRef = Napi::Persistent(args);
  b.base = mem.Data();
  b.length = static_cast<double>(mem.ElementLength());
  b.args = args.Data();
  b.argsLength = args.ElementLength();
  return env.Undefined();
}

/** The arguments of a kernel on the bound memory, read from the bound block: operands are element offsets (−1: none) with extents checked against the memory. */
class MemoryArgs {
 public:
  MemoryArgs(const Napi::CallbackInfo& info, const char* kernel, size_t count) : env_(info.Env()), kernel_(kernel), b_(bound(info.Env())) {
    if (b_.base == nullptr || b_.argsLength < count) fail("bind() the memory and an argument block of at least " + std::to_string(count) + " values first");
  }
  /** Whether every argument read so far was valid (else an error has been thrown). */
  bool ok() const { return ok_; }
  /** This environment's herd scratch. */
  snnkit::HerdScratch& scratch() const { return b_.scratch; }
  /** Argument `at`: an integer in [lo, hi]. */
  int integer(size_t at, const char* name, double lo, double hi) {
    if (!ok_) return 0;
    const double v = b_.args[at];
    if (!(v >= lo && v <= hi && v == static_cast<double>(static_cast<long long>(v)))) {
      fail(std::string(name) + " must be an integer in [" + std::to_string(static_cast<long long>(lo)) + ", " + std::to_string(static_cast<long long>(hi)) + "]");
      return 0;
    }
    return static_cast<int>(v);
  }
  float real(size_t at) const { return ok_ ? static_cast<float>(b_.args[at]) : 0.0f; }
  bool flag(size_t at) const { return ok_ && b_.args[at] != 0; }
  /** Argument `at`: the element offset of `elements` floats in the memory (−1: none, where `nullable`). */
  float* floats(size_t at, const char* name, double elements, bool nullable = false) { return static_cast<float*>(region(at, name, elements, nullable)); }
  int32_t* ints(size_t at, const char* name, double elements) { return reinterpret_cast<int32_t*>(region(at, name, elements, false)); }
  /** Argument `at`: the own-kernel path, 0 (AVX-512), 1 (AVX2) or 2 (portable), if this CPU runs it. */
  snnkit::AddPath path(size_t at) {
    static const snnkit::GemmPath own[3] = {snnkit::GemmPath::Avx512, snnkit::GemmPath::Avx2, snnkit::GemmPath::Portable};
    const int p = integer(at, "path", 0, 2);
    if (ok_ && !snnkit::pathSupported(own[p])) fail("this CPU cannot run the path it was given");
    return addPathOf(own[p]);
  }
  /** Whether every spike code in spikes[from, to) names a unit below `units`. */
  bool codesBelow(const int32_t* spikes, int from, int to, int units) {
    for (int k = from; ok_ && k < to; k++) {
      const long long u = spikes[k] >= 0 ? spikes[k] : -static_cast<long long>(spikes[k]) - 1;
      if (u >= units) fail("spike " + std::to_string(k) + " names unit " + std::to_string(u) + " of " + std::to_string(units));
    }
    return ok_;
  }
  Napi::Value failed() const { return env_.Undefined(); }

 private:
  void* region(size_t at, const char* name, double elements, bool nullable) {
    if (!ok_) return nullptr;
    const double off = b_.args[at];
    if (nullable && off == -1) return nullptr;
    if (!(off >= 0 && off == static_cast<double>(static_cast<long long>(off)) && elements >= 0 && off + elements <= b_.length)) {
      fail(std::string(name) + " (" + std::to_string(static_cast<long long>(elements)) + " values at " + std::to_string(static_cast<long long>(off)) + ") lies outside the memory");
      return nullptr;
    }
    return b_.base + static_cast<size_t>(off);
  }
  void fail(const std::string& message) {
    if (ok_) Fail(env_, std::string(kernel_) + ": " + message);
    ok_ = false;
  }
  Napi::Env env_;
  const char* kernel_;
  Bound& b_;
  bool ok_ = true;
};

/**
 * herdVector() reads the bound arguments (phi, n, x, scale, signed, pending, counts, out, cap, written, path): φ[n] += scale·x
 * (unless pending), then herd into out[written .. cap); returns the spikes written, or −1 (out full).
 */
Napi::Value HerdVector(const Napi::CallbackInfo& info) {
  MemoryArgs a(info, "herdVector", 11);
  const int n = a.integer(1, "n", 0, MAX_INT), cap = a.integer(8, "cap", 0, MAX_INT);
  float* phi = a.floats(0, "phi", n);
  const float* x = a.floats(2, "x", n);
  float* counts = a.floats(6, "counts", n, true);
  int32_t* out = a.ints(7, "out", cap);
  const int written = a.integer(9, "written", 0, cap);
  const snnkit::AddPath path = a.path(10);
  if (!a.ok()) return a.failed();
  return Napi::Number::New(info.Env(), snnkit::herdVector(path, phi, n, x, a.real(3), a.flag(4), a.flag(5), {counts, out, written, cap}, a.scratch()));
}

/**
 * herdRows() reads the bound arguments (w, rows, cols, spikes, from, to, pending, phi, signed, sum, counts, out, cap, written, path):
 * forward spikes[from, to) into W [rows, cols] (herding.h); sum and counts may be −1 (none).
 */
Napi::Value HerdRows(const Napi::CallbackInfo& info) {
  MemoryArgs a(info, "herdRows", 15);
  const int rows = a.integer(1, "rows", 0, MAX_INT), cols = a.integer(2, "cols", 0, MAX_INT);
  const int to = a.integer(5, "to", 0, MAX_INT), from = a.integer(4, "from", 0, to), cap = a.integer(12, "cap", 0, MAX_INT);
  const float* w = a.floats(0, "w", static_cast<double>(rows) * cols);
  const int32_t* spikes = a.ints(3, "spikes", to);
  float* phi = a.floats(7, "phi", cols);
  float* sum = a.floats(9, "sum", cols, true);
  float* counts = a.floats(10, "counts", cols, true);
  int32_t* out = a.ints(11, "out", cap);
  const int written = a.integer(13, "written", 0, cap);
  const snnkit::AddPath path = a.path(14);
  if (!a.ok() || !a.codesBelow(spikes, from, to, rows)) return a.failed();
  return Napi::Number::New(info.Env(), snnkit::herdRows(path, w, rows, cols, spikes, from, to, a.flag(6), phi, a.flag(8), sum, {counts, out, written, cap}, a.scratch()));
}

/**
 * herdColumns() reads the bound arguments (w, rows, cols, spikes, from, to, pending, phi, signed, counts, out, cap, written, rate, c, path):
 * backward error spikes[from, to) into W [rows, cols] (herding.h); phi, counts and c may be −1 (none).
 */
Napi::Value HerdColumns(const Napi::CallbackInfo& info) {
  MemoryArgs a(info, "herdColumns", 16);
  const int rows = a.integer(1, "rows", 0, MAX_INT), cols = a.integer(2, "cols", 0, MAX_INT);
  const int to = a.integer(5, "to", 0, MAX_INT), from = a.integer(4, "from", 0, to), cap = a.integer(11, "cap", 0, MAX_INT);
  float* w = a.floats(0, "w", static_cast<double>(rows) * cols);
  const int32_t* spikes = a.ints(3, "spikes", to);
  float* phi = a.floats(7, "phi", rows, true);
  float* counts = a.floats(9, "counts", rows, true);
  int32_t* out = a.ints(10, "out", cap);
  const int written = a.integer(12, "written", 0, cap);
  const float* c = a.floats(14, "c", rows, true);
  const snnkit::AddPath path = a.path(15);
  if (!a.ok() || !a.codesBelow(spikes, from, to, cols)) return a.failed();
  return Napi::Number::New(info.Env(), snnkit::herdColumns(path, w, rows, cols, spikes, from, to, a.flag(6), phi, a.flag(8), a.real(13), c, {counts, out, written, cap}, a.scratch()));
}

/** outerUpdate() reads the bound arguments (w, rows, cols, c, e, rate): W[i, :] −= (rate·c_i)·e for every c_i > 0. */
Napi::Value OuterUpdate(const Napi::CallbackInfo& info) {
  MemoryArgs a(info, "outerUpdate", 6);
  const int rows = a.integer(1, "rows", 0, MAX_INT), cols = a.integer(2, "cols", 0, MAX_INT);
  float* w = a.floats(0, "w", static_cast<double>(rows) * cols);
  const float* c = a.floats(3, "c", rows);
  const float* e = a.floats(4, "e", cols);
  if (!a.ok()) return a.failed();
  snnkit::outerUpdate(w, rows, cols, c, e, a.real(5));
  return info.Env().Undefined();
}

/** The LIF parameters at args[at ..]: T, P, β, θ, reset, H(0), g, g_r (and, with `backward`, detach, surrogate, k, spk0Grad). */
bool lifParams(MemoryArgs& a, size_t at, bool backward, snnkit::LifParams* p) {
  p->T = a.integer(at, "T", 0, MAX_INT);
  p->P = a.integer(at + 1, "P", 0, MAX_INT);
  p->beta = a.real(at + 2);
  p->thr = a.real(at + 3);
  p->reset = a.integer(at + 4, "reset", 0, 2);
  p->h0 = a.real(at + 5);
  p->g = a.real(at + 6);
  p->gr = a.real(at + 7);
  p->detach = backward && a.flag(at + 8);
  p->surrogate = backward ? a.integer(at + 9, "surrogate", 0, 7) : 0;
  p->k = backward ? a.real(at + 10) : 0.0f;
  p->spk0Grad = backward && a.flag(at + 11);
  return a.ok();
}

/**
 * lifForward() reads the bound arguments (input, mem0, spk0, noise, mem, spk, T, P, β, θ, reset, H(0), g,
 * g_r, path): the fused LIF forward pass (lif.h); mem0, spk0 and noise may be −1 (none).
 */
Napi::Value LifForward(const Napi::CallbackInfo& info) {
  MemoryArgs a(info, "lifForward", 15);
  snnkit::LifParams p{};
  if (!lifParams(a, 6, false, &p)) return a.failed();
  const double tp = static_cast<double>(p.T) * p.P;
  const float* input = a.floats(0, "input", tp);
  const float* mem0 = a.floats(1, "mem0", p.P, true);
  const float* spk0 = a.floats(2, "spk0", p.P, true);
  const float* noise = a.floats(3, "noise", tp, true);
  float* mem = a.floats(4, "mem", tp);
  float* spk = a.floats(5, "spk", tp);
  const snnkit::AddPath path = a.path(14);
  if (!a.ok()) return a.failed();
  snnkit::lifForward(path, input, mem0, spk0, noise, mem, spk, p);
  return info.Env().Undefined();
}

/**
 * lifBackward() reads the bound arguments (input, mem0, spk0, mem, spk, gSpk, gMem, dInput, dMem0, T, P, β,
 * θ, reset, H(0), g, g_r, detach, surrogate, k, spk0Grad, path): the fused LIF backward pass (lif.h); mem0, spk0,
 * gSpk, gMem and dMem0 may be −1 (none).
 */
Napi::Value LifBackward(const Napi::CallbackInfo& info) {
  MemoryArgs a(info, "lifBackward", 22);
  snnkit::LifParams p{};
  if (!lifParams(a, 9, true, &p)) return a.failed();
  const double tp = static_cast<double>(p.T) * p.P;
  const float* input = a.floats(0, "input", tp);
  const float* mem0 = a.floats(1, "mem0", p.P, true);
  const float* spk0 = a.floats(2, "spk0", p.P, true);
  const float* mem = a.floats(3, "mem", tp);
  const float* spk = a.floats(4, "spk", tp);
  const float* gSpk = a.floats(5, "gSpk", tp, true);
  const float* gMem = a.floats(6, "gMem", tp, true);
  float* dInput = a.floats(7, "dInput", tp);
  float* dMem0 = a.floats(8, "dMem0", p.P, true);
  const snnkit::AddPath path = a.path(21);
  if (!a.ok()) return a.failed();
  snnkit::lifBackward(path, input, mem0, spk0, mem, spk, gSpk, gMem, dInput, dMem0, p);
  return info.Env().Undefined();
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
  exports.Set("bind", Napi::Function::New(env, Bind));
  exports.Set("herdVector", Napi::Function::New(env, HerdVector));
  exports.Set("herdRows", Napi::Function::New(env, HerdRows));
  exports.Set("herdColumns", Napi::Function::New(env, HerdColumns));
  exports.Set("outerUpdate", Napi::Function::New(env, OuterUpdate));
  exports.Set("lifForward", Napi::Function::New(env, LifForward));
  exports.Set("lifBackward", Napi::Function::New(env, LifBackward));
  return exports;
}

}  // namespace

NODE_API_MODULE(snnkit_native, Init)
