#pragma once
/// Writes a vmcore onto a disk prepared by `zipl -d`, following the protocol every reader of
/// such a disk expects (on-disk-format.md, section 4): busy marker and checksum first, then the
/// copy plan, then the first page, then the checksum again (also after a failure, so the dump
/// tool stays usable and the disk reads as "incomplete dump", never as a good one), then fsync.
///
/// Memory: one aligned buffer of `buffer_size` bytes plus one block for partial writes; nothing
/// grows with the size of the dump.

#include <cstdint>
#include <functional>

#include "dumper/copy_plan.h"
#include "ondisk/dump_disk.h"
#include "util/error.h"
#include "util/file.h"

namespace zk::dumper {

struct DumpHooks {
  /// Called once, after the HSA ranges are on disk (only when the plan has any).
  std::function<void()> release_hsa;
  /// Called after every chunk with the bytes written so far and the total.
  std::function<void(uint64_t done, uint64_t total)> progress;
  /// Called with a line for dump_debug >= level (level, text).
  std::function<void(int level, const char* text)> trace;
};

struct DumpStats {
  uint64_t bytes = 0;
  double seconds = 0;
};

/// Copies `vmcore` (of `plan.total_bytes` bytes) into the dump area of `target` on `disk`.
/// Preconditions checked here, before the first write: the partition is still the dump tool's
/// (DumpDisk::usable_for_dump), and the vmcore fits the dump area. `buffer_size` is a multiple of the
/// disk's direct-I/O alignment (1 MiB by default).
Result<DumpStats> write_dump(util::File& vmcore, const CopyPlan& plan, util::File& disk,
                             const ondisk::DumpDisk& target, const DumpHooks& hooks,
                             size_t buffer_size = 1u << 20);

}  // namespace zk::dumper
