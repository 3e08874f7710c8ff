// SPDX-License-Identifier: MIT
#pragma once
/// The crashed machine's physical memory as a core file holds it: every PT_LOAD maps
/// [p_paddr, p_paddr + p_memsz) to the file from p_offset; bytes past p_filesz are not in the
/// file and read as zero (the ELF rule; a sparse dump leaves its zero runs out that way). The
/// one reader of physical memory through a core's program headers: the lowcore's VMCOREINFO
/// pointer (vmcoreinfo_memory), the kernel's page tables (s390x_dat) and its page structures
/// (filter/) all read through it.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "ondisk/vmcore.h"
#include "util/error.h"
#include "util/file.h"

namespace zk::ondisk {

class PhysicalMemory {
 public:
  /// `file` and `info` (read_vmcore of that file) must outlive this object. PT_LOADs that
  /// overlap an earlier one are ignored for the overlapping part's lookups (the first wins).
  PhysicalMemory(util::File& file, const VmcoreInfo& info);

  /// Whether the byte at `paddr` lies in a PT_LOAD (in the file's data or past it).
  [[nodiscard]] bool contains(uint64_t paddr) const;
  /// Whether the byte at `paddr` lies in the file data of a PT_LOAD.
  [[nodiscard]] bool in_file_data(uint64_t paddr) const;
  /// A stretch of physical memory one PT_LOAD describes (after overlaps are clipped).
  struct Extent {
    uint64_t paddr, memsz, filesz, offset;
  };
  /// The extents in address order, none overlapping.
  [[nodiscard]] std::span<const Extent> extents() const { return ranges_; }
  /// One past the highest physical address a PT_LOAD describes.
  [[nodiscard]] uint64_t end() const { return end_; }

  /// Reads `out.size()` bytes at `paddr`, across adjacent PT_LOADs; bytes past a PT_LOAD's file
  /// data read as zero. Fails, naming the address, when a byte lies in no PT_LOAD, or on a read
  /// error.
  Result<void> read(uint64_t paddr, std::span<std::byte> out) const;
  /// As read(), but every byte must be in the file data of a PT_LOAD (memory a dump left out
  /// is not there to read: a pointer found there would be a guess).
  Result<void> read_file_data(uint64_t paddr, std::span<std::byte> out) const;
  /// The big-endian 64-bit word at `paddr` (read()).
  Result<uint64_t> read_u64(uint64_t paddr) const;

 private:
  using Range = Extent;
  [[nodiscard]] const Range* find(uint64_t paddr) const;
  Result<void> read_impl(uint64_t paddr, std::span<std::byte> out, bool zero_fill) const;

  util::File& file_;
  std::vector<Range> ranges_;  ///< sorted by paddr, not overlapping
  uint64_t end_ = 0;
};

}  // namespace zk::ondisk
