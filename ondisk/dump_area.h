// SPDX-License-Identifier: MIT
#pragma once
/// What the dump area of a prepared disk holds: nothing yet, an interrupted dump (busy
/// marker), a dump (an ELF core that lies within the area), or something else.

#include <optional>
#include <string>

#include "ondisk/dump_disk.h"
#include "ondisk/vmcore.h"
#include "util/error.h"
#include "util/file.h"

namespace zk::ondisk {

enum class DumpAreaKind { kEmpty, kBusy, kDump, kInvalidDump, kUnknown };

struct DumpAreaState {
  DumpAreaKind kind = DumpAreaKind::kUnknown;
  std::optional<VmcoreInfo> dump;  ///< for kDump
  std::string detail;              ///< for kInvalidDump / kUnknown: why
};

[[nodiscard]] const char* dump_area_kind_name(DumpAreaKind k);

/// Inspects the dump area of `target` on `disk`. A dump whose segments reach beyond the dump
/// area is kInvalidDump (zgetdump would refuse it too). I/O errors are errors.
Result<DumpAreaState> inspect_dump_area(util::File& disk, const DumpDisk& target);

}  // namespace zk::ondisk
