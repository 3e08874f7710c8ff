// SPDX-License-Identifier: MIT
#pragma once
/// s390x dynamic address translation over a core: a kernel virtual address to a physical one,
/// by walking the crashed kernel's DAT tables in the dump (docs/on-disk-format.md, "s390x
/// address translation"). The walk starts at the kernel's top table (swapper_pg_dir) and goes
/// down region-first, -second and -third tables (2048 eight-byte entries each), the segment
/// table and a page table (256 entries): the virtual address's bits 0-10, 11-21, 22-32, 33-43
/// and 44-51 (counting from the most significant) index them. A region-third entry with its
/// format-control bit maps a 2 GiB frame, a segment entry with it a 1 MiB frame.
///
/// Every entry is untrusted: an invalid bit, a table-type field that is not the level being
/// walked, an index outside the table's offset/length fields, a large-frame bit above the
/// region-third level, or an all-zero entry (what a left-out page of a dump reads as; the
/// kernel marks empty entries invalid, never zero) ends the walk with the address, the level
/// and the entry.

#include <array>
#include <cstdint>
#include <optional>

#include "ondisk/physical_memory.h"
#include "util/error.h"

namespace zk::ondisk {

/// Entry bits (big-endian 64-bit words, bit 63 the least significant).
inline constexpr uint64_t kDatInvalid = 0x20;           ///< region and segment entries
inline constexpr uint64_t kDatTypeMask = 0x0c;          ///< 3 region-first ... 0 segment
inline constexpr uint64_t kDatTableOffset = 0xc0;       ///< first valid 512-entry quarter (TF)
inline constexpr uint64_t kDatTableLength = 0x03;       ///< last valid 512-entry quarter (TL)
inline constexpr uint64_t kDatLargeFrame = 0x400;       ///< FC: region-third 2 GiB, segment 1 MiB
inline constexpr uint64_t kDatTableOrigin = ~0xfffull;  ///< region/segment table origin
inline constexpr uint64_t kDatPageTableOrigin = ~0x7ffull;  ///< page table origin (2 KiB)
inline constexpr uint64_t kDatPageInvalid = 0x400;          ///< page-table entry invalid
inline constexpr uint64_t kDatPageReserved = 0x800;         ///< must be zero in a page-table entry

/// Levels of the walk: the value of an entry's table-type field (segment 0).
enum class DatLevel : unsigned { kSegment = 0, kRegion3 = 1, kRegion2 = 2, kRegion1 = 3 };

struct DatMapping {
  uint64_t paddr = 0;  ///< where the virtual address is in physical memory
  uint64_t span = 0;   ///< bytes from it to the end of the frame (4 KiB, 1 MiB or 2 GiB) mapping it
};

class S390xDat {
 public:
  /// A translator over `memory` (which must outlive it) for the tables whose top is at
  /// physical `top_table`; the top table's level is the type field of its first entry.
  static Result<S390xDat> open(const PhysicalMemory& memory, uint64_t top_table);

  [[nodiscard]] DatLevel top_level() const { return top_level_; }

  /// The physical address of `vaddr` and the rest of its frame, or why there is none. Keeps
  /// the last page table read, so consecutive pages of one segment cost one walk.
  Result<DatMapping> translate(uint64_t vaddr);

 private:
  S390xDat(const PhysicalMemory& memory, uint64_t top, DatLevel level)
      : memory_(&memory), top_(top), top_level_(level) {}
  Result<uint64_t> table_entry(uint64_t table, unsigned index, unsigned first_quarter,
                               unsigned last_quarter, DatLevel level, uint64_t vaddr) const;

  const PhysicalMemory* memory_;
  uint64_t top_;
  DatLevel top_level_;
  /// The page table of the segment last walked: its virtual 1 MiB and its 256 entries.
  std::optional<uint64_t> cached_segment_;
  std::array<uint64_t, 256> cached_ptes_{};
};

}  // namespace zk::ondisk
