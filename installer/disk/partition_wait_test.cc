// SPDX-License-Identifier: MIT
// Waiting for a new partition, against the test double of /sys and /dev (blockdev/test_tree.h).
#include "installer/disk/partition_wait.h"

#include <cerrno>

#include <gtest/gtest.h>

#include "installer/disk/test_tree.h"

namespace zk::installer::disk {
namespace {

using testing::TestTree;

system::BlockDevice sda(const TestTree& t) {
  system::BlockDevice d;
  d.disk_name = "sda";
  d.disk_node = t.roots().dev + "/sda";
  return d;
}

TEST(PartitionWait, TheNodeOnceSysfsShowsThePartitionAsWritten) {
  TestTree t;
  t.add_disk("sda", "8:0", "sd", 2097152);
  t.add_partition("sda", "sda1", "8:1", 1, 2048, 1048576);
  auto node = wait_for_partition(sda(t), 1, 2048ull * 512, 1048576ull * 512, t.roots(),
                                 std::chrono::milliseconds(0));
  ASSERT_TRUE(node) << node.error().describe();
  EXPECT_EQ(*node, t.roots().dev + "/sda1");
}

TEST(PartitionWait, TimesOutWithWhatTheKernelHas) {
  TestTree t;
  t.add_disk("sda", "8:0", "sd", 2097152);
  t.add_partition("sda", "sda1", "8:1", 1, 4096, 1048576);  // an old table's partition
  auto node = wait_for_partition(sda(t), 1, 2048ull * 512, 1048576ull * 512, t.roots(),
                                 std::chrono::milliseconds(0));
  ASSERT_FALSE(node);
  EXPECT_EQ(node.error().errnum, ETIMEDOUT);
  EXPECT_NE(node.error().message.find("the kernel has sda1 at byte 2097152"), std::string::npos)
      << node.error().message;
  EXPECT_NE(node.error().message.find("partprobe"), std::string::npos);
}

TEST(PartitionWait, APartitionSysfsDoesNotDescribe) {
  TestTree t;
  t.add_disk("sda", "8:0", "sd", 2097152);
  t.write("dev/sda2", "");  // the node, but no sysfs entry
  auto node = wait_for_partition(sda(t), 2, 0, 512, t.roots(), std::chrono::milliseconds(0));
  ASSERT_FALSE(node);
  EXPECT_NE(node.error().message.find("sysfs does not describe sda2"), std::string::npos)
      << node.error().message;
}

}  // namespace
}  // namespace zk::installer::disk
