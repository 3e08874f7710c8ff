// SPDX-License-Identifier: MIT
#include "util/all_zero.h"

#include <cstdint>
#include <cstring>

namespace zk::util {

bool all_zero(std::span<const std::byte> bytes) {
  constexpr size_t kBlock = 256;
  const std::byte* p = bytes.data();
  const size_t n = bytes.size();
  size_t i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    // OR the block's words together without a branch: a reduction the vectoriser handles.
    uint64_t any = 0;
    for (size_t k = 0; k < kBlock; k += sizeof(uint64_t)) {
      uint64_t w;
      std::memcpy(&w, p + i + k, sizeof w);
      any |= w;
    }
    if (any != 0) return false;
  }
  for (; i < n; ++i)
    if (p[i] != std::byte{0}) return false;
  return true;
}

}  // namespace zk::util
