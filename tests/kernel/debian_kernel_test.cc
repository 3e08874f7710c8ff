// SPDX-License-Identifier: MIT
/// zk_kernel against Debian's real s390x kernel package (from the sysroot scripts/setup
/// prepares): its config is a general-purpose one, built without CRASH_DUMP and with the SCSI
/// and zfcp drivers as modules, so it cannot be a zfcpdump kernel, and the check must say why.

#include <iostream>

#include <gtest/gtest.h>

#include "installer/kernel/kernel_config.h"
#include "installer/kernel/test_paths.h"
#include "installer/kernel/zfcpdump_config.h"

namespace zk::installer::kernel {
namespace {

std::string debian_config() {
  auto configs = testing::sysroot_boot_files("config-");
  if (configs.empty()) {
    ADD_FAILURE() << "no boot/config-*-s390x in " << testing::s390x_sysroot()
                  << " (run scripts/setup)";
    return {};
  }
  return configs.back();
}

const ConfigProblem* find(const std::vector<ConfigProblem>& list, std::string_view option) {
  for (const auto& p : list)
    if (p.option == option) return &p;
  return nullptr;
}

TEST(DebianKernel, ConfigIsRefusedNamingCrashDump) {
  const std::string path = debian_config();
  ASSERT_FALSE(path.empty());
  auto config = KernelConfig::load(path);
  ASSERT_TRUE(config.has_value()) << config.error().describe();
  ASSERT_NE(config->value("CONFIG_CRASH_DUMP"), nullptr);
  EXPECT_EQ(config->value("CONFIG_CRASH_DUMP")->kind, ConfigValue::Kind::kNotSet)
      << "Debian's s390x kernels are built without CRASH_DUMP";

  const ConfigCheck check = check_zfcpdump_config(*config, "CONFIG_RD_GZIP");
  std::cout << path << ":\n";
  for (const auto& e : check.errors) std::cout << "  error: " << e.message << "\n";
  for (const auto& w : check.warnings) std::cout << "  warning: " << w.message << "\n";

  EXPECT_FALSE(check.ok());
  const ConfigProblem* crash = find(check.errors, "CONFIG_CRASH_DUMP");
  ASSERT_NE(crash, nullptr);
  EXPECT_EQ(
      crash->message,
      "CONFIG_CRASH_DUMP is not set (a zfcpdump kernel needs it: it provides /proc/vmcore and "
      "makes the kernel recognise a dump IPL)");
  // The drivers are modules there, which a dump ramdisk cannot load.
  for (const char* option : {"CONFIG_SCSI", "CONFIG_BLK_DEV_SD", "CONFIG_ZFCP"}) {
    const ConfigProblem* p = find(check.errors, option);
    ASSERT_NE(p, nullptr) << option;
    EXPECT_TRUE(p->message.starts_with(std::string(option) + "=m, but it must be =y ("))
        << p->message;
    EXPECT_TRUE(p->message.ends_with("; the dump ramdisk carries no modules)")) << p->message;
  }
  // What Debian does have is not reported.
  for (const char* option : {"CONFIG_BLK_DEV_INITRD", "CONFIG_DEVTMPFS", "CONFIG_DEBUG_FS",
                             "CONFIG_RD_GZIP", "CONFIG_MSDOS_PARTITION"})
    EXPECT_EQ(find(check.errors, option), nullptr) << option;
}

}  // namespace
}  // namespace zk::installer::kernel
