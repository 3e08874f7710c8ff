// SPDX-License-Identifier: MIT
#include "ondisk/dump_disk.h"

#include <gtest/gtest.h>

#include "ondisk/bytes.h"
#include "tests/support/synthetic_dump_disk.h"
#include "tests/support/temp_dir.h"
#include "util/posix_file.h"

namespace zk::ondisk {
namespace {

using testsupport::poke;

class DumpDiskTest : public ::testing::TestWithParam<uint32_t> {
 protected:
  testsupport::TempDir dir;
  std::string path = dir.file("disk");
};

TEST_P(DumpDiskTest, ReadsAZiplLayout) {
  testsupport::SyntheticDiskSpec spec;
  spec.sector_size = GetParam();
  spec.disk_size = 96 << 20;
  auto made = testsupport::make_synthetic_dump_disk(path, spec);
  auto f = util::PosixFile::open(path, util::OpenMode::kRead);
  ASSERT_TRUE(f);
  auto d = read_dump_disk(**f, std::nullopt);
  ASSERT_TRUE(d) << d.error().describe();
  EXPECT_EQ(d->block_size, GetParam());
  EXPECT_EQ(d->superblock_offset, made.superblock_offset);
  EXPECT_EQ(d->superblock.dump_size, made.superblock.dump_size);
  EXPECT_TRUE(d->checksum_matches());
  auto t = read_partition_table(**f, d->block_size);
  ASSERT_TRUE(t);
  auto p = find_dump_partition(*t, d->superblock);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->number, 1u);
}

INSTANTIATE_TEST_SUITE_P(SectorSizes, DumpDiskTest, ::testing::Values(512u, 4096u));

TEST(DumpDisk, ChecksumMismatchIsReportedNotFatal) {
  testsupport::TempDir dir;
  const auto path = dir.file("disk");
  testsupport::make_synthetic_dump_disk(path, {});
  const char fs[] = "a file system was made here";
  poke(path, 1 << 20, fs, sizeof fs);
  auto f = util::PosixFile::open(path, util::OpenMode::kRead);
  auto d = read_dump_disk(**f, std::nullopt);
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->checksum_matches());
}

TEST(DumpDisk, RefusesAnIplRecord) {
  testsupport::TempDir dir;
  const auto path = dir.file("disk");
  testsupport::make_synthetic_dump_disk(path, {});
  const unsigned char ipl = 0;
  poke(path, 0x75, &ipl, 1);
  auto f = util::PosixFile::open(path, util::OpenMode::kRead);
  auto d = read_dump_disk(**f, std::nullopt);
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message.find("program type 0"), std::string::npos);
}

TEST(DumpDisk, VersionFieldsAsTheStockToolsJudgeThem) {
  testsupport::TempDir dir;
  const auto path = dir.file("disk");
  const auto made = testsupport::make_synthetic_dump_disk(path, {});
  {
    auto f = util::PosixFile::open(path, util::OpenMode::kRead);
    auto d = read_dump_disk(**f, std::nullopt);
    ASSERT_TRUE(d);
    EXPECT_TRUE(version_warnings(*d).empty());
  }
  // The boot record's and the superblock's versions: reported, not refused (zgetdump and the
  // stock dumper do not check them).
  const unsigned char two_be32[4] = {0, 0, 0, 2};
  const unsigned char seven_be64[8] = {0, 0, 0, 0, 0, 0, 0, 7};
  poke(path, 4, two_be32, 4);
  poke(path, made.superblock_offset + 8, seven_be64, 8);
  {
    auto f = util::PosixFile::open(path, util::OpenMode::kRead);
    auto d = read_dump_disk(**f, std::nullopt);
    ASSERT_TRUE(d) << d.error().describe();
    EXPECT_TRUE(d->checksum_matches());
    const auto w = version_warnings(*d);
    ASSERT_EQ(w.size(), 2u);
    EXPECT_NE(w[0].find("boot record's version is 2"), std::string::npos) << w[0];
    EXPECT_NE(w[1].find("superblock's version is 7"), std::string::npos) << w[1];
  }
  // boot_info's version: refused, as the stock dumper refuses it.
  const unsigned char two = 2;
  poke(path, 0x74, &two, 1);
  auto f = util::PosixFile::open(path, util::OpenMode::kRead);
  auto d = read_dump_disk(**f, std::nullopt);
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message.find("boot_info version 2"), std::string::npos);
}

TEST(DumpDisk, SuperblockPointerOutsideTheDisk) {
  testsupport::TempDir dir;
  const auto path = dir.file("disk");
  testsupport::make_synthetic_dump_disk(path, {});
  std::byte far[8];
  store_be<uint64_t>(far, 0, 1ull << 40);
  poke(path, 0x78, far, 8);
  auto f = util::PosixFile::open(path, util::OpenMode::kRead);
  auto d = read_dump_disk(**f, std::nullopt);
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message.find("outside the disk"), std::string::npos);
}

TEST(DumpDisk, SuperblockFieldsOutsideTheDisk) {
  testsupport::TempDir dir;
  const auto path = dir.file("disk");
  auto made = testsupport::make_synthetic_dump_disk(path, {});
  std::byte big[8];
  store_be<uint64_t>(big, 0, 1ull << 50);
  poke(path, made.superblock_offset + 0x18, big, 8);  // part_size
  auto f = util::PosixFile::open(path, util::OpenMode::kRead);
  auto d = read_dump_disk(**f, std::nullopt);
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message.find("does not lie on the disk"), std::string::npos);
}

TEST(DumpDisk, ProgramTablePointerOutsideTheDisk) {
  testsupport::TempDir dir;
  const auto path = dir.file("disk");
  testsupport::make_synthetic_dump_disk(path, {});
  std::byte far[8];
  store_be<uint64_t>(far, 0, 1ull << 60);
  poke(path, 0x10, far, 8);
  auto f = util::PosixFile::open(path, util::OpenMode::kRead);
  auto d = read_dump_disk(**f, 512u);
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message.find("outside the disk"), std::string::npos);
}

TEST(DumpDisk, TinyOrBlankDisk) {
  testsupport::TempDir dir;
  const auto path = dir.file("disk");
  testsupport::make_zero_file(path, 100);
  auto f = util::PosixFile::open(path, util::OpenMode::kRead);
  EXPECT_FALSE(read_dump_disk(**f, std::nullopt));
  testsupport::make_zero_file(path, 1 << 20);
  f = util::PosixFile::open(path, util::OpenMode::kRead);
  auto d = read_dump_disk(**f, std::nullopt);
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message.find("no zipl magic"), std::string::npos);
}

}  // namespace
}  // namespace zk::ondisk
