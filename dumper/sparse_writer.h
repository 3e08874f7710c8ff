// SPDX-License-Identifier: MIT
#pragma once
/// Writes a vmcore onto a disk prepared by `zipl -d` as a sparse ELF core, in one pass:
/// memory that is data goes out as PT_LOADs with p_filesz = p_memsz, zero runs long enough
/// (SegmentBudget) as PT_LOADs with p_filesz = 0 that take no file space; the layout the stock
/// readers handle (docs/on-disk-format.md, "The dump in the dump area").
///
/// Layout of the dump area: [0, H) the header area (ELF header, program headers up to the cap,
/// the vmcore's notes and behind them, in the same PT_NOTE, the integrity record: ondisk/
/// integrity_note.h), reserved at the start and written last, its first page last of all;
/// [H, ...) the data, in the order it was read. The protocol of the full copy stays: busy marker
/// and checksum first, memory below the HSA size first and then the HSA released, the first
/// page last, the checksum again (also after a failure), fsync. Until the first page is written
/// the dump area starts with the busy marker, so an interrupted dump never reads as an ELF file.
///
/// Zero runs are not written while they are open (the file cursor stays); when a run ends it is
/// either elided or written after all. When the data would run past the dump area, the dump ends
/// as a valid partial dump: the headers describe the prefix of memory that was written, and
/// nothing is written outside the dump area.
///
/// Reading and zero-testing overlap with the writes (dumper/write_pipeline.h): the data is
/// staged in the pipeline's buffers, which writer threads write out while the next memory is
/// read; the HSA release and the header area wait for the writes before them. Memory is read
/// straight into the pipeline's buffer at the cursor where it can: data that follows data is
/// not copied again, data behind a zero run left out moves back within the buffer. The zero
/// test (util/all_zero.h) and the digest are compiled for speed in the size-optimised build.
///
/// The record's digests are taken of every buffer as it is handed to the disk, so they cover
/// exactly the bytes written, padding included; a partial dump's record digests what fit.
///
/// Memory: the pipeline's buffers, a read buffer of one pipeline slot (for the reads that cannot
/// go into the pipeline's buffer), and the header area (the program headers up to the cap, the
/// vmcore's notes and the record: 16 bytes a chunk, at most 8320 chunks), whatever the memory
/// size.

#include <cstdint>

#include "dumper/dump_writer.h"
#include "dumper/page_selection.h"
#include "ondisk/vmcore.h"

namespace zk::dumper {

struct SparseOptions {
  /// PT_LOAD cap. The stock readers were measured to work with up to 30001 (no limit found),
  /// ondisk::read_vmcore reads up to 16384: 4000 keeps a margin to both and bounds the header
  /// area at 224 KB of program headers (docs/on-disk-format.md, "The dump in the dump area").
  unsigned max_loads = 4000;
  uint64_t hsa_size = 0;              ///< memory below this is copied first, then the HSA released
  PipelineShape pipeline;             ///< the copy's buffers and writer threads
  uint64_t min_zero_run = 16u << 10;  ///< initial threshold of SegmentBudget
  uint64_t max_notes_bytes = 1u << 20;  ///< the vmcore's notes must fit the header area
  /// A dump level's choice of pages (null: every page; zero runs are left out regardless).
  /// Memory it leaves out is not read at all and becomes ranges without file data, as zero
  /// runs do; its outcome goes into the integrity record. Must outlive the call.
  PageSelection* selection = nullptr;
};

/// Dumps `vmcore` (whose headers are `info`) sparsely into the dump area of `target`.
/// Refuses before writing anything when the partition changed since zipl, or the header area
/// and one page do not fit the dump area.
Result<DumpStats> write_sparse_dump(util::File& vmcore, const ondisk::VmcoreInfo& info,
                                    util::File& disk, const ondisk::DumpDisk& target,
                                    const DumpHooks& hooks, const SparseOptions& options);

}  // namespace zk::dumper
