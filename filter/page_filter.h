// SPDX-License-Identifier: MIT
#pragma once
/// Which pages of a crashed s390x kernel's memory a dump of a given dump level keeps, decided
/// as makedumpfile 1.7.x decides it (makedumpfile.c's __exclude_unnecessary_pages, in our own
/// code): for each page frame in the core's PT_LOADs, its struct page (found through sparse
/// memory and the vmemmap's page tables) says
///   - a compound tail page: decided with its head;
///   - free (level 16): a buddy page (_mapcount is PAGE_BUDDY_MAPCOUNT_VALUE, not a slab page)
///     heads a free block of 2^private pages, all left out;
///   - page cache (2: without private data; 4: with or without): on the LRU, or in the swap
///     cache of a swap-backed page, and not anonymous;
///   - user (8): anonymous (bit 0 of mapping), or a hugetlbfs page (HUGETLB_PAGE_DTOR);
///   - hardware-poisoned (PG_hwpoison) or logically offline (PAGE_OFFLINE_MAPCOUNT_VALUE) pages
///     are left out at every level that reads page structures, when the kernel names them;
///   - a compound head left out takes its 2^order pages with it;
///   - everything else (slab, kernel, reserved, pages without a mem_map) is kept;
/// and then (level 1) a kept page whose bytes are all zero is left out.
///
/// The work goes in cycles over the page frame numbers with a fixed memory budget: one bitmap
/// of FilterLimits::cycle_pages bits, one batch of struct pages, one buffer of page contents,
/// whatever the size of memory. A block left out across a cycle's end carries into the next.
///
/// Doubt refuses: a missing or impossible VMCOREINFO entry, a kernel release outside what the
/// rules are known for, an unreadable or untranslatable page structure, all fail with
/// "cannot filter: <why>", and a dumper then writes the sparse full dump.

#include <cstdint>
#include <memory>
#include <vector>

#include "filter/kernel_layout.h"
#include "filter/kernel_memory.h"
#include "filter/mem_map.h"
#include "ondisk/physical_memory.h"
#include "ondisk/vmcore.h"
#include "util/error.h"
#include "util/file.h"

namespace zk::filter {

struct FilterLimits {
  uint64_t cycle_pages = uint64_t{1} << 18;  ///< 1 GiB of 4 KiB pages: a 32 KiB bitmap
  uint64_t struct_page_batch = 512;          ///< struct pages read at once (32 KiB)
  uint64_t zero_test_pages = 16;             ///< page contents read at once for zero tests
};

/// Pages by what became of them. Every page frame in a PT_LOAD lands in exactly one field.
struct ClassCounts {
  uint64_t kept = 0;
  /// Pages a PT_LOAD describes past its file data: the core itself left them out (a sparse
  /// dump's zero runs). Left out first at every level, as makedumpfile does with such a core;
  /// /proc/vmcore has none.
  uint64_t no_data = 0;
  uint64_t zero = 0;
  uint64_t cache = 0;
  uint64_t cache_private = 0;
  uint64_t user = 0;
  uint64_t free = 0;
  uint64_t hwpoison = 0;
  uint64_t offline = 0;
  /// Of the kept pages: those in a section without mem_map (not classified at all).
  uint64_t kept_without_mem_map = 0;
  /// Of the kept pages: buddy pages whose order no zone has (makedumpfile keeps them too).
  uint64_t kept_bad_free_order = 0;

  [[nodiscard]] uint64_t excluded() const {
    return no_data + zero + cache + cache_private + user + free + hwpoison + offline;
  }
};

/// One cycle's verdict: bit (pfn - start_pfn) is set when the page is kept.
struct Cycle {
  uint64_t start_pfn = 0;
  uint64_t end_pfn = 0;
  std::vector<uint64_t> kept;  ///< (end_pfn - start_pfn + 63) / 64 words, reused across cycles

  [[nodiscard]] bool is_kept(uint64_t pfn) const {
    const uint64_t i = pfn - start_pfn;
    return (kept[i / 64] >> (i % 64)) & 1;
  }
};

class PageFilter {
 public:
  /// A filter for `dump_level` over the core `file` (read_vmcore gave `info`; both must outlive
  /// the filter). Reads and checks VMCOREINFO's layout and the kernel's top page table.
  static Result<std::unique_ptr<PageFilter>> open(util::File& file, const ondisk::VmcoreInfo& info,
                                                  unsigned dump_level,
                                                  const FilterLimits& limits = {});

  /// The next cycle's verdict (in pfn order, from 0), or false after the last one.
  Result<bool> next_cycle(Cycle& cycle);

  [[nodiscard]] const ClassCounts& counts() const { return counts_; }
  [[nodiscard]] uint64_t page_size() const { return layout_.page_size; }
  /// One past the highest page frame of any PT_LOAD.
  [[nodiscard]] uint64_t end_pfn() const { return end_pfn_; }
  [[nodiscard]] const PageLayout& layout() const { return layout_; }

  PageFilter(const PageFilter&) = delete;
  PageFilter& operator=(const PageFilter&) = delete;

 private:
  enum class Verdict : uint8_t {
    kKeep,
    kNoData,
    kZero,
    kCache,
    kCachePrivate,
    kUser,
    kFree,
    kHwpoison,
    kOffline
  };
  PageFilter(util::File& file, const ondisk::VmcoreInfo& info, unsigned level,
             const FilterLimits& limits, PageLayout layout);
  Result<void> classify_structures(Cycle& cycle);
  /// Whether page frame `pfn` starts in the file data of a PT_LOAD: the pages makedumpfile
  /// classifies (a free block whose first page the core left out stays as the rest of it is).
  /// A cursor over the extents makes ascending calls cheap.
  bool in_file_data(uint64_t pfn);
  Result<void> exclude_zero_pages(Cycle& cycle);
  /// Leaves [first, last) of the cycle out as `verdict`, counting the pages that were kept.
  void exclude(Cycle& cycle, uint64_t first, uint64_t last, Verdict verdict);
  uint64_t& counter(Verdict verdict);

  ondisk::PhysicalMemory memory_;
  unsigned level_;
  FilterLimits limits_;
  PageLayout layout_;
  std::optional<KernelMemory> kernel_;
  std::optional<MemMap> mem_map_;
  uint64_t end_pfn_ = 0;
  uint64_t next_pfn_ = 0;
  size_t extent_cursor_ = 0;
  uint64_t carry_end_ = 0;  ///< a block left out continues to this pfn
  Verdict carry_verdict_ = Verdict::kKeep;
  ClassCounts counts_;
  std::vector<std::byte> struct_pages_;  ///< limits.struct_page_batch + 1 struct pages
  std::vector<std::byte> contents_;      ///< limits.zero_test_pages pages
};

}  // namespace zk::filter
