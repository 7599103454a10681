// Run-time detection of AVX2+FMA and AVX-512F (the compiler's cpuid and xgetbv checks, which include
// the operating system's support for the wider registers).
#include "cpu.h"

namespace snnkit {

const CpuFeatures& cpuFeatures() {
  static const CpuFeatures features = [] {
    CpuFeatures f;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    f.avx2_fma = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    f.avx512f = __builtin_cpu_supports("avx512f") && f.avx2_fma;
#endif
    return f;
  }();
  return features;
}

}  // namespace snnkit
