// SPDX-License-Identifier: MIT
#include "initramfs-gen/ramdisk_layout.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace zk::initramfs {
namespace {

std::vector<std::string> paths(const std::vector<PlannedEntry>& plan) {
  std::vector<std::string> out;
  for (const auto& p : plan) out.push_back(p.entry.path);
  return out;
}

const RamdiskEntry& find(const std::vector<PlannedEntry>& plan, const std::string& path) {
  for (const auto& p : plan)
    if (p.entry.path == path) return p.entry;
  ADD_FAILURE() << "no " << path;
  return plan.front().entry;
}

TEST(RamdiskLayout, WithoutConfig) {
  RamdiskSpec spec;
  spec.mtime = 1700000000;
  const auto plan = plan_ramdisk(spec, 1234);
  EXPECT_EQ(paths(plan), (std::vector<std::string>{"dev", "dev/console", "dev/null", "init", "proc",
                                                   "sys", "tmp"}));
  uint64_t ino = 1;
  for (const auto& p : plan) {
    EXPECT_EQ(p.entry.ino, ino++);
    EXPECT_EQ(p.entry.uid, 0u);
    EXPECT_EQ(p.entry.gid, 0u);
    EXPECT_EQ(p.entry.mtime, 1700000000);
    EXPECT_EQ(p.entry.nlink, p.entry.type == EntryType::kDirectory ? 2u : 1u);
  }
  const auto& init = find(plan, "init");
  EXPECT_EQ(init.type, EntryType::kRegular);
  EXPECT_EQ(init.mode, 0755u);
  EXPECT_EQ(init.size, 1234u);
  EXPECT_EQ(plan[3].content, Content::kDumper);
  const auto& console = find(plan, "dev/console");
  EXPECT_EQ(console.type, EntryType::kCharDevice);
  EXPECT_EQ(console.mode, 0600u);
  EXPECT_EQ(console.rdev_major, 5u);
  EXPECT_EQ(console.rdev_minor, 1u);
  const auto& null = find(plan, "dev/null");
  EXPECT_EQ(null.mode, 0666u);
  EXPECT_EQ(null.rdev_major, 1u);
  EXPECT_EQ(null.rdev_minor, 3u);
  EXPECT_EQ(find(plan, "tmp").mode, 01777u);
  EXPECT_EQ(find(plan, "proc").mode, 0555u);
}

TEST(RamdiskLayout, ConfigAddsEtc) {
  RamdiskSpec spec;
  spec.config_text = "dump_debug=2\n";
  const auto plan = plan_ramdisk(spec, 10);
  EXPECT_EQ(paths(plan),
            (std::vector<std::string>{"dev", "dev/console", "dev/null", "etc", "etc/zfcpdump.conf",
                                      "init", "proc", "sys", "tmp"}));
  const auto& conf = plan[4];
  EXPECT_EQ(conf.content, Content::kConfig);
  EXPECT_EQ(conf.entry.mode, 0644u);
  EXPECT_EQ(conf.entry.size, 13u);
  EXPECT_EQ(conf.entry.ino, 5u);
}

}  // namespace
}  // namespace zk::initramfs
