// SPDX-License-Identifier: MIT
// The zfcp and sysfs paths of the disk finder, against a sysfs tree the test builds
// (blockdev/test_tree.h): a named test double, since no emulator provides zfcp (QEMU has no FCP
// adapter). The "device nodes" in the tree are disk image files, which the finder opens like
// block devices.
#include "dumper/disk_finder.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "blockdev/test_tree.h"
#include "dumper/sysfs.h"
#include "tests/support/synthetic_dump_disk.h"
#include "tests/support/temp_dir.h"

namespace zk::dumper {
namespace {

/// The dump kernel's views: blockdev's test double of /sys, /dev and /proc, with the dumper's
/// own roots below it.
class SysfsTree {
 public:
  blockdev::testing::TestTree tree;
  SystemRoots roots{tree.roots(), tree.path("sys/kernel/debug"), tree.path("etc")};

  /// A SCSI disk `name` whose "device node" is a synthetic dump disk with partition 1 at 1 MiB.
  void add_disk(const std::string& name, const std::string& lun, bool zipl = true) {
    const unsigned minor = 16 * disks_++;
    tree.add_disk(name, "8:" + std::to_string(minor), "sd", (64u << 20) / 512);
    tree.add_partition(name, name + "1", "8:" + std::to_string(minor + 1), 1, 2048,
                       (63u << 20) / 512);
    const std::string device = "sys/class/block/" + name + "/device/";
    tree.write(device + "hba_id", "0.0.1700\n");
    tree.write(device + "wwpn", "0x5005076303004104\n");
    tree.write(device + "fcp_lun", lun + "\n");
    if (zipl) testsupport::make_synthetic_dump_disk(roots.dev + "/" + name, {});
    else testsupport::make_zero_file(roots.dev + "/" + name, 64 << 20);
  }
  void fcp_dump_ipl(const std::string& lun) {
    tree.write("sys/firmware/ipl/ipl_type", "fcp_dump\n");
    tree.write("sys/firmware/ipl/device", "0.0.1700\n");
    tree.write("sys/firmware/ipl/wwpn", "0x5005076303004104\n");
    tree.write("sys/firmware/ipl/lun", lun + "\n");
    tree.write("sys/firmware/ipl/bootprog", "0\n");
    const std::string dev = "sys/bus/ccw/drivers/zfcp/0.0.1700";
    tree.write(dev + "/online", "0\n");
    tree.write(dev + "/0x5005076303004104/unit_add", "");
    tree.write("sys/module/zfcp/parameters/allow_lun_scan", "Y\n");
  }
  FindOptions options(unsigned timeout = 1) {
    FindOptions o;
    o.timeout_s = timeout;
    o.clock = [this] { return now; };
    o.sleep = [this](double s) { now += s; };
    return o;
  }
  double now = 0;

 private:
  unsigned disks_ = 0;
};

TEST(DiskFinder, ScansForAZiplRecord) {
  SysfsTree t;
  t.add_disk("sda", "0x0", false);  // a disk without a dump tool
  t.add_disk("sdb", "0x1");
  auto found = find_dump_disk(t.roots, std::nullopt, t.options());
  ASSERT_TRUE(found) << found.error().describe();
  EXPECT_EQ(found->name, "sdb");
  EXPECT_EQ(found->partition, 1u);
  EXPECT_EQ(found->dump.superblock.part_start, 1u << 20);
}

TEST(DiskFinder, FcpDumpTakesTheIplLunOnly) {
  SysfsTree t;
  t.add_disk("sda", "0x4010400000000000");
  t.add_disk("sdb", "0x4011400000000000");
  t.fcp_dump_ipl("0x4011400000000000");
  auto ipl = read_fcp_dump_ipl(t.roots);
  ASSERT_TRUE(ipl);
  EXPECT_EQ(ipl->device, "0.0.1700");
  std::vector<std::string> steps;
  ASSERT_TRUE(bring_fcp_online(t.roots, *ipl, [&](const std::string& s) { steps.push_back(s); }));
  EXPECT_EQ(*read_text(t.roots.sys + "/bus/ccw/drivers/zfcp/0.0.1700/online"), "1");
  EXPECT_EQ(*read_text(t.roots.sys + "/bus/ccw/drivers/zfcp/0.0.1700/0x5005076303004104/unit_add"),
            "0x4011400000000000");
  EXPECT_EQ(*read_text(t.roots.sys + "/module/zfcp/parameters/allow_lun_scan"), "0");
  auto found = find_dump_disk(t.roots, ipl, t.options());
  ASSERT_TRUE(found) << found.error().describe();
  EXPECT_EQ(found->name, "sdb");
}

constexpr const char* kWwidA = "naa.6005076303ffc1040000000000004010";
constexpr const char* kWwidB = "naa.6005076303ffc1040000000000004011";

TEST(DiskFinder, TwoDumpDisksAndNoChoiceAreRefused) {
  SysfsTree t;
  t.add_disk("sda", "0x4010400000000000");
  t.add_disk("sdb", "0x4011400000000000");
  t.tree.write("sys/class/block/sda/device/wwid", std::string(kWwidA) + "\n");
  t.tree.write("sys/class/block/sdb/device/wwid", std::string(kWwidB) + "\n");
  auto found = find_dump_disk(t.roots, std::nullopt, t.options(30));
  ASSERT_FALSE(found);
  const auto& m = found.error().message;
  EXPECT_NE(m.find(std::string("wwid:") + kWwidA + " (sda)"), std::string::npos) << m;
  EXPECT_NE(m.find(std::string("wwid:") + kWwidB + " (sdb)"), std::string::npos) << m;
  EXPECT_LT(t.now, 1.0) << "the refusal waits for nothing";
}

TEST(DiskFinder, TheChoiceTakesTheDiskItNames) {
  SysfsTree t;
  t.add_disk("sda", "0x4010400000000000");
  t.add_disk("sdb", "0x4011400000000000");
  t.tree.write("sys/class/block/sda/device/wwid", std::string(kWwidA) + "\n");
  t.tree.write("sys/class/block/sdb/device/wwid", std::string(kWwidB) + "\n");
  auto o = t.options(30);
  o.wanted = std::string("wwid:") + kWwidB;
  auto found = find_dump_disk(t.roots, std::nullopt, o);
  ASSERT_TRUE(found) << found.error().describe();
  EXPECT_EQ(found->name, "sdb");
}

TEST(DiskFinder, AChoiceThatNamesNoneWaitsAndSaysSo) {
  SysfsTree t;
  t.add_disk("sda", "0x4010400000000000");
  t.tree.write("sys/class/block/sda/device/wwid", std::string(kWwidA) + "\n");
  auto o = t.options(3);
  o.wanted = std::string("wwid:") + kWwidB;
  auto found = find_dump_disk(t.roots, std::nullopt, o);
  ASSERT_FALSE(found);
  const auto& m = found.error().message;
  EXPECT_NE(m.find("names none of the dump disks found"), std::string::npos) << m;
  EXPECT_NE(m.find(std::string("wwid:") + kWwidA + " (sda)"), std::string::npos) << m;
  EXPECT_GE(t.now, 3.0) << "the named disk may still appear until the timeout";
}

TEST(DiskFinder, AnOfflinePathIsSkippedAndTheOtherPathWritten) {
  // Two paths of one LUN (one wwid), the first offline: the LUN is written once, through the
  // path that runs, and the log says why the other was passed over.
  SysfsTree t;
  t.add_disk("sda", "0x4010400000000000");
  t.add_disk("sdb", "0x4010400000000000");
  t.tree.write("sys/class/block/sda/device/wwid", std::string(kWwidA) + "\n");
  t.tree.write("sys/class/block/sdb/device/wwid", std::string(kWwidA) + "\n");
  t.tree.write("sys/class/block/sda/device/state", "offline\n");
  t.tree.write("sys/class/block/sdb/device/state", "running\n");
  auto o = t.options(30);
  std::vector<std::string> lines;
  o.log = [&](int, const std::string& line) { lines.push_back(line); };
  auto found = find_dump_disk(t.roots, std::nullopt, o);
  ASSERT_TRUE(found) << found.error().describe();
  EXPECT_EQ(found->name, "sdb");
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.front(), "sda: SCSI path is offline, skipped");
  EXPECT_EQ(std::ranges::count(lines, lines.front()), 1) << "said once, not every round";
}

TEST(DiskFinder, TwoRunningPathsOfOneLunAreOneDisk) {
  SysfsTree t;
  t.add_disk("sda", "0x4010400000000000");
  t.add_disk("sdb", "0x4010400000000000");
  t.tree.write("sys/class/block/sda/device/wwid", std::string(kWwidA) + "\n");
  t.tree.write("sys/class/block/sdb/device/wwid", std::string(kWwidA) + "\n");
  auto found = find_dump_disk(t.roots, std::nullopt, t.options(30));
  ASSERT_TRUE(found) << found.error().describe();
  EXPECT_EQ(found->name, "sda");
}

TEST(DiskFinder, OnlyAnOfflinePathTimesOutNamingIt) {
  SysfsTree t;
  t.add_disk("sda", "0x4010400000000000");
  t.tree.write("sys/class/block/sda/device/state", "transport-offline\n");
  auto found = find_dump_disk(t.roots, std::nullopt, t.options(2));
  ASSERT_FALSE(found);
  EXPECT_NE(found.error().message.find("sda: SCSI path is transport-offline"), std::string::npos)
      << found.error().message;
}

TEST(DiskFinder, OneDumpDiskWithoutAChoiceIsTakenAfterSettling) {
  SysfsTree t;
  t.add_disk("sda", "0x4010400000000000");
  auto found = find_dump_disk(t.roots, std::nullopt, t.options(30));
  ASSERT_TRUE(found) << found.error().describe();
  EXPECT_EQ(found->name, "sda");
  EXPECT_GE(t.now, kSettleSeconds);
  EXPECT_LT(t.now, kSettleSeconds + 1.0);
}

TEST(DiskFinder, ASecondDumpDiskThatAppearsWhileSettlingIsSeen) {
  SysfsTree t;
  t.add_disk("sda", "0x4010400000000000");
  auto o = t.options(30);
  o.sleep = [&](double s) {
    t.now += s;
    if (t.now > 1.0 && t.now < 1.15) t.add_disk("sdb", "0x4011400000000000");
  };
  auto found = find_dump_disk(t.roots, std::nullopt, o);
  ASSERT_FALSE(found);
  EXPECT_NE(found.error().message.find("2 dump disks found"), std::string::npos)
      << found.error().message;
}

TEST(DiskFinder, TimesOutWithWhatItSaw) {
  SysfsTree t;
  t.add_disk("sda", "0x0", false);
  auto found = find_dump_disk(t.roots, std::nullopt, t.options(3));
  ASSERT_FALSE(found);
  EXPECT_NE(found.error().message.find("after 3 s"), std::string::npos);
  EXPECT_NE(found.error().message.find("no zipl magic"), std::string::npos);
  EXPECT_GE(t.now, 3.0);
}

TEST(DiskFinder, TriggersTheScsiScanWhenNoDiskShowsUp) {
  SysfsTree t;
  t.tree.write("sys/class/scsi_host/host0/scan", "");
  auto o = t.options(2);
  o.manual_scsi_scan = true;
  EXPECT_FALSE(find_dump_disk(t.roots, std::nullopt, o));
  EXPECT_EQ(*read_text(t.roots.sys + "/class/scsi_host/host0/scan"), "- - -");
}

TEST(DiskFinder, ScansTargetByTargetAndStopsAtTheDumpDisk) {
  SysfsTree t;
  const std::string scan = t.roots.sys + "/class/scsi_host/host0/scan";
  t.tree.write("sys/class/scsi_host/host0/scan", "");
  auto o = t.options(2);
  o.manual_scsi_scan = true;
  // The disk "appears" when target 2 is scanned: the finder must take it and scan no further.
  bool added = false;
  o.log = [&](int, const std::string& s) {
    if (!added && s.find("target 2 of") != std::string::npos) {
      t.add_disk("sda", "0x0");
      added = true;
    }
  };
  auto found = find_dump_disk(t.roots, std::nullopt, o);
  ASSERT_TRUE(found) << found.error().describe();
  EXPECT_EQ(found->name, "sda");
  EXPECT_EQ(*read_text(scan), "- 2 -");
}

TEST(DiskFinder, PartitionStartIsIn512ByteUnitsOn4096ByteDisks) {
  SysfsTree t;
  t.add_disk("sda", "0x0", false);
  testsupport::SyntheticDiskSpec spec;
  spec.sector_size = 4096;
  testsupport::make_synthetic_dump_disk(t.roots.dev + "/sda", spec);
  auto parts = sysfs_partitions(t.roots, "sda");
  ASSERT_TRUE(parts);
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].start, 1u << 20);
  auto found = find_dump_disk(t.roots, std::nullopt, t.options());
  ASSERT_TRUE(found) << found.error().describe();
  EXPECT_EQ(found->dump.block_size, 4096u);
}

TEST(DiskFinder, SuperblockPartitionMustExist) {
  SysfsTree t;
  t.add_disk("sda", "0x0");
  t.tree.write("sys/class/block/sda/sda1/start", "4096\n");  // not where zipl put it
  auto found = find_dump_disk(t.roots, std::nullopt, t.options());
  ASSERT_FALSE(found);
  EXPECT_NE(found.error().message.find("not a partition of this disk"), std::string::npos);
}

}  // namespace
}  // namespace zk::dumper
