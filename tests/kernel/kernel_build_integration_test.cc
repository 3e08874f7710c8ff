// SPDX-License-Identifier: MIT
/// kernel_build_zfcpdump_defconfig: Debian's linux-source-6.1 built for real, through zk_kernel
/// and the zk-build-test-kernel driver: zfcpdump_defconfig plus kdump-test.config, cross-compiled
/// out of tree into the kit's cache. The result must pass zk_kernel's own checks, and a second
/// run must come from the cache at once.
///
/// Environment (set by tests/kernel/CMakeLists.txt): ZK_BUILD_TEST_KERNEL (the driver),
/// ZK_KDUMP_FRAGMENT, ZK_LINUX_SOURCE_TAR. Anything missing fails the test; nothing skips.

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>

#include <gtest/gtest.h>

#include "installer/kernel/hsa.h"
#include "installer/kernel/kernel_config.h"
#include "installer/kernel/kernel_footprint.h"
#include "installer/kernel/kernel_image.h"
#include "installer/kernel/zfcpdump_config.h"
#include "util/process.h"

namespace zk::installer::kernel {
using util::Command;
using util::ExitStatus;
using util::run_command;
using util::RunOptions;
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

struct DriverRun {
  ExitStatus status;
  std::map<std::string, std::string> values;  ///< the key=value lines
  double wall_seconds = 0;
};

/// Runs the driver, echoing its progress (so `ctest -V` shows the build) and collecting the
/// key=value lines of --print-paths.
DriverRun run_driver() {
  const std::vector<std::string> argv{env("ZK_BUILD_TEST_KERNEL"), "--source-tar",
                                      env("ZK_LINUX_SOURCE_TAR"),  "--fragment",
                                      env("ZK_KDUMP_FRAGMENT"),    "--print-paths"};
  DriverRun out;
  RunOptions options;
  options.on_line = [&](std::string_view line) {
    const size_t eq = line.find('=');
    if (eq != std::string_view::npos && eq > 0 && line.find(' ') > eq && !line.starts_with("zk-"))
      out.values[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
    else std::cout << line << std::endl;
  };
  const auto start = std::chrono::steady_clock::now();
  auto status = run_command(Command{argv, {}}, options);
  out.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(status.has_value()) << (status ? "" : status.error().describe());
  if (status) out.status = *status;
  return out;
}

TEST(KernelBuild, ZfcpdumpDefconfigWithTheKdumpFragment) {
  for (const char* name : {"ZK_BUILD_TEST_KERNEL", "ZK_KDUMP_FRAGMENT", "ZK_LINUX_SOURCE_TAR"})
    ASSERT_TRUE(std::filesystem::exists(env(name))) << name << "=" << env(name) << " does not exist"
                                                    << " (scripts/setup installs linux-source-6.1)";

  const DriverRun first = run_driver();
  ASSERT_TRUE(first.status.ok()) << "zk-build-test-kernel " << first.status.describe();
  for (const char* key :
       {"image", "vmlinux", "config", "log", "release", "key", "cached", "seconds"})
    ASSERT_TRUE(first.values.count(key)) << "no " << key << "= line";
  std::cout << "first run: cached=" << first.values.at("cached") << ", " << first.wall_seconds
            << " s\n";

  // The image: an uncompressed (KERNEL_UNCOMPRESSED) s390 boot image of the release built.
  auto image = check_kernel_image(first.values.at("image"));
  ASSERT_TRUE(image.has_value()) << image.error().describe();
  EXPECT_EQ(image->release, first.values.at("release"));
  EXPECT_TRUE(image->release.starts_with("6.1.")) << image->release;
  EXPECT_FALSE(image->compressed) << "kdump-test.config asks for KERNEL_UNCOMPRESSED";
  EXPECT_TRUE(image->secure_boot_trailer);
  std::cout << "image " << first.values.at("image") << ": " << image->size << " bytes, version \""
            << image->version << "\"\n";
  // Its size in memory, from the vmlinux the cache keeps beside it (BSS included): more than
  // the image's text and data alone, and with the dumper, a ramdisk and the margin it fits
  // the 32 MiB HSA of older machines.
  auto footprint = kernel_footprint(first.values.at("image"), *image, std::nullopt);
  ASSERT_TRUE(footprint.has_value()) << footprint.error().describe();
  EXPECT_FALSE(footprint->estimated) << footprint->source;
  EXPECT_NE(footprint->source.find(first.values.at("vmlinux")), std::string::npos)
      << footprint->source;
  EXPECT_GT(footprint->bytes, image->size / 2);
  EXPECT_LT(footprint->bytes, 64ull << 20);
  std::cout << "in memory: " << footprint->bytes << " bytes (" << footprint->source << ")\n";
  const HsaNeeds needs{footprint->bytes, footprint->source,        false, 1u << 20, 2u << 20,
                       4u << 20,         kKernelRuntimeMarginBytes};
  auto left = check_hsa_needs(needs, HsaSize{kDefaultHsaBytes, HsaSource::kDefault, "default"});
  EXPECT_TRUE(left.has_value()) << left.error().describe();

  // The config: a zfcpdump kernel for ramdisks of every compressor the kit uses.
  auto config = KernelConfig::load(first.values.at("config"));
  ASSERT_TRUE(config.has_value()) << config.error().describe();
  for (const char* rd : {"CONFIG_RD_GZIP", "CONFIG_RD_XZ", "CONFIG_RD_ZSTD", "CONFIG_RD_LZ4"}) {
    const ConfigCheck check = check_zfcpdump_config(*config, rd);
    EXPECT_TRUE(check.ok()) << rd << ": " << (check.errors.empty() ? "" : check.errors[0].message);
    for (const auto& w : check.warnings) std::cout << "warning: " << w.message << "\n";
  }
  // The vmlinux beside it is what zipl must not get.
  auto vmlinux = check_kernel_image(first.values.at("vmlinux"));
  ASSERT_FALSE(vmlinux.has_value());
  EXPECT_NE(vmlinux.error().message.find("is an s390 ELF file (a vmlinux?)"), std::string::npos)
      << vmlinux.error().message;
  EXPECT_GT(std::filesystem::file_size(first.values.at("log")), 0u);

  // Warm: the same inputs come from the cache, and fast.
  const DriverRun second = run_driver();
  ASSERT_TRUE(second.status.ok());
  EXPECT_EQ(second.values.count("cached") ? second.values.at("cached") : "", "yes");
  EXPECT_EQ(second.values.count("image") ? second.values.at("image") : "",
            first.values.at("image"));
  EXPECT_LT(second.wall_seconds, 2.0) << "a cached kernel must come back in under 2 s";
  std::cout << "second run: cached=" << second.values.at("cached") << ", " << second.wall_seconds
            << " s\n";
}

}  // namespace
}  // namespace zk::installer::kernel
