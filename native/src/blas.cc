// OpenBLAS loaded with dlopen on first use: libopenblas.so.0 (Debian's libopenblas0-pthread and others).
// A generic libblas.so.3 is used only when it is OpenBLAS (it exports openblas_get_config): the reference
// BLAS is slower than snnkit's own kernels. OPENBLAS_CORETYPE, where a machine sets it, is left alone.
#include "blas.h"

#include <dlfcn.h>

#include <mutex>

namespace snnkit {
namespace {

enum { RowMajor = 101 };
enum { NoTrans = 111, Trans = 112 };
using Sgemm = void (*)(int, int, int, int, int, int, float, const float*, int, const float*, int, float, float*, int);
using SetThreads = void (*)(int);
using GetConfig = char* (*)();

struct Blas {
  Sgemm sgemm = nullptr;
  SetThreads setThreads = nullptr;
  GetConfig getConfig = nullptr;
};

const Blas& blas() {
  static Blas b;
  static std::once_flag once;
  std::call_once(once, [] {
    for (const char* name : {"libopenblas.so.0", "libopenblas.so", "libblas.so.3"}) {
      void* h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
      if (!h) continue;
      auto sgemm = reinterpret_cast<Sgemm>(dlsym(h, "cblas_sgemm"));
      auto config = reinterpret_cast<GetConfig>(dlsym(h, "openblas_get_config"));
      if (!sgemm || !config) {
        dlclose(h);
        continue;
      }
      b.sgemm = sgemm;
      b.getConfig = config;
      b.setThreads = reinterpret_cast<SetThreads>(dlsym(h, "openblas_set_num_threads"));
      return;
    }
  });
  return b;
}

}  // namespace

bool blasAvailable() { return blas().sgemm != nullptr; }

std::string blasConfig() {
  const Blas& b = blas();
  return b.getConfig ? std::string(b.getConfig()) : std::string();
}

void blasSetThreads(int threads) {
  const Blas& b = blas();
  if (b.setThreads) b.setThreads(threads);
}

void blasSgemm(bool transA, bool transB, int M, int N, int K, const float* A, int lda, const float* B, int ldb, float* C, int ldc, bool accumulate) {
  blas().sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, M, N, K, 1.0f, A, lda, B, ldb, accumulate ? 1.0f : 0.0f, C, ldc);
}

}  // namespace snnkit
