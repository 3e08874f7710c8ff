// SPDX-License-Identifier: MIT
#include "dumper/dump_writer.h"

#include <cstring>
#include <filesystem>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/recording_file.h"
#include "tests/support/synthetic_dump_disk.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vmcore_builder.h"
#include "util/posix_file.h"

namespace zk::dumper {
namespace {

using testsupport::RecordingFile;

struct Fixture {
  testsupport::TempDir dir;
  std::string disk_path = dir.file("disk");
  std::string core_path = dir.file("core");
  testsupport::SyntheticDisk made;
  ondisk::DumpDisk target;
  ondisk::VmcoreInfo info;

  explicit Fixture(testsupport::VmcoreSpec spec = small_spec()) {
    made = testsupport::make_synthetic_dump_disk(disk_path, {});
    EXPECT_TRUE(testsupport::write_vmcore(core_path, spec));
    reload();
    auto core = util::PosixFile::open(core_path, util::OpenMode::kRead);
    auto i = ondisk::read_vmcore(**core);
    EXPECT_TRUE(i);
    info = *i;
  }
  static testsupport::VmcoreSpec small_spec() {
    testsupport::VmcoreSpec s;
    s.memory = {{0, 3 << 20}, {8 << 20, (2 << 20) + 4096}};
    return s;
  }
  void reload() {
    auto f = util::PosixFile::open(disk_path, util::OpenMode::kRead);
    auto d = ondisk::read_dump_disk(**f, std::nullopt);
    ASSERT_TRUE(d) << d.error().describe();
    target = *d;
  }
  Result<DumpStats> dump(util::File& disk, uint64_t hsa, DumpHooks hooks = {},
                         PipelineShape shape = {6 * (64 << 10), 4}) {
    auto core = util::PosixFile::open(core_path, util::OpenMode::kRead);
    const auto plan = plan_copy(info.file_size, info.loads, hsa);
    return write_dump(**core, plan, disk, target, hooks, shape);
  }
  void expect_consistent_checksum() {
    EXPECT_TRUE(testsupport::checksum_matches_first_page(disk_path, made));
  }
};

TEST(DumpWriter, WritesTheCoreByteForByte) {
  Fixture fx;
  auto disk = util::PosixFile::open(fx.disk_path, util::OpenMode::kReadWriteDirect);
  ASSERT_TRUE(disk);
  auto stats = fx.dump(**disk, 0);
  ASSERT_TRUE(stats) << stats.error().describe();
  EXPECT_EQ(stats->bytes, fx.info.file_size);
  auto core = testsupport::peek(fx.core_path, 0, fx.info.file_size);
  auto written = testsupport::peek(fx.disk_path, fx.made.superblock.part_start, fx.info.file_size);
  EXPECT_TRUE(core == written);
  fx.expect_consistent_checksum();
}

TEST(DumpWriter, UnalignedCoreSizeKeepsTheBytesAfterIt) {
  testsupport::VmcoreSpec spec = Fixture::small_spec();
  spec.memory = {{0, (1 << 20) + 100}};  // file size not a multiple of any block size
  spec.page_align_data = false;
  Fixture fx(spec);
  const uint64_t end = fx.made.superblock.part_start + fx.info.file_size;
  const unsigned char canary[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  testsupport::poke(fx.disk_path, end, canary, 8);
  fx.reload();  // the canary lies in the dump area, outside the checksummed page
  auto disk = util::PosixFile::open(fx.disk_path, util::OpenMode::kReadWriteDirect);
  ASSERT_TRUE(fx.dump(**disk, 0));
  auto after = testsupport::peek(fx.disk_path, end, 8);
  EXPECT_EQ(std::memcmp(after.data(), canary, 8), 0);
  auto core = testsupport::peek(fx.core_path, 0, fx.info.file_size);
  EXPECT_TRUE(core ==
              testsupport::peek(fx.disk_path, fx.made.superblock.part_start, fx.info.file_size));
}

TEST(DumpWriter, ProtocolOrder) {
  Fixture fx;
  auto real = util::PosixFile::open(fx.disk_path, util::OpenMode::kReadWrite);
  RecordingFile disk(**real);
  size_t writes_at_release = 0;
  DumpHooks hooks;
  hooks.release_hsa = [&] { writes_at_release = disk.writes.size(); };
  ASSERT_TRUE(fx.dump(disk, 1 << 20, hooks));
  const uint64_t base = fx.made.superblock.part_start;
  const uint64_t csum_at = fx.made.superblock_offset + ondisk::kDumpSuperblockCsumOffset;
  ASSERT_GE(disk.writes.size(), 5u);
  // Busy marker at the partition start, then the checksum.
  EXPECT_EQ(disk.writes[0].first, base);
  EXPECT_EQ(disk.writes[1].first, csum_at);
  // The HSA (first MiB of memory) before the release, nothing below the first page yet.
  ASSERT_GT(writes_at_release, 2u);
  for (size_t i = 2; i < writes_at_release; ++i) {
    EXPECT_GE(disk.writes[i].first, base + 4096);
    EXPECT_LT(disk.writes[i].first, base + fx.info.loads[0].offset + (1 << 20));
  }
  // Page 0 is the last data write, followed only by the checksum.
  EXPECT_EQ(disk.writes[disk.writes.size() - 2].first, base);
  EXPECT_EQ(disk.writes.back().first, csum_at);
  fx.expect_consistent_checksum();
}

TEST(DumpWriter, RefusesChangedPartitionAndWritesNothing) {
  Fixture fx;
  const char fs[] = "mkfs was here";
  testsupport::poke(fx.disk_path, fx.made.superblock.part_start + 1024, fs, sizeof fs);
  fx.reload();
  const uint64_t before = testsupport::file_fingerprint(fx.disk_path);
  auto disk = util::PosixFile::open(fx.disk_path, util::OpenMode::kReadWriteDirect);
  auto r = fx.dump(**disk, 0);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("Checksum wrong"), std::string::npos);
  EXPECT_EQ(testsupport::file_fingerprint(fx.disk_path), before);
}

TEST(DumpWriter, RefusesTooLargeAndWritesNothing) {
  testsupport::VmcoreSpec spec;
  spec.memory = {{0, 80 << 20}};  // the synthetic disk has a 62 MiB dump area
  Fixture fx(spec);
  const uint64_t before = testsupport::file_fingerprint(fx.disk_path);
  auto disk = util::PosixFile::open(fx.disk_path, util::OpenMode::kReadWriteDirect);
  auto r = fx.dump(**disk, 0);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("Dump too large"), std::string::npos);
  EXPECT_EQ(testsupport::file_fingerprint(fx.disk_path), before);
}

}  // namespace
}  // namespace zk::dumper

namespace zk::dumper {
namespace {

TEST(DumpWriter, AcceptsItsOwnInterruptedDumpWithStaleChecksum) {
  Fixture fx;
  // Interrupted after the busy marker, before the checksum: the checksum is stale.
  testsupport::poke(fx.disk_path, fx.made.superblock.part_start, ondisk::kBusyMarker,
                    sizeof ondisk::kBusyMarker);
  fx.reload();
  EXPECT_FALSE(fx.target.checksum_matches());
  EXPECT_TRUE(fx.target.busy);
  std::vector<std::string> lines;
  DumpHooks hooks;
  hooks.trace = [&](int, const char* t) { lines.emplace_back(t); };
  auto disk = util::PosixFile::open(fx.disk_path, util::OpenMode::kReadWriteDirect);
  ASSERT_TRUE(fx.dump(**disk, 0, hooks));
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines[0].find("previous dump was interrupted"), std::string::npos);
  fx.expect_consistent_checksum();
}

}  // namespace
}  // namespace zk::dumper
