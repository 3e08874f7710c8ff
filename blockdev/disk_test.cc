// SPDX-License-Identifier: MIT
// The readers of one block device's attributes, against the test double of sysfs
// (test_tree.h), laid out as the kernel lays it out.
#include "blockdev/disk.h"

#include <gtest/gtest.h>

#include "blockdev/test_tree.h"

namespace zk::blockdev {
namespace {

using testing::TestTree;

TEST(Disk, NumberSizeAndBlockSizes) {
  TestTree t;
  t.add_disk("sda", "8:0", "sd", 2097152, 4096, 4096);
  const auto roots = t.roots();
  EXPECT_EQ(device_number(roots, "sda")->text(), "8:0");
  EXPECT_EQ(*size_bytes(roots, "sda"), 2097152ull * 512);
  auto sizes = block_sizes(roots, "sda");
  ASSERT_TRUE(sizes) << sizes.error().describe();
  EXPECT_EQ(sizes->logical, 4096u);
  EXPECT_EQ(sizes->physical, 4096u);
  EXPECT_EQ(driver(roots, "sda"), "sd");
}

TEST(Disk, MissingDiskIsAnError) {
  TestTree t;
  auto n = device_number(t.roots(), "sdz");
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().errnum, ENOENT);
  EXPECT_FALSE(size_bytes(t.roots(), "sdz"));
}

TEST(Disk, NumbersOutOfRangeAreErrors) {
  TestTree t;
  t.add_disk("sda", "8:0", "sd", 2048);
  t.write("sys/class/block/sda/dev", "8:0:0\n");
  auto n = device_number(t.roots(), "sda");
  ASSERT_FALSE(n);
  EXPECT_NE(n.error().message.find("8:0:0"), std::string::npos);
  t.write("sys/class/block/sda/size", "36028797018963968\n");  // 2^55 sectors: 2^64 bytes
  EXPECT_FALSE(size_bytes(t.roots(), "sda"));
  t.write("sys/class/block/sda/size", "-1\n");
  EXPECT_FALSE(size_bytes(t.roots(), "sda"));
}

TEST(Disk, BlockSizesDefaultTo512AndMustBePowersOfTwo) {
  TestTree t;
  t.add_disk("sda", "8:0", "sd", 2048);
  t.write("sys/class/block/sda/queue/physical_block_size", "3000\n");
  EXPECT_FALSE(block_sizes(t.roots(), "sda"));
  t.write("sys/class/block/sda/queue/physical_block_size", "0\n");
  EXPECT_FALSE(block_sizes(t.roots(), "sda"));
  t.write("sys/class/block/sda/queue/physical_block_size", "2097152\n");
  EXPECT_FALSE(block_sizes(t.roots(), "sda"));
  t.add_partition("sda", "sda1", "8:1", 1, 2048, 2048);  // partitions have no queue/
  auto sizes = block_sizes(t.roots(), "sda1");
  ASSERT_TRUE(sizes) << sizes.error().describe();
  EXPECT_EQ(sizes->logical, 512u);
  EXPECT_EQ(sizes->physical, 512u);
}

TEST(Disk, ScsiModelAndZfcpAttributes) {
  TestTree t;
  t.add_disk("sda", "8:0", "sd", 2048);
  t.add_disk("sdb", "8:16", "sd", 2048);
  t.write("sys/class/block/sda/device/vendor", "IBM     \n");
  t.write("sys/class/block/sda/device/model", "2107900         \n");
  t.write("sys/class/block/sda/device/hba_id", "0.0.1700\n");
  t.write("sys/class/block/sda/device/wwpn", "0x5005076303004104\n");
  t.write("sys/class/block/sda/device/fcp_lun", "0x4010400000000000\n");
  t.write("sys/class/block/sdb/device/hba_id", "0.0.1700\n");  // no wwpn, no LUN
  const auto roots = t.roots();
  EXPECT_EQ(model(roots, "sda").vendor, "IBM");
  EXPECT_EQ(model(roots, "sda").model, "2107900");
  EXPECT_EQ(model(roots, "sdb").vendor, "");
  auto z = zfcp_attributes(roots, "sda");
  ASSERT_TRUE(z);
  EXPECT_EQ(z->hba_id, "0.0.1700");
  EXPECT_EQ(z->wwpn, "0x5005076303004104");
  EXPECT_EQ(z->fcp_lun, "0x4010400000000000");
  EXPECT_FALSE(zfcp_attributes(roots, "sdb"));
}

TEST(Disk, DeviceMapperHoldersAndSlaves) {
  TestTree t;
  t.add_disk("sdb", "8:16", "sd", 2048);
  t.add_disk("sdc", "8:32", "sd", 2048);
  t.add_dm("dm-0", "254:0", "mpath-3600", "mpatha", "sdc sdb", 2048);
  const auto roots = t.roots();
  auto dm = device_mapper(roots, "dm-0");
  ASSERT_TRUE(dm);
  EXPECT_EQ(dm->uuid, "mpath-3600");
  EXPECT_EQ(dm->name, "mpatha");
  EXPECT_FALSE(device_mapper(roots, "sdb"));
  EXPECT_EQ(driver(roots, "dm-0"), "");
  EXPECT_EQ(slaves(roots, "dm-0"), (std::vector<std::string>{"sdb", "sdc"}));
  EXPECT_EQ(holders(roots, "sdb"), (std::vector<std::string>{"dm-0"}));
  EXPECT_TRUE(holders(roots, "dm-0").empty());
}

TEST(Disk, WwidOfADiskAndOfAMultipathMap) {
  TestTree t;
  t.add_disk("sda", "8:0", "sd", 2048);
  t.add_disk("sdb", "8:16", "sd", 2048);
  t.add_disk("sdc", "8:32", "sd", 2048);
  t.add_disk("sdd", "8:48", "sd", 2048);
  t.add_dm("dm-0", "254:0", "mpath-36005076303ffc1040000000000001234", "mpatha", "sdc sdb", 2048);
  t.write("sys/class/block/sda/device/wwid", "t10.IBM     2107900  \t 75CV441\n");
  // sdb has no wwid (no VPD page 0x83); its sibling path sdc has.
  t.write("sys/class/block/sdc/device/wwid", "naa.6005076303ffc1040000000000001234\n");
  t.write("sys/class/block/sdd/device/wwid", std::string(kMaxWwidBytes + 1, 'x'));
  const auto roots = t.roots();
  EXPECT_EQ(wwid(roots, "sda"), "t10.IBM_2107900_75CV441");
  EXPECT_EQ(wwid(roots, "sdb"), "");
  EXPECT_EQ(wwid(roots, "sdc"), "naa.6005076303ffc1040000000000001234");
  EXPECT_EQ(wwid(roots, "dm-0"), "naa.6005076303ffc1040000000000001234");
  EXPECT_EQ(wwid(roots, "sdd"), "");  // too long: no identity rather than a cut one
  EXPECT_EQ(wwid(roots, "sdx"), "");
}

TEST(Disk, WholeDisksLeaveThePartitionsOut) {
  TestTree t;
  t.add_disk("sdb", "8:16", "sd", 4096);
  t.add_disk("sda", "8:0", "sd", 4096);
  t.add_partition("sda", "sda1", "8:1", 1, 2048, 2048);
  t.add_dm("dm-0", "254:0", "LVM-x", "vg-lv", "sda1", 2048);
  EXPECT_EQ(whole_disks(t.roots()), (std::vector<std::string>{"dm-0", "sda", "sdb"}));
}

TEST(Disk, FindByNumberLeadsToTheDiskOfAPartition) {
  TestTree t;
  t.add_disk("sda", "8:0", "sd", 4096);
  t.add_partition("sda", "sda2", "8:2", 2, 2048, 2048);
  const auto roots = t.roots();
  auto disk = find_by_number(roots, {8, 0});
  ASSERT_TRUE(disk) << disk.error().describe();
  EXPECT_EQ(disk->name, "sda");
  EXPECT_EQ(disk->disk, "sda");
  EXPECT_FALSE(disk->partition);
  auto part = find_by_number(roots, {8, 2});
  ASSERT_TRUE(part) << part.error().describe();
  EXPECT_EQ(part->name, "sda2");
  EXPECT_EQ(part->disk, "sda");
  EXPECT_EQ(part->partition, 2u);
  auto none = find_by_number(roots, {8, 5});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().errnum, ENOENT);
}

}  // namespace
}  // namespace zk::blockdev
