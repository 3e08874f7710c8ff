// SPDX-License-Identifier: MIT
#pragma once
/// One dump from start to end, shared by the ramdisk's /init and host mode: read the vmcore's
/// headers, check the disk, plan, write, release the HSA, report.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "dumper/console.h"
#include "dumper/disk_finder.h"
#include "dumper/sparse_writer.h"
#include "dumper/zcore.h"
#include "util/posix_file.h"  // util::OpenMode

namespace zk::dumper {

struct SessionOptions {
  std::string vmcore_path = "/proc/vmcore";
  std::optional<Zcore> zcore;      ///< HSA handling; nullopt: none (kdump, host mode)
  uint64_t hsa_size_override = 0;  ///< host mode's --hsa-size (plans as if there were an HSA)
  double progress_interval_s = 10;
  size_t buffer_size = PipelineShape{}.buffer_bytes;  ///< all copy buffers together
  unsigned writers = PipelineShape{}.writers;         ///< writer threads (0: none, no overlap)
  /// Sparse dump (zero runs take no disk space, partial when the area runs out); false: the full
  /// copy of every byte of the vmcore (zfcpdump.sparse=0, host mode's --sparse 0).
  bool sparse = true;
  /// makedumpfile's dump level (0..31): 0 is the full copy, 1 the sparse full dump, more bits
  /// leave more out (dumper/page_selection.h). zfcpdump.dump_level=N, host mode's --dump-level.
  unsigned dump_level = 1;
  unsigned max_loads = SparseOptions{}.max_loads;  ///< PT_LOAD cap of a sparse dump
  /// Opens the vmcore (kRead) and the disk (kReadWriteDirect); empty: util::PosixFile::open.
  /// The seam through which the fault matrix test makes any one I/O call of a dump fail.
  std::function<Result<std::unique_ptr<util::File>>(const std::string& path, util::OpenMode mode)>
      open_file;
};

/// Dumps onto `disk` (already found and probed). Prints what it dumps where, the progress and
/// "Dump successful"; a failure is returned, not printed: the caller reports it once, through
/// report_dump_outcome.
Result<void> run_dump(Console& console, const FoundDisk& disk, const SessionOptions& options);

/// The one place that tells the operator a dump failed ("Dump failed: <reason>", the line the
/// tests and the console logs look for). Returns whether `outcome` is a success.
bool report_dump_outcome(Console& console, const Result<void>& outcome);

}  // namespace zk::dumper
