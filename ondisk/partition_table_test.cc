// SPDX-License-Identifier: MIT
#include "ondisk/partition_table.h"

#include <cstring>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/synthetic_dump_disk.h"
#include "tests/support/temp_dir.h"
#include "util/posix_file.h"

namespace zk::ondisk {
namespace {

using testsupport::poke;

TEST(PartitionTable, DosPrimary) {
  testsupport::TempDir dir;
  const auto path = dir.file("disk");
  testsupport::make_synthetic_dump_disk(path, {});
  auto f = util::PosixFile::open(path, util::OpenMode::kRead);
  ASSERT_TRUE(f);
  auto t = read_partition_table(**f, 512);
  ASSERT_TRUE(t) << t.error().describe();
  EXPECT_EQ(t->type, LabelType::kDos);
  ASSERT_EQ(t->partitions.size(), 1u);
  EXPECT_EQ(t->partitions[0].number, 1u);
  EXPECT_EQ(t->partitions[0].start, 1u << 20);
  EXPECT_EQ(t->partitions[0].size, 63u << 20);
}

TEST(PartitionTable, NoSignatureIsNoLabel) {
  testsupport::TempDir dir;
  const auto path = dir.file("disk");
  testsupport::make_zero_file(path, 1 << 20);
  auto f = util::PosixFile::open(path, util::OpenMode::kRead);
  ASSERT_TRUE(f);
  auto t = read_partition_table(**f, 512);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->type, LabelType::kNone);
}

TEST(PartitionTable, EntryBeyondTheDiskIsAnError) {
  testsupport::TempDir dir;
  const auto path = dir.file("disk");
  testsupport::make_synthetic_dump_disk(path, {});
  const unsigned char huge[4] = {0xff, 0xff, 0xff, 0x7f};
  poke(path, 0x1be + 12, huge, 4);
  auto f = util::PosixFile::open(path, util::OpenMode::kRead);
  ASSERT_TRUE(f);
  auto t = read_partition_table(**f, 512);
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message.find("partition 1"), std::string::npos);
}

TEST(PartitionTable, Gpt) {
  testsupport::TempDir dir;
  const auto path = dir.file("disk");
  testsupport::make_zero_file(path, 8 << 20);
  std::vector<unsigned char> mbr(512);
  mbr[0x1be + 4] = 0xee;
  mbr[510] = 0x55;
  mbr[511] = 0xaa;
  poke(path, 0, mbr.data(), mbr.size());
  std::vector<unsigned char> hdr(512);
  std::memcpy(hdr.data(), "EFI PART", 8);
  hdr[72] = 2;    // entries at LBA 2
  hdr[80] = 128;  // 128 entries
  hdr[84] = 128;  // of 128 bytes
  poke(path, 512, hdr.data(), hdr.size());
  std::vector<unsigned char> entry(128);
  entry[0] = 1;  // non-zero type GUID
  entry[32] = 0x00;
  entry[33] = 0x08;  // first LBA 2048
  entry[40] = 0xff;
  entry[41] = 0x27;                                           // last LBA 10239
  poke(path, 2 * 512 + 2 * 128, entry.data(), entry.size());  // third slot: partition 3
  auto f = util::PosixFile::open(path, util::OpenMode::kRead);
  ASSERT_TRUE(f);
  auto t = read_partition_table(**f, 512);
  ASSERT_TRUE(t) << t.error().describe();
  EXPECT_EQ(t->type, LabelType::kGpt);
  ASSERT_EQ(t->partitions.size(), 1u);
  EXPECT_EQ(t->partitions[0].number, 3u);
  EXPECT_EQ(t->partitions[0].start, 2048u * 512);
  EXPECT_EQ(t->partitions[0].size, 8192u * 512);
  // An entry array claiming to lie beyond the disk.
  hdr[72] = 0;
  hdr[73] = 0;
  hdr[74] = 0;
  hdr[75] = 0x10;
  poke(path, 512, hdr.data(), hdr.size());
  EXPECT_FALSE(read_partition_table(**f, 512));
}

}  // namespace
}  // namespace zk::ondisk
