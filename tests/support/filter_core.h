// SPDX-License-Identifier: MIT
#pragma once
/// A sparse s390x ELF core of a machine of any size (up to 8 TiB) whose page structures the page
/// filter (filter/) reads: the layout of synthetic_kernel.h (6.1's VMCOREINFO, the same
/// addresses), made big by one trick: every segment table entry of the vmemmap is a 1 MiB large
/// frame pointing at the same physical MiB of struct pages, so every 64 MiB of memory (16384
/// pages) has the same page structures: its first 64 pages are kept (no class), the rest free
/// buddy blocks (orders 6, 7, 8, 9 for pages 64-1023, order 10 for the other fifteen blocks of
/// 1024). Dump level 16 or 31 keeps 1/256 of memory. Memory is holes (zeros) but for the
/// kernel's tables in the first 64 MiB and, with `fill`, data in every later 64 MiB: its kept
/// pages and the first page of each of its free blocks of order 10.

#include <cstdint>
#include <string>

#include "util/error.h"

namespace zk::testsupport {

inline constexpr uint64_t kFilterCorePagesPerBlock = 16384;  ///< pages with the same structures
inline constexpr uint64_t kFilterCoreKeptPerBlock = 64;
inline constexpr uint64_t kFilterCoreLoadOffset = 0x10000;  ///< file offset of physical 0

[[nodiscard]] constexpr bool filter_core_kept(uint64_t pfn) {
  return pfn % kFilterCorePagesPerBlock < kFilterCoreKeptPerBlock;
}

/// The byte `fill` puts at offset `i` of page `pfn` (never zero).
[[nodiscard]] constexpr std::byte filter_core_byte(uint64_t pfn, uint64_t i) {
  return static_cast<std::byte>(((pfn * 131 + i) % 251) + 1);
}

struct FilterCoreSpec {
  uint64_t memory = 0;  ///< a whole number of 2 GiB
  bool fill = false;
};

/// Writes the core to `path` (created or truncated).
Result<void> write_filter_core(const std::string& path, const FilterCoreSpec& spec);

}  // namespace zk::testsupport
