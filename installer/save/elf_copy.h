// SPDX-License-Identifier: MIT
#pragma once
/// `save --format elf`: the dump on the disk copied into a file as the ELF core it is, in one
/// pass that is also the verification: the integrity record's digests are checked on the very
/// bytes written (disk::verify_integrity's sink). Whole zero blocks are left as holes, so the
/// file takes on the file system what the dump's data takes, or less (a full copy's zero pages).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "installer/disk/dump_integrity.h"
#include "ondisk/vmcore.h"
#include "util/error.h"
#include "util/file.h"

namespace zk::installer::save {

struct ElfCopy {
  uint64_t size = 0;     ///< bytes of the file (the dump's extent: headers and data)
  uint64_t written = 0;  ///< bytes written; the rest are holes
  /// The record's verdict (nullopt: the dump has no record, its ELF structure was the check).
  std::optional<disk::IntegrityVerdict> verdict;
  /// A read of the disk that failed: the copy stops there, keeping what it read (the file is
  /// then shorter than the dump).
  std::optional<Error> read_error;
};

/// Called after each piece with the bytes done and the total.
using CopyProgress = std::function<void(uint64_t done, uint64_t total)>;

/// Copies the dump in `area` (`info` is read_vmcore of it; `record` its integrity record, or
/// null) into the new, empty file `path` (created with mode 0600), then fsyncs it. Fails on a
/// write error (the caller removes the file); a read error is in the result, not a failure:
/// what the disk holds is never lost for one bad block. The disk is read while the file is
/// written (a writer thread). Memory: three 2 MiB buffers and the header area.
Result<ElfCopy> copy_dump_as_elf(util::File& area, const ondisk::VmcoreInfo& info,
                                 const disk::FoundRecord* record, const std::string& path,
                                 const CopyProgress& progress = {});

}  // namespace zk::installer::save
