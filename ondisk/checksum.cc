// SPDX-License-Identifier: MIT
#include "ondisk/checksum.h"

namespace zk::ondisk {

uint32_t cksm(std::span<const std::byte> bytes, uint32_t seed) {
  uint64_t sum = seed;
  size_t i = 0;
  for (; i + 4 <= bytes.size(); i += 4) {
    const uint32_t word =
        static_cast<uint32_t>(bytes[i]) << 24 | static_cast<uint32_t>(bytes[i + 1]) << 16 |
        static_cast<uint32_t>(bytes[i + 2]) << 8 | static_cast<uint32_t>(bytes[i + 3]);
    sum += word;
    sum = (sum & 0xffffffffu) + (sum >> 32);
  }
  if (i < bytes.size()) {
    uint32_t word = 0;
    for (size_t k = 0; k < 4; ++k)
      word = word << 8 | (i + k < bytes.size() ? static_cast<uint32_t>(bytes[i + k]) : 0u);
    sum += word;
    sum = (sum & 0xffffffffu) + (sum >> 32);
  }
  return static_cast<uint32_t>(sum);
}

}  // namespace zk::ondisk
