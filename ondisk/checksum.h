// SPDX-License-Identifier: MIT
#pragma once
/// The checksum zipl and the dumper keep in the dump superblock: what the s390 CKSM instruction
/// computes, so that a partition reused for anything else is noticed.

#include <cstddef>
#include <cstdint>
#include <span>

namespace zk::ondisk {

/// The seed zipl uses; it is also the checksum of an all-zero area.
inline constexpr uint32_t kChecksumSeed = 0x12345678;

/// Adds every big-endian 32-bit word of `bytes` to `seed` with end-around carry (a carry out of
/// bit 31 is added back in). A trailing partial word is zero-padded on the right, as CKSM does.
[[nodiscard]] uint32_t cksm(std::span<const std::byte> bytes, uint32_t seed = kChecksumSeed);

}  // namespace zk::ondisk
