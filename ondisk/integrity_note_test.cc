// SPDX-License-Identifier: MIT
#include "ondisk/integrity_note.h"

#include <functional>
#include <vector>

#include <gtest/gtest.h>

#include "ondisk/bytes.h"

namespace zk::ondisk {
namespace {

IntegrityRecord sample(uint32_t chunks = 3) {
  IntegrityRecord r;
  r.partial = true;
  r.dumper_version = "1.2.3~rc1";
  r.start_time = 1764800000;
  r.end_time = 1764800042;
  r.memory_size = 64ull << 30;
  r.memory_dumped = 3ull << 20;
  r.page_size = 4096;
  r.data_offset = 73728;
  r.chunk_size = 1 << 20;
  r.data_bytes = chunks == 0 ? 0 : (uint64_t{chunks} - 1) * r.chunk_size + 4096;
  r.headers_digest = 0x0123456789abcdefull;
  r.filter.requested_level = r.filter.applied_level = 31;
  for (uint32_t k = 0; k < chunks; ++k)
    r.chunks.push_back({0x10000000ull + k * r.chunk_size, 0xfeedface00000000ull | k});
  return r;
}

std::vector<std::byte> encode(const IntegrityRecord& r) {
  std::vector<std::byte> out(integrity_note_size(static_cast<uint32_t>(r.chunks.size())));
  auto e = encode_integrity_note(r, out);
  EXPECT_TRUE(e) << e.error().describe();
  return out;
}

std::span<const std::byte> desc_of(const std::vector<std::byte>& note) {
  return std::span(note).subspan(kIntegrityNoteHeaderSize);
}

TEST(IntegrityNote, RoundTripsEveryField) {
  const auto r = sample();
  const auto note = encode(r);
  auto d = decode_integrity_record(desc_of(note));
  ASSERT_TRUE(d) << d.error().describe();
  EXPECT_EQ(d->sparse, r.sparse);
  EXPECT_EQ(d->partial, r.partial);
  EXPECT_EQ(d->dumper_version, r.dumper_version);
  EXPECT_EQ(d->start_time, r.start_time);
  EXPECT_EQ(d->end_time, r.end_time);
  EXPECT_EQ(d->memory_size, r.memory_size);
  EXPECT_EQ(d->memory_dumped, r.memory_dumped);
  EXPECT_EQ(d->page_size, r.page_size);
  EXPECT_EQ(d->data_offset, r.data_offset);
  EXPECT_EQ(d->data_bytes, r.data_bytes);
  EXPECT_EQ(d->chunk_size, r.chunk_size);
  EXPECT_EQ(d->headers_digest, r.headers_digest);
  ASSERT_EQ(d->chunks.size(), r.chunks.size());
  for (size_t k = 0; k < r.chunks.size(); ++k) {
    EXPECT_EQ(d->chunks[k].paddr, r.chunks[k].paddr);
    EXPECT_EQ(d->chunks[k].digest, r.chunks[k].digest);
  }
}

TEST(IntegrityNote, RoundTripsTheFilterOutcome) {
  auto r = sample();
  r.filter = {31, 31, 0x40000000, 11, 12, 13, 14, 15, "read error in a struct page: stopped"};
  auto d = decode_integrity_record(desc_of(encode(r)));
  ASSERT_TRUE(d) << d.error().describe();
  EXPECT_EQ(d->filter.requested_level, 31u);
  EXPECT_EQ(d->filter.applied_level, 31u);
  EXPECT_EQ(d->filter.stopped_at, 0x40000000u);
  EXPECT_EQ(d->filter.cache_pages, 11u);
  EXPECT_EQ(d->filter.cache_private_pages, 12u);
  EXPECT_EQ(d->filter.user_pages, 13u);
  EXPECT_EQ(d->filter.free_pages, 14u);
  EXPECT_EQ(d->filter.other_pages, 15u);
  EXPECT_EQ(d->filter.left_out(), 65u);
  EXPECT_EQ(d->filter.note, r.filter.note);
  // The filter could not start: level 1 applied for 31, and the record says why.
  r.filter = {31, 1, 0, 0, 0, 0, 0, 0, "no VMCOREINFO"};
  d = decode_integrity_record(desc_of(encode(r)));
  ASSERT_TRUE(d) << d.error().describe();
  EXPECT_EQ(d->filter.applied_level, 1u);
  EXPECT_EQ(d->filter.note, "no VMCOREINFO");
}

TEST(IntegrityNote, AVersion1RecordDecodesAsTheSparseFullDump) {
  // Version 1 (written by the dumper before dump levels): the fixed part ends at 0x90.
  const auto v2 = encode(sample(2));
  auto d2 = desc_of(v2);
  std::vector<std::byte> v1(d2.begin(), d2.begin() + kIntegrityDescFixedSizeV1);
  v1.insert(v1.end(), d2.begin() + kIntegrityDescFixedSize, d2.end());
  store_be<uint32_t>(v1, 0, kIntegrityFormatVersion1);
  auto d = decode_integrity_record(v1);
  ASSERT_TRUE(d) << d.error().describe();
  EXPECT_EQ(d->format_version, 1u);
  EXPECT_EQ(d->filter.requested_level, 1u);
  EXPECT_EQ(d->filter.applied_level, 1u);
  EXPECT_EQ(d->filter.stopped_at, kFilterRanToEnd);
  EXPECT_EQ(d->filter.left_out(), 0u);
  ASSERT_EQ(d->chunks.size(), 2u);
  EXPECT_EQ(d->chunks[1].paddr, sample(2).chunks[1].paddr);
  // A version 1 descriptor of version 2's size does not add up.
  std::vector<std::byte> wrong(d2.begin(), d2.end());
  store_be<uint32_t>(wrong, 0, kIntegrityFormatVersion1);
  EXPECT_FALSE(decode_integrity_record(wrong));
}

TEST(IntegrityNote, TheNoteHeaderAndFieldsAreBigEndianAtFixedOffsets) {
  const auto note = encode(sample(2));
  EXPECT_EQ(load_be<uint32_t>(note, 0), 12u);  // "ZFCPDUMPKIT" and its NUL
  EXPECT_EQ(load_be<uint32_t>(note, 4), kIntegrityDescFixedSize + 2 * kIntegrityChunkEntrySize);
  EXPECT_EQ(load_be<uint32_t>(note, 8), kIntegrityNoteType);
  EXPECT_TRUE(has_magic(note, 12, std::string_view("ZFCPDUMPKIT\0", 12)));
  auto d = desc_of(note);
  EXPECT_EQ(load_be<uint32_t>(d, 0), kIntegrityFormatVersion);
  EXPECT_EQ(load_be<uint32_t>(d, 4), kIntegrityFlagSparse | kIntegrityFlagPartial);
  EXPECT_EQ(load_be<uint64_t>(d, kIntegrityHeadersDigestAt), 0x0123456789abcdefull);
  EXPECT_EQ(load_be<uint64_t>(d, kIntegrityDescFixedSize), 0x10000000ull);
  EXPECT_EQ(note.size() % 4, 0u);  // ELF notes are 4-byte aligned
}

TEST(IntegrityNote, ChunkSizeKeepsTheCountWithinTheMaximum) {
  const uint64_t pad = 4ull << 20;  // a page behind each of 1000 data runs
  EXPECT_EQ(integrity_chunk_size(0, 0), kIntegrityMinChunkSize);
  EXPECT_EQ(integrity_chunk_size(512ull << 20, (512ull << 20) + pad), kIntegrityMinChunkSize);
  EXPECT_EQ(integrity_chunk_size(8ull << 30, (8ull << 30) + pad), kIntegrityMinChunkSize);
  EXPECT_EQ(integrity_chunk_size((8ull << 30) + 1, (8ull << 30) + pad), 2 * kIntegrityMinChunkSize);
  EXPECT_EQ(integrity_chunk_size(1ull << 40, (1ull << 40) + pad), 128ull << 20);  // 1 TiB
  // Padding beyond the slack doubles the chunk size rather than the count.
  EXPECT_EQ(integrity_chunk_size(8ull << 30, (8ull << 30) + (200ull << 20)), 2ull << 20);
  for (uint64_t mem : {uint64_t{1}, uint64_t{123456789}, uint64_t{3} << 40, UINT64_MAX / 3}) {
    for (uint64_t max : {mem, mem + pad, mem + (uint64_t{1} << 30)}) {
      const uint64_t size = integrity_chunk_size(mem, max);
      EXPECT_LE(integrity_chunk_count(mem, size), kIntegrityMemoryChunks) << mem;
      EXPECT_LE(integrity_chunk_count(max, size), kIntegrityMaxChunks) << max;
    }
  }
}

TEST(IntegrityNote, EmptyDataIsNoChunk) {
  auto r = sample(0);
  auto d = decode_integrity_record(desc_of(encode(r)));
  ASSERT_TRUE(d) << d.error().describe();
  EXPECT_TRUE(d->chunks.empty());
}

/// Decoding `note` with `change` applied to its descriptor fails with `what`.
void expect_refused(const char* what, std::function<void(std::span<std::byte>)> change) {
  auto note = encode(sample());
  auto d = std::span(note).subspan(kIntegrityNoteHeaderSize);
  change(d);
  auto r = decode_integrity_record(d);
  ASSERT_FALSE(r) << what;
  EXPECT_NE(r.error().describe().find(what), std::string::npos) << r.error().describe();
}

TEST(IntegrityNote, DecoderRefusesWhatDoesNotAddUp) {
  expect_refused("format 3", [](auto d) { store_be<uint32_t>(d, 0, 3); });
  expect_refused("format 0", [](auto d) { store_be<uint32_t>(d, 0, 0); });
  expect_refused("dump level 32", [](auto d) { store_be<uint32_t>(d, 0x94, 32); });
  expect_refused("dump level 17 applied for 31", [](auto d) { store_be<uint32_t>(d, 0x94, 17); });
  expect_refused("does not say why", [](auto d) { store_be<uint64_t>(d, 0x98, 0x1000); });
  expect_refused("after the end of the filter's note",
                 [](auto d) { d[0xc8 + 100] = std::byte{'x'}; });
  expect_refused("unknown flags", [](auto d) { store_be<uint32_t>(d, 4, 0x7); });
  expect_refused("after the end of the dumper's version",
                 [](auto d) { d[0x08 + 20] = std::byte{'x'}; });
  expect_refused("not printable", [](auto d) { d[0x08] = std::byte{0x07}; });
  expect_refused("version is empty", [](auto d) {
    d[0x08] = std::byte{0};
    for (int i = 1; i < 9; ++i) d[0x08 + i] = std::byte{0};
  });
  expect_refused("before it starts", [](auto d) { store_be<uint64_t>(d, 0x50, 1); });
  expect_refused("of memory dumped", [](auto d) { store_be<uint64_t>(d, 0x60, 1ull << 50); });
  expect_refused("page size", [](auto d) { store_be<uint32_t>(d, 0x68, 4097); });
  expect_refused("page size", [](auto d) { store_be<uint32_t>(d, 0x68, 0); });
  expect_refused("do not hold", [](auto d) { store_be<uint32_t>(d, 0x6c, 4); });
  expect_refused("do not hold", [](auto d) { store_be<uint32_t>(d, 0x6c, 0xffffffff); });
  expect_refused("data offset", [](auto d) { store_be<uint64_t>(d, 0x70, 0); });
  expect_refused("data offset", [](auto d) { store_be<uint64_t>(d, 0x70, 1ull << 40); });
  expect_refused("expected 4", [](auto d) { store_be<uint64_t>(d, 0x78, 3ull << 20 | 1); });
  expect_refused("wraps around", [](auto d) { store_be<uint64_t>(d, 0x78, UINT64_MAX - 100); });
  expect_refused("chunk size", [](auto d) { store_be<uint64_t>(d, 0x80, 3 << 20); });
  expect_refused("chunk size", [](auto d) { store_be<uint64_t>(d, 0x80, 4096); });
}

TEST(IntegrityNote, DecoderRefusesShortAndLongDescriptors) {
  auto note = encode(sample());
  auto d = std::span(note).subspan(kIntegrityNoteHeaderSize);
  EXPECT_FALSE(decode_integrity_record(d.first(kIntegrityDescFixedSize - 1)));
  EXPECT_FALSE(decode_integrity_record(d.first(d.size() - 1)));
  std::vector<std::byte> longer(d.begin(), d.end());
  longer.resize(longer.size() + kIntegrityChunkEntrySize);
  EXPECT_FALSE(decode_integrity_record(longer));
}

TEST(IntegrityNote, EncoderRefusesARecordTheDecoderWouldRefuse) {
  auto r = sample();
  r.chunks.pop_back();
  std::vector<std::byte> out(integrity_note_size(static_cast<uint32_t>(r.chunks.size())));
  EXPECT_FALSE(encode_integrity_note(r, out));
  r = sample();
  r.dumper_version = std::string(kIntegrityVersionField + 1, 'v');
  out.resize(integrity_note_size(3));
  EXPECT_FALSE(encode_integrity_note(r, out));
  r = sample();
  out.resize(integrity_note_size(3) + 4);
  EXPECT_FALSE(encode_integrity_note(r, out));
}

}  // namespace
}  // namespace zk::ondisk

namespace zk::ondisk {
namespace {

TEST(IntegrityNote, ChunkAddressesFollowTheDataSegments) {
  const uint64_t mb = 1 << 20;
  // Data at file [16M, 18M) for memory 0x100000000.., a zero run, then data at file
  // [18M + 4K, 21M) for memory 0x200000000..; chunks of 1 MiB from file offset 16M.
  std::vector<CoreSegment> loads = {
      {1, 16 * mb, 0, 0x100000000, 2 * mb, 2 * mb},
      {1, 18 * mb, 0, 0x180000000, 0, 64 * mb},  // a zero run: no file data
      {1, 18 * mb + 4096, 0, 0x200000000, 3 * mb - 4096, 3 * mb - 4096},
  };
  auto got = integrity_chunk_addresses(loads, 16 * mb, mb, 6);
  ASSERT_EQ(got.size(), 6u);
  EXPECT_EQ(got[0], 0x100000000u);
  EXPECT_EQ(got[1], 0x100000000u + mb);
  EXPECT_EQ(got[2], 0x200000000u);  // starts in the padding before the second data segment
  EXPECT_EQ(got[3], 0x200000000u + mb - 4096);
  EXPECT_EQ(got[4], 0x200000000u + 2 * mb - 4096);
  EXPECT_EQ(got[5], 0x200000000u + 3 * mb - 4096);  // padding alone: after the last byte
}

}  // namespace
}  // namespace zk::ondisk
