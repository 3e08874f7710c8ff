// SPDX-License-Identifier: MIT
#include "ondisk/s390x_dat.h"

#include <span>

#include "util/strings.h"

namespace zk::ondisk {
namespace {

using ull = unsigned long long;

constexpr unsigned kSegmentShift = 20;
constexpr unsigned kPageShift = 12;
constexpr unsigned kIndexBits = 11;  // region and segment tables: 2048 entries

/// The shift of the index field a table of `level` is indexed with.
constexpr unsigned index_shift(DatLevel level) {
  return kSegmentShift + kIndexBits * static_cast<unsigned>(level);
}

const char* level_name(DatLevel level) {
  switch (level) {
    case DatLevel::kRegion1: return "region-first";
    case DatLevel::kRegion2: return "region-second";
    case DatLevel::kRegion3: return "region-third";
    case DatLevel::kSegment: return "segment";
  }
  return "?";
}

}  // namespace

Result<S390xDat> S390xDat::open(const PhysicalMemory& memory, uint64_t top_table) {
  if (top_table & 0xfff)
    return fail(util::format("the kernel's top DAT table at 0x%llx is not 4 KiB aligned",
                             static_cast<ull>(top_table)));
  auto first = memory.read_u64(top_table);
  if (!first)
    return std::unexpected(first.error().wrap(
        util::format("the kernel's top DAT table at 0x%llx", static_cast<ull>(top_table))));
  if (*first == 0)
    return fail(util::format("the kernel's top DAT table at 0x%llx starts with a zero entry",
                             static_cast<ull>(top_table)));
  const auto level = static_cast<DatLevel>((*first & kDatTypeMask) >> 2);
  return S390xDat(memory, top_table, level);
}

Result<uint64_t> S390xDat::table_entry(uint64_t table, unsigned index, unsigned first_quarter,
                                       unsigned last_quarter, DatLevel level,
                                       uint64_t vaddr) const {
  const unsigned quarter = index / 512;
  if (quarter < first_quarter || quarter > last_quarter)
    return fail(util::format("vaddr 0x%llx: %s index %u lies outside the table (entries %u to %u)",
                             static_cast<ull>(vaddr), level_name(level), index, first_quarter * 512,
                             last_quarter * 512 + 511));
  auto entry = memory_->read_u64(table + uint64_t{index} * 8);
  if (!entry)
    return std::unexpected(
        entry.error().wrap(util::format("vaddr 0x%llx: %s table at 0x%llx", static_cast<ull>(vaddr),
                                        level_name(level), static_cast<ull>(table))));
  const uint64_t e = *entry;
  const auto describe = [&](const char* what) {
    return util::format("vaddr 0x%llx: %s entry %u at 0x%llx is %s (0x%016llx)",
                        static_cast<ull>(vaddr), level_name(level), index,
                        static_cast<ull>(table + uint64_t{index} * 8), what, static_cast<ull>(e));
  };
  if (e == 0) return fail(describe("zero, not a kernel entry"));
  if (e & kDatInvalid) return fail(describe("invalid (not mapped)"));
  if (static_cast<DatLevel>((e & kDatTypeMask) >> 2) != level)
    return fail(describe("of another table type"));
  if ((e & kDatLargeFrame) && level != DatLevel::kRegion3 && level != DatLevel::kSegment)
    return fail(describe("a large frame above the region-third level"));
  return e;
}

Result<DatMapping> S390xDat::translate(uint64_t vaddr) {
  const uint64_t segment = vaddr >> kSegmentShift;
  if (cached_segment_ && *cached_segment_ == segment) {
    const uint64_t pte = cached_ptes_[(vaddr >> kPageShift) & 0xff];
    if (pte == 0 || (pte & (kDatPageInvalid | kDatPageReserved)))
      return fail(util::format("vaddr 0x%llx: page-table entry 0x%016llx is %s",
                               static_cast<ull>(vaddr), static_cast<ull>(pte),
                               pte == 0                ? "zero, not a kernel entry"
                               : pte & kDatPageInvalid ? "invalid (not mapped)"
                                                       : "malformed (reserved bit set)"));
    const uint64_t within = vaddr & 0xfff;
    return DatMapping{(pte & ~0xfffull) + within, 0x1000 - within};
  }

  const unsigned top = static_cast<unsigned>(top_level_);
  if (top < 3 && (vaddr >> (index_shift(top_level_) + kIndexBits)) != 0)
    return fail(util::format("vaddr 0x%llx is beyond what a %s table maps", static_cast<ull>(vaddr),
                             level_name(top_level_)));
  uint64_t table = top_;
  unsigned first_quarter = 0, last_quarter = 3;  // the kernel's top table is full length
  for (int level = static_cast<int>(top); level >= 0; --level) {
    const auto lv = static_cast<DatLevel>(level);
    const unsigned index = static_cast<unsigned>((vaddr >> index_shift(lv)) & 0x7ff);
    auto entry = table_entry(table, index, first_quarter, last_quarter, lv, vaddr);
    if (!entry) return std::unexpected(entry.error());
    const uint64_t e = *entry;
    if (lv == DatLevel::kRegion3 && (e & kDatLargeFrame)) {
      const uint64_t within = vaddr & 0x7fffffffull;
      return DatMapping{(e & ~0x7fffffffull) + within, 0x80000000ull - within};
    }
    if (lv == DatLevel::kSegment) {
      if (e & kDatLargeFrame) {
        const uint64_t within = vaddr & 0xfffffull;
        return DatMapping{(e & ~0xfffffull) + within, 0x100000ull - within};
      }
      // A page table: 256 entries of 8 bytes, read whole and kept for the next pages.
      std::array<std::byte, 256 * 8> raw;
      const uint64_t origin = e & kDatPageTableOrigin;
      if (auto r = memory_->read(origin, raw); !r)
        return std::unexpected(
            r.error().wrap(util::format("vaddr 0x%llx: page table at 0x%llx",
                                        static_cast<ull>(vaddr), static_cast<ull>(origin))));
      for (size_t i = 0; i < cached_ptes_.size(); ++i) {
        uint64_t v = 0;
        for (size_t b = 0; b < 8; ++b) v = v << 8 | static_cast<uint64_t>(raw[i * 8 + b]);
        cached_ptes_[i] = v;
      }
      cached_segment_ = segment;
      return translate(vaddr);
    }
    table = e & kDatTableOrigin;
    first_quarter = static_cast<unsigned>((e & kDatTableOffset) >> 6);
    last_quarter = static_cast<unsigned>(e & kDatTableLength);
  }
  return fail("internal: DAT walk ended without a segment");
}

}  // namespace zk::ondisk
