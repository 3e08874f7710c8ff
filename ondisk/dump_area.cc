// SPDX-License-Identifier: MIT
#include "ondisk/dump_area.h"

#include <vector>

#include "ondisk/bytes.h"
#include "ondisk/vmcoreinfo_memory.h"
#include "util/file_window.h"
#include "util/strings.h"

namespace zk::ondisk {

const char* dump_area_kind_name(DumpAreaKind k) {
  switch (k) {
    case DumpAreaKind::kEmpty: return "empty";
    case DumpAreaKind::kBusy: return "incomplete";
    case DumpAreaKind::kDump: return "dump";
    case DumpAreaKind::kInvalidDump: return "invalid";
    case DumpAreaKind::kUnknown: return "unknown";
  }
  return "?";
}

Result<DumpAreaState> inspect_dump_area(util::File& disk, const DumpDisk& target) {
  const auto& sb = target.superblock;
  util::FileWindow area(disk, sb.part_start + sb.dump_offset, sb.dump_size);
  std::vector<std::byte> head(4096);
  if (area.size() < head.size()) head.resize(static_cast<size_t>(area.size()));
  if (auto r = util::read_exact(area, head, 0); !r) return std::unexpected(r.error());
  DumpAreaState s;
  if (has_magic(head, 0, std::string_view(kBusyMarker, sizeof kBusyMarker))) {
    s.kind = DumpAreaKind::kBusy;
    return s;
  }
  if (has_magic(head, 0,
                "\x7f"
                "ELF")) {
    auto info = read_vmcore(area);
    if (!info) {
      s.kind = DumpAreaKind::kInvalidDump;
      s.detail = info.error().describe();
      return s;
    }
    s.kind = DumpAreaKind::kDump;
    fill_vmcoreinfo_from_memory(area, *info);  // a core QEMU wrote has no VMCOREINFO note
    s.dump = std::move(*info);
    return s;
  }
  bool zero = true;
  for (auto b : head) zero = zero && b == std::byte{0};
  s.kind = zero ? DumpAreaKind::kEmpty : DumpAreaKind::kUnknown;
  if (!zero) s.detail = "the dump area starts with data that is neither a dump nor the busy marker";
  return s;
}

}  // namespace zk::ondisk
