// SPDX-License-Identifier: MIT
#include "ondisk/integrity_note.h"

#include <bit>

#include "ondisk/bytes.h"
#include "util/strings.h"

namespace zk::ondisk {
namespace {

using ull = unsigned long long;

bool printable(std::string_view s) {
  for (char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

/// What encode refuses to write and decode refuses to read, beyond the descriptor's size.
bool known_version(uint32_t v) {
  return v == kIntegrityFormatVersion1 || v == kIntegrityFormatVersion;
}

size_t fixed_size(uint32_t version) {
  return version == kIntegrityFormatVersion1 ? kIntegrityDescFixedSizeV1 : kIntegrityDescFixedSize;
}

/// A NUL-padded text field: the text, then only NULs.
Result<std::string> get_text(std::span<const std::byte> field, const char* what) {
  size_t len = 0;
  while (len < field.size() && field[len] != std::byte{0}) ++len;
  for (size_t i = len; i < field.size(); ++i)
    if (field[i] != std::byte{0})
      return fail(util::format("integrity record: bytes after the end of %s", what));
  return std::string(reinterpret_cast<const char*>(field.data()), len);
}

Result<void> validate_filter(const FilterOutcome& f) {
  if (f.requested_level > kMaxDumpLevel || f.applied_level > kMaxDumpLevel)
    return fail(util::format("integrity record: dump level %u applied for %u (0 to %u)",
                             f.applied_level, f.requested_level, kMaxDumpLevel));
  if (f.applied_level != f.requested_level && f.applied_level != 1)
    return fail(
        util::format("integrity record: dump level %u applied for %u (it is that one, or "
                     "1 when the filter could not start)",
                     f.applied_level, f.requested_level));
  if (f.stopped_at != kFilterRanToEnd && f.note.empty())
    return fail("integrity record: the filter stopped and the record does not say why");
  if (f.note.size() > kIntegrityFilterNoteField || !printable(f.note))
    return fail("integrity record: the filter's note is too long or not printable");
  return {};
}

Result<void> validate(const IntegrityRecord& r) {
  if (!known_version(r.format_version))
    return fail(util::format("integrity record format %u (this reader knows %u and %u)",
                             r.format_version, kIntegrityFormatVersion1, kIntegrityFormatVersion));
  if (auto f = validate_filter(r.filter); !f) return f;
  if (r.dumper_version.empty() || r.dumper_version.size() > kIntegrityVersionField ||
      !printable(r.dumper_version))
    return fail("integrity record: the dumper's version is empty, too long or not printable");
  if (r.end_time < r.start_time)
    return fail(util::format("integrity record: the dump ends (%llu) before it starts (%llu)",
                             static_cast<ull>(r.end_time), static_cast<ull>(r.start_time)));
  if (r.memory_dumped > r.memory_size)
    return fail(util::format("integrity record: %llu bytes of memory dumped of %llu",
                             static_cast<ull>(r.memory_dumped), static_cast<ull>(r.memory_size)));
  if (r.page_size < 512 || r.page_size > (1u << 20) || !std::has_single_bit(r.page_size))
    return fail(util::format("integrity record: page size %u", r.page_size));
  if (r.chunk_size < kIntegrityMinChunkSize || r.chunk_size > kIntegrityMaxChunkSize ||
      !std::has_single_bit(r.chunk_size))
    return fail(util::format("integrity record: chunk size %llu (a power of two from %llu to %llu)",
                             static_cast<ull>(r.chunk_size),
                             static_cast<ull>(kIntegrityMinChunkSize),
                             static_cast<ull>(kIntegrityMaxChunkSize)));
  if (r.data_offset == 0 || r.data_offset > kIntegrityMaxHeaderArea)
    return fail(util::format("integrity record: data offset %llu (1 to %llu)",
                             static_cast<ull>(r.data_offset),
                             static_cast<ull>(kIntegrityMaxHeaderArea)));
  if (r.data_bytes > UINT64_MAX - r.data_offset)
    return fail("integrity record: the data area wraps around");
  const uint64_t want = integrity_chunk_count(r.data_bytes, r.chunk_size);
  if (want > kIntegrityMaxChunks || r.chunks.size() != want)
    return fail(util::format(
        "integrity record: %zu chunks for %llu bytes in chunks of %llu (expected %llu, at most %u)",
        r.chunks.size(), static_cast<ull>(r.data_bytes), static_cast<ull>(r.chunk_size),
        static_cast<ull>(want), kIntegrityMaxChunks));
  return {};
}

}  // namespace

uint64_t integrity_chunk_size(uint64_t memory_bytes, uint64_t max_data_bytes) {
  uint64_t size = kIntegrityMinChunkSize;
  while (size < kIntegrityMaxChunkSize &&
         (integrity_chunk_count(memory_bytes, size) > kIntegrityMemoryChunks ||
          integrity_chunk_count(max_data_bytes, size) > kIntegrityMaxChunks))
    size <<= 1;
  return size;
}

uint64_t integrity_chunk_count(uint64_t data_bytes, uint64_t chunk_size) {
  if (chunk_size == 0) return 0;
  return data_bytes / chunk_size + (data_bytes % chunk_size != 0);
}

std::vector<uint64_t> integrity_chunk_addresses(const std::vector<CoreSegment>& loads,
                                                uint64_t data_offset, uint64_t chunk_size,
                                                uint64_t count) {
  std::vector<uint64_t> out;
  out.reserve(static_cast<size_t>(count));
  size_t i = 0;
  uint64_t after_last = 0;  // the address after the last byte of memory passed so far
  for (uint64_t k = 0; k < count; ++k) {
    const uint64_t at = data_offset + k * chunk_size;
    // Segments that end at or before the chunk's start: remember where their memory ended.
    while (i < loads.size() && (loads[i].filesz == 0 || loads[i].offset + loads[i].filesz <= at)) {
      if (loads[i].filesz > 0) after_last = loads[i].paddr + loads[i].filesz;
      ++i;
    }
    if (i == loads.size()) out.push_back(after_last);
    else out.push_back(loads[i].paddr + (at > loads[i].offset ? at - loads[i].offset : 0));
  }
  return out;
}

size_t integrity_note_size(uint32_t chunks) {
  return kIntegrityNoteHeaderSize + kIntegrityDescFixedSize +
         size_t{chunks} * kIntegrityChunkEntrySize;
}

Result<void> encode_integrity_note(const IntegrityRecord& r, std::span<std::byte> out) {
  if (r.format_version != kIntegrityFormatVersion)
    return fail(util::format("internal: integrity records are written in format %u, not %u",
                             kIntegrityFormatVersion, r.format_version));
  if (auto v = validate(r); !v) return v;
  const size_t desc_size = kIntegrityDescFixedSize + r.chunks.size() * kIntegrityChunkEntrySize;
  if (out.size() != kIntegrityNoteHeaderSize + desc_size)
    return fail(util::format("internal: the integrity note needs %zu bytes, not %zu",
                             kIntegrityNoteHeaderSize + desc_size, out.size()));
  std::fill(out.begin(), out.end(), std::byte{0});
  store_be<uint32_t>(out, 0, static_cast<uint32_t>(kIntegrityNoteName.size() + 1));
  store_be<uint32_t>(out, 4, static_cast<uint32_t>(desc_size));
  store_be<uint32_t>(out, 8, kIntegrityNoteType);
  put_text(out, 12, kIntegrityNoteName);
  auto d = out.subspan(kIntegrityNoteHeaderSize);
  store_be<uint32_t>(d, 0x00, r.format_version);
  store_be<uint32_t>(
      d, 0x04, (r.sparse ? kIntegrityFlagSparse : 0) | (r.partial ? kIntegrityFlagPartial : 0));
  put_text(d, 0x08, r.dumper_version);
  store_be<uint64_t>(d, 0x48, r.start_time);
  store_be<uint64_t>(d, 0x50, r.end_time);
  store_be<uint64_t>(d, 0x58, r.memory_size);
  store_be<uint64_t>(d, 0x60, r.memory_dumped);
  store_be<uint32_t>(d, 0x68, r.page_size);
  store_be<uint32_t>(d, 0x6c, static_cast<uint32_t>(r.chunks.size()));
  store_be<uint64_t>(d, 0x70, r.data_offset);
  store_be<uint64_t>(d, 0x78, r.data_bytes);
  store_be<uint64_t>(d, 0x80, r.chunk_size);
  store_be<uint64_t>(d, kIntegrityHeadersDigestAt, r.headers_digest);
  const FilterOutcome& f = r.filter;
  store_be<uint32_t>(d, 0x90, f.requested_level);
  store_be<uint32_t>(d, 0x94, f.applied_level);
  store_be<uint64_t>(d, 0x98, f.stopped_at);
  store_be<uint64_t>(d, 0xa0, f.cache_pages);
  store_be<uint64_t>(d, 0xa8, f.cache_private_pages);
  store_be<uint64_t>(d, 0xb0, f.user_pages);
  store_be<uint64_t>(d, 0xb8, f.free_pages);
  store_be<uint64_t>(d, 0xc0, f.other_pages);
  put_text(d, 0xc8, f.note);
  size_t at = kIntegrityDescFixedSize;
  for (const auto& c : r.chunks) {
    store_be<uint64_t>(d, at, c.paddr);
    store_be<uint64_t>(d, at + 8, c.digest);
    at += kIntegrityChunkEntrySize;
  }
  return {};
}

Result<IntegrityRecord> decode_integrity_record(std::span<const std::byte> d) {
  if (d.size() < kIntegrityDescFixedSizeV1)
    return fail(util::format("integrity record: %zu bytes, shorter than its fixed part (%zu)",
                             d.size(), kIntegrityDescFixedSizeV1));
  IntegrityRecord r;
  r.format_version = load_be<uint32_t>(d, 0x00);
  if (!known_version(r.format_version))  // before anything else is interpreted
    return fail(util::format("integrity record format %u (this reader knows %u and %u)",
                             r.format_version, kIntegrityFormatVersion1, kIntegrityFormatVersion));
  const size_t fixed = fixed_size(r.format_version);
  if (d.size() < fixed)
    return fail(util::format("integrity record: %zu bytes, shorter than its fixed part (%zu)",
                             d.size(), fixed));
  const uint32_t flags = load_be<uint32_t>(d, 0x04);
  if (flags & ~(kIntegrityFlagSparse | kIntegrityFlagPartial))
    return fail(util::format("integrity record: unknown flags 0x%x", flags));
  r.sparse = flags & kIntegrityFlagSparse;
  r.partial = flags & kIntegrityFlagPartial;
  auto version = get_text(d.subspan(0x08, kIntegrityVersionField), "the dumper's version");
  if (!version) return std::unexpected(version.error());
  r.dumper_version = std::move(*version);
  r.start_time = load_be<uint64_t>(d, 0x48);
  r.end_time = load_be<uint64_t>(d, 0x50);
  r.memory_size = load_be<uint64_t>(d, 0x58);
  r.memory_dumped = load_be<uint64_t>(d, 0x60);
  r.page_size = load_be<uint32_t>(d, 0x68);
  const uint32_t count = load_be<uint32_t>(d, 0x6c);
  r.data_offset = load_be<uint64_t>(d, 0x70);
  r.data_bytes = load_be<uint64_t>(d, 0x78);
  r.chunk_size = load_be<uint64_t>(d, 0x80);
  r.headers_digest = load_be<uint64_t>(d, kIntegrityHeadersDigestAt);
  if (r.format_version != kIntegrityFormatVersion1) {
    FilterOutcome& f = r.filter;
    f.requested_level = load_be<uint32_t>(d, 0x90);
    f.applied_level = load_be<uint32_t>(d, 0x94);
    f.stopped_at = load_be<uint64_t>(d, 0x98);
    f.cache_pages = load_be<uint64_t>(d, 0xa0);
    f.cache_private_pages = load_be<uint64_t>(d, 0xa8);
    f.user_pages = load_be<uint64_t>(d, 0xb0);
    f.free_pages = load_be<uint64_t>(d, 0xb8);
    f.other_pages = load_be<uint64_t>(d, 0xc0);
    auto note = get_text(d.subspan(0xc8, kIntegrityFilterNoteField), "the filter's note");
    if (!note) return std::unexpected(note.error());
    f.note = std::move(*note);
  }
  // The count is checked against the descriptor's size before anything is allocated for it.
  if (count > kIntegrityMaxChunks || d.size() != fixed + size_t{count} * kIntegrityChunkEntrySize)
    return fail(util::format(
        "integrity record: %zu bytes do not hold %u chunks (at most %u, %zu bytes each)", d.size(),
        count, kIntegrityMaxChunks, kIntegrityChunkEntrySize));
  r.chunks.resize(count);
  size_t at = fixed;
  for (auto& c : r.chunks) {
    c.paddr = load_be<uint64_t>(d, at);
    c.digest = load_be<uint64_t>(d, at + 8);
    at += kIntegrityChunkEntrySize;
  }
  if (auto v = validate(r); !v) return std::unexpected(v.error());
  return r;
}

}  // namespace zk::ondisk
