// SPDX-License-Identifier: MIT
#pragma once
/// Where the struct page of a page frame is, through sparse memory (SPARSEMEM_EXTREME): the
/// kernel's mem_section is an array of roots, each pointing to a page of struct mem_section; a
/// section's section_mem_map is its mem_map's address less the section's first pfn times
/// SIZE(page), with flag bits in its low five bits (bit 0: present). With the vmemmap every
/// present section decodes to the same base, but each is read and checked on its own.
/// Memory stays constant: only the last root and section read are kept.

#include <cstdint>
#include <optional>

#include "filter/kernel_layout.h"
#include "filter/kernel_memory.h"
#include "util/error.h"

namespace zk::filter {

/// The low bits of section_mem_map that are flags, not address (makedumpfile masks five).
inline constexpr uint64_t kSectionFlagBits = 0x1f;
inline constexpr uint64_t kSectionMarkedPresent = 0x1;

class MemMap {
 public:
  MemMap(KernelMemory& kernel, const PageLayout& layout) : kernel_(&kernel), layout_(&layout) {}

  /// The kernel virtual address of `pfn`'s struct page; nullopt when its section has no
  /// mem_map (not present, or beyond the roots), which makedumpfile treats as pages it cannot
  /// classify and keeps. Fails on a read error or a section whose mem_map does not decode.
  Result<std::optional<uint64_t>> struct_page(uint64_t pfn);

  /// Pages from `pfn` to the end of its section.
  [[nodiscard]] uint64_t pages_left_in_section(uint64_t pfn) const {
    const uint64_t per = layout_->pages_per_section();
    return per - pfn % per;
  }

 private:
  KernelMemory* kernel_;
  const PageLayout* layout_;
  std::optional<uint64_t> cached_root_index_;
  uint64_t cached_root_ = 0;
  std::optional<uint64_t> cached_section_;
  std::optional<uint64_t> cached_base_;  ///< decoded: the struct page address of pfn 0
};

}  // namespace zk::filter
