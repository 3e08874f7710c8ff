// SPDX-License-Identifier: MIT
#include "tests/support/sparse_memory.h"

#include <algorithm>
#include <cstring>

namespace zk::testsupport {

SparseMemory::SparseMemory(uint64_t size, std::string name)
    : size_(size), name_(std::move(name)), loads_{{0, size, size}} {}

std::vector<std::byte>& SparseMemory::page(uint64_t index) {
  auto& p = pages_[index];
  if (p.empty()) p.assign(kPage, std::byte{0});
  return p;
}

void SparseMemory::write(uint64_t paddr, std::span<const std::byte> bytes) {
  while (!bytes.empty()) {
    const uint64_t within = paddr % kPage;
    const size_t n = static_cast<size_t>(std::min<uint64_t>(bytes.size(), kPage - within));
    std::memcpy(page(paddr / kPage).data() + within, bytes.data(), n);
    bytes = bytes.subspan(n);
    paddr += n;
  }
}

void SparseMemory::put(uint64_t paddr, uint64_t value, unsigned width) {
  std::byte b[8];
  for (unsigned i = 0; i < width; ++i)
    b[i] = static_cast<std::byte>(value >> (8 * (width - 1 - i)));
  write(paddr, std::span(b, width));
}

void SparseMemory::fill(uint64_t paddr, uint64_t length, std::byte value) {
  std::vector<std::byte> bytes(static_cast<size_t>(std::min<uint64_t>(length, kPage)), value);
  while (length > 0) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(length, bytes.size()));
    write(paddr, std::span(bytes).first(n));
    paddr += n;
    length -= n;
  }
}

ondisk::VmcoreInfo SparseMemory::info(std::string vmcoreinfo) const {
  ondisk::VmcoreInfo info;
  info.file_size = size_;
  for (const auto& l : loads_) {
    info.loads.push_back({l.paddr, l.filesz, l.memsz, l.paddr, 0});
    info.memory_size += l.memsz;
  }
  info.vmcoreinfo = std::move(vmcoreinfo);
  info.page_size = kPage;
  return info;
}

Result<size_t> SparseMemory::read_at(std::span<std::byte> buf, uint64_t offset) {
  ++reads_;
  if (offset >= size_) return size_t{0};
  const size_t total = static_cast<size_t>(std::min<uint64_t>(buf.size(), size_ - offset));
  size_t done = 0;
  while (done < total) {
    const uint64_t at = offset + done;
    const uint64_t within = at % kPage;
    const size_t n = static_cast<size_t>(std::min<uint64_t>(total - done, kPage - within));
    auto it = pages_.find(at / kPage);
    if (it == pages_.end()) std::memset(buf.data() + done, 0, n);
    else std::memcpy(buf.data() + done, it->second.data() + within, n);
    done += n;
  }
  return total;
}

Result<size_t> SparseMemory::write_at(std::span<const std::byte> buf, uint64_t offset) {
  write(offset, buf);
  return buf.size();
}

}  // namespace zk::testsupport
