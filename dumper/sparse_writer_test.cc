#include "dumper/sparse_writer.h"

#include <elf.h>

#include <cstdio>
#include <cstring>
#include <vector>

#include <gtest/gtest.h>

#include "dumper/segment_budget.h"
#include "ondisk/dump_superblock.h"
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

TEST(AllZero, FindsANonZeroByteAnywhere) {
  std::vector<std::byte> b(4096 + 13);
  EXPECT_TRUE(all_zero(b));
  for (size_t i : {size_t{0}, size_t{63}, size_t{64}, size_t{4095}, b.size() - 1}) {
    b[i] = std::byte{1};
    EXPECT_FALSE(all_zero(b)) << i;
    b[i] = std::byte{0};
  }
}

TEST(SegmentBudget, StaysWithinTheCapAndRaisesTheThreshold) {
  SegmentBudget b(10, 2, 100 << 20, 16 << 10);
  EXPECT_TRUE(b.elide(0, 0, 0));             // an all-zero piece costs nothing
  EXPECT_FALSE(b.elide(4096, 2, 50 << 20));  // shorter than the threshold
  unsigned accepted = 0;
  for (uint64_t p = 0; p < (100u << 20); p += 1 << 20) accepted += b.elide(1 << 20, 2, p);
  EXPECT_LE(b.extra_used(), 8u);
  EXPECT_EQ(accepted * 2, b.extra_used());
  EXPECT_GT(b.threshold(), uint64_t{16} << 10);  // the budget ran ahead of the progress
}

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
  EXPECT_LT(stats->bytes, 64u << 10);
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

}  // namespace
}  // namespace zk::dumper
