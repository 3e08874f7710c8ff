// SPDX-License-Identifier: MIT
#include "filter/mem_map.h"

#include "util/strings.h"

namespace zk::filter {
namespace {
using ull = unsigned long long;
}  // namespace

Result<std::optional<uint64_t>> MemMap::struct_page(uint64_t pfn) {
  const PageLayout& l = *layout_;
  const uint64_t section = pfn >> (l.section_size_bits - l.page_shift);
  if (cached_section_ != section) {
    cached_section_.reset();
    const uint64_t root_index = section / l.sections_per_root();
    if (root_index >= l.mem_section_roots) return std::optional<uint64_t>{};
    if (cached_root_index_ != root_index) {
      auto root = kernel_->read_u64(l.mem_section + root_index * 8);
      if (!root)
        return std::unexpected(
            root.error().wrap(util::format("mem_section root %llu", static_cast<ull>(root_index))));
      cached_root_ = *root;
      cached_root_index_ = root_index;
    }
    cached_base_.reset();
    if (cached_root_ != 0) {
      const uint64_t at =
          cached_root_ + (section % l.sections_per_root()) * l.mem_section_size + l.section_mem_map;
      auto coded = kernel_->read_u64(at);
      if (!coded)
        return std::unexpected(coded.error().wrap(util::format(
            "mem_section %llu at 0x%llx", static_cast<ull>(section), static_cast<ull>(at))));
      if (*coded & kSectionMarkedPresent) {
        const uint64_t base = *coded & ~kSectionFlagBits;
        if (base == 0)
          return fail(util::format("mem_section %llu is present with no mem_map (0x%llx)",
                                   static_cast<ull>(section), static_cast<ull>(*coded)));
        cached_base_ = base;
      }
    }
    cached_section_ = section;
  }
  if (!cached_base_) return std::optional<uint64_t>{};
  return std::optional<uint64_t>{*cached_base_ + pfn * l.struct_page_size};
}

}  // namespace zk::filter
