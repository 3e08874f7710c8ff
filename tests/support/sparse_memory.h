// SPDX-License-Identifier: MIT
#pragma once
/// Physical memory for tests of the readers of a crashed kernel's structures (page tables,
/// mem_section, struct page): the pages a test writes, zero everywhere else, seen as a
/// util::File whose offsets are physical addresses, and the VmcoreInfo of a core whose PT_LOADs
/// map that file one to one. Holds only the pages written, so a test can place structures
/// terabytes apart.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "ondisk/vmcore.h"
#include "util/file.h"

namespace zk::testsupport {

class SparseMemory final : public util::File {
 public:
  static constexpr uint64_t kPage = 4096;

  /// Memory of `size` bytes, one PT_LOAD covering it (see set_loads for others).
  explicit SparseMemory(uint64_t size, std::string name = "sparse-memory");

  void write(uint64_t paddr, std::span<const std::byte> bytes);
  /// Stores `value` big-endian, `width` bytes (1, 2, 4 or 8), at `paddr`.
  void put(uint64_t paddr, uint64_t value, unsigned width = 8);
  void fill(uint64_t paddr, uint64_t length, std::byte value);

  /// The PT_LOADs of info(): (paddr, memsz, filesz) each, file offset == paddr.
  struct Load {
    uint64_t paddr, memsz, filesz;
  };
  void set_loads(std::vector<Load> loads) { loads_ = std::move(loads); }
  /// A VmcoreInfo as read_vmcore would return it for a core with these PT_LOADs and `vmcoreinfo`.
  [[nodiscard]] ondisk::VmcoreInfo info(std::string vmcoreinfo = {}) const;

  [[nodiscard]] size_t pages_held() const { return pages_.size(); }
  [[nodiscard]] uint64_t reads() const { return reads_; }

  Result<size_t> read_at(std::span<std::byte> buf, uint64_t offset) override;
  Result<size_t> write_at(std::span<const std::byte> buf, uint64_t offset) override;
  Result<void> sync() override { return {}; }
  [[nodiscard]] uint64_t size() const override { return size_; }
  [[nodiscard]] const std::string& name() const override { return name_; }

 private:
  std::vector<std::byte>& page(uint64_t index);

  uint64_t size_;
  std::string name_;
  std::vector<Load> loads_;
  std::unordered_map<uint64_t, std::vector<std::byte>> pages_;
  uint64_t reads_ = 0;
};

}  // namespace zk::testsupport
