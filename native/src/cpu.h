// The CPU's vector extensions, detected at run time, so that one build runs on any x86-64 (and elsewhere
// on the portable path).
#pragma once

namespace snnkit {

struct CpuFeatures {
  bool avx2_fma = false;
  bool avx512f = false;
};

/** What this CPU (and the operating system's saving of its registers) supports. */
const CpuFeatures& cpuFeatures();

}  // namespace snnkit
