// SPDX-License-Identifier: MIT
#pragma once
/// Writes a vmcore onto a disk prepared by `zipl -d`, following the protocol every reader of
/// such a disk expects (docs/dump-protocol.md, section 4): busy marker and checksum first, then the
/// copy plan, then the first page, then the checksum again (also after a failure, so the dump
/// tool stays usable and the disk reads as "incomplete dump", never as a good one), then fsync.
///
/// The copy overlaps reading the vmcore with writing the disk (dumper/write_pipeline.h): the
/// reads fill a ring of buffers that writer threads write out, several writes in flight; the
/// protocol's steps wait for the writes before them (drain) where the order matters.
///
/// Memory: the pipeline's `buffer_bytes` plus a block per writer for partial writes; nothing
/// grows with the size of the dump.

#include <cstdint>
#include <functional>

#include "dumper/copy_plan.h"
#include "dumper/write_pipeline.h"
#include "ondisk/dump_disk.h"
#include "ondisk/integrity_note.h"
#include "util/aligned_buffer.h"
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
  uint64_t bytes = 0;  ///< bytes written into the dump area (headers and data)
  double seconds = 0;
  uint64_t memory = 0;    ///< bytes of memory the dump describes
  unsigned segments = 0;  ///< PT_LOAD program headers (sparse dumps)
  bool sparse = false;
  bool partial = false;          ///< the dump area ran out: the dump holds a prefix of memory
  unsigned record_chunks = 0;    ///< chunk digests in the integrity record (sparse dumps)
  uint64_t chunk_size = 0;       ///< of those chunks
  ondisk::FilterOutcome filter;  ///< what the dump level left out (sparse dumps)
};

/// Writes `bytes` at `offset` of `disk` whatever the alignment: for direct I/O the blocks at
/// either end are read, patched and written back whole, so no byte around the patch changes.
/// `block` is scratch of at least two alignment blocks.
Result<void> write_patch(util::File& disk, uint64_t offset, std::span<const std::byte> bytes,
                         util::AlignedBuffer& block);

/// Recomputes the checksum of the partition's first page and stores it in the superblock.
Result<void> update_checksum(util::File& disk, const ondisk::DumpDisk& target,
                             util::AlignedBuffer& block);

/// After a failed dump: leaves the dump tool usable by making the checksum describe the first
/// page as it now is (busy marker, or whatever got written), then syncs. Best effort: `err`, the
/// first error, is what is returned, with a note when the checksum could not be updated either.
Error after_failed_dump(util::File& disk, const ondisk::DumpDisk& target,
                        util::AlignedBuffer& block, Error err);

/// Copies `vmcore` (of `plan.total_bytes` bytes) into the dump area of `target` on `disk`.
/// Preconditions checked here, before the first write: the partition is still the dump tool's
/// (DumpDisk::usable_for_dump), and the vmcore fits the dump area. `shape`: the buffers and
/// writer threads of the copy (0 writers: every write in the calling thread).
Result<DumpStats> write_dump(util::File& vmcore, const CopyPlan& plan, util::File& disk,
                             const ondisk::DumpDisk& target, const DumpHooks& hooks,
                             PipelineShape shape = {});

}  // namespace zk::dumper
