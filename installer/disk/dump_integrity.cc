// SPDX-License-Identifier: MIT
#include "installer/disk/dump_integrity.h"

#include <algorithm>
#include <vector>

#include "ondisk/bytes.h"
#include "ondisk/integrity_digest.h"
#include "util/strings.h"

namespace zk::installer::disk {

using ull = unsigned long long;

Result<std::optional<FoundRecord>> read_integrity_record(util::File& area,
                                                         const ondisk::VmcoreInfo& info) {
  auto notes = ondisk::read_vmcore_notes(area, info);
  if (!notes) return std::unexpected(notes.error());
  std::optional<FoundRecord> found;
  for (const auto& n : *notes) {
    if (n.owner != ondisk::kIntegrityNoteName || n.type != ondisk::kIntegrityNoteType) continue;
    if (found)
      return fail(util::format("two integrity records (notes at %llu and %llu)",
                               static_cast<ull>(found->note_offset),
                               static_cast<ull>(n.file_offset)));
    auto rec = ondisk::decode_integrity_record(n.desc);
    if (!rec) return std::unexpected(rec.error());
    found = FoundRecord{std::move(*rec), n.file_offset};
  }
  if (!found) return found;
  const auto& r = found->record;
  const uint64_t note_end =
      found->note_offset + ondisk::integrity_note_size(static_cast<uint32_t>(r.chunks.size()));
  if (note_end > r.data_offset)
    return fail(util::format(
        "the integrity record (at %llu, %llu bytes) lies beyond the header "
        "area it describes (%llu bytes)",
        static_cast<ull>(found->note_offset), static_cast<ull>(note_end - found->note_offset),
        static_cast<ull>(r.data_offset)));
  if (r.data_offset + r.data_bytes > area.size())
    return fail(util::format(
        "the integrity record describes data up to byte %llu, beyond the "
        "dump area (%llu bytes)",
        static_cast<ull>(r.data_offset + r.data_bytes), static_cast<ull>(area.size())));
  const uint64_t data_end = r.data_offset + r.data_bytes;
  for (const auto& s : info.loads) {
    if (s.filesz == 0) continue;
    if (s.offset < r.data_offset || s.offset + s.filesz > data_end)
      return fail(util::format(
          "the PT_LOAD for memory 0x%llx has file data [%llu, +%llu) outside "
          "the data the integrity record digests [%llu, %llu)",
          static_cast<ull>(s.paddr), static_cast<ull>(s.offset), static_cast<ull>(s.filesz),
          static_cast<ull>(r.data_offset), static_cast<ull>(data_end)));
  }
  return found;
}

Result<IntegrityVerdict> verify_integrity(util::File& area, const FoundRecord& found,
                                          size_t buffer_size, const ReadSink& sink) {
  const auto& r = found.record;
  IntegrityVerdict v;
  v.chunks = r.chunks.size();
  // The header area, with the headers digest taken as zero.
  std::vector<std::byte> header(static_cast<size_t>(r.data_offset));
  if (auto rd = util::read_exact(area, header, 0); !rd)
    return std::unexpected(rd.error().wrap("reading the dump's header area"));
  v.bytes_read += header.size();
  if (sink)
    if (auto s = sink(header, 0); !s) return std::unexpected(s.error());
  ondisk::store_be<uint64_t>(header,
                             static_cast<size_t>(found.note_offset) +
                                 ondisk::kIntegrityNoteHeaderSize +
                                 ondisk::kIntegrityHeadersDigestAt,
                             0);
  v.headers_ok = ondisk::integrity_digest(header) == r.headers_digest;
  header.clear();
  header.shrink_to_fit();

  ondisk::ChunkDigester digests(r.chunk_size, static_cast<uint32_t>(r.chunks.size()));
  std::vector<std::byte> buffer(std::max<size_t>(buffer_size, 4096));
  for (uint64_t at = 0; at < r.data_bytes;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(buffer.size(), r.data_bytes - at));
    auto piece = std::span(buffer).first(n);
    if (auto rd = util::read_exact(area, piece, r.data_offset + at); !rd)
      return std::unexpected(rd.error().wrap("reading the dump's data"));
    if (auto d = digests.add(piece); !d) return std::unexpected(d.error());
    if (sink)
      if (auto s = sink(piece, r.data_offset + at); !s) return std::unexpected(s.error());
    at += n;
    v.bytes_read += n;
  }
  const auto got = digests.finish();
  for (size_t k = 0; k < got.size() && k < r.chunks.size(); ++k) {
    if (got[k] == r.chunks[k].digest) continue;
    ++v.bad_chunks;
    if (!v.first_bad)
      v.first_bad = BadChunk{k, r.chunks[k].paddr, r.data_offset + k * r.chunk_size};
  }
  return v;
}

}  // namespace zk::installer::disk
