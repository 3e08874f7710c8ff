// SPDX-License-Identifier: MIT
#include "installer/disk/in_use.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "installer/disk/members.h"
#include "installer/disk/test_tree.h"
#include "util/read_file.h"

namespace zk::installer::disk {
namespace {

using testing::TestTree;

system::BlockDevice sd(const TestTree& t, const std::string& name) {
  system::BlockDevice d;
  d.disk_name = name;
  d.disk_node = t.roots().dev + "/" + name;
  d.driver = "sd";
  d.zipl_capable = true;
  return d;
}

std::string all(const std::vector<Use>& uses) {
  std::string s;
  for (const auto& u : uses) s += u.member + " " + u.what + " | " + u.advice + "\n";
  return s;
}

TEST(Mountinfo, ParsesDevnumMountPointAndSource) {
  auto m = parse_mountinfo(
      "36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n"
      "37 22 8:1 / /mnt/my\\040disk rw shared:5 - ext4 /dev/sda1 rw\n"
      "38 22 0:45 / /data rw - btrfs /dev/sdb2 rw\n"
      "garbage\n"
      "39 22 8:3 / /x rw no-dash-here\n");
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].devnum, "98:0");
  EXPECT_EQ(m[0].source, "/dev/root");
  EXPECT_EQ(m[1].mount_point, "/mnt/my disk");
  EXPECT_EQ(m[2].devnum, "0:45");
  EXPECT_EQ(m[2].source, "/dev/sdb2");
}

TEST(Mountinfo, ReadsEveryLineOfThisSystemsTable) {
  // The real table of the kernel these tests run on: one entry for each line, "/" among them.
  auto text = util::read_file("/proc/self/mountinfo", 16 << 20);
  ASSERT_TRUE(text) << text.error().describe();
  size_t lines = 0;
  for (char c : *text) lines += c == '\n';
  auto m = parse_mountinfo(*text);
  EXPECT_EQ(m.size(), lines);
  EXPECT_TRUE(
      std::any_of(m.begin(), m.end(), [](const MountEntry& e) { return e.mount_point == "/"; }));
}

TEST(Swaps, KeepsPartitionsOnly) {
  auto s = parse_swaps(
      "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
      "/dev/sda2                               partition\t2097148\t\t0\t\t-2\n"
      "/swap\\040file                           file\t\t1048572\t\t0\t\t-3\n");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0], "/dev/sda2");
}

TEST(Mountinfo, AnEmptySourceIsEmpty) {
  // What `mount -t tmpfs "" /mnt` shows: two blanks where the source would be.
  auto m = parse_mountinfo("42 22 0:50 / /mnt/empty rw,relatime - tmpfs  rw,size=4k\n");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].mount_point, "/mnt/empty");
  EXPECT_EQ(m[0].source, "");
}

TEST(Mountinfo, TheFirstLineDecidesTheFormat) {
  // libmount reads a text whose first line is no mountinfo line as another table.
  EXPECT_TRUE(parse_mountinfo("garbage\n37 22 8:1 / /boot rw - ext4 /dev/sda1 rw\n").empty());
  EXPECT_TRUE(parse_mountinfo("/dev/sda1 /boot ext4 rw 0 0\n").empty());
}

TEST(Swaps, NothingWithoutTheKernelsHeader) {
  EXPECT_TRUE(
      parse_swaps("/dev/sda2                               partition\t1000\t0\t-2\n").empty());
}

TEST(Members, DiskAndKernelPartitionsByNumber) {
  TestTree t;
  t.add_disk("sda", "8:0", "sd", 2097152);
  t.add_partition("sda", "sda2", "8:2", 2, 1050624, 1046528);
  t.add_partition("sda", "sda1", "8:1", 1, 2048, 1048576);
  auto m = disk_members(sd(t, "sda"), t.roots());
  ASSERT_TRUE(m) << m.error().describe();
  ASSERT_EQ(m->size(), 3u);
  EXPECT_EQ((*m)[0].name, "sda");
  EXPECT_FALSE((*m)[0].partition);
  EXPECT_EQ((*m)[1].name, "sda1");
  EXPECT_EQ((*m)[1].devnum, "8:1");
  EXPECT_EQ((*m)[2].partition, 2u);
}

TEST(Members, MultipathMapAndItsKpartxPartitions) {
  TestTree t;
  t.add_disk("sdb", "8:16", "sd", 2097152);
  t.add_disk("sdc", "8:32", "sd", 2097152);
  t.add_dm("dm-0", "254:0", "mpath-36005076303ffd5", "mpatha", "sdb sdc", 2097152);
  t.add_dm("dm-1", "254:1", "part1-mpath-36005076303ffd5", "mpatha-part1", "dm-0", 1048576);
  t.add_dm("dm-2", "254:2", "LVM-abc", "vg-lv", "dm-0", 1048576);  // someone else's
  system::BlockDevice d = sd(t, "dm-0");
  auto m = disk_members(d, t.roots());
  ASSERT_TRUE(m) << m.error().describe();
  ASSERT_EQ(m->size(), 2u);
  EXPECT_EQ((*m)[1].name, "dm-1");
  EXPECT_EQ((*m)[1].partition, 1u);

  // The map's own partition map is no foreign holder; the LVM volume is.
  auto uses = find_uses(*m, t.roots());
  ASSERT_TRUE(uses) << uses.error().describe();
  ASSERT_EQ(uses->size(), 1u) << all(*uses);
  EXPECT_EQ((*uses)[0].member, "dm-0");
  EXPECT_NE((*uses)[0].what.find("LVM logical volume vg-lv"), std::string::npos) << all(*uses);
}

TEST(InUse, NothingOnAnIdleDisk) {
  TestTree t;
  t.add_disk("sda", "8:0", "sd", 2097152);
  t.add_partition("sda", "sda1", "8:1", 1, 2048, 1048576);
  auto m = disk_members(sd(t, "sda"), t.roots());
  ASSERT_TRUE(m);
  auto uses = find_uses(*m, t.roots());
  ASSERT_TRUE(uses) << uses.error().describe();
  EXPECT_TRUE(uses->empty()) << all(*uses);
}

TEST(InUse, MountedPartitionAndSwap) {
  TestTree t;
  t.add_disk("sda", "8:0", "sd", 2097152);
  t.add_partition("sda", "sda1", "8:1", 1, 2048, 1048576);
  t.add_partition("sda", "sda2", "8:2", 2, 1050624, 1046528);
  t.write("proc/self/mountinfo",
          "22 1 0:21 / / rw - tmpfs rootfs rw\n"
          "40 22 8:1 / /boot rw,relatime shared:7 - ext4 /dev/sda1 rw\n");
  t.write("proc/swaps",
          "Filename\tType\tSize\tUsed\tPriority\n/dev/sda2  partition\t1000\t0\t-2\n");
  auto m = disk_members(sd(t, "sda"), t.roots());
  ASSERT_TRUE(m);
  auto uses = find_uses(*m, t.roots());
  ASSERT_TRUE(uses) << uses.error().describe();
  ASSERT_EQ(uses->size(), 2u) << all(*uses);
  EXPECT_EQ((*uses)[0].member, "sda1");
  EXPECT_EQ((*uses)[0].what, "is mounted on /boot");
  EXPECT_NE((*uses)[0].advice.find("umount /boot"), std::string::npos);
  EXPECT_EQ((*uses)[1].member, "sda2");
  EXPECT_EQ((*uses)[1].what, "is used as swap");
  EXPECT_NE((*uses)[1].advice.find("swapoff /dev/sda2"), std::string::npos);
}

TEST(InUse, MountedWholeDiskFoundBySourceWhenTheDevnumIsAnonymous) {
  TestTree t;
  t.add_disk("sdd", "8:48", "sd", 2097152);
  t.write("proc/self/mountinfo", "41 22 0:45 / /data rw - btrfs /dev/sdd rw\n");
  auto m = disk_members(sd(t, "sdd"), t.roots());
  ASSERT_TRUE(m);
  auto uses = find_uses(*m, t.roots());
  ASSERT_TRUE(uses);
  ASSERT_EQ(uses->size(), 1u);
  EXPECT_EQ((*uses)[0].what, "is mounted on /data");
}

TEST(InUse, HoldersSayWhatTheyAre) {
  TestTree t;
  t.add_disk("sda", "8:0", "sd", 2097152);
  t.add_partition("sda", "sda1", "8:1", 1, 2048, 1048576);
  t.add_partition("sda", "sda2", "8:2", 2, 1050624, 1046528);
  t.add_dm("dm-3", "254:3", "CRYPT-LUKS2-abc-secret", "secret", "sda1", 1000);
  t.add_disk("md0", "9:0", "", 1000);
  t.add_holder("sda2", "md0");
  auto m = disk_members(sd(t, "sda"), t.roots());
  ASSERT_TRUE(m);
  auto uses = find_uses(*m, t.roots());
  ASSERT_TRUE(uses);
  ASSERT_EQ(uses->size(), 2u) << all(*uses);
  EXPECT_EQ((*uses)[0].what, "is held by dm-3 (dm-crypt volume secret)");
  EXPECT_NE((*uses)[0].advice.find("cryptsetup close secret"), std::string::npos);
  EXPECT_EQ((*uses)[1].what, "is held by md0 (RAID array)");
}

TEST(InUse, APathOfAMultipathMapPointsAtTheMap) {
  TestTree t;
  t.add_disk("sdb", "8:16", "sd", 2097152);
  t.add_dm("dm-0", "254:0", "mpath-3600", "mpatha", "sdb", 2097152);
  auto m = disk_members(sd(t, "sdb"), t.roots());
  ASSERT_TRUE(m);
  auto uses = find_uses(*m, t.roots());
  ASSERT_TRUE(uses);
  ASSERT_EQ(uses->size(), 1u);
  EXPECT_EQ((*uses)[0].what, "is held by dm-0 (multipath map mpatha)");
  EXPECT_NE((*uses)[0].advice.find("/mapper/mpatha instead"), std::string::npos)
      << (*uses)[0].advice;
}

TEST(InUse, AMountinfoWithoutMountsIsAnError) {
  TestTree t;
  t.add_disk("sda", "8:0", "sd", 2097152);
  auto m = disk_members(sd(t, "sda"), t.roots());
  ASSERT_TRUE(m);
  for (const char* text : {"", "garbage\n40 22 8:0 / /boot rw - ext4 /dev/sda rw\n"}) {
    t.write("proc/self/mountinfo", text);
    auto uses = find_uses(*m, t.roots());
    ASSERT_FALSE(uses) << '"' << text << '"';
    EXPECT_NE(uses.error().message.find("no mountinfo table"), std::string::npos);
  }
}

TEST(InUse, MissingMountinfoIsAnError) {
  TestTree t;
  t.add_disk("sda", "8:0", "sd", 2097152);
  auto m = disk_members(sd(t, "sda"), t.roots());
  ASSERT_TRUE(m);
  auto roots = t.roots();
  roots.proc = t.path("nowhere");
  EXPECT_FALSE(find_uses(*m, roots));
}

}  // namespace
}  // namespace zk::installer::disk
