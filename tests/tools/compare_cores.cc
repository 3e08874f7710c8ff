// SPDX-License-Identifier: MIT
/// zk-check-vmcore-copy A B: does ELF core B hold what core A holds? Compared by content, not
/// by bytes of the file, because a copy (zgetdump's, say) may split, merge and reorder the
/// PT_LOADs and rewrite every header:
///   - notes: the same notes with the same descriptors, CPU by CPU in order (within one CPU's
///     set the order is free: the kernel writes VXRS_HIGH before VXRS_LOW, zgetdump the reverse);
///   - memory: A and B cover the same physical addresses, and wherever a PT_LOAD of A and one
///     of B overlap, their bytes are equal (bytes past p_filesz count as zeros).
/// Exit status: 0 equal, 1 a difference (the first one found is printed), 2 a core could not be
/// read.

#include <elf.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "ondisk/vmcore.h"
#include "util/posix_file.h"
#include "util/strings.h"

namespace {

using zk::Result;
using zk::ondisk::LoadSegment;
using zk::ondisk::VmcoreNote;
using zk::util::format;
using ull = unsigned long long;

constexpr size_t kChunk = size_t{1} << 20;

struct Core {
  std::unique_ptr<zk::util::PosixFile> file;
  zk::ondisk::VmcoreInfo info;
  std::vector<VmcoreNote> notes;
};

Result<Core> open_core(const char* path) {
  Core core;
  auto f = zk::util::PosixFile::open(path, zk::util::OpenMode::kRead);
  if (!f) return std::unexpected(f.error());
  core.file = std::move(*f);
  auto info = zk::ondisk::read_vmcore(*core.file);
  if (!info) return std::unexpected(info.error());
  core.info = std::move(*info);
  auto notes = zk::ondisk::read_vmcore_notes(*core.file, core.info);
  if (!notes) return std::unexpected(notes.error());
  core.notes = std::move(*notes);
  return core;
}

std::string hex_bytes(const std::byte* p, size_t n) {
  std::string s = "0x";
  for (size_t i = 0; i < n; ++i) s += format("%02x", static_cast<unsigned>(p[i]));
  return s;
}

// ---- notes -------------------------------------------------------------------------------

/// (CPU, owner, type, occurrence): CPU is -1 for notes outside any CPU's set (PRPSINFO,
/// VMCOREINFO); a CPU's set starts at its NT_PRSTATUS.
using NoteKey = std::tuple<int, std::string, uint32_t, int>;

std::vector<std::pair<NoteKey, const VmcoreNote*>> keyed(const std::vector<VmcoreNote>& notes) {
  std::vector<std::pair<NoteKey, const VmcoreNote*>> out;
  std::map<std::tuple<int, std::string, uint32_t>, int> seen;
  int cpu = -1;
  for (const auto& n : notes) {
    const bool per_cpu = (n.owner == "CORE" && n.type != NT_PRPSINFO) || n.owner == "LINUX";
    if (n.owner == "CORE" && n.type == NT_PRSTATUS) ++cpu;
    const int owner_cpu = per_cpu ? cpu : -1;
    const int occurrence = seen[{owner_cpu, n.owner, n.type}]++;
    out.push_back({{owner_cpu, n.owner, n.type, occurrence}, &n});
  }
  return out;
}

std::string describe(const NoteKey& k) {
  const auto& [cpu, owner, type, occurrence] = k;
  std::string s = zk::ondisk::note_type_name(owner, type);
  if (cpu >= 0) s = format("CPU %d's ", cpu + 1) + s;
  if (occurrence > 0) s += format(" (occurrence %d)", occurrence + 1);
  return s;
}

std::optional<std::string> compare_notes(const Core& a, const Core& b) {
  if (a.info.cpu_count != b.info.cpu_count)
    return format("notes: A has %u CPUs (NT_PRSTATUS notes), B has %u", a.info.cpu_count,
                  b.info.cpu_count);
  const auto ka = keyed(a.notes);
  const auto kb = keyed(b.notes);
  std::map<NoteKey, const VmcoreNote*> in_b(kb.begin(), kb.end());
  for (const auto& [key, na] : ka) {
    auto it = in_b.find(key);
    if (it == in_b.end()) {
      std::string m = format("notes: %s (A at offset %llu) is missing in B", describe(key).c_str(),
                             static_cast<ull>(na->file_offset));
      if (na->owner == "VMCOREINFO")
        m += " (zgetdump takes VMCOREINFO from the dumped memory, not from the note: make the "
             "core with zk-make-vmcore --vmcoreinfo-in-memory)";
      return m;
    }
    const VmcoreNote* nb = it->second;
    if (na->desc.size() != nb->desc.size())
      return format("notes: %s: descriptor of %zu bytes in A (offset %llu), %zu in B (offset %llu)",
                    describe(key).c_str(), na->desc.size(), static_cast<ull>(na->file_offset),
                    nb->desc.size(), static_cast<ull>(nb->file_offset));
    auto [pa, pb] = std::mismatch(na->desc.begin(), na->desc.end(), nb->desc.begin());
    if (pa != na->desc.end()) {
      const size_t at = static_cast<size_t>(pa - na->desc.begin());
      const size_t n = std::min<size_t>(8, na->desc.size() - at);
      return format(
          "notes: %s differs at descriptor byte %zu: expected %s (A, note at offset %llu), "
          "found %s (B, note at offset %llu)",
          describe(key).c_str(), at, hex_bytes(na->desc.data() + at, n).c_str(),
          static_cast<ull>(na->file_offset), hex_bytes(nb->desc.data() + at, n).c_str(),
          static_cast<ull>(nb->file_offset));
    }
    in_b.erase(it);
  }
  if (!in_b.empty()) {
    const auto& [key, nb] = *std::min_element(
        in_b.begin(), in_b.end(),
        [](const auto& x, const auto& y) { return x.second->file_offset < y.second->file_offset; });
    return format("notes: B has %s (offset %llu), which A does not", describe(key).c_str(),
                  static_cast<ull>(nb->file_offset));
  }
  return std::nullopt;
}

// ---- memory ------------------------------------------------------------------------------

struct Range {
  uint64_t begin, end;
};

/// The union of the segments' physical ranges, sorted and merged.
std::vector<Range> coverage(const std::vector<LoadSegment>& loads) {
  std::vector<Range> r;
  for (const auto& l : loads)
    if (l.memsz) r.push_back({l.paddr, l.paddr + l.memsz});
  std::sort(r.begin(), r.end(), [](const Range& x, const Range& y) { return x.begin < y.begin; });
  std::vector<Range> merged;
  for (const auto& x : r) {
    if (!merged.empty() && x.begin <= merged.back().end)
      merged.back().end = std::max(merged.back().end, x.end);
    else merged.push_back(x);
  }
  return merged;
}

/// The first physical range one side has and the other lacks.
std::optional<std::string> compare_coverage(const Core& a, const Core& b) {
  const auto ca = coverage(a.info.loads);
  const auto cb = coverage(b.info.loads);
  auto missing_in = [](const std::vector<Range>& have,
                       const std::vector<Range>& other) -> std::optional<Range> {
    for (const auto& h : have) {
      uint64_t at = h.begin;
      for (const auto& o : other) {
        if (o.end <= at || o.begin >= h.end) continue;
        if (o.begin > at) return Range{at, o.begin};
        at = std::max(at, o.end);
      }
      if (at < h.end) return Range{at, h.end};
    }
    return std::nullopt;
  };
  if (auto r = missing_in(ca, cb))
    return format("memory: physical 0x%llx-0x%llx (%llu bytes) is in A but not in B",
                  static_cast<ull>(r->begin), static_cast<ull>(r->end - 1),
                  static_cast<ull>(r->end - r->begin));
  if (auto r = missing_in(cb, ca))
    return format("memory: physical 0x%llx-0x%llx (%llu bytes) is in B but not in A",
                  static_cast<ull>(r->begin), static_cast<ull>(r->end - 1),
                  static_cast<ull>(r->end - r->begin));
  return std::nullopt;
}

/// Reads the segment's bytes for physical [paddr, paddr + out.size()); past p_filesz: zeros.
Result<void> read_physical(zk::util::File& file, const LoadSegment& seg, uint64_t paddr,
                           std::span<std::byte> out) {
  const uint64_t rel = paddr - seg.paddr;
  const uint64_t in_file = rel < seg.filesz ? std::min<uint64_t>(out.size(), seg.filesz - rel) : 0;
  std::fill(out.begin() + static_cast<ptrdiff_t>(in_file), out.end(), std::byte{0});
  if (in_file == 0) return {};
  return zk::util::read_exact(file, out.first(static_cast<size_t>(in_file)), seg.offset + rel);
}

Result<std::optional<std::string>> compare_memory(const Core& a, const Core& b) {
  std::vector<std::byte> ba(kChunk), bb(kChunk);
  for (size_t i = 0; i < a.info.loads.size(); ++i) {
    const auto& sa = a.info.loads[i];
    for (size_t j = 0; j < b.info.loads.size(); ++j) {
      const auto& sb = b.info.loads[j];
      const uint64_t begin = std::max(sa.paddr, sb.paddr);
      const uint64_t end = std::min(sa.paddr + sa.memsz, sb.paddr + sb.memsz);
      for (uint64_t p = begin; p < end;) {
        const size_t n = static_cast<size_t>(std::min<uint64_t>(kChunk, end - p));
        if (auto r = read_physical(*a.file, sa, p, std::span(ba).first(n)); !r)
          return std::unexpected(r.error());
        if (auto r = read_physical(*b.file, sb, p, std::span(bb).first(n)); !r)
          return std::unexpected(r.error());
        if (std::memcmp(ba.data(), bb.data(), n) != 0) {
          const auto at = static_cast<size_t>(
              std::mismatch(ba.begin(), ba.begin() + static_cast<ptrdiff_t>(n), bb.begin()).first -
              ba.begin());
          const size_t shown = std::min<size_t>(8, n - at);
          const uint64_t pa = p + at;
          return std::optional<std::string>(format(
              "memory: physical 0x%llx: expected %s (A: PT_LOAD %zu, file offset %llu), found %s "
              "(B: PT_LOAD %zu, file offset %llu)",
              static_cast<ull>(pa), hex_bytes(ba.data() + at, shown).c_str(), i,
              static_cast<ull>(sa.offset + (pa - sa.paddr)),
              hex_bytes(bb.data() + at, shown).c_str(), j,
              static_cast<ull>(sb.offset + (pa - sb.paddr))));
        }
        p += n;
      }
    }
  }
  return std::optional<std::string>();
}

int error(const char* what, const zk::Error& e) {
  std::fprintf(stderr, "zk-check-vmcore-copy: %s%s\n", what, e.describe().c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    std::puts(
        "Usage: zk-check-vmcore-copy CORE_A CORE_B\n"
        "Checks that ELF core B holds the same notes and physical memory as core A.\n"
        "Exit status: 0 equal, 1 different (the first difference is printed), 2 error.");
    return 0;
  }
  if (argc != 3) {
    std::fputs("Usage: zk-check-vmcore-copy CORE_A CORE_B (--help for more)\n", stderr);
    return 2;
  }
  auto a = open_core(argv[1]);
  if (!a) return error("A: ", a.error());
  auto b = open_core(argv[2]);
  if (!b) return error("B: ", b.error());

  std::optional<std::string> difference = compare_notes(*a, *b);
  if (!difference) difference = compare_coverage(*a, *b);
  if (!difference) {
    auto r = compare_memory(*a, *b);
    if (!r) return error("", r.error());
    difference = *r;
  }
  if (difference) {
    std::fprintf(stderr, "zk-check-vmcore-copy: %s and %s differ: %s\n", argv[1], argv[2],
                 difference->c_str());
    return 1;
  }
  uint64_t covered = 0;
  for (const auto& r : coverage(a->info.loads)) covered += r.end - r.begin;
  std::printf("equal: %zu notes, %s of physical memory (A in %zu PT_LOADs, B in %zu)\n",
              a->notes.size(), zk::util::human_size(covered).c_str(), a->info.loads.size(),
              b->info.loads.size());
  return 0;
}
