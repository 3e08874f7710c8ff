// SPDX-License-Identifier: MIT
#pragma once
/// The order in which the bytes of a vmcore go to the disk (docs/dump-protocol.md, section 4):
///  1. the file ranges of PT_LOAD segments whose physical addresses lie below the HSA size,
///     because that memory is held by the hardware's save area, which must be released as soon
///     as possible;
///  2. (the HSA is released here);
///  3. everything else from file offset `page` on, skipping what step 1 wrote;
///  4. the first page (ELF header and program headers) last, so that an interrupted dump never
///     looks like a valid ELF file.
/// Range boundaries are rounded out to `page` so every step is aligned for direct I/O; the
/// rounding only ever writes the same bytes twice, never different ones.

#include <cstdint>
#include <vector>

#include "ondisk/vmcore.h"

namespace zk::dumper {

struct CopyRange {
  uint64_t offset = 0;  ///< file offset in the vmcore = offset in the dump area
  uint64_t length = 0;
  bool hsa = false;  ///< part of step 1
};

struct CopyPlan {
  std::vector<CopyRange> ranges;  ///< in write order; the last one is the first page
  size_t hsa_ranges = 0;          ///< ranges[0, hsa_ranges) are step 1
  uint64_t total_bytes = 0;       ///< sum of lengths = the vmcore's size
};

/// Plans the copy of a vmcore of `file_size` bytes with `loads` (p_offset/p_filesz/p_paddr)
/// given an HSA of `hsa_size` bytes (0: no HSA). `page` is a power of two >= 512.
[[nodiscard]] CopyPlan plan_copy(uint64_t file_size, const std::vector<ondisk::LoadSegment>& loads,
                                 uint64_t hsa_size, uint64_t page = 4096);

}  // namespace zk::dumper
