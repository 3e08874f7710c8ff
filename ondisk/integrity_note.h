// SPDX-License-Identifier: MIT
#pragma once
/// The integrity record of a sparse dump (docs/on-disk-format.md, "The integrity record"): an
/// ELF note of our own, "ZFCPDUMPKIT", in the dump's one PT_NOTE segment, after the vmcore's
/// notes. It says who wrote the dump and when, what memory it holds, and carries a digest of
/// every chunk of the data area (named by the physical address of the chunk's first byte of
/// memory) and a digest of the header area. Every integer is big-endian, as the rest of an
/// s390x core; the encoding is the same whichever machine writes or reads it.
///
/// Its size is known before the dump starts: the chunk size is chosen from the memory size (at
/// most kIntegrityMemoryChunks chunks of memory) and the most data the dump can hold (memory and
/// the padding behind data runs: at most kIntegrityMaxChunks chunks in all).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ondisk/vmcore.h"
#include "util/error.h"

namespace zk::ondisk {

inline constexpr std::string_view kIntegrityNoteName = "ZFCPDUMPKIT";
/// Not 1, 2, 3 or 0x3xx: zgetdump and crash pick notes by type alone, whatever the owner.
inline constexpr uint32_t kIntegrityNoteType = 0x5a4b0001;
/// Version 2 adds the filter's outcome (dump level, pages left out by class, why a filter was
/// not applied); version 1 records (no dump level: the sparse full dump, level 1) still decode.
inline constexpr uint32_t kIntegrityFormatVersion = 2;
inline constexpr uint32_t kIntegrityFormatVersion1 = 1;
/// Chunks that memory alone may take: 1 TiB of memory in 128 MiB chunks.
inline constexpr uint32_t kIntegrityMemoryChunks = 8192;
/// Chunks a record may hold: memory, and the padding of up to a page behind each data run
/// (some MiB for the PT_LOAD cap), so that a memory size that is a power of two keeps its
/// chunk size.
inline constexpr uint32_t kIntegrityMaxChunks = kIntegrityMemoryChunks + 128;
inline constexpr uint64_t kIntegrityMinChunkSize = 1u << 20;
inline constexpr uint64_t kIntegrityMaxChunkSize = uint64_t{1} << 51;  ///< 8192 of them cover 2^64
/// The header area a record may describe: the program headers, the vmcore's notes and the
/// record itself are far smaller.
inline constexpr uint64_t kIntegrityMaxHeaderArea = 64u << 20;
inline constexpr size_t kIntegrityVersionField = 64;  ///< the dumper's version, NUL-padded

inline constexpr size_t kIntegrityNoteHeaderSize = 12 + 12;  ///< Nhdr and the padded name
inline constexpr size_t kIntegrityDescFixedSizeV1 = 0x90;
inline constexpr size_t kIntegrityDescFixedSize = 0x148;  ///< version 2
inline constexpr size_t kIntegrityFilterNoteField = 128;  ///< FilterOutcome::note, NUL-padded
/// FilterOutcome::stopped_at when the filter decided on all of memory.
inline constexpr uint64_t kFilterRanToEnd = UINT64_MAX;
inline constexpr uint32_t kMaxDumpLevel = 31;
inline constexpr size_t kIntegrityChunkEntrySize = 16;  ///< physical address, digest
/// Where the headers digest lies in the descriptor; taken as zero when the headers are digested.
inline constexpr size_t kIntegrityHeadersDigestAt = 0x88;

inline constexpr uint32_t kIntegrityFlagSparse = 1u << 0;
inline constexpr uint32_t kIntegrityFlagPartial = 1u << 1;

struct IntegrityChunk {
  uint64_t paddr = 0;  ///< physical address of the chunk's first byte of memory
  uint64_t digest = 0;
};

/// What the page filter did (dumper/page_selection.h). Pages a level leaves out become ranges
/// without file data, as zero runs do; these counts are of the pages left out by class, zero
/// runs not included (every sparse dump leaves those out).
struct FilterOutcome {
  uint32_t requested_level = 1;  ///< the dump level asked for (0..31)
  /// The level the dump follows: the requested one, or 1 (the sparse full dump) when the
  /// filter could not start. Where the filter stopped later, memory from `stopped_at` on is
  /// dumped as level 1.
  uint32_t applied_level = 1;
  uint64_t stopped_at = kFilterRanToEnd;
  uint64_t cache_pages = 0;          ///< page cache without private data (level bit 2)
  uint64_t cache_private_pages = 0;  ///< page cache with private data (bit 4)
  uint64_t user_pages = 0;           ///< anonymous and hugetlbfs user pages (bit 8)
  uint64_t free_pages = 0;           ///< free pages of the buddy allocator (bit 16)
  uint64_t other_pages = 0;          ///< hardware-poisoned and logically offline pages
  /// Why the filter was not applied, or stopped: printable ASCII, at most
  /// kIntegrityFilterNoteField characters; empty when it ran to the end.
  std::string note;

  [[nodiscard]] uint64_t left_out() const {
    return cache_pages + cache_private_pages + user_pages + free_pages + other_pages;
  }
};

struct IntegrityRecord {
  uint32_t format_version = kIntegrityFormatVersion;
  bool sparse = true;
  bool partial = false;         ///< the dump area ran out: a prefix of memory is in the dump
  std::string dumper_version;   ///< printable ASCII, 1 to kIntegrityVersionField characters
  uint64_t start_time = 0;      ///< UTC seconds since the epoch
  uint64_t end_time = 0;        ///< when the data was written, before the headers
  uint64_t memory_size = 0;     ///< memory of the dumped system (the vmcore's PT_LOADs)
  uint64_t memory_dumped = 0;   ///< memory the dump's PT_LOADs describe
  uint32_t page_size = 0;       ///< the dumped system's page size
  uint64_t data_offset = 0;     ///< the data area starts here, where the header area ends
  uint64_t data_bytes = 0;      ///< bytes of the data area that the chunks cover
  uint64_t chunk_size = 0;      ///< a power of two
  uint64_t headers_digest = 0;  ///< of [0, data_offset) with this field as zero
  FilterOutcome filter;         ///< version 1 records decode as level 1, nothing left out
  std::vector<IntegrityChunk> chunks;
};

/// The chunk size for `memory_bytes` of memory and a data area of at most `max_data_bytes`: the
/// smallest power of two, at least kIntegrityMinChunkSize, that cuts memory into at most
/// kIntegrityMemoryChunks chunks and the data area into at most kIntegrityMaxChunks.
[[nodiscard]] uint64_t integrity_chunk_size(uint64_t memory_bytes, uint64_t max_data_bytes);

/// Chunks of `chunk_size` that `data_bytes` take (the last one may be short).
[[nodiscard]] uint64_t integrity_chunk_count(uint64_t data_bytes, uint64_t chunk_size);

/// The physical address of each chunk's first byte of memory: chunk k starts at file offset
/// `data_offset + k * chunk_size`; the address is that of the first byte at or after it that a
/// PT_LOAD with file data in `loads` (in file order) holds, or, for a chunk of padding alone,
/// the address after the last such byte before it (0 when there is none).
[[nodiscard]] std::vector<uint64_t> integrity_chunk_addresses(const std::vector<CoreSegment>& loads,
                                                              uint64_t data_offset,
                                                              uint64_t chunk_size, uint64_t count);

/// Bytes of the whole note (header, name, descriptor) with `chunks` chunk entries, in the
/// format this code writes (kIntegrityFormatVersion).
[[nodiscard]] size_t integrity_note_size(uint32_t chunks);

/// Encodes `record` as a whole ELF note into `out`, which must be integrity_note_size() bytes.
/// Fails on a record the decoder would refuse.
Result<void> encode_integrity_note(const IntegrityRecord& record, std::span<std::byte> out);

/// Decodes a note's descriptor (owner and type already matched), version 1 or 2. Strict: the
/// size must be what the version and the chunk count say, the count what the data size and chunk
/// size say; sizes, times, flags and the version text are checked. Fails with what is wrong.
Result<IntegrityRecord> decode_integrity_record(std::span<const std::byte> desc);

}  // namespace zk::ondisk
