// SPDX-License-Identifier: MIT
#include "tests/support/synthetic_kernel.h"

#include <stdexcept>

#include "util/strings.h"

namespace zk::testsupport {
namespace {
constexpr uint64_t kSegmentTable = 0x14000;  // after the 16 KiB top table
constexpr uint64_t kPageTables = 0x18000;    // 2 KiB each, up to 16 of them (16 MiB of vmemmap)
constexpr uint64_t kSectionPage = 0x22000;
}  // namespace

SyntheticKernel::SyntheticKernel(uint64_t memory_bytes)
    : memory_(memory_bytes, "synthetic-kernel"), pages_(memory_bytes / SparseMemory::kPage) {
  if (memory_bytes % (1 << 20) != 0 || memory_bytes > (4ull << 30) || memory_bytes < (4 << 20))
    throw std::invalid_argument("SyntheticKernel: 4 MiB to 4 GiB, in whole MiB");
  const uint64_t struct_bytes = pages_ * kStructPageSize;
  const uint64_t segments = (struct_bytes + (1 << 20) - 1) >> 20;
  if (segments > 16) throw std::invalid_argument("SyntheticKernel: at most 16 MiB of struct pages");
  first_free_pfn_ = (kStructPages + segments * (1 << 20)) / SparseMemory::kPage;
  // Empty entries are invalid and typed, as the kernel makes them.
  for (unsigned i = 0; i < 2048; ++i) {
    memory_.put(kSwapperPgDir + i * 8, 0x04 | 0x20);
    memory_.put(kSegmentTable + i * 8, 0x20);
  }
  const unsigned r3_index = static_cast<unsigned>((kVmemmap >> 31) & 0x7ff);
  memory_.put(kSwapperPgDir + r3_index * 8, kSegmentTable | 0x04 | 0x03);
  for (uint64_t s = 0; s < segments; ++s) {
    const uint64_t vaddr = kVmemmap + (s << 20);
    const uint64_t pt = kPageTables + s * 0x800;
    memory_.put(kSegmentTable + ((vaddr >> 20) & 0x7ff) * 8, pt);
    for (uint64_t p = 0; p < 256; ++p)
      memory_.put(pt + p * 8, (kStructPages + (s << 20) + (p << 12)) | 0x001 /* present */);
  }
  // mem_section: root 0 -> a page of sections; section 0 (the first 256 MiB) onwards present,
  // each encoding the vmemmap base (struct page of pfn 0) with its flag bits.
  memory_.put(kMemSection, kSectionPage);
  const uint64_t sections = (memory_bytes + (1ull << 28) - 1) >> 28;
  for (uint64_t s = 0; s < sections; ++s) memory_.put(kSectionPage + s * 16, kVmemmap | 0x3);
  memory_.put(kHighMemory, memory_bytes);
}

void SyntheticKernel::set_flags(uint64_t pfn, uint64_t flags) {
  memory_.put(struct_page(pfn), flags);
}
void SyntheticKernel::set_mapping(uint64_t pfn, uint64_t mapping) {
  memory_.put(struct_page(pfn) + 24, mapping);
}
void SyntheticKernel::set_mapcount(uint64_t pfn, int32_t mapcount) {
  memory_.put(struct_page(pfn) + 48, static_cast<uint32_t>(mapcount), 4);
}
void SyntheticKernel::set_private(uint64_t pfn, uint64_t value) {
  memory_.put(struct_page(pfn) + 40, value);
}

void SyntheticKernel::make_compound(uint64_t head, unsigned order, uint8_t dtor) {
  std::byte flags[8];
  (void)memory_.read_at(flags, struct_page(head));
  uint64_t f = 0;
  for (auto b : flags) f = f << 8 | static_cast<uint64_t>(b);
  set_flags(head, f | kPgHeadMask);
  memory_.put(struct_page(head + 1) + 16, dtor, 1);
  memory_.put(struct_page(head + 1) + 17, order, 1);
  for (uint64_t t = 1; t < (uint64_t{1} << order); ++t)
    memory_.put(struct_page(head + t) + 8, (kVmemmap + head * kStructPageSize) | 1);
}

void SyntheticKernel::make_free(uint64_t pfn, unsigned order) {
  set_mapcount(pfn, kBuddy);
  set_private(pfn, order);
}

void SyntheticKernel::fill_page(uint64_t pfn) {
  memory_.fill(pfn * SparseMemory::kPage, SparseMemory::kPage, std::byte{0x5a});
}

std::string SyntheticKernel::vmcoreinfo() const {
  std::map<std::string, std::string> e = {
      {"OSRELEASE", "6.1.0-synthetic"},
      {"PAGESIZE", "4096"},
      {"SYMBOL(swapper_pg_dir)",
       util::format("%llx", static_cast<unsigned long long>(kSwapperPgDir))},
      {"SYMBOL(mem_section)", util::format("%llx", static_cast<unsigned long long>(kMemSection))},
      {"SYMBOL(high_memory)", util::format("%llx", static_cast<unsigned long long>(kHighMemory))},
      {"LENGTH(mem_section)", "1024"},
      {"SIZE(mem_section)", "16"},
      {"OFFSET(mem_section.section_mem_map)", "0"},
      {"NUMBER(SECTION_SIZE_BITS)", "28"},
      {"NUMBER(MAX_PHYSMEM_BITS)", "46"},
      {"SIZE(page)", "64"},
      {"OFFSET(page.flags)", "0"},
      {"OFFSET(page._refcount)", "52"},
      {"OFFSET(page.mapping)", "24"},
      {"OFFSET(page.lru)", "8"},
      {"OFFSET(page._mapcount)", "48"},
      {"OFFSET(page.private)", "40"},
      {"OFFSET(page.compound_dtor)", "16"},
      {"OFFSET(page.compound_order)", "17"},
      {"OFFSET(page.compound_head)", "8"},
      {"LENGTH(zone.free_area)", "11"},
      {"NUMBER(PG_lru)", "4"},
      {"NUMBER(PG_private)", "13"},
      {"NUMBER(PG_swapcache)", "10"},
      {"NUMBER(PG_swapbacked)", "19"},
      {"NUMBER(PG_slab)", "9"},
      {"NUMBER(PG_head_mask)", "65536"},
      {"NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)", "-129"},
      {"KERNELOFFSET", "0"},
  };
  if (with_hwpoison) e["NUMBER(PG_hwpoison)"] = "23";
  if (with_offline) e["NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)"] = "-257";
  if (with_hugetlb) e["NUMBER(HUGETLB_PAGE_DTOR)"] = "2";
  for (const auto& [k, v] : vmcoreinfo_overrides) {
    if (v == "-") e.erase(k);
    else e[k] = v;
  }
  std::string text;
  for (const auto& [k, v] : e) text += k + "=" + v + "\n";
  return text;
}

}  // namespace zk::testsupport
