// SPDX-License-Identifier: MIT
// fuzz_integrity_note: the decoder of a dump's integrity record (ondisk/integrity_note.h), the
// descriptor of the ZFCPDUMPKIT note that check reads from a dump disk.
//
// Oracles, from what the header promises: an accepted record has at most kIntegrityMaxChunks
// chunks, exactly as many as its data size and chunk size say, a power-of-two chunk size within
// the limits, a data area that does not wrap, times in order, dump levels within 0..31; a
// version 2 record encodes back to the very bytes it was decoded from (so nothing in the
// descriptor goes unchecked or is read twice); a version 1 record (no filter fields) reads as
// the sparse full dump, and encodes as version 2 to a record that decodes to the same fields.
#include <bit>
#include <cstring>
#include <vector>

#include "fuzz/fuzz_one.h"
#include "ondisk/integrity_note.h"

int fuzz_one(const uint8_t* data, size_t size) {
  namespace od = zk::ondisk;
  const std::span<const std::byte> desc(reinterpret_cast<const std::byte*>(data), size);
  auto r = od::decode_integrity_record(desc);
  if (!r) return 0;
  FUZZ_CHECK(r->chunks.size() <= od::kIntegrityMaxChunks);
  FUZZ_CHECK(r->chunks.size() == od::integrity_chunk_count(r->data_bytes, r->chunk_size));
  FUZZ_CHECK(std::has_single_bit(r->chunk_size) && r->chunk_size >= od::kIntegrityMinChunkSize &&
             r->chunk_size <= od::kIntegrityMaxChunkSize);
  FUZZ_CHECK(r->data_offset > 0 && r->data_offset <= od::kIntegrityMaxHeaderArea);
  FUZZ_CHECK(r->data_offset + r->data_bytes >= r->data_offset);
  FUZZ_CHECK(r->start_time <= r->end_time && r->memory_dumped <= r->memory_size);
  FUZZ_CHECK(!r->dumper_version.empty() && r->dumper_version.size() <= od::kIntegrityVersionField);
  FUZZ_CHECK(r->filter.requested_level <= od::kMaxDumpLevel &&
             r->filter.applied_level <= od::kMaxDumpLevel);
  FUZZ_CHECK(r->filter.note.size() <= od::kIntegrityFilterNoteField);
  std::vector<std::byte> note(od::integrity_note_size(static_cast<uint32_t>(r->chunks.size())));
  if (r->format_version == od::kIntegrityFormatVersion1) {
    FUZZ_CHECK(r->filter.requested_level == 1 && r->filter.applied_level == 1 &&
               r->filter.stopped_at == od::kFilterRanToEnd && r->filter.note.empty());
    auto v2 = *r;
    v2.format_version = od::kIntegrityFormatVersion;
    FUZZ_CHECK(od::encode_integrity_note(v2, note).has_value());
    auto again = od::decode_integrity_record(std::span(note).subspan(od::kIntegrityNoteHeaderSize));
    FUZZ_CHECK(again.has_value() && again->chunks.size() == r->chunks.size() &&
               again->data_bytes == r->data_bytes && again->headers_digest == r->headers_digest);
    return 0;
  }
  FUZZ_CHECK(od::encode_integrity_note(*r, note).has_value());
  FUZZ_CHECK(note.size() == od::kIntegrityNoteHeaderSize + size);
  FUZZ_CHECK(std::memcmp(note.data() + od::kIntegrityNoteHeaderSize, data, size) == 0);
  return 0;
}
