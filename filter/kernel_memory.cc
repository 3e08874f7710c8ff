// SPDX-License-Identifier: MIT
#include "filter/kernel_memory.h"

#include <algorithm>

#include "util/strings.h"

namespace zk::filter {
namespace {
using ull = unsigned long long;
}  // namespace

Result<KernelMemory> KernelMemory::open(const ondisk::PhysicalMemory& memory,
                                        const PageLayout& layout) {
  // The kernel image (and swapper_pg_dir in it) lies in the identity map.
  auto dat = ondisk::S390xDat::open(memory, layout.swapper_pg_dir);
  if (!dat) return std::unexpected(dat.error().wrap("swapper_pg_dir"));
  uint64_t identity_end = 0;
  if (layout.high_memory) {
    auto v = memory.read_u64(*layout.high_memory);
    if (!v) return std::unexpected(v.error().wrap("high_memory"));
    if (*v == 0 || *v > memory.end() + (uint64_t{1} << 40))
      return fail(
          util::format("high_memory holds 0x%llx, not the end of the identity map of "
                       "%llu bytes of memory",
                       static_cast<ull>(*v), static_cast<ull>(memory.end())));
    identity_end = *v;
  }
  return KernelMemory(memory, std::move(*dat), identity_end);
}

Result<void> KernelMemory::read(uint64_t vaddr, std::span<std::byte> out) {
  while (!out.empty()) {
    if (vaddr < identity_end_) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(out.size(), identity_end_ - vaddr));
      if (auto r = memory_->read(vaddr, out.first(n)); !r) return r;
      out = out.subspan(n);
      vaddr += n;
      continue;
    }
    auto m = dat_.translate(vaddr);
    if (!m) return std::unexpected(m.error());
    const size_t n = static_cast<size_t>(std::min<uint64_t>(out.size(), m->span));
    if (auto r = memory_->read(m->paddr, out.first(n)); !r)
      return std::unexpected(r.error().wrap(util::format("vaddr 0x%llx", static_cast<ull>(vaddr))));
    out = out.subspan(n);
    vaddr += n;
  }
  return {};
}

Result<uint64_t> KernelMemory::read_u64(uint64_t vaddr) {
  std::byte b[8];
  if (auto r = read(vaddr, b); !r) return std::unexpected(r.error());
  uint64_t v = 0;
  for (auto x : b) v = v << 8 | static_cast<uint64_t>(x);
  return v;
}

}  // namespace zk::filter
