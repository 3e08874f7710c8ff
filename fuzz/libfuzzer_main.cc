// SPDX-License-Identifier: MIT
// libFuzzer's entry point for every target (the fuzzing build, ZK_FUZZ=ON, clang).
#include "fuzz/fuzz_one.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return zk::fuzz::run_one(data, size);
}
