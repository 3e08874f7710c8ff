// SPDX-License-Identifier: MIT
// Kernel partitions and kpartx's partition maps, against the test double of sysfs.
#include "blockdev/partitions.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include "blockdev/test_tree.h"

namespace zk::blockdev {
namespace {

using testing::TestTree;

TEST(Partitions, ByNumberInBytes) {
  TestTree t;
  t.add_disk("sda", "8:0", "sd", 4194304, 4096, 4096);
  t.add_partition("sda", "sda10", "8:10", 10, 2099200, 2048);
  t.add_partition("sda", "sda2", "8:2", 2, 2048, 2097152);
  auto parts = partitions(t.roots(), "sda");
  ASSERT_TRUE(parts) << parts.error().describe();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "sda2");
  EXPECT_EQ((*parts)[0].number, 2u);
  // 512-byte units on a disk of 4096-byte sectors too.
  EXPECT_EQ((*parts)[0].start, 2048ull * 512);
  EXPECT_EQ((*parts)[0].size, 2097152ull * 512);
  EXPECT_EQ((*parts)[0].device_number.text(), "8:2");
  EXPECT_EQ((*parts)[1].name, "sda10");
  EXPECT_TRUE(is_partition(t.roots(), "sda10"));
  EXPECT_FALSE(is_partition(t.roots(), "sda"));
}

TEST(Partitions, NoneOnADiskWithoutATable) {
  TestTree t;
  t.add_disk("sda", "8:0", "sd", 4096);
  auto parts = partitions(t.roots(), "sda");
  ASSERT_TRUE(parts);
  EXPECT_TRUE(parts->empty());
}

TEST(Partitions, ImplausibleAttributesAreErrors) {
  TestTree t;
  t.add_disk("sda", "8:0", "sd", 4096);
  t.add_partition("sda", "sda1", "8:1", 1, 2048, 2048);
  for (const char* number : {"0", "257", "x", ""}) {
    t.write("sys/class/block/sda1/partition", std::string(number) + "\n");
    auto parts = partitions(t.roots(), "sda");
    ASSERT_FALSE(parts) << number;
    EXPECT_NE(parts.error().message.find("partition number"), std::string::npos);
  }
  t.write("sys/class/block/sda1/partition", "1\n");
  ASSERT_TRUE(read_partition(t.roots(), "sda1"));
  t.write("sys/class/block/sda1/start", "36028797018963968\n");
  EXPECT_FALSE(read_partition(t.roots(), "sda1"));
  t.write("sys/class/block/sda1/start", "36028797018963967\n");  // fits, but start+size does not
  EXPECT_FALSE(read_partition(t.roots(), "sda1"));
  t.write("sys/class/block/sda1/start", "2048\n");
  ::unlink(t.path("sys/class/block/sda1/size").c_str());
  auto missing = read_partition(t.roots(), "sda1");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().errnum, ENOENT);
}

TEST(DmPartitionUuid, KpartxsForm) {
  auto p = parse_dm_partition_uuid("part3-mpath-3600");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->number, 3u);
  EXPECT_EQ(p->map_uuid, "mpath-3600");
  for (const char* other : {"mpath-3600", "part-mpath", "partx-mpath", "part3", "part3-",
                            "part0-mpath", "part257-mpath", "part 3-mpath", "LVM-part3-x"})
    EXPECT_FALSE(parse_dm_partition_uuid(other)) << other;
}

TEST(KpartxPartitions, TheMapsOwnPartitionMapsOnly) {
  TestTree t;
  t.add_disk("sdb", "8:16", "sd", 4096);
  t.add_dm("dm-0", "254:0", "mpath-3600", "mpatha", "sdb", 4096);
  t.add_dm("dm-2", "254:2", "part2-mpath-3600", "mpatha-part2", "dm-0", 1024);
  t.add_dm("dm-1", "254:1", "part1-mpath-3600", "mpatha-part1", "dm-0", 1024);
  t.add_dm("dm-3", "254:3", "LVM-abc", "vg-lv", "dm-0", 1024);
  t.add_dm("dm-4", "254:4", "part1-mpath-other", "other-part1", "dm-0", 1024);
  auto parts = kpartx_partitions(t.roots(), "dm-0", "mpath-3600");
  ASSERT_TRUE(parts) << parts.error().describe();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "dm-1");
  EXPECT_EQ((*parts)[0].number, 1u);
  EXPECT_EQ((*parts)[0].device_number.text(), "254:1");
  EXPECT_EQ((*parts)[1].name, "dm-2");
}

}  // namespace
}  // namespace zk::blockdev
