// SPDX-License-Identifier: MIT
#include "dumper/sparse_writer.h"

#include <elf.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <optional>
#include <vector>

#include <gtest/gtest.h>

#include "ondisk/bytes.h"
#include "ondisk/dump_superblock.h"
#include "ondisk/integrity_digest.h"
#include "ondisk/integrity_note.h"
#include "tests/support/filter_core.h"
#include "tests/support/recording_file.h"
#include "tests/support/synthetic_dump_disk.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vmcore_builder.h"
#include "util/posix_file.h"

namespace zk::dumper {
namespace {

using testsupport::RecordingFile;

/// The bytes of physical memory [paddr, paddr + n) as the core at `path` (read with `info`)
/// describes them: file bytes, or zeros beyond p_filesz. Empty when no PT_LOAD holds them all.
std::vector<std::byte> memory_of(const std::string& path, const ondisk::VmcoreInfo& info,
                                 uint64_t paddr, uint64_t n) {
  for (const auto& s : info.loads) {
    if (paddr < s.paddr || paddr + n > s.paddr + s.memsz) continue;
    std::vector<std::byte> out(n);
    const uint64_t rel = paddr - s.paddr;
    if (rel < s.filesz) {
      const uint64_t k = std::min(n, s.filesz - rel);
      auto got = testsupport::peek(path, s.offset + rel, k);
      std::memcpy(out.data(), got.data(), k);
    }
    return out;
  }
  return {};
}

struct Fixture {
  testsupport::TempDir dir;
  std::string disk_path = dir.file("disk");
  std::string core_path = dir.file("core");
  std::string area_path = dir.file("area");
  testsupport::SyntheticDisk made;
  ondisk::DumpDisk target;
  ondisk::VmcoreInfo info;

  explicit Fixture(std::vector<testsupport::MemoryRange> memory) {
    made = testsupport::make_synthetic_dump_disk(disk_path, {});
    testsupport::VmcoreSpec spec;
    spec.memory = std::move(memory);
    EXPECT_TRUE(testsupport::write_vmcore(core_path, spec));
    auto core = util::PosixFile::open(core_path, util::OpenMode::kRead);
    auto i = ondisk::read_vmcore(**core);
    EXPECT_TRUE(i);
    info = *i;
    reload();
  }
  void reload() {
    auto f = util::PosixFile::open(disk_path, util::OpenMode::kRead);
    auto d = ondisk::read_dump_disk(**f, std::nullopt);
    ASSERT_TRUE(d) << d.error().describe();
    target = *d;
  }
  /// Zeroes physical memory [paddr, paddr + n) in the core.
  void zero(uint64_t paddr, uint64_t n) {
    for (const auto& s : info.loads) {
      if (paddr < s.paddr || paddr + n > s.paddr + s.filesz) continue;
      std::vector<char> zeros(n, 0);
      testsupport::poke(core_path, s.offset + (paddr - s.paddr), zeros.data(), n);
      return;
    }
    ADD_FAILURE() << "no PT_LOAD holds 0x" << std::hex << paddr;
  }
  Result<DumpStats> dump(util::File& disk, SparseOptions o = {}, DumpHooks hooks = {}) {
    o.pipeline.buffer_bytes = 6 * (64 << 10);  // six slots of 64 KiB: many hand-offs
    auto core = util::PosixFile::open(core_path, util::OpenMode::kRead);
    return write_sparse_dump(**core, info, disk, target, hooks, o);
  }
  Result<DumpStats> dump(SparseOptions o = {}) {
    auto disk = util::PosixFile::open(disk_path, util::OpenMode::kReadWriteDirect);
    EXPECT_TRUE(disk);
    return dump(**disk, o);
  }
  /// The dump area copied into a file of its own, read as a core.
  ondisk::VmcoreInfo dumped() {
    auto bytes =
        testsupport::peek(disk_path, made.superblock.part_start, made.superblock.dump_size);
    {
      std::FILE* out = std::fopen(area_path.c_str(), "wb");
      EXPECT_TRUE(out && std::fwrite(bytes.data(), 1, bytes.size(), out) == bytes.size());
      if (out) std::fclose(out);
    }
    auto f = util::PosixFile::open(area_path, util::OpenMode::kRead);
    auto i = ondisk::read_vmcore(**f);
    EXPECT_TRUE(i) << i.error().describe();
    return i ? *i : ondisk::VmcoreInfo{};
  }
  /// Every PT_LOAD of the dump holds the source's memory at its physical address.
  void expect_same_memory(const ondisk::VmcoreInfo& d) {
    for (const auto& s : d.loads) {
      auto want = memory_of(core_path, info, s.paddr, s.memsz);
      ASSERT_EQ(want.size(), s.memsz)
          << "dump describes memory the core lacks at 0x" << std::hex << s.paddr;
      EXPECT_TRUE(memory_of(area_path, d, s.paddr, s.memsz) == want)
          << "at 0x" << std::hex << s.paddr;
    }
  }
};

TEST(SparseWriter, LeavesLongZeroRunsOutAndKeepsMemoryExact) {
  Fixture fx({{0, 8 << 20}, {16 << 20, 4 << 20}});
  fx.zero(1 << 20, 2 << 20);     // middle of the first range
  fx.zero(16 << 20, 256 << 10);  // start of the second
  fx.zero((19 << 20), 1 << 20);  // end of the second
  fx.zero(5 << 20, 4096);        // short: written as data
  auto stats = fx.dump();
  ASSERT_TRUE(stats) << stats.error().describe();
  EXPECT_TRUE(stats->sparse);
  EXPECT_FALSE(stats->partial);
  EXPECT_EQ(stats->memory, fx.info.memory_size);
  EXPECT_LT(stats->bytes, fx.info.file_size - (3 << 20));
  auto d = fx.dumped();
  EXPECT_EQ(d.memory_size, fx.info.memory_size);
  unsigned holes = 0;
  for (const auto& s : d.loads) holes += s.filesz == 0;
  EXPECT_EQ(holes, 3u);
  EXPECT_EQ(d.loads.size(),
            2u + 2u + 1u + 1u);  // two ranges, a split, a leading and a trailing hole
  EXPECT_EQ(d.note_segments.size(), fx.info.note_segments.size());
  EXPECT_EQ(d.cpu_count, fx.info.cpu_count);
  EXPECT_EQ(d.os_release, fx.info.os_release);
  fx.expect_same_memory(d);
  EXPECT_TRUE(testsupport::checksum_matches_first_page(fx.disk_path, fx.made));
}

TEST(SparseWriter, KeepsMemoryExactWhereDataIsReadIntoTheWriteBuffers) {
  // Data is read straight into the pipeline's buffers and moved back over zero runs left out;
  // zero runs too short to leave out are written as zeros in place. Runs of 1 to 40 pages at
  // pseudo-random places exercise every mix of the two within one buffer and across buffers.
  Fixture fx({{0, 24 << 20}});
  uint64_t state = 12345;
  auto next = [&](uint64_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (state >> 33) % n;
  };
  for (uint64_t p = 0; p < (24u << 20);) {
    const uint64_t pages = 1 + next(40);
    if (p + pages * 4096 > (24u << 20)) break;
    fx.zero(p, pages * 4096);
    p += (pages + 1 + next(24)) * 4096;
  }
  auto stats = fx.dump();
  ASSERT_TRUE(stats) << stats.error().describe();
  EXPECT_LT(stats->bytes, fx.info.file_size);
  auto d = fx.dumped();
  unsigned holes = 0, data = 0;
  for (const auto& s : d.loads) (s.filesz == 0 ? holes : data) += 1;
  EXPECT_GT(holes, 50u);
  EXPECT_GT(data, 50u);
  EXPECT_EQ(d.memory_size, fx.info.memory_size);
  fx.expect_same_memory(d);
}

TEST(SparseWriter, KeepsTheProgramHeadersUnderTheCap) {
  Fixture fx({{0, 16 << 20}});
  for (uint64_t p = 0; p < (16u << 20); p += 256 << 10) fx.zero(p, 64 << 10);  // 64 zero runs
  SparseOptions o;
  o.max_loads = 12;
  auto stats = fx.dump(o);
  ASSERT_TRUE(stats) << stats.error().describe();
  auto d = fx.dumped();
  EXPECT_LE(d.loads.size(), 12u);
  EXPECT_GT(d.loads.size(), 2u);  // some runs were still left out
  EXPECT_EQ(d.memory_size, fx.info.memory_size);
  fx.expect_same_memory(d);
}

TEST(SparseWriter, AllZeroMemoryTakesOnlyTheHeaders) {
  Fixture fx({{0, 4 << 20}, {8 << 20, 4 << 20}});
  fx.zero(0, 4 << 20);
  fx.zero(8 << 20, 4 << 20);
  auto stats = fx.dump();
  ASSERT_TRUE(stats) << stats.error().describe();
  auto d = fx.dumped();
  ASSERT_EQ(d.loads.size(), 2u);
  EXPECT_EQ(d.loads[0].filesz, 0u);
  EXPECT_EQ(d.loads[1].filesz, 0u);
  // Only the header area, whose size the PT_LOAD cap sets (56 bytes a program header), plus
  // the ELF header and the notes.
  EXPECT_LT(stats->bytes, uint64_t{SparseOptions{}.max_loads} * 56 + (64u << 10));
  fx.expect_same_memory(d);
}

TEST(SparseWriter, PartialDumpDescribesWhatFitsAndWritesNothingOutsideTheArea) {
  Fixture fx({{0, 80 << 20}});  // the synthetic disk's dump area is 62 MiB; no zeros
  const uint64_t area_end = fx.made.superblock.part_start + fx.made.superblock.dump_size;
  const unsigned char canary[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  testsupport::poke(fx.disk_path, area_end, canary, 8);
  auto stats = fx.dump();
  ASSERT_TRUE(stats) << stats.error().describe();
  EXPECT_TRUE(stats->partial);
  EXPECT_LT(stats->memory, fx.info.memory_size);
  EXPECT_GT(stats->memory, 60u << 20);
  EXPECT_LE(stats->bytes, fx.made.superblock.dump_size);
  EXPECT_EQ(std::memcmp(testsupport::peek(fx.disk_path, area_end, 8).data(), canary, 8), 0);
  auto d = fx.dumped();
  EXPECT_EQ(d.memory_size, stats->memory);
  fx.expect_same_memory(d);
  EXPECT_TRUE(testsupport::checksum_matches_first_page(fx.disk_path, fx.made));
}

TEST(SparseWriter, ProtocolOrderWithHsa) {
  Fixture fx({{0, 4 << 20}, {8 << 20, 2 << 20}});
  fx.zero(2 << 20, 1 << 20);
  auto real = util::PosixFile::open(fx.disk_path, util::OpenMode::kReadWrite);
  RecordingFile disk(**real);
  size_t writes_at_release = 0;
  DumpHooks hooks;
  hooks.release_hsa = [&] { writes_at_release = disk.writes.size(); };
  SparseOptions o;
  o.hsa_size = 1 << 20;
  auto stats = fx.dump(disk, o, hooks);
  ASSERT_TRUE(stats) << stats.error().describe();
  const uint64_t base = fx.made.superblock.part_start;
  const uint64_t csum_at = fx.made.superblock_offset + ondisk::kDumpSuperblockCsumOffset;
  ASSERT_GE(disk.writes.size(), 5u);
  EXPECT_EQ(disk.writes[0].first, base);  // busy marker
  EXPECT_EQ(disk.writes[1].first, csum_at);
  // The HSA's megabyte is on the disk, behind the header area, before the release.
  ASSERT_GT(writes_at_release, 2u);
  uint64_t hsa_bytes = 0;
  for (size_t i = 2; i < writes_at_release; ++i) {
    EXPECT_GE(disk.writes[i].first, base + 4096);
    hsa_bytes += disk.writes[i].second;
  }
  EXPECT_GE(hsa_bytes, 1u << 20);
  // Nothing touches the first page between the busy marker and the end; it comes last.
  for (size_t i = 2; i + 2 < disk.writes.size(); ++i) EXPECT_NE(disk.writes[i].first, base);
  EXPECT_EQ(disk.writes[disk.writes.size() - 2].first, base);
  EXPECT_EQ(disk.writes.back().first, csum_at);
  auto d = fx.dumped();
  fx.expect_same_memory(d);
  EXPECT_EQ(d.memory_size, fx.info.memory_size);
}

/// The integrity record of the dump in `fx` (after dumped()), and where its note lies.
std::optional<std::pair<ondisk::IntegrityRecord, uint64_t>> record_of(Fixture& fx,
                                                                      const ondisk::VmcoreInfo& d) {
  auto f = util::PosixFile::open(fx.area_path, util::OpenMode::kRead);
  auto notes = ondisk::read_vmcore_notes(**f, d);
  EXPECT_TRUE(notes) << notes.error().describe();
  if (!notes) return std::nullopt;
  for (const auto& n : *notes) {
    if (n.owner != ondisk::kIntegrityNoteName || n.type != ondisk::kIntegrityNoteType) continue;
    auto r = ondisk::decode_integrity_record(n.desc);
    EXPECT_TRUE(r) << r.error().describe();
    if (!r) return std::nullopt;
    return std::pair(*r, n.file_offset);
  }
  ADD_FAILURE() << "the dump has no integrity record";
  return std::nullopt;
}

/// Every digest of the record matches the dump area's bytes, computed here chunk by chunk in
/// one piece each (not through the ChunkDigester the dumper uses).
void expect_digests_match(Fixture& fx, const ondisk::IntegrityRecord& rec, uint64_t note_at) {
  auto header = testsupport::peek(fx.area_path, 0, rec.data_offset);
  const size_t field =
      note_at + ondisk::kIntegrityNoteHeaderSize + ondisk::kIntegrityHeadersDigestAt;
  ondisk::store_be<uint64_t>(header, field, 0);
  EXPECT_EQ(ondisk::integrity_digest(header), rec.headers_digest);
  for (size_t k = 0; k < rec.chunks.size(); ++k) {
    const uint64_t at = k * rec.chunk_size;
    const uint64_t n = std::min(rec.chunk_size, rec.data_bytes - at);
    auto bytes = testsupport::peek(fx.area_path, rec.data_offset + at, n);
    EXPECT_EQ(ondisk::integrity_digest(bytes), rec.chunks[k].digest) << "chunk " << k;
  }
}

TEST(SparseWriter, TheIntegrityRecordDigestsEveryByteWritten) {
  Fixture fx({{0, 3 << 20}, {16 << 20, 4 << 20}});
  fx.zero(1 << 20, 1 << 20);
  const auto before = static_cast<uint64_t>(std::time(nullptr));
  auto stats = fx.dump();
  ASSERT_TRUE(stats) << stats.error().describe();
  const auto after = static_cast<uint64_t>(std::time(nullptr));
  auto d = fx.dumped();
  auto found = record_of(fx, d);
  ASSERT_TRUE(found);
  const auto& [rec, note_at] = *found;
  EXPECT_TRUE(rec.sparse);
  EXPECT_FALSE(rec.partial);
  EXPECT_FALSE(rec.dumper_version.empty());
  EXPECT_LE(before, rec.start_time);
  EXPECT_LE(rec.start_time, rec.end_time);
  EXPECT_LE(rec.end_time, after);
  EXPECT_EQ(rec.memory_size, fx.info.memory_size);
  EXPECT_EQ(rec.memory_dumped, stats->memory);
  EXPECT_EQ(rec.page_size, 4096u);
  EXPECT_EQ(rec.data_offset + rec.data_bytes, stats->bytes);
  EXPECT_EQ(rec.chunk_size, ondisk::kIntegrityMinChunkSize);
  EXPECT_EQ(rec.chunks.size(), stats->record_chunks);
  ASSERT_EQ(rec.chunks.size(), 6u);  // 6 MiB of data and a little padding, in 1 MiB chunks
  // Chunk 0 starts with memory 0; the 1 MiB zero run is left out, so chunk 1 starts at 2 MiB.
  EXPECT_EQ(rec.chunks[0].paddr, 0u);
  EXPECT_EQ(rec.chunks[1].paddr, 2u << 20);
  EXPECT_EQ(rec.chunks[2].paddr, 16u << 20);
  // The note lies in the header area, inside the dump's only PT_NOTE, after the vmcore's notes.
  ASSERT_EQ(d.note_segments.size(), 1u);
  const auto [pt_note_at, pt_note_size] = d.note_segments[0];
  EXPECT_LE(pt_note_at, note_at);
  EXPECT_EQ(note_at + ondisk::integrity_note_size(6), pt_note_at + pt_note_size);
  EXPECT_LE(pt_note_at + pt_note_size, rec.data_offset);
  EXPECT_EQ(d.cpu_count, fx.info.cpu_count);  // the vmcore's notes are all still read
  EXPECT_EQ(d.os_release, fx.info.os_release);
  expect_digests_match(fx, rec, note_at);
}

TEST(SparseWriter, PartialDumpSaysSoInItsRecordAndDigestsWhatFits) {
  Fixture fx({{0, 80 << 20}});  // larger than the 62 MiB dump area
  auto stats = fx.dump();
  ASSERT_TRUE(stats) << stats.error().describe();
  ASSERT_TRUE(stats->partial);
  auto d = fx.dumped();
  auto found = record_of(fx, d);
  ASSERT_TRUE(found);
  const auto& [rec, note_at] = *found;
  EXPECT_TRUE(rec.partial);
  EXPECT_EQ(rec.memory_size, fx.info.memory_size);
  EXPECT_EQ(rec.memory_dumped, stats->memory);
  EXPECT_EQ(rec.data_offset + rec.data_bytes, stats->bytes);
  EXPECT_LE(stats->bytes, fx.made.superblock.dump_size);
  expect_digests_match(fx, rec, note_at);
}

TEST(SparseWriter, ACoreWithoutNotesGetsAPtNoteForTheRecordAlone) {
  Fixture fx({{0, 2 << 20}});
  // Rewrite the core as one without notes: its own ELF header, one PT_LOAD, the same memory.
  auto head = testsupport::peek(fx.core_path, 0, ondisk::kElf64HeaderSize);
  auto memory = testsupport::peek(fx.core_path, fx.info.loads[0].offset, 2 << 20);
  std::vector<std::byte> core(4096 + memory.size());
  ASSERT_TRUE(ondisk::encode_core_headers(head, {{PT_LOAD, 4096, 0, 0, 2 << 20, 2 << 20}}, core));
  std::memcpy(core.data() + 4096, memory.data(), memory.size());
  {
    std::FILE* out = std::fopen(fx.core_path.c_str(), "wb");
    ASSERT_TRUE(out && std::fwrite(core.data(), 1, core.size(), out) == core.size());
    std::fclose(out);
  }
  auto f = util::PosixFile::open(fx.core_path, util::OpenMode::kRead);
  auto info = ondisk::read_vmcore(**f);
  ASSERT_TRUE(info) << info.error().describe();
  ASSERT_TRUE(info->note_segments.empty());
  fx.info = *info;
  auto stats = fx.dump();
  ASSERT_TRUE(stats) << stats.error().describe();
  auto d = fx.dumped();
  ASSERT_EQ(d.note_segments.size(), 1u);  // the record's own
  auto found = record_of(fx, d);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->second, d.note_segments[0].first);
  EXPECT_EQ(found->first.chunks.size(), 2u);
  expect_digests_match(fx, found->first, found->second);
  fx.expect_same_memory(d);
}

}  // namespace
}  // namespace zk::dumper

namespace zk::dumper {
namespace {

// A filtered dump (dump level 31) of a generated 2 GiB machine whose page structures say which
// pages are free (tests/support/filter_core.h), with data in the kept pages and in free ones:
// the free pages' data is neither read nor written, the kept pages' is, the HSA's memory first.
TEST(SparseWriter, ADumpLevelLeavesPagesOutWithoutReadingThem) {
  testsupport::TempDir dir;
  const std::string core_path = dir.file("core"), disk_path = dir.file("disk"),
                    area_path = dir.file("area");
  constexpr uint64_t kMemory = 2ull << 30, kHsa = 128ull << 20, kPage = 4096;
  ASSERT_TRUE(testsupport::write_filter_core(core_path, {kMemory, true}));
  testsupport::SyntheticDiskSpec ds;
  ds.disk_size = 64ull << 20;
  const auto made = testsupport::make_synthetic_dump_disk(disk_path, ds);
  auto core_file = util::PosixFile::open(core_path, util::OpenMode::kRead);
  ASSERT_TRUE(core_file);
  RecordingFile core(**core_file);
  auto info = ondisk::read_vmcore(core);
  ASSERT_TRUE(info) << info.error().describe();
  auto target = [&] {
    auto f = util::PosixFile::open(disk_path, util::OpenMode::kRead);
    return ondisk::read_dump_disk(**f, std::nullopt);
  }();
  ASSERT_TRUE(target) << target.error().describe();

  PageSelection selection(core, *info, 31);
  ASSERT_TRUE(selection.active()) << selection.outcome().note;
  auto disk = util::PosixFile::open(disk_path, util::OpenMode::kReadWriteDirect);
  ASSERT_TRUE(disk);
  size_t reads_at_release = 0, releases = 0;
  uint64_t progress_at_release = 0, progress = 0;
  DumpHooks hooks;
  hooks.progress = [&](uint64_t done, uint64_t) { progress = done; };
  hooks.release_hsa = [&] {
    ++releases;
    reads_at_release = core.reads.size();
    progress_at_release = progress;
  };
  SparseOptions o;
  o.hsa_size = kHsa;
  o.selection = &selection;
  o.pipeline.buffer_bytes = 6 * (64 << 10);
  auto stats = write_sparse_dump(core, *info, **disk, *target, hooks, o);
  ASSERT_TRUE(stats) << stats.error().describe();

  const uint64_t pages = kMemory / kPage;
  EXPECT_EQ(stats->filter.applied_level, 31u);
  EXPECT_EQ(stats->filter.stopped_at, ondisk::kFilterRanToEnd);
  EXPECT_EQ(stats->filter.free_pages, pages - pages / 256);
  EXPECT_EQ(stats->memory, kMemory) << "the dump describes all memory";
  EXPECT_EQ(releases, 1u);
  EXPECT_EQ(progress_at_release, kHsa) << "the HSA's memory, and only it, before the release";
  // Beyond the kernel's first 64 MiB (its tables, read by the filter), only kept pages are read.
  uint64_t data_read = 0;
  for (size_t i = 0; i < core.reads.size(); ++i) {
    const auto [offset, length] = core.reads[i];
    if (offset < testsupport::kFilterCoreLoadOffset + (64ull << 20)) continue;
    const uint64_t first = (offset - testsupport::kFilterCoreLoadOffset) / kPage;
    const uint64_t last = (offset - testsupport::kFilterCoreLoadOffset + length - 1) / kPage;
    for (uint64_t pfn = first; pfn <= last; ++pfn) {
      ASSERT_TRUE(testsupport::filter_core_kept(pfn))
          << "read " << i << " touches the free page 0x" << std::hex << pfn;
    }
    data_read += length;
    if (i < reads_at_release) {
      EXPECT_LT(offset, testsupport::kFilterCoreLoadOffset + kHsa) << "read " << i;
    }
  }
  // The kept pages of every later 64 MiB, each read once.
  EXPECT_EQ(data_read, (pages / 256 - testsupport::kFilterCoreKeptPerBlock) * kPage);

  // The dump: kept pages hold the core's bytes, free pages read as zeros.
  auto bytes = testsupport::peek(disk_path, made.superblock.part_start, made.superblock.dump_size);
  {
    std::FILE* out = std::fopen(area_path.c_str(), "wb");
    ASSERT_TRUE(out && std::fwrite(bytes.data(), 1, bytes.size(), out) == bytes.size());
    std::fclose(out);
  }
  auto area = util::PosixFile::open(area_path, util::OpenMode::kRead);
  auto d = ondisk::read_vmcore(**area);
  ASSERT_TRUE(d) << d.error().describe();
  EXPECT_EQ(d->memory_size, kMemory);
  for (uint64_t base : {uint64_t{1}, uint64_t{2}, uint64_t{31}}) {
    const uint64_t kept = base * testsupport::kFilterCorePagesPerBlock + 5;
    const uint64_t free = base * testsupport::kFilterCorePagesPerBlock + 2048;
    auto k = memory_of(area_path, *d, kept * kPage, kPage);
    ASSERT_EQ(k.size(), kPage);
    for (uint64_t i = 0; i < kPage; i += 509)
      ASSERT_EQ(k[i], testsupport::filter_core_byte(kept, i)) << "kept pfn 0x" << std::hex << kept;
    auto f = memory_of(area_path, *d, free * kPage, kPage);
    ASSERT_EQ(f.size(), kPage);
    EXPECT_EQ(std::count(f.begin(), f.end(), std::byte{0}), static_cast<long>(kPage))
        << "free pfn 0x" << std::hex << free << " holds data";
  }
}

}  // namespace
}  // namespace zk::dumper
