{
  "targets": [
    {
      "target_name": "snnkit_native",
      "sources": ["src/addon.cc", "src/gemm.cc", "src/blas.cc", "src/cpu.cc", "src/spike_table.cc", "src/conv.cc", "src/herding.cc", "src/lif.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-math-errno", "-ffp-contract=off", "-fno-strict-aliasing"],
      "libraries": ["-ldl", "-lpthread"]
    }
  ]
}
