// SPDX-License-Identifier: MIT
#include "installer/disk/refusals.h"

#include <gtest/gtest.h>

#include "installer/disk/test_tree.h"

namespace zk::installer::disk {
namespace {

using testing::TestTree;

system::BlockDevice sd_disk() {
  system::BlockDevice d;
  d.disk_node = "/dev/sda";
  d.disk_name = "sda";
  d.driver = "sd";
  d.zipl_capable = true;
  d.size = 20ull << 30;
  return d;
}

std::vector<RefusalKind> kinds(const std::vector<Refusal>& rs) {
  std::vector<RefusalKind> k;
  for (const auto& r : rs) k.push_back(r.kind);
  return k;
}

ToolInspection valid_tool(unsigned number) {
  ToolInspection t;
  t.verdict = ToolVerdict::kValid;
  ondisk::DumpDisk d;
  d.superblock.part_start = 1 << 20;
  d.superblock.part_size = 63 << 20;
  d.superblock.dump_size = 30 << 20;
  d.superblock.csum = d.checksum_now = 0x12345678;
  t.tool = d;
  t.partition = ondisk::Partition{number, 1 << 20, 63 << 20};
  return t;
}

TEST(Refusals, AnEmptyIdleScsiDiskIsFine) {
  DiskFacts f;
  f.device = sd_disk();
  EXPECT_TRUE(assess(f, false).empty());
}

TEST(Refusals, DriverFromATestDoubleSysfs) {
  TestTree t;
  t.add_disk("vda", "252:0", "virtio_blk", 2097152);
  t.add_disk("sda", "8:0", "sd", 2097152);
  t.add_disk("loop0", "7:0", "", 2097152);
  t.write("sys/devices/host0/target0:0:0/0:0:0:sda/hba_id", "0.0.1700\n");
  t.write("sys/devices/host0/target0:0:0/0:0:0:sda/wwpn", "0x500507630300c562\n");
  t.write("sys/devices/host0/target0:0:0/0:0:0:sda/fcp_lun", "0x4010400000000000\n");
  if (!t.make_node("vda", 252, 0) || !t.make_node("sda", 8, 0) || !t.make_node("loop0", 7, 0))
    FAIL() << "missing prerequisite (scripts/setup installs it): " << "mknod is not allowed here";

  auto vda = system::resolve_block_device(t.path("dev/vda"), t.roots());
  ASSERT_TRUE(vda) << vda.error().describe();
  EXPECT_EQ(vda->driver, "virtio_blk");
  auto r = driver_refusal(*vda);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, RefusalKind::kDriver);
  EXPECT_FALSE(r->forceable());
  // zipl 2.16 accepts virtio-blk (tests/guest/zipl-virtio-blk.sh): the message must say why
  // we refuse anyway.
  EXPECT_NE(r->reason.find("virtio-blk"), std::string::npos) << r->reason;
  EXPECT_NE(r->reason.find("zipl 2.16 does install"), std::string::npos) << r->reason;
  EXPECT_NE(r->remedy.find("FCP LUN"), std::string::npos);

  auto loop = system::resolve_block_device(t.path("dev/loop0"), t.roots());
  ASSERT_TRUE(loop);
  ASSERT_TRUE(driver_refusal(*loop));

  auto sda = system::resolve_block_device(t.path("dev/sda"), t.roots());
  ASSERT_TRUE(sda) << sda.error().describe();
  EXPECT_FALSE(driver_refusal(*sda));
  ASSERT_TRUE(sda->zfcp);
  EXPECT_EQ(sda->zfcp->hba_id, "0.0.1700");
}

TEST(Refusals, MultipathOverScsiIsFineOverVirtioNot) {
  TestTree t;
  t.add_disk("sdb", "8:16", "sd", 2097152);
  t.add_disk("sdc", "8:32", "sd", 2097152);
  t.add_disk("vdb", "252:16", "virtio_blk", 2097152);
  t.add_dm("dm-0", "254:0", "mpath-3600a", "mpatha", "sdb sdc", 2097152);
  t.add_dm("dm-1", "254:1", "mpath-3600b", "mpathb", "sdb vdb", 2097152);
  if (!t.make_node("dm-0", 254, 0) || !t.make_node("dm-1", 254, 1))
    FAIL() << "missing prerequisite (scripts/setup installs it): " << "mknod is not allowed here";
  auto a = system::resolve_block_device(t.path("dev/dm-0"), t.roots());
  ASSERT_TRUE(a) << a.error().describe();
  EXPECT_FALSE(driver_refusal(*a));
  auto b = system::resolve_block_device(t.path("dev/dm-1"), t.roots());
  ASSERT_TRUE(b);
  auto r = driver_refusal(*b);
  ASSERT_TRUE(r);
  EXPECT_NE(r->reason.find("multipath"), std::string::npos);
}

TEST(Refusals, ImagesNeedNoDriver) {
  system::BlockDevice d;
  d.is_image = true;
  d.driver = "image file";
  EXPECT_FALSE(driver_refusal(d));
}

TEST(Refusals, UsesAreHardRefusalsEvenWithForce) {
  DiskFacts f;
  f.device = sd_disk();
  f.uses = {{"sda1", "is mounted on /boot", "unmount it"}};
  auto rs = assess(f, true);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].kind, RefusalKind::kInUse);
  EXPECT_EQ(rs[0].reason, "sda1 is mounted on /boot");
}

TEST(Refusals, PartitionsAndSignaturesNeedForce) {
  DiskFacts f;
  f.device = sd_disk();
  f.table.type = ondisk::LabelType::kDos;
  f.table.partitions = {{1, 1 << 20, 100 << 20}};
  Signature ext4{"partition 1", "ext4", "filesystem", 0x438, 2, "data", ""};
  Signature dos{"the disk", "dos", "partition table", 0x1fe, 2, "", ""};
  f.signatures = {dos, ext4};
  auto rs = assess(f, false);
  EXPECT_EQ(kinds(rs), (std::vector{RefusalKind::kPartitions, RefusalKind::kSignatures,
                                    RefusalKind::kSignatures}));
  EXPECT_NE(rs[0].reason.find("1 (100.0 MiB)"), std::string::npos) << rs[0].reason;
  EXPECT_EQ(rs[2].reason, "ext4 file system (label \"data\") at byte 0x438 of partition 1");
  EXPECT_NE(rs[2].remedy.find("--force"), std::string::npos);
  EXPECT_TRUE(assess(f, true).empty());
}

TEST(Refusals, PartitionsTheKernelKnowsCountToo) {
  // Logical partitions (not in ondisk's primary table) show up through sysfs.
  DiskFacts f;
  f.device = sd_disk();
  f.table.type = ondisk::LabelType::kDos;
  f.kernel_partitions = {5};
  auto rs = assess(f, false);
  ASSERT_EQ(kinds(rs), std::vector{RefusalKind::kPartitions});
  EXPECT_NE(rs[0].reason.find("has partitions: 5;"), std::string::npos) << rs[0].reason;
}

TEST(Refusals, PartitionChoice) {
  DiskFacts f;
  f.device = sd_disk();
  f.partition = 2;
  EXPECT_EQ(kinds(assess(f, true)), std::vector{RefusalKind::kPartitionChoice});  // no label
  f.table.type = ondisk::LabelType::kDos;
  f.table.partitions = {{1, 1 << 20, 100 << 20}};
  auto rs = assess(f, true);
  ASSERT_EQ(kinds(rs), std::vector{RefusalKind::kPartitionChoice});
  EXPECT_NE(rs[0].reason.find("no primary partition 2"), std::string::npos);
  f.partition = 16;
  rs = assess(f, true);
  ASSERT_EQ(kinds(rs), std::vector{RefusalKind::kPartitionChoice});
  EXPECT_NE(rs[0].reason.find("1 to 15"), std::string::npos);
  f.partition = 1;  // exists: existing partitions are no reason with --partition
  EXPECT_TRUE(assess(f, false).empty());
}

TEST(Refusals, AlreadyACurrentDumpDisk) {
  DiskFacts f;
  f.device = sd_disk();
  f.table.type = ondisk::LabelType::kDos;
  f.table.partitions = {{1, 1 << 20, 63 << 20}};
  f.partition = 1;
  f.inspection = valid_tool(1);
  f.area = ondisk::DumpAreaState{ondisk::DumpAreaKind::kEmpty, std::nullopt, ""};
  f.currency = Currency::kCurrent;
  auto rs = assess(f, false);
  ASSERT_EQ(kinds(rs), std::vector{RefusalKind::kCurrentDumpDisk});
  // Without --partition: its own partitions and label are no further reasons.
  f.partition.reset();
  f.signatures = {{"the disk", "dos", "partition table", 0x1fe, 2, "", ""}};
  rs = assess(f, false);
  ASSERT_EQ(kinds(rs), std::vector{RefusalKind::kCurrentDumpDisk});
  EXPECT_NE(rs[0].reason.find("already a current dump disk"), std::string::npos);
  EXPECT_TRUE(assess(f, true).empty());
  f.currency = Currency::kStale;  // a stale one is redone like any disk with partitions
  EXPECT_EQ(kinds(assess(f, false)),
            (std::vector{RefusalKind::kPartitions, RefusalKind::kSignatures}));
  f.partition = 1;
  f.signatures.clear();
  EXPECT_TRUE(assess(f, false).empty());
}

TEST(Refusals, ADumpNotCopiedOff) {
  DiskFacts f;
  f.device = sd_disk();
  f.inspection = valid_tool(1);
  ondisk::VmcoreInfo info;
  info.memory_size = 2ull << 30;
  info.os_release = "6.1.0-9-s390x";
  f.area = ondisk::DumpAreaState{ondisk::DumpAreaKind::kDump, info, ""};
  auto rs = assess(f, false);
  ASSERT_EQ(kinds(rs), std::vector{RefusalKind::kDumpPresent});
  EXPECT_NE(rs[0].reason.find("a dump (2.0 GiB of memory, kernel 6.1.0-9-s390x)"),
            std::string::npos)
      << rs[0].reason;
  EXPECT_NE(rs[0].remedy.find("zgetdump /dev/sda1"), std::string::npos) << rs[0].remedy;
  f.area->kind = ondisk::DumpAreaKind::kBusy;
  rs = assess(f, false);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_NE(rs[0].reason.find("an interrupted dump"), std::string::npos);
  EXPECT_TRUE(assess(f, true).empty());
}

}  // namespace
}  // namespace zk::installer::disk
