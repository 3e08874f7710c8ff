// SPDX-License-Identifier: MIT
#include "dumper/kernel_cmdline.h"

#include <gtest/gtest.h>

namespace zk::dumper {
namespace {

TEST(KernelCmdline, DefaultsWhenAbsent) {
  auto p = parse_kernel_cmdline("root=/dev/ram0 possible_cpus=1 cgroup_disable=memory\n");
  EXPECT_EQ(p.debug_level, 1);
  EXPECT_EQ(p.action, EndAction::kAuto);
  EXPECT_EQ(p.disk_timeout_s, 120u);
  EXPECT_FALSE(p.manual_scsi_scan);
}

TEST(KernelCmdline, KnownParameters) {
  auto p = parse_kernel_cmdline(
      "console=ttysclp0 dump_debug=4 zfcpdump.action=poweroff zfcpdump.disk_timeout=30 "
      "zfcpdump.progress=2 scsi_mod.scan=manual");
  EXPECT_EQ(p.debug_level, 4);
  EXPECT_EQ(p.action, EndAction::kPowerOff);
  EXPECT_EQ(p.disk_timeout_s, 30u);
  EXPECT_EQ(p.progress_interval_s, 2u);
  EXPECT_TRUE(p.manual_scsi_scan);
  EXPECT_EQ(parse_kernel_cmdline("zfcpdump.action=halt").action, EndAction::kHalt);
  EXPECT_EQ(parse_kernel_cmdline("zfcpdump.action=reipl").action, EndAction::kReipl);
}

TEST(KernelCmdline, DiskChoice) {
  EXPECT_EQ(parse_kernel_cmdline("root=/dev/ram0").disk, "");
  EXPECT_EQ(parse_kernel_cmdline("zfcpdump.disk=partuuid:0a1b2c3d-01 x=1").disk,
            "partuuid:0a1b2c3d-01");
  // The last word wins, as for every parameter: the command line overrides the ramdisk.
  EXPECT_EQ(parse_dumper_params("zfcpdump.disk=wwn:0x1\n", "zfcpdump.disk=wwn:0x2").disk,
            "wwn:0x2");
  EXPECT_EQ(parse_kernel_cmdline("zfcpdump.disk=" + std::string(kMaxDiskChoice + 1, 'a')).disk, "");
}

TEST(KernelCmdline, ClampsAndIgnoresGarbage) {
  auto p = parse_kernel_cmdline(
      "dump_debug=99 zfcpdump.disk_timeout=0 zfcpdump.action=explode "
      "zfcpdump.progress=x =foo dump_debug");
  EXPECT_EQ(p.debug_level, 6);
  EXPECT_EQ(p.disk_timeout_s, 1u);
  EXPECT_EQ(p.action, EndAction::kAuto);
  EXPECT_EQ(p.progress_interval_s, 10u);
  EXPECT_EQ(parse_kernel_cmdline("dump_debug=99999999999999999999999").debug_level, 1);
}

}  // namespace
}  // namespace zk::dumper

namespace zk::dumper {
namespace {

TEST(DumperParams, ConfigFileThenCommandLine) {
  auto p = parse_dumper_params(
      "# baked in by zfcpdump-install ramdisk\n"
      "# dump_debug=6 would be ignored here\n"
      "dump_debug=3 zfcpdump.action=halt\n"
      "zfcpdump.disk_timeout=40\n",
      "root=/dev/ram0 zfcpdump.action=poweroff");
  EXPECT_EQ(p.debug_level, 3);
  EXPECT_EQ(p.action, EndAction::kPowerOff);  // the command line wins
  EXPECT_EQ(p.disk_timeout_s, 40u);
  EXPECT_EQ(parse_dumper_params("", "dump_debug=2").debug_level, 2);
}

}  // namespace
}  // namespace zk::dumper

namespace zk::dumper {
namespace {

TEST(KernelCmdline, SparseByDefaultOffWithZero) {
  EXPECT_TRUE(parse_kernel_cmdline("root=/dev/ram0").sparse);
  EXPECT_FALSE(parse_kernel_cmdline("zfcpdump.sparse=0").sparse);
  EXPECT_TRUE(parse_kernel_cmdline("zfcpdump.sparse=0 zfcpdump.sparse=1").sparse);
  EXPECT_TRUE(parse_kernel_cmdline("zfcpdump.sparse=no").sparse);  // garbage keeps the default
  // The ramdisk's baked-in default comes through the same words; the command line wins.
  EXPECT_FALSE(parse_dumper_params("zfcpdump.sparse=0\n", "").sparse);
  EXPECT_TRUE(parse_dumper_params("zfcpdump.sparse=0\n", "zfcpdump.sparse=1").sparse);
}

TEST(KernelCmdline, DumpLevelIsOneByDefaultAndTakesZeroToThirtyOne) {
  EXPECT_EQ(parse_kernel_cmdline("root=/dev/ram0").dump_level, 1u);
  EXPECT_EQ(parse_kernel_cmdline("zfcpdump.dump_level=31").dump_level, 31u);
  EXPECT_EQ(parse_kernel_cmdline("zfcpdump.dump_level=0").dump_level, 0u);
  EXPECT_EQ(parse_kernel_cmdline("zfcpdump.dump_level=32").dump_level, 1u) << "out of range";
  EXPECT_EQ(parse_kernel_cmdline("zfcpdump.dump_level=-1").dump_level, 1u);
  EXPECT_EQ(parse_kernel_cmdline("zfcpdump.dump_level=0x1f").dump_level, 1u);
  EXPECT_EQ(parse_kernel_cmdline("zfcpdump.dump_level=").dump_level, 1u);
  // The ramdisk's default (disk --dump-level) and the SCP data's override.
  EXPECT_EQ(parse_dumper_params("zfcpdump.dump_level=31\n", "").dump_level, 31u);
  EXPECT_EQ(parse_dumper_params("zfcpdump.dump_level=31\n", "zfcpdump.dump_level=17").dump_level,
            17u);
}

}  // namespace
}  // namespace zk::dumper
