// SPDX-License-Identifier: MIT
#pragma once
/// The crashed kernel's virtual memory, as makedumpfile reads it on s390x: addresses below the
/// end of the identity map (the value of high_memory) are physical addresses; the rest (the
/// vmemmap holding struct pages, vmalloc) is translated through the kernel's DAT tables.

#include <cstddef>
#include <cstdint>
#include <span>

#include "filter/kernel_layout.h"
#include "ondisk/physical_memory.h"
#include "ondisk/s390x_dat.h"
#include "util/error.h"

namespace zk::filter {

class KernelMemory {
 public:
  /// Reads high_memory (when VMCOREINFO names it; otherwise everything goes through the
  /// tables) and opens the tables at swapper_pg_dir. `memory` must outlive this object.
  static Result<KernelMemory> open(const ondisk::PhysicalMemory& memory, const PageLayout& layout);

  /// Reads `out.size()` bytes at kernel virtual `vaddr`, across frames.
  Result<void> read(uint64_t vaddr, std::span<std::byte> out);
  Result<uint64_t> read_u64(uint64_t vaddr);

  [[nodiscard]] uint64_t identity_end() const { return identity_end_; }

 private:
  KernelMemory(const ondisk::PhysicalMemory& memory, ondisk::S390xDat dat, uint64_t identity_end)
      : memory_(&memory), dat_(std::move(dat)), identity_end_(identity_end) {}

  const ondisk::PhysicalMemory* memory_;
  ondisk::S390xDat dat_;
  uint64_t identity_end_;
};

}  // namespace zk::filter
