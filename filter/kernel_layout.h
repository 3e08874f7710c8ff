// SPDX-License-Identifier: MIT
#pragma once
/// What the page filter needs to know about the crashed kernel, taken from its VMCOREINFO and
/// checked before any page is looked at: where the fields of `struct page` are, which flag bit
/// means what, how sparse memory finds a page's `struct page`, and where the kernel's page
/// tables are. A value that is missing or that no kernel would have is a refusal naming it:
/// the filter never guesses a layout.
///
/// The rules are makedumpfile's (1.7.x) for kernels from 4.16 (one-byte compound order and
/// destructor in the first tail page) up to 6.2 (6.3 moved those fields into struct folio);
/// other releases are refused.

#include <cstdint>
#include <optional>
#include <string>

#include "ondisk/vmcoreinfo_table.h"
#include "util/error.h"

namespace zk::filter {

struct PageLayout {
  uint64_t page_size = 0;  ///< PAGESIZE
  unsigned page_shift = 0;
  uint64_t struct_page_size = 0;  ///< SIZE(page)
  // Offsets in struct page (OFFSET(page.*)).
  uint64_t flags = 0;
  uint64_t mapping = 0;
  uint64_t compound_head = 0;   ///< bit 0 set: a tail page
  uint64_t compound_order = 0;  ///< read from the first tail page, one byte
  uint64_t compound_dtor = 0;   ///< read from the first tail page, one byte
  uint64_t mapcount = 0;        ///< 32 bits; holds the page type (buddy, offline)
  uint64_t private_ = 0;        ///< the buddy order of a free block's first page
  // Flag bit numbers (NUMBER(PG_*)) and masks.
  unsigned pg_lru = 0, pg_private = 0, pg_swapcache = 0, pg_slab = 0;
  std::optional<unsigned> pg_swapbacked;  ///< absent before 4.10: swapcache alone counts
  std::optional<unsigned> pg_hwpoison;    ///< absent without CONFIG_MEMORY_FAILURE
  uint64_t pg_head_mask = 0;
  int32_t buddy_mapcount = 0;               ///< PAGE_BUDDY_MAPCOUNT_VALUE
  std::optional<int32_t> offline_mapcount;  ///< PAGE_OFFLINE_MAPCOUNT_VALUE
  std::optional<uint64_t> hugetlb_dtor;     ///< HUGETLB_PAGE_DTOR
  uint64_t free_area_orders = 0;            ///< LENGTH(zone.free_area): orders 0 to this - 1
  // Sparse memory (SPARSEMEM_EXTREME, as s390x builds it).
  uint64_t mem_section = 0;        ///< SYMBOL(mem_section): the array of section roots
  uint64_t mem_section_roots = 0;  ///< LENGTH(mem_section), or what the bits imply
  uint64_t mem_section_size = 0;   ///< SIZE(mem_section)
  uint64_t section_mem_map = 0;    ///< OFFSET(mem_section.section_mem_map)
  unsigned section_size_bits = 0;  ///< NUMBER(SECTION_SIZE_BITS)
  unsigned max_physmem_bits = 0;   ///< NUMBER(MAX_PHYSMEM_BITS)
  // Kernel address space.
  uint64_t swapper_pg_dir = 0;          ///< SYMBOL(swapper_pg_dir): the top DAT table
  std::optional<uint64_t> high_memory;  ///< SYMBOL(high_memory): end of the identity map

  [[nodiscard]] uint64_t pages_per_section() const {
    return uint64_t{1} << (section_size_bits - page_shift);
  }
  [[nodiscard]] uint64_t sections_per_root() const { return page_size / mem_section_size; }
};

/// The layout for `dump_level` (dump_level.h) from `table`; only the entries that level needs
/// are required (zero pages alone need only PAGESIZE). Fails with "cannot filter: <why>".
Result<PageLayout> read_page_layout(const ondisk::VmcoreinfoTable& table, unsigned dump_level);

/// "6.1.192" -> 6001 (major * 1000 + minor); nullopt for anything else.
[[nodiscard]] std::optional<unsigned> kernel_version_code(std::string_view release);

}  // namespace zk::filter
