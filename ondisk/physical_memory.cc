// SPDX-License-Identifier: MIT
#include "ondisk/physical_memory.h"

#include <algorithm>
#include <cstring>

#include "util/strings.h"

namespace zk::ondisk {
namespace {
using ull = unsigned long long;
}  // namespace

PhysicalMemory::PhysicalMemory(util::File& file, const VmcoreInfo& info) : file_(file) {
  for (const auto& l : info.loads)
    if (l.memsz > 0) ranges_.push_back({l.paddr, l.memsz, l.filesz, l.offset});
  std::stable_sort(ranges_.begin(), ranges_.end(),
                   [](const Range& a, const Range& b) { return a.paddr < b.paddr; });
  // Clip overlaps so lookups stay a binary search: the range that starts first keeps the
  // overlapping bytes (read_vmcore checked that no range wraps).
  std::vector<Range> clipped;
  for (Range r : ranges_) {
    if (!clipped.empty()) {
      const Range& prev = clipped.back();
      const uint64_t prev_end = prev.paddr + prev.memsz;
      if (r.paddr < prev_end) {
        const uint64_t cut = std::min(prev_end - r.paddr, r.memsz);
        r.paddr += cut;
        r.memsz -= cut;
        r.offset += cut;
        r.filesz = r.filesz > cut ? r.filesz - cut : 0;
        if (r.memsz == 0) continue;
      }
    }
    clipped.push_back(r);
  }
  ranges_ = std::move(clipped);
  if (!ranges_.empty()) end_ = ranges_.back().paddr + ranges_.back().memsz;
}

const PhysicalMemory::Range* PhysicalMemory::find(uint64_t paddr) const {
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), paddr,
                             [](uint64_t p, const Range& r) { return p < r.paddr; });
  if (it == ranges_.begin()) return nullptr;
  --it;
  return paddr - it->paddr < it->memsz ? &*it : nullptr;
}

bool PhysicalMemory::contains(uint64_t paddr) const { return find(paddr) != nullptr; }

bool PhysicalMemory::in_file_data(uint64_t paddr) const {
  const Range* r = find(paddr);
  return r && paddr - r->paddr < r->filesz;
}

Result<void> PhysicalMemory::read_impl(uint64_t paddr, std::span<std::byte> out,
                                       bool zero_fill) const {
  const uint64_t start = paddr;
  while (!out.empty()) {
    const Range* r = find(paddr);
    if (!r)
      return fail(util::format("physical [0x%llx, +%zu): 0x%llx is in no PT_LOAD of %s",
                               static_cast<ull>(start), out.size(), static_cast<ull>(paddr),
                               file_.name().c_str()));
    const uint64_t within = paddr - r->paddr;
    const size_t n = static_cast<size_t>(std::min<uint64_t>(out.size(), r->memsz - within));
    if (within < r->filesz) {
      const size_t from_file = static_cast<size_t>(std::min<uint64_t>(n, r->filesz - within));
      if (auto rd = util::read_exact(file_, out.first(from_file), r->offset + within); !rd)
        return std::unexpected(
            rd.error().wrap(util::format("physical 0x%llx", static_cast<ull>(paddr))));
      if (from_file < n) {
        if (!zero_fill)
          return fail(util::format("physical 0x%llx is not in the dump's data",
                                   static_cast<ull>(paddr + from_file)));
        std::memset(out.data() + from_file, 0, n - from_file);
      }
    } else {
      if (!zero_fill)
        return fail(
            util::format("physical 0x%llx is not in the dump's data", static_cast<ull>(paddr)));
      std::memset(out.data(), 0, n);
    }
    out = out.subspan(n);
    paddr += n;
  }
  return {};
}

Result<void> PhysicalMemory::read(uint64_t paddr, std::span<std::byte> out) const {
  return read_impl(paddr, out, true);
}

Result<void> PhysicalMemory::read_file_data(uint64_t paddr, std::span<std::byte> out) const {
  return read_impl(paddr, out, false);
}

Result<uint64_t> PhysicalMemory::read_u64(uint64_t paddr) const {
  std::byte b[8];
  if (auto r = read(paddr, b); !r) return std::unexpected(r.error());
  uint64_t v = 0;
  for (auto x : b) v = v << 8 | static_cast<uint64_t>(x);
  return v;
}

}  // namespace zk::ondisk
