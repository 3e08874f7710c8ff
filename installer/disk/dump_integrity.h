// SPDX-License-Identifier: MIT
#pragma once
/// The integrity record of a dump on a dump disk (ondisk/integrity_note.h), for
/// `zfcpdump-install check`: found among the dump's notes, checked against the dump's layout,
/// and, for `check --verify`, every digest recomputed from the disk.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>

#include "ondisk/integrity_note.h"
#include "ondisk/vmcore.h"
#include "util/error.h"
#include "util/file.h"

namespace zk::installer::disk {

struct FoundRecord {
  ondisk::IntegrityRecord record;
  uint64_t note_offset = 0;  ///< where the note's header lies in the dump area
};

/// The record of the dump in `area` (the dump area; `info` is read_vmcore of it). nullopt: the
/// dump carries none (a full copy, or a dump by a dumper older than the record). Fails when the
/// record does not decode, there are two, it lies outside the header area, its data area
/// reaches past the end of `area`, or a PT_LOAD's file data lies outside the data it digests.
Result<std::optional<FoundRecord>> read_integrity_record(util::File& area,
                                                         const ondisk::VmcoreInfo& info);

struct BadChunk {
  size_t index = 0;
  uint64_t paddr = 0;   ///< physical address of its first byte of memory
  uint64_t offset = 0;  ///< where it starts in the dump area
};

struct IntegrityVerdict {
  bool headers_ok = false;
  uint64_t chunks = 0;      ///< chunks checked
  uint64_t bad_chunks = 0;  ///< chunks whose digest differs
  std::optional<BadChunk> first_bad;
  uint64_t bytes_read = 0;
  [[nodiscard]] bool ok() const { return headers_ok && bad_chunks == 0; }
};

/// Every byte verify_integrity reads, as it reads it, with its offset in the dump area: the
/// header area first (as on the disk), then the data area in order. `save` copies the dump
/// through it, so the copy and the verdict are of the same bytes. An error stops the reading.
using ReadSink = std::function<Result<void>(std::span<const std::byte>, uint64_t area_offset)>;

/// Reads the header area and the whole data area of `area` in pieces of `buffer_size` and
/// compares every digest of `found` with the bytes, showing each piece to `sink` (if any). A
/// mismatch is the verdict; an I/O error (or the sink's) fails. Memory: the header area (at
/// most kIntegrityMaxHeaderArea) and one buffer.
Result<IntegrityVerdict> verify_integrity(util::File& area, const FoundRecord& found,
                                          size_t buffer_size = 4u << 20, const ReadSink& sink = {});

}  // namespace zk::installer::disk
