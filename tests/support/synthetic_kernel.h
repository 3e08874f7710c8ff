// SPDX-License-Identifier: MIT
#pragma once
/// A crashed s390x kernel's memory made up for tests of the page filter: SparseMemory holding
/// the structures filter/ reads, laid out as a 6.1 kernel lays them out (the VMCOREINFO values
/// of the 6.1.192 test kernel): a region-third top table at swapper_pg_dir, a segment table
/// and page tables mapping the vmemmap at kVmemmap, the SPARSEMEM_EXTREME root array and one
/// page of struct mem_section, high_memory, and 64-byte struct pages in a block of physical
/// memory the page tables map. Every struct page starts zero (a kept kernel page); tests set
/// the fields that make a page free, cache, user and so on, and page contents.

#include <cstdint>
#include <map>
#include <string>

#include "ondisk/vmcore.h"
#include "tests/support/sparse_memory.h"

namespace zk::testsupport {

class SyntheticKernel {
 public:
  static constexpr uint64_t kVmemmap = 0x3d000000000;  ///< struct page of pfn 0
  static constexpr uint64_t kSwapperPgDir = 0x10000;
  static constexpr uint64_t kMemSection = 0x20000;
  static constexpr uint64_t kHighMemory = 0x23000;
  static constexpr uint64_t kStructPages = 0x100000;  ///< physical home of the struct pages
  static constexpr uint64_t kStructPageSize = 64;
  // Flag bits and values (6.1's).
  static constexpr unsigned kPgLru = 4, kPgPrivate = 13, kPgSwapcache = 10, kPgSwapbacked = 19,
                            kPgSlab = 9, kPgHwpoison = 23;
  static constexpr uint64_t kPgHeadMask = 1u << 16;
  static constexpr int32_t kBuddy = -129, kOffline = -257;
  static constexpr uint64_t kHugetlbDtor = 2;

  /// `memory_bytes` of memory (a multiple of 1 MiB, at most 4 GiB: one section root), all of
  /// it in one PT_LOAD.
  explicit SyntheticKernel(uint64_t memory_bytes);

  [[nodiscard]] SparseMemory& memory() { return memory_; }
  [[nodiscard]] uint64_t pages() const { return pages_; }
  /// The first pfn after the structures above: free for the test's pages.
  [[nodiscard]] uint64_t first_free_pfn() const { return first_free_pfn_; }

  /// Fields of pfn's struct page.
  void set_flags(uint64_t pfn, uint64_t flags);
  void set_mapping(uint64_t pfn, uint64_t mapping);
  void set_mapcount(uint64_t pfn, int32_t mapcount);
  void set_private(uint64_t pfn, uint64_t value);
  /// A compound page: head flags get PG_head, the first tail page order and destructor, every
  /// tail compound_head = head's struct page | 1.
  void make_compound(uint64_t head, unsigned order, uint8_t dtor = 1);
  /// A free buddy block of 2^order pages at pfn.
  void make_free(uint64_t pfn, unsigned order);
  /// Non-zero bytes in the page (so that it is no zero page).
  void fill_page(uint64_t pfn);

  /// VMCOREINFO entries to replace ("KEY" -> "value") or drop (value "-").
  std::map<std::string, std::string> vmcoreinfo_overrides;
  /// Optional entries the kernel writes only with some options.
  bool with_hwpoison = false, with_offline = false, with_hugetlb = false;

  [[nodiscard]] std::string vmcoreinfo() const;
  /// The core's VmcoreInfo (read_vmcore's answer for it), with vmcoreinfo().
  [[nodiscard]] ondisk::VmcoreInfo info() const { return memory_.info(vmcoreinfo()); }

 private:
  [[nodiscard]] uint64_t struct_page(uint64_t pfn) const {
    return kStructPages + pfn * kStructPageSize;
  }
  SparseMemory memory_;
  uint64_t pages_;
  uint64_t first_free_pfn_;
};

}  // namespace zk::testsupport
