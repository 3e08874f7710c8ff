// SPDX-License-Identifier: MIT
#include "installer/kernel/zfcpdump_config.h"

#include <gtest/gtest.h>

namespace zk::installer::kernel {
namespace {

constexpr const char* kGood =
    "CONFIG_CRASH_DUMP=y\nCONFIG_PROC_VMCORE=y\nCONFIG_BLK_DEV_INITRD=y\nCONFIG_SCSI=y\n"
    "CONFIG_BLK_DEV_SD=y\nCONFIG_ZFCP=y\nCONFIG_DEVTMPFS=y\nCONFIG_DEBUG_FS=y\nCONFIG_RD_GZIP=y\n"
    "CONFIG_MSDOS_PARTITION=y\nCONFIG_EFI_PARTITION=y\nCONFIG_PANIC_ON_OOPS=y\n"
    "CONFIG_INITRAMFS_SOURCE=\"\"\n";

KernelConfig config(const std::string& text) {
  auto c = KernelConfig::parse(text, "test");
  EXPECT_TRUE(c.has_value());
  return c.value_or(KernelConfig{});
}

/// kGood with `line` appended (a later line wins).
ConfigCheck check_with(const std::string& line, std::string_view rd = "CONFIG_RD_GZIP") {
  return check_zfcpdump_config(config(std::string(kGood) + line + "\n"), rd);
}

TEST(ZfcpdumpConfig, AcceptsACompleteConfig) {
  auto c = check_with("");
  EXPECT_TRUE(c.ok());
  EXPECT_TRUE(c.errors.empty());
  EXPECT_TRUE(c.warnings.empty());
}

TEST(ZfcpdumpConfig, NamesEachMissingRequirement) {
  for (const char* option : {"CONFIG_CRASH_DUMP", "CONFIG_PROC_VMCORE", "CONFIG_BLK_DEV_INITRD",
                             "CONFIG_SCSI", "CONFIG_BLK_DEV_SD", "CONFIG_ZFCP", "CONFIG_DEVTMPFS",
                             "CONFIG_DEBUG_FS", "CONFIG_RD_GZIP"}) {
    auto c = check_with(std::string("# ") + option + " is not set");
    ASSERT_EQ(c.errors.size(), 1u) << option;
    EXPECT_EQ(c.errors[0].option, option);
    EXPECT_TRUE(c.errors[0].message.starts_with(std::string(option) + " is not set ("))
        << c.errors[0].message;
  }
  auto crash = check_with("# CONFIG_CRASH_DUMP is not set");
  EXPECT_EQ(
      crash.errors[0].message,
      "CONFIG_CRASH_DUMP is not set (a zfcpdump kernel needs it: it provides /proc/vmcore and "
      "makes the kernel recognise a dump IPL)");
}

TEST(ZfcpdumpConfig, AbsentIsNotSet) {
  auto c = check_zfcpdump_config(config("CONFIG_SCSI=y\n"), "");
  EXPECT_FALSE(c.ok());
  EXPECT_EQ(c.errors.front().option, "CONFIG_CRASH_DUMP");
  EXPECT_EQ(c.errors.size(), 8u) << "7 required =y besides SCSI, plus the partition tables";
}

TEST(ZfcpdumpConfig, ModulesAreNotEnough) {
  auto c = check_with("CONFIG_ZFCP=m");
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors[0].message,
            "CONFIG_ZFCP=m, but it must be =y (the dump disk is reached through an FCP channel, "
            "which needs the zfcp driver; the dump ramdisk carries no modules)");
}

TEST(ZfcpdumpConfig, RamdiskCompressorIsChecked) {
  auto xz = check_with("", "RD_XZ");
  ASSERT_EQ(xz.errors.size(), 1u);
  EXPECT_EQ(xz.errors[0].option, "CONFIG_RD_XZ");
  EXPECT_NE(xz.errors[0].message.find("compressed with XZ"), std::string::npos);
  EXPECT_TRUE(check_with("CONFIG_RD_XZ=y", "CONFIG_RD_XZ").ok());
  EXPECT_TRUE(check_with("# CONFIG_RD_GZIP is not set", "").ok())
      << "no compressor, no requirement";
  auto bogus = check_with("", "CONFIG_SCSI");
  ASSERT_EQ(bogus.errors.size(), 1u);
  EXPECT_NE(bogus.errors[0].message.find("not a ramdisk decompressor option"), std::string::npos);
}

TEST(ZfcpdumpConfig, PartitionTables) {
  auto none = check_with("# CONFIG_MSDOS_PARTITION is not set\n# CONFIG_EFI_PARTITION is not set");
  ASSERT_EQ(none.errors.size(), 1u);
  EXPECT_NE(none.errors[0].message.find("CONFIG_MSDOS_PARTITION and CONFIG_EFI_PARTITION"),
            std::string::npos);
  auto msdos_only = check_with("# CONFIG_EFI_PARTITION is not set");
  EXPECT_TRUE(msdos_only.ok());
  ASSERT_EQ(msdos_only.warnings.size(), 1u);
  EXPECT_EQ(msdos_only.warnings[0].option, "CONFIG_EFI_PARTITION");
  auto gpt_only = check_with("# CONFIG_MSDOS_PARTITION is not set");
  EXPECT_TRUE(gpt_only.ok());
  ASSERT_EQ(gpt_only.warnings.size(), 1u);
  EXPECT_EQ(gpt_only.warnings[0].option, "CONFIG_MSDOS_PARTITION");
}

TEST(ZfcpdumpConfig, Warnings) {
  auto oops = check_with("# CONFIG_PANIC_ON_OOPS is not set");
  EXPECT_TRUE(oops.ok());
  ASSERT_EQ(oops.warnings.size(), 1u);
  EXPECT_EQ(oops.warnings[0].option, "CONFIG_PANIC_ON_OOPS");
  auto builtin = check_with("CONFIG_INITRAMFS_SOURCE=\"/tmp/rootfs\"");
  EXPECT_TRUE(builtin.ok());
  ASSERT_EQ(builtin.warnings.size(), 1u);
  EXPECT_NE(builtin.warnings[0].message.find("\"/tmp/rootfs\""), std::string::npos);
}

}  // namespace
}  // namespace zk::installer::kernel
